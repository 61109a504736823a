from http import HTTPStatus

import pytest
from django.core.management import call_command

from pages.models import Page
from pages.starter_content import PAGES

pytestmark = pytest.mark.django_db


def test_loader_creates_every_starter_page_published_and_reachable(client):
    call_command("load_starter_content")
    assert Page.objects.published().count() == len(PAGES)
    for spec in PAGES:
        page = Page.objects.get(path=spec["path"])
        assert client.get(page.get_absolute_url()).status_code == HTTPStatus.OK


def test_loader_is_idempotent_and_keeps_editors_changes():
    call_command("load_starter_content")
    cost = Page.objects.get(path="learn/cost")
    cost.body = "An editor's rewrite."
    cost.save()
    before = list(Page.objects.order_by("pk").values())
    call_command("load_starter_content")
    assert list(Page.objects.order_by("pk").values()) == before
    assert Page.objects.get(path="learn/cost").body == "An editor's rewrite."


def test_starter_structure_mirrors_the_network(client):
    call_command("load_starter_content")
    home = client.get("/")
    assert home.context["page"].title == "Introduction to Ketamine Therapy"
    assert b"Thomas Insel" in home.content
    psychiatrists = client.get("/learn/opposition/psychiatrists/")
    assert psychiatrists.status_code == HTTPStatus.OK
    assert psychiatrists.context["page"].epigraph_person
    for path in ("learn/opposition/big-pharma", "learn/opposition/researchers"):
        assert Page.objects.get(path=path).parent.path == "learn/opposition"
