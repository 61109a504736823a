"""No silent overwrite: optimistic locking for the page and site-settings forms.

A version field checked by the admin form (written here rather than with
django-concurrency, whose admin integration replaces the change view's own
handling): each editor's form carries, signed, the row's ``edit_version`` and the
text it started from. A save whose row has moved on since is refused; the editor
keeps their text and sees who saved, when, and a word-level comparison of the
three versions to merge by hand.
"""

from dataclasses import dataclass

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString

from .revisions import inline_diff

SALT = "pages.locking"


def user_label(user):
    if user is None:
        return "someone"
    full = user.get_full_name()
    return f"{full} ({user.get_username()})" if full else user.get_username()


def when_label(moment):
    """A time as editors read it: local, to the second."""
    return date_format(timezone.localtime(moment), "j F Y, H:i:s") if moment else "an unknown time"


def normalised(text):
    """Text with "\n" line endings, as it is stored (browsers send "\r\n")."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class ThreeWay:
    """One text field as the editor started from it, as saved by the other, and as typed."""

    label: str
    base: str
    theirs: SafeString
    mine: SafeString


class LockedModelForm(forms.ModelForm):
    """A ModelForm refusing to save over a newer save of the same row.

    ``compared_fields`` are the texts shown three ways on a conflict; the form's
    ``base_values()`` gives what the editor started from (the instance as shown).
    """

    compared_fields = ()

    edit_base = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if self.instance.pk:
            self.fields["edit_base"].initial = self.make_token(
                self.instance.edit_version, self.shown_values()
            )

    def as_text(self, name, value):
        """``value`` of field ``name`` as it is compared word by word (rich text as text)."""
        return value

    def shown_values(self):
        return {name: str(getattr(self.instance, name) or "") for name in self.compared_fields}

    @staticmethod
    def make_token(version, values):
        return signing.dumps({"v": version, "f": values}, salt=SALT, compress=True)

    def started_from(self):
        """(version, values) the editor's form was opened with, or None if unreadable."""
        try:
            token = signing.loads(self.data.get("edit_base", ""), salt=SALT)
        except signing.BadSignature:
            return None
        return token["v"], token["f"]

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        model = type(self.instance)
        # Locked until this save commits (the admin's change view is one transaction),
        # so two saves cannot both pass this check on PostgreSQL.
        current = model.objects.select_for_update().filter(pk=self.instance.pk).first()
        started = self.started_from()
        if current is None or started is None or started[0] == current.edit_version:
            return cleaned
        base = started[1]
        mine = {name: normalised(self.data.get(name, "")) for name in self.compared_fields}
        theirs = {name: str(getattr(current, name) or "") for name in self.compared_fields}
        theirs.update(self.current_overrides(current))
        self.conflict = {
            "who": user_label(current.edited_by),
            "when": when_label(current.edited_at),
            "fields": [
                ThreeWay(
                    label=str(self.fields[name].label or name),
                    base=self.as_text(name, base.get(name, "")),
                    theirs=inline_diff(
                        self.as_text(name, base.get(name, "")), self.as_text(name, theirs[name])
                    ),
                    mine=inline_diff(
                        self.as_text(name, base.get(name, "")), self.as_text(name, mine[name])
                    ),
                )
                for name in self.compared_fields
                # The form trims text, so whitespace at the ends is no one's change.
                if name in self.fields
                and len({base.get(name, "").strip(), theirs[name].strip(), mine[name].strip()}) > 1
            ],
            # Saving again after merging goes through: the editor has now seen this version.
            "token": self.make_token(current.edit_version, theirs),
        }
        raise ValidationError(
            "%(who)s saved this at %(when)s, after you opened it. Nothing was overwritten: "
            "your text is still in the form below. Compare the versions, merge by hand, "
            "and save again.",
            code="edit_conflict",
            params={"who": self.conflict["who"], "when": self.conflict["when"]},
        )

    def current_overrides(self, current):
        """Values the other editor's save holds elsewhere (a page's draft); by field name."""
        return {}

    def token_to_render(self):
        """The hidden field's value for the form as rendered now."""
        if self.conflict:
            return self.conflict["token"]
        if self.is_bound:
            return self.data.get("edit_base", "")
        return self.fields["edit_base"].initial or ""
