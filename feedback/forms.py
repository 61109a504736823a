import enum
import re
import time
from functools import cached_property

from django import forms
from django.conf import settings
from django.core import signing

from pages.models import Page
from pages.revisions import latest_version_id

from .models import Feedback

SIGNING_SALT = "feedback.forms.FeedbackForm.timestamp"

# C0 controls and DEL/C1, which no keyboard types; comments may keep tab and line breaks
# (browsers send line breaks as CR LF).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_CHARACTERS_EXCEPT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def make_token(page, *, issued_at=None, version_id=None):
    """A signed note of which page the form belongs to, when it was handed out, and
    which saved revision of the page (a reversion Version pk, or None) was on screen."""
    return token_for(page.pk, issued_at=issued_at, version_id=version_id)


def token_for(page_pk, *, issued_at=None, version_id=None):
    issued_at = time.time() if issued_at is None else issued_at
    payload = {"page": page_pk, "at": int(issued_at), "v": version_id}
    return signing.dumps(payload, salt=SIGNING_SALT)


class Token(enum.Enum):
    FRESH = "fresh"
    TOO_FAST = "too fast"
    EXPIRED = "expired"
    FORGED = "forged"


class FeedbackForm(forms.ModelForm):
    """The critique form at the foot of a page.

    `is_valid()` answers for the person: their four fields, and whether the form
    is still fresh. `is_bot()` answers whether the post looks automated (honeypot
    filled, posted implausibly fast, or a missing or altered signature); the view
    then keeps nothing and answers as if all went well.
    """

    honeypot = forms.Field(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    timestamp = forms.Field(required=False, widget=forms.HiddenInput)

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
        self.version_id = None
        if not self.is_bound:  # a bound form sends back the token it came with
            self.version_id = latest_version_id(page)
            self.fields["timestamp"].initial = make_token(page, version_id=self.version_id)
        # The browser would silently cut a longer paste at maxlength; the server's
        # "too long" message keeps the whole text for the visitor to shorten.
        self.fields["comments"].widget.attrs.pop("maxlength", None)

    @cached_property
    def payload(self):
        """The signed data this form came back with, or None if missing or altered."""
        value = self.data.get(self.add_prefix("timestamp"), "")
        try:
            payload = signing.loads(value, salt=SIGNING_SALT)
        except signing.BadSignature:
            return None
        return payload if isinstance(payload, dict) else None

    @property
    def read_version_id(self):
        """The revision the visitor was reading when the form was rendered (a Version pk).

        Signed with the timestamp, so it cannot be altered; None if unknown.
        """
        version_id = (self.payload or {}).get("v")
        return version_id if isinstance(version_id, int) else None

    @cached_property
    def token(self):
        """How the signed timestamp this form came back with compares to now."""
        try:
            belongs_here = self.payload["page"] == self.page.pk
            age = time.time() - float(self.payload["at"])
        except (KeyError, TypeError, ValueError):
            return Token.FORGED
        if not belongs_here:
            return Token.FORGED
        if age < settings.FEEDBACK_MIN_SECONDS:
            return Token.TOO_FAST
        if age > settings.FEEDBACK_MAX_AGE_SECONDS:
            return Token.EXPIRED
        return Token.FRESH

    def is_bot(self):
        """True if the post looks automated: the person's data is then not looked at.

        A missing or altered signature counts as a bot, not as an old form: a
        browser sends back the hidden field exactly as we rendered it, and a key
        rotation keeps old signatures valid through SECRET_KEY_FALLBACKS, so no
        person's post lands here.
        """
        if self.data.get(self.add_prefix("honeypot")):
            return True
        return self.token in (Token.FORGED, Token.TOO_FAST)

    def clean_username(self):
        return self._without_control_characters("username", CONTROL_CHARACTERS)

    def clean_name(self):
        return self._without_control_characters("name", CONTROL_CHARACTERS)

    def clean_email(self):
        return self._without_control_characters("email", CONTROL_CHARACTERS)

    def clean_comments(self):
        return self._without_control_characters("comments", CONTROL_CHARACTERS_EXCEPT_LINES)

    def _without_control_characters(self, field, pattern):
        value = self.cleaned_data[field]
        if pattern.search(value):
            raise forms.ValidationError(
                "Please remove the invisible control characters from this field.",
                code="control_characters",
            )
        return value

    def clean(self):
        cleaned_data = super().clean()
        if self.token is Token.EXPIRED:
            self.add_error(
                None,
                forms.ValidationError(
                    "This form was open for a long time, so it has expired. Your comments "
                    "are still below: please check them and send them again.",
                    code="expired",
                ),
            )
            # The person has already written their text: a resend a moment from
            # now must not look "implausibly fast", so the new timestamp counts
            # as handed out FEEDBACK_MIN_SECONDS ago.
            self.data = self.data.copy()
            self.data[self.add_prefix("timestamp")] = make_token(
                self.page,
                issued_at=time.time() - settings.FEEDBACK_MIN_SECONDS,
                version_id=self.read_version_id,  # still the text they read and wrote about
            )
        return cleaned_data


class InsightForm(forms.Form):
    """The insight page's choice of whose weekly chart to draw: one page, or all."""

    page = forms.ModelChoiceField(
        queryset=Page.objects.filter(feedback__isnull=False).distinct().order_by("path"),
        required=False,
        empty_label="All pages",
        label="Chart for",
        error_messages={"invalid_choice": "No feedback has been sent about that page."},
    )
