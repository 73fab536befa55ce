"""`manage.py bench_content --times 10`: grow the demo's content to N times its size, for `make bench`.

Copies every live treatment and Q&A post (N - 1 copies each, under the same parent, with their
fields, tags and related treatments), and every testimonial and accreditation, so the benchmark can
show which pages cost more as a clinic's content grows. Only for a throwaway benchmark database:
it refuses to run unless `VIAL_DEMO_ALLOWED=1`, as `load_demo` does.
"""

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from vial.website import chrome
from vial.website.models import Accreditation, QuestionPage, Testimonial, TreatmentPage


class Command(BaseCommand):
    help = "Grow the demo content to N times its size (benchmark databases only)."

    def add_arguments(self, parser):
        parser.add_argument("--times", type=int, default=10, help="the content's size afterwards, in demos")

    def handle(self, *args, times, **options):
        if os.environ.get("VIAL_DEMO_ALLOWED") != "1":
            raise CommandError(
                "bench_content adds made-up pages: only with VIAL_DEMO_ALLOWED=1 (a throwaway database)."
            )
        if times < 1:
            raise CommandError("--times must be 1 or more.")
        copies = range(2, times + 1)
        with transaction.atomic():
            pages = 0
            for model in (TreatmentPage, QuestionPage):
                for page in list(model.objects.live().order_by("path")):
                    for n in copies:
                        page.copy(
                            update_attrs={"slug": f"{page.slug}-{n}", "title": f"{page.title} ({n})"},
                            copy_revisions=False,
                            keep_live=True,
                            reset_translation_key=True,
                            log_action=None,
                        )
                        pages += 1
            testimonials = list(Testimonial.objects.all())
            accreditations = list(Accreditation.objects.all())
            for _ in copies:
                for item in (*testimonials, *accreditations):
                    item.pk = item.id = None
                    item._state.adding = True
                Testimonial.objects.bulk_create(testimonials)
                Accreditation.objects.bulk_create(accreditations)
        chrome.clear()
        self.stdout.write(
            f"Added {pages} pages, {len(testimonials) * len(copies)} testimonials and "
            f"{len(accreditations) * len(copies)} accreditations ({times}x the content)."
        )
