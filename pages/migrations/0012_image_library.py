"""The image library: pictures with alt text, caption and credit, resized once.

A page's figure was a file with its own alt text and caption; each becomes an
image in the library (keeping the file, its alt text and caption) chosen by the page.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_figures(apps, schema_editor):
    from django.core.files.storage import default_storage
    from PIL import Image as PillowImage

    Page = apps.get_model("pages", "Page")
    Image = apps.get_model("pages", "Image")
    for page in Page.objects.exclude(figure=""):
        try:
            with (
                default_storage.open(page.figure.name) as stored,
                PillowImage.open(stored) as image,
            ):
                width, height = image.size
        except (OSError, ValueError):
            width = height = 0  # the file is missing: kept as a name, sized when replaced
        image = Image(
            width=width,
            height=height,
            alt_text=page.figure_alt.strip(),
            is_decorative=not page.figure_alt.strip(),
            caption=page.figure_caption,
        )
        image.file.name = page.figure.name
        image.save()
        page.figure_image = image
        page.save(update_fields=["figure_image"])


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0011_body_html_from_markdown"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Image",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "file",
                    models.ImageField(
                        height_field="height",
                        help_text="JPEG, PNG, WebP, AVIF or GIF, at most 10 MB and 40 million pixels. Location and camera details are removed.",
                        upload_to="images/",
                        width_field="width",
                    ),
                ),
                ("width", models.PositiveIntegerField(default=0, editable=False)),
                ("height", models.PositiveIntegerField(default=0, editable=False)),
                (
                    "alt_text",
                    models.CharField(
                        blank=True,
                        help_text="What the picture shows, for people who cannot see it, e.g. 'A nurse adjusting an infusion pump beside a reclining chair'.",
                        max_length=250,
                        verbose_name="alt text",
                    ),
                ),
                (
                    "is_decorative",
                    models.BooleanField(
                        default=False,
                        help_text="Tick only if the picture adds nothing to the words around it; screen readers then skip it.",
                        verbose_name="decorative",
                    ),
                ),
                (
                    "caption",
                    models.CharField(
                        blank=True,
                        help_text="Shown under the picture when it is a page's figure.",
                        max_length=300,
                    ),
                ),
                (
                    "credit",
                    models.CharField(
                        blank=True,
                        help_text="Who made it and on what terms, e.g. 'Photo: J. Doe, CC BY 4.0'.",
                        max_length=200,
                        verbose_name="credit or licence",
                    ),
                ),
                ("uploaded_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "image",
                "verbose_name_plural": "images",
                "ordering": ["-uploaded_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="Rendition",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("width", models.PositiveIntegerField()),
                ("height", models.PositiveIntegerField()),
                ("format", models.CharField(max_length=8)),
                (
                    "file",
                    models.CharField(help_text="Its name on the default storage.", max_length=300),
                ),
                (
                    "image",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="renditions",
                        to="pages.image",
                    ),
                ),
            ],
            options={
                "verbose_name": "rendition",
                "verbose_name_plural": "renditions",
                "ordering": ["image", "width", "format"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("image", "width", "format"), name="one_rendition_each"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="page",
            name="figure_image",
            field=models.ForeignKey(
                null=True,
                blank=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="pages.image",
            ),
        ),
        # Going back leaves the figures in the library and the pages without them.
        migrations.RunPython(move_figures, migrations.RunPython.noop),
        migrations.RemoveField(model_name="page", name="figure"),
        migrations.RemoveField(model_name="page", name="figure_alt"),
        migrations.RemoveField(model_name="page", name="figure_caption"),
        migrations.RenameField(model_name="page", old_name="figure_image", new_name="figure"),
        migrations.AlterField(
            model_name="page",
            name="figure",
            field=models.ForeignKey(
                blank=True,
                help_text="Optional picture from the image library, shown under the title with its caption. Type a word of its description to find it.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="figure_of",
                to="pages.image",
            ),
        ),
    ]
