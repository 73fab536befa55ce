"""Delete enquiries older than the retention period quoted on the contact form. Run it daily (cron)."""

from django.core.management.base import BaseCommand

from vial.enquiries.models import RETENTION_MONTHS
from vial.enquiries.services import delete_expired_enquiries


class Command(BaseCommand):
    help = f"Delete enquiries received more than {RETENTION_MONTHS} months ago (ENQUIRY_RETENTION_MONTHS)."

    def handle(self, *args, **options):
        deleted = delete_expired_enquiries()
        self.stdout.write(f"Deleted {deleted} enquiries older than {RETENTION_MONTHS} months.")
