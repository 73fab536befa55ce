"""Production refuses demo things: a placeholder or weak SECRET_KEY stops start-up, and the demo loaders refuse.

Each case starts a fresh interpreter with the production settings and only the environment a server
would have, as systemd starts gunicorn.
"""

import io
import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_ENV = ROOT / "deploy" / "vial.env.example"
PASSED_ON = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}


def example_value(name: str) -> str:
    """A variable's value as written in deploy/vial.env.example."""
    for line in EXAMPLE_ENV.read_text().splitlines():
        if line.startswith(f"{name}="):
            return line.split("=", 1)[1]
    raise AssertionError(f"{name} is not in {EXAMPLE_ENV}")


def production(tmp_path, argv, **env_vars) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key in PASSED_ON}
    env.update(
        DJANGO_SETTINGS_MODULE="vial.settings.production",
        DATABASE_URL=f"sqlite:///{tmp_path / 'live.sqlite3'}",
        ALLOWED_HOSTS="www.vial-clinic.example",
        CACHE_DIRECTORY=str(tmp_path / "cache"),
        PYTHONDONTWRITEBYTECODE="1",
        **env_vars,
    )
    return subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def load_settings(tmp_path, secret_key: str) -> subprocess.CompletedProcess:
    code = "import django; django.setup(); from django.conf import settings; print(len(settings.SECRET_KEY))"
    return production(tmp_path, ["-c", code], SECRET_KEY=secret_key)


def test_the_placeholder_in_the_example_file_is_refused_at_start_up(tmp_path):
    placeholder = example_value("SECRET_KEY")
    result = load_settings(tmp_path, placeholder)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "placeholder" in result.stderr
    # Padding the placeholder out to length does not make it secret either.
    result = load_settings(tmp_path, placeholder + "-" + "x" * 60)
    assert result.returncode != 0 and "placeholder" in result.stderr


# Fixed ids: pytest-xdist workers must collect the same test names, and the second key is random.
@pytest.mark.parametrize(
    "key", ["short-but-random-Zq8", secrets.token_urlsafe(36)[:49], "a" * 64], ids=["short", "49-random", "repeated"]
)
def test_a_short_or_simple_key_is_refused_at_start_up(tmp_path, key):
    result = load_settings(tmp_path, key)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "at least 50" in result.stderr


def test_a_long_random_key_starts(tmp_path):
    key = secrets.token_urlsafe(64)
    result = load_settings(tmp_path, key)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(len(key))


def test_load_demo_refuses_with_production_settings_and_writes_nothing(tmp_path):
    for command in ("load_demo", "load_booking_demo"):
        result = production(tmp_path, ["manage.py", command], SECRET_KEY=secrets.token_urlsafe(64))
        assert result.returncode != 0, result.stdout
        assert f"{command} loads a made-up clinic" in result.stderr
        assert "nothing was written" in result.stderr
        assert "Traceback" not in result.stderr  # a clear message, not a crash
    database = tmp_path / "live.sqlite3"
    if database.exists():
        with sqlite3.connect(database) as connection:
            assert connection.execute("select count(*) from sqlite_master").fetchone() == (0,)


@pytest.mark.django_db
def test_the_demo_loaders_refuse_in_process_when_the_profile_does_not_allow_them(clinic, settings):
    settings.VIAL_DEMO_ALLOWED = False
    pages = Page.objects.count()
    for command in ("load_demo", "load_booking_demo"):
        with pytest.raises(CommandError, match="nothing was written"):
            call_command(command, stdout=io.StringIO())
    assert Page.objects.count() == pages
