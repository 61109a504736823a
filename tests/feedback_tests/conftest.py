import pytest

from feedback.models import Feedback
from pages.revisions import latest_version_id
from tests.conftest import make_page


def form_data(page, *, seconds_ago=60, **overrides):
    """A person's post: the four fields, an empty honeypot, the page's revision as the form
    carries it, and the time the page was open as the browser's script reports it."""
    data = {
        "username": "sam_k",
        "name": "Sam Kay",
        "email": "sam@example.com",
        "comments": "The cost section should mention sliding-scale clinics.",
        "honeypot": "",
        "revision": latest_version_id(page) or "",
        "seconds_open": "" if seconds_ago is None else str(seconds_ago),
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
