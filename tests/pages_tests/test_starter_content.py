import re
from http import HTTPStatus

import pytest
from django.core.management import call_command

from pages.management.commands.load_starter_content import starter_pages
from pages.models import Page
from pages.richtext import markdown_to_html

pytestmark = pytest.mark.django_db


def test_loader_creates_every_starter_page_published_and_reachable(client):
    call_command("load_starter_content")
    specs = starter_pages()
    assert Page.objects.published().count() == len(specs) == 16
    for spec in specs:
        page = Page.objects.get(path=spec.path)
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
    assert Page.objects.review_missing().count() == len(starter_pages())
    assert "Medically reviewed" not in home


def test_reloading_never_puts_back_a_source_an_editor_removed():
    call_command("load_starter_content")
    Page.objects.get(path="introduction").sources.all().delete()
    call_command("load_starter_content")
    assert not Page.objects.get(path="introduction").sources.exists()
    assert Page.objects.get(path="articles/the-ketamine-debate").sources.count() == 1


def markdown_counts(markdown):
    """Headings, links and paragraphs as the Markdown source has them."""
    blocks = [b.strip() for b in markdown.split("\n\n") if b.strip()]
    return (
        len(re.findall(r"^#{2,4} ", markdown, re.MULTILINE)),
        len(re.findall(r"\]\(", markdown)),
        len([b for b in blocks if not re.match(r"#|- |\* |\d+\. |> ", b)]),
    )


def html_counts(html):
    return len(re.findall(r"<h[2-4]>", html)), html.count("<a "), html.count("<p>")


@pytest.mark.parametrize("spec", starter_pages(), ids=lambda spec: spec.path)
def test_every_starter_page_keeps_its_headings_links_and_paragraphs(spec):
    headings, links, paragraphs = markdown_counts(spec.body_markdown)
    assert headings + links + paragraphs > 0
    assert html_counts(markdown_to_html(spec.body_markdown)) == (headings, links, paragraphs)


def test_links_between_starter_pages_follow_the_pages_when_they_move(client):
    call_command("load_starter_content")
    cost = Page.objects.get(path="learn/cost")
    intro = Page.objects.get(path="introduction")
    assert f'data-page-id="{cost.pk}"' in intro.body
    cost.slug = "prices"
    cost.save()
    assert 'href="/learn/prices/"' in client.get("/").content.decode()
