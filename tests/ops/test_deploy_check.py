"""The production profile passes Django's deployment checklist with no warnings at all."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Settings a real deployment provides; everything else must come from production.py's defaults.
PASSED_ON = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "DATABASE_URL"}


def test_check_deploy_has_no_warnings(tmp_path):
    env = {key: value for key, value in os.environ.items() if key in PASSED_ON}
    env.update(
        DJANGO_SETTINGS_MODULE="vial.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="www.vial-clinic.example",
        CACHE_DIRECTORY=str(tmp_path),
        PYTHONDONTWRITEBYTECODE="1",
    )
    result = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output, output


def test_production_refuses_to_start_without_a_secret_key():
    env = {key: value for key, value in os.environ.items() if key in PASSED_ON}
    env.update(DJANGO_SETTINGS_MODULE="vial.settings.production", SECRET_KEY="")
    result = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr
