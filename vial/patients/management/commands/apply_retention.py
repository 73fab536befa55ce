"""Erase the patients whose retention period has ended (run by the housekeeping timer).

Clinical records: 8 years after the last treatment, and for someone treated under 18 until their
25th birthday if later; someone never treated: 2 years after their last contact. Each erasure is
audited with its reason. Then the words of names that no searchable patient uses any longer are
deleted (each erasure deletes its own at once; this catches any left by a write that skipped
`Patient.save()`). Logs give counts only.
"""

from django.core.management.base import BaseCommand

from vial.patients.search import prune_name_words
from vial.patients.services import due_for_erasure, erase_patient

REASON = "Retention period ended (automatic sweep)"


class Command(BaseCommand):
    help = "Erase patient records whose retention period has ended."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count them; erase nothing.")

    def handle(self, *args, dry_run=False, **options):
        due = list(due_for_erasure())
        if not dry_run:
            for patient in due:
                erase_patient(patient, "retention sweep", REASON)
        verb = "would erase" if dry_run else "erased"
        self.stdout.write(f"Retention sweep: {verb} {len(due)} patient record(s).")
        if not dry_run:
            self.stdout.write(f"Name words no patient uses any longer: {prune_name_words()} deleted.")
