"""Production: PostgreSQL via DATABASE_URL, HTTPS only, secrets from the environment."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_str

DEBUG = False

#: The placeholder in deploy/vial.env.example (tests/ops/test_production_settings.py keeps the two equal).
EXAMPLE_SECRET_KEY = "change-me-to-a-long-random-string"  # noqa: S105 - the known value we refuse
MIN_SECRET_KEY_LENGTH = 50  # Django's own check (security.W009) asks for 50 characters


def check_secret_key(key: str) -> str:
    """The key, if it is fit to sign sessions and e-mailed links; otherwise refuse to start."""
    how = 'Make one with: python -c "import secrets; print(secrets.token_urlsafe(64))"'
    if not key:
        raise ImproperlyConfigured(f"Set SECRET_KEY in the environment (/etc/vial/vial.env). {how}")
    if key == EXAMPLE_SECRET_KEY or "change-me" in key or key.startswith("demo-only"):
        raise ImproperlyConfigured(f"SECRET_KEY is still the example or demo placeholder: replace it. {how}")
    if len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < 5:
        raise ImproperlyConfigured(
            f"SECRET_KEY is too short or too simple ({len(key)} characters; at least {MIN_SECRET_KEY_LENGTH} "
            f"random ones are needed). {how}"
        )
    return key


SECRET_KEY = check_secret_key(env_str("SECRET_KEY"))
# Demo loaders refuse to run here (vial.core.demo) unless a throwaway copy opts in (bench/run.py does).
VIAL_DEMO_ALLOWED = env_bool("VIAL_DEMO_ALLOWED", False)
# Every staff account that can reach patient data signs in with two factors; no profile setting skips it here.
STAFF_TWO_FACTOR = True
STAFF_TWO_FACTOR_SKIP_ENROLMENT_DEMO = False

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
