"""Spotting feedback that speaks of suicide or self-harm, so a person can see it first.

Matching is on whole words after both sides are normalised the same way, so
"Self-harm", "self   harm!" and "self—harm" all match the phrase "self harm",
while "skill myself" does not match "kill myself".
"""

import re
import unicodedata

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
    found = []
    for phrase in phrases:
        needle = normalise(phrase)
        if needle and f" {needle} " in haystack and phrase not in found:
            found.append(phrase)
    return found
