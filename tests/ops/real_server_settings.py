"""Production settings for the real-server tests (tests/ops/test_real_server_limits.py), as deployed
but for one thing: static files are served from the source folders (no collectstatic run first).

DEBUG off, FileBasedCache unless REDIS_URL is set, the same middleware and limits as production.
"""

from vial.settings.production import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
