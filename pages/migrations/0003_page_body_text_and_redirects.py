"""Schema for search and redirects; the data is filled in by 0004, in its own
transaction, because PostgreSQL refuses DDL after row updates in the same one."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


def create_search_index(apps, schema_editor):
    """On PostgreSQL, a GIN index makes full-text search read the index, not every page."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX pages_page_search_gin ON pages_page USING gin (search_document)"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS pages_page_search_gin")


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0002_editors_group"),
    ]

    operations = [
        migrations.AddField(
            model_name="page",
            name="body_text",
            field=models.TextField(
                default="",
                editable=False,
                help_text="The body as plain text, for search. Derived on save.",
            ),
        ),
        migrations.AddField(
            model_name="page",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False,
                help_text="PostgreSQL's search index of title, summary and body. Derived on save.",
                null=True,
            ),
        ),
        migrations.CreateModel(
            name="Redirect",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "old_path",
                    models.CharField(
                        help_text="The address that should keep working, e.g. /learn/price/.",
                        max_length=500,
                        unique=True,
                        verbose_name="old address",
                    ),
                ),
                (
                    "target_path",
                    models.CharField(
                        blank=True,
                        help_text="Instead of a page: an address on this site, e.g. /search/?q=cost.",
                        max_length=500,
                        verbose_name="or target address",
                    ),
                ),
                (
                    "is_automatic",
                    models.BooleanField(
                        default=False,
                        help_text="Made by the site when a published page moved.",
                        verbose_name="made automatically",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "target_page",
                    models.ForeignKey(
                        blank=True,
                        help_text="The page visitors are sent to, wherever it lives now.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="redirects",
                        to="pages.page",
                    ),
                ),
            ],
            options={
                "verbose_name": "redirect",
                "verbose_name_plural": "redirects",
                "ordering": ["old_path"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("target_page__isnull", False), ("target_path", "")),
                            models.Q(
                                ("target_page__isnull", True),
                                models.Q(("target_path", ""), _negated=True),
                            ),
                            _connector="OR",
                        ),
                        name="redirect_has_one_target",
                        violation_error_message="Choose a target page or type a target address, not both.",
                    )
                ],
            },
        ),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
