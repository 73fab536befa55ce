"""Demo data only where demo data belongs.

The demo loaders (`load_demo`, `load_booking_demo`) fill the site with a made-up clinic, staff
accounts with published passwords and fake appointments: run against a live clinic they would
publish pages and open accounts anyone can sign in to. They run only where the settings profile
says so: `VIAL_DEMO_ALLOWED` is True in the dev and test profiles and False everywhere else
(base, and so production). A setting rather than `DEBUG`, because the test profile runs with
`DEBUG = False` and still loads the demo, and because turning on `DEBUG` to look at an error on
a live server must not also make it willing to load demo accounts.
"""

from django.conf import settings
from django.core.management.base import CommandError


def refuse_unless_demo_allowed(command: str) -> None:
    """Stop a demo loader, before it writes anything, unless this profile allows demo data."""
    if not getattr(settings, "VIAL_DEMO_ALLOWED", False):
        raise CommandError(
            f"{command} loads a made-up clinic with demo staff accounts and refuses to run with these settings "
            f"({settings.SETTINGS_MODULE}). It is for the dev and test profiles only (VIAL_DEMO_ALLOWED); "
            "nothing was written."
        )
