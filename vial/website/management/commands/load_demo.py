"""`manage.py load_demo`: fill the site with the demo clinic. Safe to run again: it only adds what is missing."""

import time

from django.core.management.base import BaseCommand

from vial.website.demo.loader import DemoLoader


class Command(BaseCommand):
    help = "Load the demo clinic (pages, clinicians, reviews, accreditations, artwork). Idempotent."

    def handle(self, *args, **options):
        started = time.monotonic()
        loader = DemoLoader()
        loader.run(out=self.stdout.write)
        self.stdout.write(f"Done in {time.monotonic() - started:.1f} s ({loader.tally.created} new objects).")
