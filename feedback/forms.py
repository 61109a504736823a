import re
from functools import cached_property

from django import forms
from django.conf import settings

from pages.models import Page
from pages.revisions import latest_version_id, versions_of

from .models import Feedback

# C0 controls and DEL/C1, which no keyboard types; comments may keep tab and line breaks
# (browsers send line breaks as CR LF).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_CHARACTERS_EXCEPT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Bidirectional embeddings, overrides and isolates: in a name they can make the admin
# show text in another order than it was typed ("Trojan Source").
BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# Zero-width spaces, the word joiner and the byte-order mark: invisible, so two names
# that look the same could differ. Dropped from names. (The zero-width joiner and
# non-joiner stay: Persian, Indic scripts and emoji need them.)
ZERO_WIDTH = re.compile(r"[\u200b\u2060\ufeff]")


class FeedbackForm(forms.ModelForm):
    """The critique form at the foot of a page: the same bytes for every visitor.

    `is_valid()` answers for the person: their four fields. `spam_reasons()` says
    why the post looks automated (honeypot filled, sent implausibly fast, a hidden
    field altered); such a post is still kept, as spam.
    """

    honeypot = forms.Field(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    # The page's newest saved revision when it was rendered: the same for every visitor.
    revision = forms.Field(required=False, widget=forms.HiddenInput)
    # Filled by static/js/feedback.js with the seconds the page was open; empty
    # without JavaScript, which is never held against anyone.
    seconds_open = forms.Field(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Feedback
        fields = list(Feedback.VISITOR_FIELDS)
        labels = {
            "username": "Your username",
            "name": "Your name",
            "email": "Your email",
            "comments": "Your comments about this page",
        }
        help_texts = {
            "username": "Optional: your username in our community, if you have one.",
            "email": "Optional: only if you would like a reply.",
            "comments": "At most 5,000 characters.",
        }
        widgets = {
            "username": forms.TextInput(attrs={"autocomplete": "username"}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "comments": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, data=None, *args, page, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.page = page
        if not self.is_bound:
            self.fields["revision"].initial = latest_version_id(page) or ""
        # The browser would silently cut a longer paste at maxlength; the server's
        # "too long" message keeps the whole text for the visitor to shorten.
        self.fields["comments"].widget.attrs.pop("maxlength", None)

    def raw(self, field):
        return str(self.data.get(self.add_prefix(field), ""))

    @cached_property
    def read_version_id(self):
        """The revision the visitor was reading (a Version pk of this page), or None."""
        value = self.raw("revision").strip()
        if not value.isdigit():
            return None
        # Usually the newest, which is cached per page save: no query then.
        if int(value) == latest_version_id(self.page):
            return int(value)
        return int(value) if versions_of(self.page.pk).filter(pk=value).exists() else None

    def seconds_open_value(self):
        try:
            return float(self.raw("seconds_open"))
        except ValueError:
            return None  # not measured: no script ran

    def spam_reasons(self):
        """Why this post looks automated, from the form's hidden parts; empty for a person."""
        reasons = []
        if self.raw("honeypot"):
            reasons.append("honeypot filled")
        seconds = self.seconds_open_value()
        if seconds is not None and seconds < settings.FEEDBACK_MIN_SECONDS:
            reasons.append(f"sent {max(seconds, 0):.1f} s after the page loaded")
        # A missing field is not held against anyone: a page rendered before the field
        # existed (an open tab, a cached copy) sends none.
        revision = self.raw("revision").strip()
        if (revision and self.read_version_id is None) or (
            self.raw("seconds_open") and self.seconds_open_value() is None
        ):
            reasons.append("hidden field altered")
        return reasons

    def clean_username(self):
        return self._clean_name_like("username")

    def clean_name(self):
        return self._clean_name_like("name")

    def clean_email(self):
        return self._without_control_characters("email", CONTROL_CHARACTERS)

    def clean_comments(self):
        return self._without_control_characters("comments", CONTROL_CHARACTERS_EXCEPT_LINES)

    def _clean_name_like(self, field):
        value = ZERO_WIDTH.sub("", self._without_control_characters(field, CONTROL_CHARACTERS))
        if BIDI_CONTROLS.search(value):
            raise forms.ValidationError(
                "Please remove the invisible text-direction characters from this field.",
                code="bidi_characters",
            )
        if self.fields[field].required and not value.strip():
            raise forms.ValidationError(self.fields[field].error_messages["required"], "required")
        return value.strip()

    def _without_control_characters(self, field, pattern):
        value = self.cleaned_data[field]
        if pattern.search(value):
            raise forms.ValidationError(
                "Please remove the invisible control characters from this field.",
                code="control_characters",
            )
        return value


class InsightForm(forms.Form):
    """The insight page's choice of whose weekly chart to draw: one page, or all."""

    page = forms.ModelChoiceField(
        queryset=Page.objects.filter(feedback__isnull=False).distinct().order_by("path"),
        required=False,
        empty_label="All pages",
        label="Chart for",
        error_messages={"invalid_choice": "No feedback has been sent about that page."},
    )
