import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from pages import pagecache
from pages.models import Page


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    pagecache.recent_pages.reset()
    yield
    cache.clear()
    pagecache.recent_pages.reset()


def make_page(title, *, parent=None, status=Page.Status.PUBLISHED, **fields):
    """Create and return a saved page; the slug defaults from the title."""
    from django.utils.text import slugify

    defaults = {
        "summary": f"About {title}.",
        "body": f"<h2>{title}</h2><p>Some text about {title}.</p>",
    }
    defaults.update(fields)
    return Page.objects.create(
        title=title, slug=defaults.pop("slug", slugify(title)), parent=parent, status=status,
        **defaults,
    )  # fmt: skip


@pytest.fixture
def published_page(db):
    return make_page("Cost", parent=make_page("Learn"))


@pytest.fixture
def draft_page(db):
    return make_page("Work in progress", status=Page.Status.DRAFT)


@pytest.fixture
def home_page(db):
    return make_page("Introduction", is_home=True)


@pytest.fixture
def without_sign_off(db):
    """Site settings with publishing needing no medical sign-off (editors publish on save)."""
    from pages.models import SiteSettings

    settings = SiteSettings.load()
    settings.require_review = False
    settings.save()
    return settings


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def staff_client(editor_client):
    """A logged-in member of the Editors group (may change pages)."""
    return editor_client


@pytest.fixture
def reviewer(django_user_model):
    user = django_user_model.objects.create_user("reviewer", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Feedback reviewers"))
    return user


@pytest.fixture
def reviewer_client(reviewer):
    """A logged-in member of the Feedback reviewers group (its own client, not `client`)."""
    from django.test import Client

    reviewer_client = Client()
    reviewer_client.force_login(reviewer)
    return reviewer_client


def page_form_data(page, **overrides):
    """The Page admin form's POST data for ``page`` as saved, with ``overrides``."""
    data = {
        "title": page.title,
        "slug": page.slug,
        "parent": page.parent_id or "",
        "status": page.status,
        "summary": page.summary,
        "body": page.body,
        "epigraph_quote": page.epigraph_quote,
        "epigraph_person": page.epigraph_person,
        "epigraph_role": page.epigraph_role,
        "figure": page.figure_id or "",
        "byline": page.byline,
        "position": page.position,
        "publish_at_0": "",
        "publish_at_1": "",
    }
    for flag in ("show_in_menu", "accepts_feedback", "is_home"):
        if getattr(page, flag):
            data[flag] = "on"
    data.update(sources_form_data(page if page.pk else None))
    data.update(overrides)
    return data


def sources_form_data(page=None, new=()):
    """The page form's Sources rows: ``page``'s saved sources unchanged, then the ``new`` dicts."""
    saved = list(page.sources.all()) if page is not None else []
    data = {
        "sources-TOTAL_FORMS": str(len(saved) + len(new)),
        "sources-INITIAL_FORMS": str(len(saved)),
        "sources-MIN_NUM_FORMS": "0",
        "sources-MAX_NUM_FORMS": "1000",
    }
    rows = [
        {"id": s.pk, "page": page.pk, "title": s.title, "publisher": s.publisher,
         "year": s.year or "", "url": s.url, "position": s.position}
        for s in saved
    ]  # fmt: skip
    for i, row in enumerate([*rows, *new]):
        data.update({f"sources-{i}-{name}": value for name, value in row.items()})
    return data


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder for the test."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def image_bytes(width=1600, height=1200, kind="JPEG", **save_options):
    """A picture of the given size and format, as uploaded bytes."""
    from io import BytesIO

    from PIL import Image as PillowImage

    out = BytesIO()
    mode = "RGBA" if kind in ("PNG", "WEBP") and save_options.pop("alpha", False) else "RGB"
    PillowImage.new(mode, (width, height), "navy").save(out, kind, **save_options)
    return out.getvalue()


def make_image(*, alt_text="A chart of routes", content=None, **fields):
    """An image in the library, checked and with its renditions, as an upload would make it."""
    from django.core.files.base import ContentFile
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pages.images import check_upload, new_image_name
    from pages.models import Image

    checked = check_upload(SimpleUploadedFile("upload", content or image_bytes()))
    image = Image(alt_text=alt_text, **fields)
    image.file = ContentFile(checked.content, name=new_image_name(checked.extension))
    image.save()
    image.make_renditions()
    return image


def run_due_jobs():
    """Run the queued jobs that are due, one after another, as `db_worker` does.

    In this process and this test's transaction: the real worker is run as a
    process in test_worker.py.
    """
    from django_tasks_db.models import DBTaskResult

    ran = 0
    while (job := DBTaskResult.objects.ready().first()) is not None:
        job.claim("test")
        result = job.task_result
        try:
            job.set_successful(job.task.call(*result.args, **result.kwargs))
        except Exception as error:
            job.set_failed(error)
        ran += 1
    return ran
