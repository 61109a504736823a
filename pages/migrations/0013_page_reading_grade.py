"""Each page's reading grade, kept with it and its revisions, filled in for existing pages."""

import html

from django.db import migrations, models
from django.utils.html import strip_tags


def fill_grades(apps, schema_editor):
    from pages.readability import flesch_kincaid_grade
    from pages.richtext import block_break

    Page = apps.get_model("pages", "Page")
    for page in Page.objects.all():
        page.reading_grade = flesch_kincaid_grade(html.unescape(strip_tags(block_break(page.body))))
        page.save(update_fields=["reading_grade"])


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0012_image_library"),
    ]

    operations = [
        migrations.AddField(
            model_name="page",
            name="reading_grade",
            field=models.FloatField(
                blank=True,
                editable=False,
                help_text="Flesch-Kincaid grade of the body: the US school year needed to follow it. Derived on save; kept with each revision.",
                null=True,
                verbose_name="reading grade",
            ),
        ),
        migrations.RunPython(fill_grades, migrations.RunPython.noop),
    ]
