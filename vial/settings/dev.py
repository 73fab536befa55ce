"""The demo profile: SQLite, console e-mail, debug pages.

`make demo` serves on http://127.0.0.1:$PORT; every absolute link (the e-mails' cancel and move
links, the admin's) uses that address unless SITE_BASE_URL / WAGTAILADMIN_BASE_URL say otherwise.
Canonical links, og:url and the sitemap come from Wagtail's Site, which `load_demo` points at it.
"""

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_str

DEBUG = env_bool("DEBUG", True)  # also serves the demo's uploaded images (production: nginx)
WHITENOISE_USE_FINDERS = True  # whitenoise serves static files without collectstatic, under gunicorn too
VIAL_DEMO_ALLOWED = True  # manage.py load_demo / load_booking_demo (vial.core.demo)

PORT = env_int("PORT", 8000)
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", f"http://127.0.0.1:{PORT}")
SITE_BASE_URL = env_str("SITE_BASE_URL", WAGTAILADMIN_BASE_URL)
