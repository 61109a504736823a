import html

from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.utils.html import strip_tags


def fill_search_fields(apps, schema_editor):
    """Give pages saved before search existed what Page.save now derives: the
    plain-text body and, on PostgreSQL, the stored search vector."""
    Page = apps.get_model("pages", "Page")
    for page in Page.objects.only("body_html"):
        text = " ".join(html.unescape(strip_tags(page.body_html)).split())
        Page.objects.filter(pk=page.pk).update(body_text=text)
    if schema_editor.connection.vendor == "postgresql":
        Page.objects.update(
            search_document=SearchVector("title", weight="A", config="english")
            + SearchVector("summary", weight="B", config="english")
            + SearchVector("body_text", weight="C", config="english")
        )


class Migration(migrations.Migration):
    dependencies = [("pages", "0003_page_body_text_and_redirects")]

    operations = [migrations.RunPython(fill_search_fields, migrations.RunPython.noop)]
