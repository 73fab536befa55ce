"""`manage.py send_due_reminders`: send the reminders (and missed confirmations) that are due. Run it from cron."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from vial.booking import idempotency
from vial.booking.tasks import send_due


class Command(BaseCommand):
    help = (
        "E-mail every confirmed appointment starting within the next 24 hours that has not had a reminder, and "
        "any confirmation that never went out. Each message goes out at most once, so it is safe to run every few "
        "minutes and from several machines. Also forgets booking API idempotency keys older than a day."
    )

    def handle(self, *args, **options):
        counts = send_due()
        forgotten = idempotency.prune(timezone.now())
        if forgotten:
            self.stdout.write(f"Forgot {forgotten} idempotency keys older than a day.")
        self.stdout.write(
            f"Sent {counts['reminders']} reminders and {counts['confirmations']} confirmations; "
            f"{counts['failed']} failed (they will be tried again next time)."
        )
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} messages could not be sent.")
