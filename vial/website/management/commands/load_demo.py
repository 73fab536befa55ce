"""`manage.py load_demo`: fill the site with the demo clinic. Safe to run again: it only adds what is missing."""

import time

from django.core.cache import cache
from django.core.management.base import BaseCommand

from vial.core.demo import refuse_unless_demo_allowed
from vial.website.demo.loader import DemoLoader


class Command(BaseCommand):
    help = "Load the demo clinic (pages, clinicians, reviews, accreditations, artwork). Idempotent."

    def handle(self, *args, **options):
        refuse_unless_demo_allowed("load_demo")  # never on a live clinic: see vial.core.demo
        started = time.monotonic()
        loader = DemoLoader()
        loader.run(out=self.stdout.write)
        # The demo's processes share a file cache (vial/settings/dev.py) that outlives its database: what
        # it kept about an earlier copy of the demo (a db.sqlite3 since deleted) must not be served.
        cache.clear()
        self.stdout.write(f"Done in {time.monotonic() - started:.1f} s ({loader.tally.created} new objects).")
