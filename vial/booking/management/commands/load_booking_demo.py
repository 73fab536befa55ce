"""`manage.py load_booking_demo`: the demo clinic's diary. Safe to run again: it only adds what is missing."""

import time

from django.core.management.base import BaseCommand

from vial.booking.demo import BookingDemoLoader
from vial.core.demo import refuse_unless_demo_allowed


class Command(BaseCommand):
    help = (
        "Load the demo diary: clinics (linked to the demo's clinic pages), rooms, practitioners, services for the "
        "demo treatments, rotas and appointments from two weeks ago to three weeks ahead. Idempotent; run after "
        "load_demo."
    )

    def handle(self, *args, **options):
        refuse_unless_demo_allowed("load_booking_demo")  # never on a live clinic: see vial.core.demo
        started = time.monotonic()
        BookingDemoLoader(out=self.stdout.write).run()
        self.stdout.write(f"Done in {time.monotonic() - started:.1f} s.")
