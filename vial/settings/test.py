"""The test profile: fast hashing, in-memory cache, tasks run at once."""

import atexit
import os
import shutil
import tempfile

from .base import *  # noqa: F403

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory, so the booking race tests' threads share one database: in a private
    # directory per test run (in RAM where available), removed when the run ends.
    _ram = "/dev/shm"  # noqa: S108  # nosec B108  # only the parent of the private directory made below
    _test_dir = tempfile.mkdtemp(prefix="vial-test-", dir=_ram if os.path.isdir(_ram) else None)
    atexit.register(shutil.rmtree, _test_dir, ignore_errors=True)
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(_test_dir, "db.sqlite3")}  # noqa: F405

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}  # noqa: F405
# Counted in the test database, and high enough that no test trips a limit by accident: the
# throttle tests set the limits they test.
RATE_LIMIT_REDIS_URL = ""
BOOKING_HOLDS_PER_ADDRESS_PER_HOUR = 10_000
BOOKINGS_PER_EMAIL_PER_DAY = 10_000
VIAL_DEMO_ALLOWED = True  # the demo loaders' own tests (vial.core.demo)
# Sign-in throttling off by default: Django's test client.login() authenticates without a request,
# which django-axes refuses. tests/core/test_login_throttle.py turns it on and drives /admin/login/.
AXES_ENABLED = False
# Tests book with made-up addresses: confirming a new address by e-mail is off unless a test asks for it
# (tests/booking/test_address_check.py drives it on the web, the API and the e-mailed link).
BOOKING_CHECK_NEW_ADDRESSES = False
# Two-factor sign-in off, so tests can force_login: tests/staff/ turns it on and signs in with real codes.
STAFF_TWO_FACTOR = False
