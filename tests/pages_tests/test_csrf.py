"""CSRF secrets drawn in one system call (pages/csrf.py): as random as Django's own,
and just as acceptable to Django's check."""

import os
import re
from collections import Counter
from unittest import mock

import pytest
from django.middleware import csrf as django_csrf
from django.test import RequestFactory

from pages import csrf

pytestmark = pytest.mark.django_db


def test_every_character_of_a_csrf_secret_is_equally_likely():
    drawn = "".join(csrf.random_csrf_string() for _ in range(4000))
    counts = Counter(drawn)
    assert set(counts) <= set(django_csrf.CSRF_ALLOWED_CHARS)
    expected = len(drawn) / len(django_csrf.CSRF_ALLOWED_CHARS)
    chi_square = sum(
        (counts[char] - expected) ** 2 / expected for char in django_csrf.CSRF_ALLOWED_CHARS
    )
    # 61 degrees of freedom: a fair draw exceeds 120 about once in a million runs.
    # Folding the 8 uneven bytes in instead of discarding them scores about 800.
    assert chi_square < 120


def test_no_two_visitors_are_handed_the_same_secret():
    secrets = {csrf.random_csrf_string() for _ in range(10_000)}
    assert len(secrets) == 10_000
    assert {len(secret) for secret in secrets} == {django_csrf.CSRF_SECRET_LENGTH}


def test_a_new_visitors_secret_and_mask_take_one_read_of_the_random_source_each():
    with (
        mock.patch("pages.csrf.os.urandom", wraps=os.urandom) as urandom,
        mock.patch("secrets.choice") as one_character_at_a_time,
    ):
        token = django_csrf.get_token(RequestFactory().get("/"))
    assert urandom.call_count == 2  # the secret for the cookie, and the mask of the token
    assert not one_character_at_a_time.called
    assert re.fullmatch(r"[A-Za-z0-9]{64}", token)


def test_a_renamed_django_internal_stops_the_site_from_starting(monkeypatch):
    monkeypatch.delattr(django_csrf, "_get_new_csrf_string")
    with pytest.raises(RuntimeError, match="_get_new_csrf_string"):
        csrf.install()
