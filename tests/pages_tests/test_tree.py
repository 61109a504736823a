import pytest
from django.core.exceptions import ValidationError

from pages.models import Page
from tests.conftest import make_image, make_page

pytestmark = pytest.mark.django_db


def error_codes(page):
    with pytest.raises(ValidationError) as exc:
        page.full_clean()
    return {field: [e.code for e in errs] for field, errs in exc.value.error_dict.items()}


def test_two_siblings_with_the_same_slug_are_refused():
    learn = make_page("Learn")
    make_page("Cost", parent=learn)
    twin = Page(title="Cost again", slug="cost", parent=learn, summary="s", body="b")
    assert error_codes(twin) == {"slug": ["duplicate_slug"]}


def test_same_slug_under_different_parents_is_allowed():
    make_page("Cost", parent=make_page("Learn"))
    other = Page(title="Cost", slug="cost", parent=make_page("Articles"), summary="s", body="b")
    other.full_clean()


def test_a_page_cannot_become_its_own_ancestor():
    top = make_page("Top")
    child = make_page("Child", parent=top)
    grandchild = make_page("Grandchild", parent=child)
    top.parent = grandchild
    assert error_codes(top) == {"parent": ["cyclic_parent"]}
    top.parent = top
    assert error_codes(top) == {"parent": ["cyclic_parent"]}


@pytest.mark.parametrize("slug", ["admin", "static", "media"])
def test_top_level_slug_that_collides_with_a_site_url_is_refused(slug):
    page = Page(title="x", slug=slug, summary="s", body="b")
    assert error_codes(page) == {"slug": ["reserved_slug"]}


def test_reserved_words_are_fine_below_the_top_level():
    Page(title="x", slug="admin", parent=make_page("Learn"), summary="s", body="b").full_clean()


def test_a_second_home_page_is_refused():
    make_page("Introduction", is_home=True)
    assert error_codes(Page(title="Other", slug="other", is_home=True, summary="s", body="b")) == {
        "is_home": ["second_home"]
    }


def test_moving_a_page_moves_its_descendants_addresses():
    learn = make_page("Learn")
    opposition = make_page("Opposition", parent=learn)
    make_page("Psychiatrists", parent=opposition)
    learn.slug = "topics"
    learn.save()
    assert set(Page.objects.values_list("path", flat=True)) == {
        "topics",
        "topics/opposition",
        "topics/opposition/psychiatrists",
    }


def test_summary_longer_than_160_characters_is_refused():
    page = Page(title="x", slug="x", summary="a" * 161, body="b")
    assert "summary" in error_codes(page)


def test_an_image_needs_alt_text_unless_ticked_decorative(media_root):
    image = make_image(alt_text="   ")
    assert error_codes(image) == {"alt_text": ["alt_text_required"]}
    image.is_decorative = True
    image.full_clean()
