"""Settings shared by every profile. Values come from the environment (see env.py)."""

from datetime import timedelta
from pathlib import Path

import dj_database_url

from .env import env_bool, env_int, env_list, env_str

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

SECRET_KEY = env_str("SECRET_KEY", "demo-only-secret-key-change-me-in-production")  # noqa: S105
# Old keys still accepted when checking signatures (cancel links in e-mails already sent) after a key change.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "vial.core",
    "vial.staff",
    "vial.website",
    "vial.compliance",
    "vial.enquiries",
    "vial.booking",
    "vial.patients",
    "vial.audit",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",  # staff sign-in throttling (vial.core.login_throttle)
    "django_otp",  # staff two-factor sign-in (vial.staff.twofactor)
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "vial.core.middleware.SecurityHeadersMiddleware",
    "vial.core.json_api.JsonApiMiddleware",  # before anything reads an API request's body
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # did this session give a second factor?
    "vial.staff.twofactor.StaffSessionMiddleware",  # idle expiry, two-factor on staff URLs, no-store
    "django.contrib.messages.middleware.MessageMiddleware",
    "vial.website.middleware.CachedSiteMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: turns a lockout into its page
]

# Axes first: a locked-out username and address is refused before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "vial.urls"
WSGI_APPLICATION = "vial.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Each transaction takes SQLite's write lock when it begins, so booking's check-then-insert is
    # serialised (PostgreSQL has an exclusion constraint instead); writers wait up to 20 s for the lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DB_PREPARED_STATEMENTS", False):
    # Opt-in: parameters sent apart from the SQL, and a query run five times on a connection prepared, so
    # PostgreSQL skips parsing and planning it (a treatment page's queries cost its backend 0.2-0.5 ms less,
    # docs/benchmarks.md). Off by default, as Django has it: Django 5.2 does not split a query with more than
    # 65,535 parameters for it, and a parameter in a grouped expression is not matched (Django #34255);
    # never behind a pooler in transaction mode.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 5})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env_str("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL")}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "collected-static"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Background work: the database queue runs on SQLite and PostgreSQL alike (manage.py db_worker).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Vial clinic <hello@vial-clinic.example>")
CLINIC_ENQUIRIES_EMAIL = env_str("CLINIC_ENQUIRIES_EMAIL", "reception@vial-clinic.example")

WAGTAIL_SITE_NAME = "Vial Aesthetics"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The public site's address, for absolute links in patients' e-mails (the admin's unless set).
SITE_BASE_URL = env_str("SITE_BASE_URL", WAGTAILADMIN_BASE_URL)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "txt"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # the admin shows its own default avatar: no call to Gravatar (CSP)

# Front cache purge on publish (nginx proxy cache or Varnish); off unless a URL is set.
if env_str("FRONTEND_CACHE_URL"):
    WAGTAILFRONTENDCACHE = {
        "front": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": env_str("FRONTEND_CACHE_URL"),
        }
    }

# Security headers that apply in every profile; production.py tightens transport settings.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# Public enquiry form: submissions per address per hour, and how long enquiries are kept.
ENQUIRY_RATE_LIMIT = env_int("ENQUIRY_RATE_LIMIT", 5)
ENQUIRY_RETENTION_MONTHS = env_int("ENQUIRY_RETENTION_MONTHS", 12)
# The reverse proxies whose X-Forwarded-For is believed (vial.core.client); from anyone else the
# header is ignored. ENQUIRY_TRUSTED_PROXIES is the old name, still read.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", env_list("ENQUIRY_TRUSTED_PROXIES", ["127.0.0.1", "::1"]))

# Rate limits (vial.core.ratelimit), counted atomically in Redis when REDIS_URL is set, else in the database.
RATE_LIMIT_REDIS_URL = env_str("REDIS_URL")
RATE_LIMIT_KEY_PREFIX = env_str("RATE_LIMIT_KEY_PREFIX", "vial:ratelimit:")
# Holds (web) and bookings (API) per client address per hour. A patient makes one or two, and a few
# more when a hold lapses or they change their mind; 20 leaves room for a household or an office
# behind one address (and mobile networks that share addresses), while a script filling the diary
# with holds is stopped after 20 of a clinic's ~100 weekly times.
BOOKING_HOLDS_PER_ADDRESS_PER_HOUR = env_int("BOOKING_HOLDS_PER_ADDRESS_PER_HOUR", 20)
# Holds and bookings per patient e-mail address per day: a consultation, a treatment and a review,
# booked and re-booked after a lapse, fit in 6; more is a script or a typo'd address to ask about.
BOOKINGS_PER_EMAIL_PER_DAY = env_int("BOOKINGS_PER_EMAIL_PER_DAY", 6)
# Live holds one browser may have at once in the web flow; a further hold releases its oldest.
BOOKING_HOLDS_PER_BROWSER = env_int("BOOKING_HOLDS_PER_BROWSER", 3)
# The largest request body the JSON API reads (bytes); larger ones are answered 413 unread.
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 64 * 1024)

# Staff sign-in (/admin/login/, django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one
# username from one address, that pair is refused (even with the right password) for
# LOGIN_COOLOFF_MINUTES, with a page saying so (vial.core.login_throttle). Keyed on the pair, so a
# stranger guessing cannot lock a colleague out from elsewhere and the rest of the practice signs in
# as usual. The address is vial.core.client's (X-Forwarded-For only from TRUSTED_PROXIES).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "vial.core.client.client_address"
AXES_LOCKOUT_CALLABLE = "vial.core.login_throttle.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Keep no record of successful sign-ins (address, browser): only failures, until they expire.
AXES_DISABLE_ACCESS_LOG = True

# Staff two-factor sign-in (vial.staff.twofactor): everyone who can reach patient data gives a code from
# an authenticator app after the password. Off only in the test profile (tests force_login); the demo
# profile may let a user who has not enrolled yet through. Production can do neither.
STAFF_TWO_FACTOR = True
STAFF_TWO_FACTOR_SKIP_ENROLMENT_DEMO = False
# Wrong codes per user before every code is refused until the window closes.
STAFF_TWO_FACTOR_FAILURE_LIMIT = 5
STAFF_TWO_FACTOR_WINDOW_MINUTES = 15
OTP_TOTP_ISSUER = "Vial clinic"
OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's growing delay is off: the limit above is the one rule
OTP_STATIC_THROTTLE_FACTOR = 0
# A signed-in session unused this long ends (staff sign in again).
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 30)

# Online bookings made with an e-mail address never confirmed before wait for the click on an e-mailed link.
BOOKING_CHECK_NEW_ADDRESSES = env_bool("BOOKING_CHECK_NEW_ADDRESSES", True)

# Free times shown to patients are kept this long unless the diary changes first (booking.slot_cache); 0 = off.
BOOKING_SLOTS_CACHE_SECONDS = env_int("BOOKING_SLOTS_CACHE_SECONDS", 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
