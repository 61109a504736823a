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


def test_starter_pages_cite_the_yale_study_but_claim_no_medical_review(client):
    call_command("load_starter_content")
    home = client.get("/").content.decode()
    assert (
        "Antidepressant effects of ketamine in depressed patients</a>. Biological Psychiatry, 2000."
        in home
    )
    assert not Page.objects.exclude(reviewed_by="").exists()
    assert Page.objects.review_missing().count() == len(PAGES)
    assert "Medically reviewed" not in home


def test_reloading_never_puts_back_a_source_an_editor_removed():
    call_command("load_starter_content")
    Page.objects.get(path="introduction").sources.all().delete()
    call_command("load_starter_content")
    assert not Page.objects.get(path="introduction").sources.exists()
    assert Page.objects.get(path="articles/the-ketamine-debate").sources.count() == 1
