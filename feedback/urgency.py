"""Spotting feedback that speaks of suicide or self-harm, so a person can see it first.

Matching is on whole words after both sides are normalised the same way, so
"Self-harm", "self   harm!" and "self—harm" all match the phrase "self harm",
while "skill myself" does not match "kill myself".
"""

import re
import unicodedata

from pages.recent import recent_pages

# Anything that is not a letter or digit in any script: spaces, punctuation,
# hyphens and dashes, underscores.
SEPARATORS = re.compile(r"[\W_]+")


def normalise(text):
    """``text`` as lower-case words separated by single spaces.

    NFKC folds look-alike forms (full-width letters, ligatures); invisible format
    characters (soft hyphens, zero-width spaces) are dropped first, because they
    would otherwise split a word in two.
    """
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = unicodedata.normalize("NFKC", text).casefold()
    return SEPARATORS.sub(" ", text).strip()


def find_urgent_phrases(text, phrases):
    """The phrases (as given) that occur in ``text`` as whole words, in the given order."""
    # Padding both with spaces turns "whole words" into a plain substring test.
    haystack = f" {normalise(text)} "
    return [phrase for phrase, needle in normalised(phrases) if needle in haystack]


def normalised(phrases):
    """Each distinct phrase with words, and its padded normal form to look for.

    Kept in the one in-process cache under the phrases themselves, a key whose value
    never changes: each post reads the phrases afresh, but normalises them only when
    they are new.
    """
    key = ("urgency:normalised", tuple(phrases))
    found = recent_pages.get(key)
    if found is None:
        found = []
        for phrase in dict.fromkeys(phrases):
            needle = normalise(phrase)
            if needle:
                found.append((phrase, f" {needle} "))
        recent_pages.put(key, found)
    return found
