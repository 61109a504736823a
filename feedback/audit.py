"""The record of who read visitors' feedback (every opening and every export), and of
who cleared an urgent flag and why."""

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.utils import timezone

from .models import AccessLog, Feedback, names_feedback


def record_access(*, user, action, feedback_ids, note="") -> AccessLog:
    """Add one entry saying ``user`` did ``action`` (an AccessLog.Action) to these records.

    The ids are stored sorted and without repeats; the username is copied so the
    entry still says who it was after the account is deleted.
    """
    ids = sorted({int(pk) for pk in feedback_ids})
    return AccessLog.objects.create(
        user=user,
        username=user.get_username(),
        action=action,
        feedback_ids=ids,
        count=len(ids),
        note=note,
    )


def clear_urgent(*, feedback, user, reason):
    """Mark urgent ``feedback`` not urgent, saying who did it and why, in the record itself,
    the access log and the record's History (the admin's LogEntry), all or none of them."""
    with transaction.atomic():
        feedback.is_urgent = False
        feedback.urgent_cleared_at = timezone.now()
        feedback.urgent_cleared_by = user
        feedback.urgent_cleared_reason = reason
        feedback.save(
            update_fields=[
                "is_urgent",
                "urgent_cleared_at",
                "urgent_cleared_by",
                "urgent_cleared_reason",
            ]
        )
        record_access(
            user=user,
            action=AccessLog.Action.CLEARED_URGENT,
            feedback_ids=[feedback.pk],
            note=reason,
        )
        LogEntry.objects.log_actions(
            user_id=user.pk,
            queryset=[feedback],
            action_flag=CHANGE,
            change_message=f"Cleared the urgent flag. Reason: {reason}",
            single_object=True,
        )


REDACTED = "(removed: the feedback was erased)"


def forget_erased(feedback_ids):
    """Remove what the admin's History and the access log say about erased feedback.

    History rows are deleted (their change messages may quote a reason naming the
    person). Access log entries stay, as the record of who read what, but their notes
    are blanked: ids alone name no one once the feedback is gone. This is the one
    rewrite of the append-only log, which is why it bypasses ``AccessLog.save``.
    """
    ids = [int(pk) for pk in feedback_ids]
    if not ids:
        return
    LogEntry.objects.filter(
        content_type__app_label=Feedback._meta.app_label,
        content_type__model=Feedback._meta.model_name,
        object_id__in=[str(pk) for pk in ids],
    ).delete()
    for pk in ids:
        AccessLog.objects.filter(names_feedback(pk)).exclude(note="").update(note=REDACTED)
