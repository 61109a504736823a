import io
import re
from http import HTTPStatus

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image as PillowImage
from PIL import ImageDraw

from pages.images import check_upload
from pages.models import Image, Rendition
from tests.conftest import image_bytes, make_image, make_page, page_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_sign_off")]
IMAGE_PERMISSIONS = ["add_image", "change_image", "delete_image", "view_image"]


@pytest.fixture(autouse=True)
def editors_manage_images(db):
    """The Editors role's image permissions (to be declared in the roles table at merge)."""
    from django.contrib.auth.models import Group, Permission

    editors = Group.objects.get(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="pages", codename__in=IMAGE_PERMISSIONS)
    )


def photo_bytes(width=4000, height=3000, exif=True):
    """A photograph-like JPEG (gradients, shapes and grain) carrying EXIF with a GPS position."""
    image = PillowImage.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for i in range(0, width, 97):
        draw.ellipse(
            (i, (i * 7) % height, i + 400, (i * 7) % height + 300),
            fill=(i % 255, 120, 200 - i % 200),
        )
    grain = PillowImage.effect_noise((width, height), 40).convert("RGB")
    image = PillowImage.blend(image, grain, 0.15)
    info = PillowImage.Exif()
    info[0x010F] = "PhoneMaker"  # camera make
    info[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=info.tobytes() if exif else b"")
    return out.getvalue()


def upload(client, content, name="photo.jpg", **fields):
    data = {"alt_text": "A nurse beside an infusion chair", "caption": "", "credit": "", **fields}
    data["file"] = SimpleUploadedFile(name, content)
    return client.post(reverse("admin:pages_image_add"), data)


def stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()]


def test_an_uploaded_photo_gets_webp_and_jpeg_renditions_made_once(
    editor_client, editor, media_root
):
    response = upload(editor_client, photo_bytes())
    assert response.status_code == HTTPStatus.FOUND
    image = Image.objects.get()
    assert (image.width, image.height, image.uploaded_by) == (4000, 3000, editor)
    made = {(r.width, r.format): r for r in image.renditions.all()}
    assert set(made) == {(w, f) for w in (480, 800, 1200, 1600) for f in ("webp", "jpg")}
    assert made[480, "webp"].height == 360
    phone = default_storage.open(made[480, "webp"].file).read()
    assert len(phone) < 150 * 1024
    assert PillowImage.open(io.BytesIO(phone)).format == "WEBP"
    # Showing the page does not make them again.
    make_page("Cost", figure=image)
    count = Rendition.objects.count()
    editor_client.get("/cost/")
    assert Rendition.objects.count() == count


def test_location_and_camera_details_are_removed_from_every_stored_file(editor_client, media_root):
    upload(editor_client, photo_bytes(1000, 750))
    files = stored_files(media_root)
    assert len(files) == 1 + 2 * 3  # the original and two formats at 480, 800 and 1000
    for path in files:
        with PillowImage.open(path) as stored:
            assert not stored.getexif(), path.name
            assert b"PhoneMaker" not in path.read_bytes()


def test_small_pictures_are_never_enlarged(media_root):
    image = make_image(content=image_bytes(600, 400, "PNG"))
    assert sorted({r.width for r in image.renditions.all()}) == [480, 600]
    assert {r.format for r in image.renditions.all()} == {"webp", "png"}


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (image_bytes(10, 10, "BMP"), "wrong_format"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "wrong_format",
        ),
        (image_bytes(800, 600, "PNG")[:-400], "damaged"),
        (image_bytes(8000, 6000, "PNG", bits=1), "too_many_pixels"),
        (image_bytes(20000, 20000, "PNG", bits=1), "too_many_pixels"),
        (b"x" * (11 * 1024 * 1024), "too_large"),
    ],
    ids=["bmp", "svg-with-script", "truncated-png", "48-megapixels", "decompression-bomb", "11-mb"],
)
def test_bad_files_are_refused_with_a_reason(content, code):
    with pytest.raises(Exception) as refused:
        check_upload(SimpleUploadedFile("picture.png", content))
    assert refused.value.code == code


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\0" * (50 * 1024 * 1024), "huge.png", "pictures may be at most 10 MB"),
        (image_bytes(800, 600, "PNG")[:-400], "cut.png", "damaged or incomplete"),
        (image_bytes(20000, 20000, "PNG", bits=1), "bomb.png", "at most 40 million pixels"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>x</script></svg>',
            "logo.svg",
            "SVG cannot be uploaded",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>',
            "disguised.png",
            "Only JPEG, PNG",
        ),
    ],
    ids=["50-mb", "truncated-png", "decompression-bomb", "svg-with-script", "svg-named-png"],
)
def test_the_upload_form_refuses_bad_files_stores_nothing_and_keeps_the_text(
    editor_client, media_root, content, name, message
):
    response = upload(editor_client, content, name, caption="Kept caption")
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert message in html and 'value="Kept caption"' in html
    assert not Image.objects.exists() and not stored_files(media_root)


def test_an_upload_named_to_climb_out_of_the_folder_is_stored_under_our_own_name(
    editor_client, media_root
):
    response = upload(editor_client, image_bytes(600, 400, "PNG"), "../../x.png")
    assert response.status_code == HTTPStatus.FOUND
    assert re.fullmatch(r"images/[0-9a-f]{32}\.png", Image.objects.get().file.name)
    assert {path.parent.name for path in stored_files(media_root)} == {"images", "renditions"}
    assert not (media_root.parent / "x.png").exists()
    assert not (media_root.parent.parent / "x.png").exists()


def test_alt_text_is_required_unless_the_picture_is_decorative(editor_client, media_root):
    response = upload(editor_client, image_bytes(600, 400, "PNG"), alt_text="")
    assert "Describe the picture for people who cannot see it" in response.content.decode()
    response = upload(editor_client, image_bytes(600, 400, "PNG"), alt_text="", is_decorative="on")
    assert response.status_code == HTTPStatus.FOUND


def test_the_page_shows_its_figure_responsively_and_body_pictures_lazily(client, media_root):
    figure = make_image(
        alt_text="A chart of routes", caption="Routes compared", credit="Photo: J. Doe"
    )
    inline = make_image(alt_text="An infusion chair", content=image_bytes(1000, 500, "PNG"))
    body = f'<p>Text.</p><figure><img src="/x.png" alt="" data-file="{inline.pk}"><figcaption>Chair</figcaption></figure>'
    make_page("Routes", figure=figure, body=body)
    html = client.get("/routes/").content.decode()
    figure_html, body_html = html.split('<div class="article-body">')
    assert '<source type="image/webp" srcset="/media/renditions/' in figure_html
    assert re.search(
        r'srcset="[^"]*-480\.jpg 480w, [^"]*-800\.jpg 800w, [^"]*-1200\.jpg 1200w, [^"]*-1600\.jpg 1600w"',
        figure_html,
    )
    assert 'sizes="(min-width: 46rem) 44rem, calc(100vw - 2rem)"' in figure_html
    assert (
        'width="1600" height="1200" alt="A chart of routes">' in figure_html
    )  # first screen: not lazy
    assert (
        '<figcaption>Routes compared <span class="credit">Photo: J. Doe</span></figcaption>'
        in figure_html
    )
    assert (
        'width="1000" height="500" alt="An infusion chair" loading="lazy" decoding="async">'
        in body_html
    )
    assert "<figcaption>Chair</figcaption>" in body_html and 'src="/x.png"' not in body_html


def test_a_page_view_with_pictures_costs_no_more_queries_than_one_without(client, media_root):
    images = [make_image(alt_text=f"Picture {i}") for i in range(3)]
    body = "".join(f'<figure><img src="/x" alt="" data-file="{i.pk}"></figure>' for i in images[1:])
    pictured = make_page("Routes", figure=images[0], body=body)
    plain = make_page("Cost")
    counts = []
    for page in (pictured, plain):
        client.get(page.get_absolute_url())  # fills the page cache
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page.get_absolute_url()).status_code == HTTPStatus.OK
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_library_lists_thumbnails_finds_by_description_and_counts_uses(
    editor_client, media_root
):
    chair = make_image(alt_text="An infusion chair")
    make_image(alt_text="A clinic door")
    make_page("Routes", figure=chair)
    make_page("Cost", body=f'<figure><img src="/x" alt="" data-file="{chair.pk}"></figure>')
    html = editor_client.get(
        reverse("admin:pages_image_changelist"), {"q": "chair"}
    ).content.decode()
    assert "An infusion chair" in html and "A clinic door" not in html
    assert re.search(r'<img src="/media/renditions/\w+-480\.jpg" alt="" width="96"', html)
    assert "2 pages" in html
    change = editor_client.get(
        reverse("admin:pages_image_change", args=[chair.pk])
    ).content.decode()
    assert ">Routes</a>" in change and ">Cost</a>" in change


def test_deleting_a_picture_used_in_a_pages_text_warns_first(editor_client, media_root):
    chair = make_image(alt_text="An infusion chair")
    make_page("Cost", body=f'<figure><img src="/x" alt="" data-file="{chair.pk}"></figure>')
    html = editor_client.get(reverse("admin:pages_image_delete", args=[chair.pk])).content.decode()
    assert "This picture is used on 1 page" in html and ">Cost</a>" in html


def test_a_pages_figure_cannot_be_deleted_from_under_it(editor_client, media_root):
    chair = make_image(alt_text="An infusion chair")
    make_page("Routes", figure=chair)
    html = editor_client.get(reverse("admin:pages_image_delete", args=[chair.pk])).content.decode()
    assert "protected related objects" in html and "Routes" in html


def test_the_editors_picture_picker_lists_the_library(editor_client, media_root):
    chair = make_image(alt_text="An infusion chair", caption="In the clinic")
    html = editor_client.get(
        reverse("admin:pages_image_choose"), {"CKEditorFuncNum": "-1", "q": "chair"}
    ).content.decode()
    assert f'data-id="{chair.pk}"' in html and 'data-alt="An infusion chair"' in html
    assert 'data-caption="In the clinic"' in html and 'data-func-num="-1"' in html


def test_a_page_figure_is_chosen_from_the_library_in_the_page_form(
    editor_client, published_page, media_root
):
    chair = make_image(alt_text="An infusion chair")
    url = reverse("admin:pages_page_change", args=[published_page.pk])
    assert (
        editor_client.post(url, page_form_data(published_page, figure=chair.pk)).status_code
        == HTTPStatus.FOUND
    )
    published_page.refresh_from_db()
    assert published_page.figure == chair


def test_deleting_an_unused_picture_removes_its_files(
    editor_client, media_root, django_capture_on_commit_callbacks
):
    chair = make_image(alt_text="An infusion chair")
    assert stored_files(media_root)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:pages_image_delete", args=[chair.pk]), {"post": "yes"}
        )
    assert response.status_code == HTTPStatus.FOUND
    assert not Image.objects.exists() and not stored_files(media_root)
