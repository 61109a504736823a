"""How hard a page is to read: the Flesch-Kincaid grade of its text.

textstat counts the sentences and words. Its English syllable counter needs the
CMU dictionary, which nltk downloads from GitHub on first use (a network fetch in
production, and refused where there is no network), and pyphen's hyphenation
points undercount ("medicine" as one syllable). Syllables are therefore counted
here by vowel groups, the usual estimate, which is within one of the dictionary
for nearly all everyday words.
"""

import re

import textstat
from django.conf import settings

_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_WORDS = re.compile(r"[a-z]+(?:'[a-z]+)?")
# Words per minute for an adult reading on a screen; used for "reading time".
READING_WORDS_PER_MINUTE = 200


def syllables(word):
    """An estimate of the syllables in one lower-case word (at least one)."""
    count = len(_VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1  # a silent final e: "medicine", "time"
    if (
        word.endswith(("ed", "es"))
        and not word.endswith(("ted", "ded", "ses", "zes", "ces", "ges"))
        and count > 1
    ):
        count -= 1  # "used", "makes"
    return max(count, 1)


def flesch_kincaid_grade(text):
    """The US school grade needed to follow ``text``; None for text without sentences."""
    words = textstat.lexicon_count(text)
    sentences = textstat.sentence_count(text)
    if not words or not sentences:
        return None
    total = sum(syllables(word) for word in _WORDS.findall(text.lower()))
    grade = 0.39 * words / sentences + 11.8 * total / words - 15.59
    return round(max(grade, 0.0), 1)


def target_grade():
    return settings.READABILITY_TARGET_GRADE


def reading_minutes(words):
    """Whole minutes to read ``words`` words, at least one for any text."""
    return -(-words // READING_WORDS_PER_MINUTE) if words else 0
