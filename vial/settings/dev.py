"""The demo profile: SQLite, console e-mail, debug pages."""

from .base import *  # noqa: F403
from .env import env_bool

DEBUG = env_bool("DEBUG", True)
WHITENOISE_USE_FINDERS = True
VIAL_DEMO_ALLOWED = True  # manage.py load_demo / load_booking_demo (vial.core.demo)
