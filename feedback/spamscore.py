"""Does new feedback read like spam? Plain rules, and a score learnt from reviewers.

The score is a small naive Bayes over words, trained from the feedback reviewers
have handled: what they marked Spam against what they read and kept. Nothing is
sent to any outside service.
"""

import math
import re
import time
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from pages.recent import recent_pages

from .models import Feedback
from .urgency import find_urgent_phrases, normalise

LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
CACHE_KEY = "feedback:spam-classifier"
RETRAIN_SECONDS = 60


def content_reasons(comments):
    """Why these comments read as spam by the fixed rules (many links, known phrases)."""
    reasons = []
    links = len(LINK.findall(comments))
    if links > settings.FEEDBACK_SPAM_MAX_LINKS:
        reasons.append(f"{links} links")
    reasons += [
        f"spam phrase “{p}”" for p in find_urgent_phrases(comments, settings.FEEDBACK_SPAM_PHRASES)
    ]
    return reasons


def words(text):
    """The distinct words of ``text``, normalised; a link counts as the word "<link>"."""
    found = set(normalise(LINK.sub(" xlinkx ", text)).split())
    return found


@dataclass(frozen=True)
class Classifier:
    """Word counts per class: in how many spam / kept messages each word occurs."""

    spam_docs: int
    ham_docs: int
    spam_words: dict
    ham_words: dict

    @classmethod
    def train(cls, spam_texts, ham_texts):
        spam_words, ham_words = Counter(), Counter()
        for text in spam_texts:
            spam_words.update(words(text))
        for text in ham_texts:
            ham_words.update(words(text))
        return cls(len(spam_texts), len(ham_texts), dict(spam_words), dict(ham_words))

    def score(self, text):
        """The probability (0-1) that ``text`` is spam, as these counts see it."""
        # Log-odds with add-one smoothing: a word never seen in one class does not
        # make the other certain.
        log_odds = math.log(self.spam_docs / self.ham_docs)
        for word in words(text):
            in_spam = self.spam_words.get(word, 0)
            in_ham = self.ham_words.get(word, 0)
            if in_spam + in_ham == 0:
                continue  # a word neither class has seen says nothing
            log_odds += math.log((in_spam + 1) / (self.spam_docs + 2))
            log_odds -= math.log((in_ham + 1) / (self.ham_docs + 2))
        log_odds = max(min(log_odds, 50), -50)
        return 1 / (1 + math.exp(-log_odds))


def marked():
    """Feedback a reviewer has decided on: a change by a person sets ``reviewed_by``."""
    return Feedback.objects.filter(reviewed_by__isnull=False)


def classifier():
    """The classifier trained from reviewers' marks, or None until there are enough.

    Trained at most once a minute for the whole site, kept in the shared cache and in
    this process's one in-process cache under that minute's key: a post costs no query
    and no round trip for it, and a mark counts from the next minute's training.
    """
    return recent_pages.get_or_make(current_key(), train_from_marks, RETRAIN_SECONDS)["model"]


def train_from_marks():
    spam = list(marked().filter(status=Feedback.Status.SPAM).values_list("comments", flat=True))
    ham = list(marked().exclude(status=Feedback.Status.SPAM).values_list("comments", flat=True))
    enough = min(len(spam), len(ham)) >= settings.FEEDBACK_SPAM_MIN_MARKS
    return {"model": Classifier.train(spam, ham) if enough else None}  # a dict: None is kept too


def current_key():
    return f"{CACHE_KEY}:{int(time.time() // RETRAIN_SECONDS)}"


def reset():
    """Forget the trained classifier: the next post trains it again from the marks."""
    key = current_key()
    cache.delete(key)
    recent_pages.discard(key)


def learnt_reason(comments):
    """ "likely spam, score 0.93" when the learnt score is over the threshold, else ""."""
    model = classifier()
    if model is None:
        return ""
    score = model.score(comments)
    if score < settings.FEEDBACK_SPAM_THRESHOLD:
        return ""
    return f"likely spam, score {math.floor(score * 100) / 100:.2f}"
