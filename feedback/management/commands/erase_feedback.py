from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q

from feedback.audit import forget_erased
from feedback.models import Feedback


class Command(BaseCommand):
    help = (
        "Erase all feedback sent with an email address (for a person's erasure request): "
        "the records, their History in the admin (also shown in Recent actions) and the "
        "reasons noted in the access log, which keeps only who read which record number. "
        "Queued notification jobs carry only the record's number and find nothing to send "
        "once it is deleted, so they need no step of their own."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--email", required=True, metavar="ADDRESS", help="The address, in any letter case."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only report how many would be deleted."
        )

    def handle(self, *args, email, dry_run, **options):
        email = email.strip()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"“{email}” is not an email address.") from error
        queryset = Feedback.objects.filter(email__iexact=email)
        if dry_run:
            self.stdout.write(
                f"Would delete {queryset.count()} feedback sent with {email} (dry run)."
            )
        else:
            with transaction.atomic():
                forget_erased(list(queryset.values_list("pk", flat=True)))
                deleted = queryset.delete()[1].get("feedback.Feedback", 0)
            self.stdout.write(self.style.SUCCESS(f"Deleted {deleted} feedback sent with {email}."))
        # The address may also have been typed into other feedback; a person checks those.
        mentions = Feedback.objects.filter(
            Q(comments__icontains=email) | Q(username__icontains=email) | Q(name__icontains=email)
        ).exclude(email__iexact=email)
        if mentions.exists():
            self.stdout.write(
                self.style.WARNING(
                    f"{mentions.count()} other feedback mention {email} in their text; search "
                    "for it in the admin and review them by hand."
                )
            )
