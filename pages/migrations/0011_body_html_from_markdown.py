"""Page bodies move from Markdown to the visual editor's HTML, without losing a word.

Each body (and each saved revision's body, so going back to one still works) is
rendered by the same Markdown pipeline the site used, then cleaned by the editor's
allow-list. Links typed as a page's address become links to that page, which
follow it when it moves.
"""

import json

from django.db import migrations, models


def convert(apps, schema_editor):
    from pages.richtext import link_to_pages, markdown_to_html

    Page = apps.get_model("pages", "Page")
    pk_by_path = dict(Page.objects.values_list("path", "pk"))
    home = Page.objects.filter(is_home=True).values_list("pk", flat=True).first()

    def to_html(markdown):
        return link_to_pages(
            markdown_to_html(markdown), lambda path: pk_by_path.get(path) if path else home
        )

    for page in Page.objects.all():
        page.body = page.body_html = to_html(page.body)
        page.save(update_fields=["body", "body_html"])

    ContentType = apps.get_model("contenttypes", "ContentType")
    Version = apps.get_model("reversion", "Version")
    page_type = ContentType.objects.filter(app_label="pages", model="page").first()
    if page_type is None:
        return
    for version in Version.objects.filter(content_type=page_type, format="json"):
        data = json.loads(version.serialized_data)
        for obj in data:
            if "body" in obj.get("fields", {}):
                obj["fields"]["body"] = to_html(obj["fields"]["body"])
        version.serialized_data = json.dumps(data)
        version.save(update_fields=["serialized_data"])


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0010_normalise_line_endings"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        # Going back would leave HTML where Markdown is expected; the text is kept either way.
        migrations.RunPython(convert, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="page",
            name="body",
            field=models.TextField(
                help_text="Use the toolbar for headings, lists, links and pictures. Text "
                "pasted from Word or Google Docs keeps only those; other formatting is removed."
            ),
        ),
    ]
