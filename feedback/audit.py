"""The record of who read visitors' feedback: every opening and every export."""

from .models import AccessLog


def record_access(*, user, action, feedback_ids) -> AccessLog:
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
    )
