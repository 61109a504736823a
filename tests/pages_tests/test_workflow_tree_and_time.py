"""Scheduling and expiry with the clock moved, the Pages list in menu order, and
line endings normalised (also in stored revisions)."""

import importlib
import json
import re
from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import pytest
import reversion
import time_machine
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from pages.models import Page
from pages.roles import ROLES
from tests.conftest import make_page, page_form_data

pytestmark = pytest.mark.django_db

NOW = datetime(2030, 3, 1, 14, 0, tzinfo=UTC)
LIST = reverse("admin:pages_page_changelist")


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def titles_in_list(html):
    table = html[html.index('id="result_list"') :]
    return re.findall(r'<th class="field-\w+"><a href="[^"]+">([^<]+)', table)


def test_a_page_leaves_the_site_and_menu_at_its_expiry_time_without_any_save(client, clock):
    learn = make_page("Learn")
    make_page("Offer", parent=learn, expire_at=NOW + timedelta(hours=1))
    child = make_page("Details", parent=Page.objects.get(slug="offer"))
    assert client.get("/learn/offer/").status_code == HTTPStatus.OK
    assert "Offer" in client.get("/learn/").content.decode()  # the menu is now cached
    clock.move_to(NOW + timedelta(hours=1))
    assert client.get("/learn/offer/").status_code == HTTPStatus.NOT_FOUND
    assert client.get(child.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    assert ">Offer<" not in client.get("/learn/").content.decode()


def test_the_pages_list_shows_status_as_visitors_experience_it(clock, admin_client):
    hidden_parent = make_page("Drafty", status=Page.Status.DRAFT)
    make_page("Under drafty", parent=hidden_parent)
    make_page("Soon", publish_at=NOW + timedelta(days=2))
    make_page("Gone", expire_at=NOW - timedelta(hours=1))
    make_page("Plain")
    html = admin_client.get(LIST).content.decode()
    rows = dict(re.findall(r">(?:— )*([\w ]+)</a></th>(.*?)</tr>", html))
    assert '<td class="field-visitor_status">Draft</td>' in rows["Drafty"]
    assert "Hidden (under a page visitors cannot see)" in rows["Under drafty"]
    assert "Scheduled for 3 March 2030, 09:00 EST" in rows["Soon"]  # the site's time zone
    assert "Expired 1 March 2030, 08:00 EST" in rows["Gone"]
    assert '<td class="field-visitor_status">Live</td>' in rows["Plain"]
    assert "View live" in rows["Plain"]
    for title in ("Under drafty", "Soon", "Gone", "Drafty"):
        assert "View live" not in rows[title] and "Preview" in rows[title]


def test_time_fields_name_the_site_time_zone(admin_client, published_page):
    html = admin_client.get(reverse("admin:pages_page_change", args=[published_page.pk]))
    assert "Time zone: America/New_York." in html.content.decode()


def test_a_draft_with_a_publish_time_is_refused_with_a_clear_message(admin_client):
    page = make_page("Cost", status=Page.Status.DRAFT)
    data = page_form_data(page, publish_at_0="2030-03-01", publish_at_1="09:00")
    response = admin_client.post(reverse("admin:pages_page_change", args=[page.pk]), data)
    assert response.status_code == HTTPStatus.OK
    assert "A draft never goes live, so this publish time would do nothing" in (
        response.content.decode()
    )


def test_the_pages_list_is_in_menu_order_with_children_under_their_parent(admin_client):
    learn = make_page("Learn", position=2)
    make_page("Zebra", parent=learn, position=0)
    make_page("Apple", parent=learn, position=1)
    make_page("About", position=1)
    make_page("Learn more", slug="learn-more", position=2)
    assert titles_in_list(admin_client.get(LIST).content.decode()) == [
        "About",
        "Learn",
        "— Zebra",
        "— Apple",
        "Learn more",
    ]
    learn.position = 0
    learn.save()  # its children follow it
    assert titles_in_list(admin_client.get(LIST).content.decode())[:3] == [
        "Learn",
        "— Zebra",
        "— Apple",
    ]


def test_search_results_say_where_each_page_lives(admin_client):
    make_page("Cost", parent=make_page("Learn"), body="insurance")
    html = admin_client.get(LIST, {"q": "insurance"}).content.decode()
    assert 'Cost <span class="page-address">under /learn/</span>' in html


def test_saving_normalises_line_endings():
    page = make_page("Cost", body="## Cost\r\n\r\nText.\r\nMore.")
    assert page.body == "## Cost\n\nText.\nMore."


def test_the_migration_normalises_stored_pages_and_revisions():
    page = make_page("Cost")
    Page.objects.filter(pk=page.pk).update(body="One.\r\n\r\nTwo.", tree_order="")
    page.refresh_from_db()
    with reversion.create_revision():
        reversion.add_to_revision(page)
    migration = importlib.import_module("pages.migrations.0010_normalise_line_endings")
    migration.normalise(apps, None)
    page.refresh_from_db()
    assert page.body == "One.\n\nTwo." and page.tree_order
    version = Version.objects.get_for_object(page).get()
    assert json.loads(version.serialized_data)[0]["fields"]["body"] == "One.\n\nTwo."


def test_each_role_holds_exactly_its_declared_permissions():
    for name, role in ROLES.items():
        group = Group.objects.get(name=name)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == set(role["permissions"]), name


def test_apply_roles_restores_a_group_changed_by_hand():
    editors = Group.objects.get(name="Editors")
    editors.permissions.add(Permission.objects.get(codename="review_page"))
    editors.permissions.remove(Permission.objects.get(codename="change_page"))
    call_command("apply_roles", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    held = set(editors.permissions.values_list("codename", flat=True))
    assert "change_page" in held and "review_page" not in held
