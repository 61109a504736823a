from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from feedback.models import Feedback
from feedback.tasks import queue_notifications, send_notifications


class Command(BaseCommand):
    help = (
        "Queue again the notification jobs of a worker that was killed while running them "
        "(still 'running' after MINUTES). Run it every few minutes, e.g. from a systemd timer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=15,
            metavar="MINUTES",
            help="A job running this long has lost its worker (default 15; well above "
            "EMAIL_TIMEOUT).",
        )

    def handle(self, *args, older_than, **options):
        if older_than < 1:
            raise CommandError("--older-than must be at least 1 minute.")
        cutoff = timezone.now() - timedelta(minutes=older_than)
        stuck = DBTaskResult.objects.running().filter(
            task_path=send_notifications.module_path, started_at__lt=cutoff
        )
        requeued = 0
        for job in stuck:
            # Only the mail not yet stamped as sent goes out again: at most one message
            # (the one in flight when the worker died) is sent twice.
            kwargs = job.task_result.kwargs
            job.status = TaskResultStatus.FAILED
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "finished_at"])
            feedback = Feedback.objects.filter(pk=kwargs.get("feedback_id")).first()
            if feedback is not None:
                queue_notifications(feedback, attempt=kwargs.get("attempt", 1) + 1)
                requeued += 1
        self.stdout.write(f"Queued {requeued} notification job(s) again.")
