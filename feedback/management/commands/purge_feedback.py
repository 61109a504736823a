from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from feedback.models import Feedback
from feedback.services import forget_old_digests


class Command(BaseCommand):
    help = (
        "Delete feedback sent more than DAYS days ago (optionally only some statuses), "
        "or with --spam the spam older than FEEDBACK_SPAM_DAYS."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            metavar="DAYS",
            help="Delete feedback sent more than this many days ago.",
        )
        parser.add_argument(
            "--spam",
            action="store_true",
            help="Delete spam sent more than FEEDBACK_SPAM_DAYS days ago (run it daily).",
        )
        parser.add_argument(
            "--status",
            nargs="+",
            action="extend",
            choices=Feedback.Status.values,
            metavar="STATUS",
            help=f"Only feedback with these statuses ({', '.join(Feedback.Status.values)}).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only report how many would be deleted."
        )

    def handle(self, *args, older_than, spam, status, dry_run, **options):
        if spam:
            if older_than is not None or status:
                raise CommandError("--spam takes neither --older-than nor --status.")
            older_than, status = settings.FEEDBACK_SPAM_DAYS, [Feedback.Status.SPAM]
            if not dry_run:
                forget_old_digests()  # a day old: resends are no longer recognised
        if older_than is None:
            raise CommandError("Give --older-than DAYS, or --spam.")
        if older_than < 0:
            raise CommandError("--older-than must be 0 or more days.")
        cutoff = timezone.now() - timedelta(days=older_than)
        queryset = Feedback.objects.filter(submitted_at__lt=cutoff)
        if status:
            queryset = queryset.filter(status__in=status)
        scope = f"sent before {cutoff:%Y-%m-%d %H:%M %Z}"
        if status:
            scope += f" with status {', '.join(sorted(set(status)))}"
        if dry_run:
            self.stdout.write(f"Would delete {queryset.count()} feedback {scope} (dry run).")
            return
        deleted = queryset.delete()[1].get("feedback.Feedback", 0)
        self.stdout.write(self.style.SUCCESS(f"Deleted {deleted} feedback {scope}."))
