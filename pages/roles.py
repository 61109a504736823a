"""The staff roles and what each may do: the one place they are declared.

Applied to the auth groups after every ``migrate`` (see PagesConfig.ready) and by
``manage.py apply_roles``; the README's role table lists the same. Permissions are
"app_label.codename" strings, so this app names the feedback app's permissions
without importing it.
"""

import logging

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

logger = logging.getLogger(__name__)


def _crud(app_label, model, actions=("add", "change", "delete", "view")):
    return [f"{app_label}.{action}_{model}" for action in actions]


ROLES = {
    "Editors": {
        "does": "Write and change pages, their sources, pictures and redirects, and the "
        "site settings; submit changes for medical review.",
        "permissions": [
            *_crud("pages", "page"),
            *_crud("pages", "source"),
            *_crud("pages", "redirect"),
            *_crud("pages", "image"),
            *_crud("pages", "sitesettings", ("change", "view")),
        ],
    },
    "Medical reviewers": {
        "does": "Read pages and approve (publishing them) or send back changes submitted "
        "for review; cannot edit page text.",
        "permissions": ["pages.view_page", "pages.view_source", "pages.review_page"],
    },
    "Feedback reviewers": {
        "does": "Read visitors' feedback, set its status and note, keep the urgent phrases.",
        "permissions": [
            *_crud("feedback", "feedback", ("change", "view")),
            *_crud("feedback", "urgentphrase", ("add", "change", "view")),
        ],
    },
}


def apply_roles(roles=None):
    """Make each group hold exactly its declared permissions; return the missing ones.

    A permission whose app is not migrated yet is skipped (and returned), so this
    can run after each app's migration and be complete after the last.
    """
    missing = []
    for name, role in (roles or ROLES).items():
        wanted = set(role["permissions"])
        condition = Q(pk__in=[])
        for dotted in wanted:
            app_label, codename = dotted.split(".", 1)
            condition |= Q(content_type__app_label=app_label, codename=codename)
        permissions = list(Permission.objects.filter(condition).select_related("content_type"))
        found = {f"{p.content_type.app_label}.{p.codename}" for p in permissions}
        missing += sorted(wanted - found)
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
    return missing


def apply_roles_after_migrate(sender, using="default", **kwargs):
    """post_migrate receiver: the groups follow the table on every migrate."""
    if Permission._meta.db_table not in _tables(using):
        return
    apply_roles()


def _tables(using):
    from django.db import connections

    return connections[using].introspection.table_names()
