import time

import pytest

from feedback.forms import make_token
from feedback.models import Feedback
from tests.conftest import make_page


def form_data(page, *, seconds_ago=60, **overrides):
    """A person's post: the four fields, an empty honeypot and a form handed out a minute ago."""
    data = {
        "username": "sam_k",
        "name": "Sam Kay",
        "email": "sam@example.com",
        "comments": "The cost section should mention sliding-scale clinics.",
        "honeypot": "",
        "timestamp": make_token(page, issued_at=time.time() - seconds_ago),
    }
    data.update(overrides)
    return data


def make_feedback(page=None, **fields):
    defaults = {"name": "Sam Kay", "comments": "A comment.", "email": "sam@example.com"}
    defaults.update(fields)
    return Feedback.objects.create(page=page, **defaults)


@pytest.fixture
def page(db):
    """A published page that accepts feedback, at /learn/cost/."""
    return make_page("Cost", parent=make_page("Learn"))


@pytest.fixture
def submit_url(page):
    from django.urls import reverse

    return reverse("feedback:submit", args=[page.pk])
