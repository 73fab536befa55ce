"""Production: PostgreSQL via DATABASE_URL, HTTPS only, secrets from the environment."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_str

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY or SECRET_KEY.startswith("demo-only"):
    raise ImproperlyConfigured("Set SECRET_KEY to a long random value in production.")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# One cache for every gunicorn worker and the task worker, so what publishing clears (the menu and
# footer, vial/website/chrome.py) is cleared for all of them. A process-local cache would keep
# serving the old menu from the other workers. Redis when REDIS_URL is set (needs the `redis`
# package), else files in CACHE_DIRECTORY, which systemd's CacheDirectory= sets (a private directory:
# the file cache unpickles what it reads).
if not env_str("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str("CACHE_DIRECTORY", str(BASE_DIR / "var" / "cache")).split(":")[0],
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }

# collectstatic writes here; nginx (or whitenoise) serves it at /static/.
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(STATIC_ROOT)))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
