"""Input the database or Django cannot read gets a 404 or 400 page, never a 500.

Several of these crash only on PostgreSQL (its text cannot hold NUL): the suite's
PostgreSQL pass is the one that shows them failing without the fix.
"""

from http import HTTPStatus
from urllib.parse import urlencode

import pytest
from django.http import Http404
from django.test import Client

from feedback.models import Feedback
from ketamine_site.urls import serve_media
from tests.feedback_tests.conftest import form_data

pytestmark = pytest.mark.django_db


def strict_client():
    """A client that answers a crash with its 500 page and checks CSRF like a browser's."""
    return Client(raise_request_exception=False, enforce_csrf_checks=True)


def test_page_address_holding_nul_is_not_found_in_the_site_layout(published_page):
    response = strict_client().get("/learn/cost%00/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "We could not find that page" in response.content.decode()
    assert strict_client().get("/learn/cost/").status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    "address", ["/search/?q=cost%00", "/search/?q%00=cost", "/learn/cost/?utm=%00", "/?a=%00"]
)
def test_query_string_holding_nul_is_a_bad_request(published_page, address):
    response = strict_client().get(address)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "We could not read that request" in response.content.decode()


def test_cookie_holding_nul_is_a_bad_request(published_page, admin_user):
    client = strict_client()
    # An octal escape inside a quoted cookie value decodes to NUL.
    for cookie in ['sessionid="abcdefghijklmnop\\000"', 'csrftoken="x\\000"']:
        response = client.get("/admin/", HTTP_COOKIE=cookie)
        assert response.status_code == HTTPStatus.BAD_REQUEST


@pytest.mark.parametrize("charset", ["utf-16", "utf-32", "x-unknown", "latin-1", "utf8"])
@pytest.mark.parametrize("address", ["/admin/login/", "/learn/cost/", "feedback"])
def test_form_post_declared_in_another_charset_is_a_bad_request(published_page, charset, address):
    if address == "feedback":
        address = f"/feedback/{published_page.pk}/"
    client = strict_client()
    client.cookies["csrftoken"] = "a" * 32
    body = urlencode({"csrfmiddlewaretoken": "a" * 32, "comments": "Hello"}).encode()
    response = client.generic(
        "POST",
        address,
        body,
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "We could not read that request" in response.content.decode()


def test_feedback_declared_as_utf8_is_still_accepted(published_page):
    data = form_data(published_page, comments="Ça coûte cher — 💸")
    response = Client().generic(
        "POST",
        f"/feedback/{published_page.pk}/",
        urlencode(data).encode(),
        content_type="application/x-www-form-urlencoded; charset=UTF-8",
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Feedback.objects.get().comments == "Ça coûte cher — 💸"


@pytest.mark.parametrize("term", ["²", "#²", "١٢", "¹²³", "9" * 5000])
def test_access_log_search_for_digit_like_characters_is_answered(admin_client, term):
    admin_client.raise_request_exception = False
    response = admin_client.get("/admin/feedback/accesslog/", {"q": term})
    assert response.status_code == HTTPStatus.OK


def view_on_site_address(page):
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    content_type = ContentType.objects.get_for_model(page)
    return reverse("admin:view_on_site", args=[content_type.pk, page.pk])


def test_staff_without_page_permissions_cannot_learn_a_drafts_address(reviewer_client, draft_page):
    response = reviewer_client.get(view_on_site_address(draft_page))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert draft_page.get_absolute_url() not in response.get("Location", "")


def test_staff_without_page_permissions_are_sent_to_a_published_page(
    reviewer_client, published_page
):
    response = reviewer_client.get(view_on_site_address(published_page))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].endswith("/learn/cost/")


def test_editors_and_superusers_are_sent_to_a_drafts_preview(
    editor_client, admin_client, draft_page
):
    for client in (editor_client, admin_client):
        response = client.get(view_on_site_address(draft_page))
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].endswith(draft_page.get_absolute_url())


def test_view_on_site_asks_visitors_to_sign_in(client, published_page):
    response = client.get(view_on_site_address(published_page))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/admin/login/")


def test_media_address_too_long_for_the_file_system_is_not_found(rf, media_root):
    # Called directly: the URLconf mounts it only where Django serves uploads (SERVE_MEDIA).
    with pytest.raises(Http404):
        serve_media(rf.get("/media/" + "a" * 300), "a" * 300, document_root=media_root)


@pytest.mark.parametrize("selected", [[""], ["1", "x"], ["²"]])
def test_admin_action_on_a_selection_that_is_not_ids_is_a_bad_request(
    admin_client, published_page, selected
):
    feedback = Feedback.objects.create(page=published_page, name="Sam", comments="Hi")
    data = {"action": "mark_reviewed", "_selected_action": selected, "index": "0"}
    response = admin_client.post("/admin/feedback/feedback/", data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    feedback.refresh_from_db()
    assert feedback.status == Feedback.Status.NEW


def test_admin_action_on_real_ids_still_applies(admin_client, published_page):
    feedback = Feedback.objects.create(page=published_page, name="Sam", comments="Hi")
    data = {"action": "mark_reviewed", "_selected_action": [str(feedback.pk)], "index": "0"}
    response = admin_client.post("/admin/feedback/feedback/", data)
    assert response.status_code == HTTPStatus.FOUND
    feedback.refresh_from_db()
    assert feedback.status == Feedback.Status.REVIEWED


@pytest.mark.parametrize(
    "query",
    [
        {"submitted_at__year": "1" * 50},
        {"submitted_at__year": "99999999999", "_facets": ""},
        {"submitted_at__year": "2026", "submitted_at__month": "1" * 30},
    ],
)
def test_admin_date_drill_down_past_any_date_is_a_bad_request(admin_client, query):
    response = admin_client.get("/admin/feedback/feedback/", query)
    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_admin_date_drill_down_to_a_real_year_still_works(admin_client):
    response = admin_client.get("/admin/feedback/feedback/", {"submitted_at__year": "2026"})
    assert response.status_code == HTTPStatus.OK
