"""Stored text with "\n" line endings (pages, site settings and page revisions), and
each page's tree-order key. Pages saved through the admin had "\r\n", the starter
text "\n", so comparing them marked every line as changed."""

import json

from django.db import migrations

SLUG_HEX_WIDTH = 200  # as pages.models.SLUG_HEX_WIDTH at the time of writing


def normalised(value):
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def normalise(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    text_fields = [
        "title", "summary", "body", "body_html", "body_text", "epigraph_quote", "epigraph_person",
        "epigraph_role", "figure_alt", "figure_caption", "byline", "reviewed_by",
    ]  # fmt: skip
    # The fields this model has (a test runs this against today's model, which later
    # migrations changed: the figure's alt text and caption moved to the image library).
    present = {field.name for field in Page._meta.get_fields()}
    text_fields = [name for name in text_fields if name in present]
    pages = {page.pk: page for page in Page.objects.all()}
    for page in pages.values():
        for name in text_fields:
            setattr(page, name, normalised(getattr(page, name)))
    # Tree order: parents before children (a path has fewer slashes).
    for page in sorted(pages.values(), key=lambda p: p.path.count("/")):
        segment = f"{page.position:010d}{page.slug.encode().hex():0<{SLUG_HEX_WIDTH}}"
        parent = pages.get(page.parent_id)
        page.tree_order = (parent.tree_order if parent else "") + segment
    # An update per row: Page.save is not available here, and updated_at must not move.
    for page in pages.values():
        Page.objects.filter(pk=page.pk).update(
            tree_order=page.tree_order, **{name: getattr(page, name) for name in text_fields}
        )
    SiteSettings = apps.get_model("pages", "SiteSettings")
    for row in SiteSettings.objects.all():
        SiteSettings.objects.filter(pk=row.pk).update(
            crisis_text=normalised(row.crisis_text),
            crisis_link_text=normalised(row.crisis_link_text),
        )

    ContentType = apps.get_model("contenttypes", "ContentType")
    Version = apps.get_model("reversion", "Version")
    page_type = ContentType.objects.filter(app_label="pages", model="page").first()
    if page_type is None:
        return
    for version in Version.objects.filter(content_type=page_type, format="json").iterator():
        data = json.loads(version.serialized_data)
        changed = False
        for item in data:
            fields = item.get("fields", {})
            for name, value in fields.items():
                if isinstance(value, str) and "\r" in value:
                    fields[name] = normalised(value)
                    changed = True
        if changed:
            Version.objects.filter(pk=version.pk).update(serialized_data=json.dumps(data))


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0009_page_tree_order"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
