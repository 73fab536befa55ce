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

# `make demo` runs two gunicorn workers and a task worker: they must share one cache, as in production
# (vial/settings/production.py). In each process's own memory, a publish or a booking answered by one
# worker left the other serving the old page, or offering the time just taken, until its entries expired.
if not env_str("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str("CACHE_DIRECTORY", str(BASE_DIR / "var" / "demo-cache")),  # noqa: F405
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }

PORT = env_int("PORT", 8000)
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", f"http://127.0.0.1:{PORT}")
SITE_BASE_URL = env_str("SITE_BASE_URL", WAGTAILADMIN_BASE_URL)
# The demo lets staff who have not set up an authenticator app in (those who have still give a code).
# Never in production: vial/settings/production.py sets it False whatever the environment says.
STAFF_TWO_FACTOR_SKIP_ENROLMENT_DEMO = True

# The terminal `make demo` runs in is for the e-mails the worker prints (they go to stdout, not
# through logging) and for anything that goes wrong. The task queue's line per routine task (the
# search and reference indexes after every save, e-mails already sent: ~1,300 lines on a first run)
# stays out of it; a task's warnings and errors, tracebacks included, still show. TASK_LOG_LEVEL=INFO
# brings the task lines back. (`db_worker` sets its loggers' levels itself, so the filter is the handler's.)
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    **LOGGING,  # noqa: F405
    "handlers": {
        **LOGGING["handlers"],  # noqa: F405
        "tasks": {"class": "logging.StreamHandler", "level": env_str("TASK_LOG_LEVEL", "WARNING")},
    },
    "loggers": {
        # Django's own DEBUG-only console handler would print each request warning a second time.
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        **{name: {"handlers": ["tasks"], "propagate": False} for name in ("django_tasks", "django_tasks_db")},
        "vial.booking.tasks": {"handlers": ["tasks"], "propagate": False},  # "not sent (already sent)" per task
        "axes": {"level": "WARNING"},  # "AXES: BEGIN ..." once per process
    },
}
