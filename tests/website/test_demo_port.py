"""`make demo` with PORT=8123: every absolute address says port 8123 (e-mailed links, canonical, og:url, sitemap)."""

import io
import os
import re
import subprocess
import sys
from datetime import timedelta

from bs4 import BeautifulSoup
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from tests.booking.conftest import ADULT, make_diary
from vial.booking.queries import find_slots
from vial.booking.services import book_appointment
from vial.website.models import TreatmentPage

ROOT = settings.BASE_DIR
PORT = "8123"
BASE = f"http://127.0.0.1:{PORT}"


def dev_settings(**env) -> dict[str, str]:
    """SITE_BASE_URL and WAGTAILADMIN_BASE_URL as the demo profile (vial.settings.dev) reads them."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SITE_BASE_URL); print(s.WAGTAILADMIN_BASE_URL)"
    )
    environment = {k: v for k, v in os.environ.items() if k not in ("SITE_BASE_URL", "WAGTAILADMIN_BASE_URL")}
    environment.update(DJANGO_SETTINGS_MODULE="vial.settings.dev", DATABASE_URL="", **env)
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    site, admin = result.stdout.split()[-2:]
    return {"SITE_BASE_URL": site, "WAGTAILADMIN_BASE_URL": admin}


def test_the_demo_profile_takes_its_addresses_from_port():
    assert dev_settings(PORT=PORT) == {"SITE_BASE_URL": BASE, "WAGTAILADMIN_BASE_URL": BASE}
    assert dev_settings()["SITE_BASE_URL"] == "http://127.0.0.1:8000"
    assert dev_settings(PORT=PORT, SITE_BASE_URL="https://clinic.example")["SITE_BASE_URL"] == "https://clinic.example"


def test_e_mail_links_canonical_og_url_and_sitemap_use_the_port(
    db, client, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setenv("PORT", PORT)
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert f"Admin: {BASE}/admin/" in out.getvalue()

    # The confirmation e-mail, as the demo's worker sends it with the demo profile's SITE_BASE_URL.
    diary = make_diary()
    now = timezone.now()
    start = find_slots(diary.service, now + timedelta(days=3), now + timedelta(days=10))[0].start
    with override_settings(**dev_settings(PORT=PORT)), django_capture_on_commit_callbacks(execute=True):
        book_appointment(diary.service, diary.practitioners[0], diary.location, start, ADULT)
    links = re.findall(r"https?://[^\s\"'<>]+", mail.outbox[-1].body)
    assert links and all(link.startswith(f"{BASE}/") for link in links), links

    treatment = TreatmentPage.objects.live().get(slug="underarm-sweating")
    page = BeautifulSoup(client.get(treatment.url, HTTP_HOST=f"127.0.0.1:{PORT}").content, "html.parser")
    assert page.select_one('link[rel="canonical"]')["href"] == f"{BASE}/treatments/underarm-sweating/"
    assert page.select_one('meta[property="og:url"]')["content"] == f"{BASE}/treatments/underarm-sweating/"
    sitemap = client.get("/sitemap.xml", HTTP_HOST=f"127.0.0.1:{PORT}").content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locations and all(loc.startswith(f"{BASE}/") for loc in locations), locations[:3]


def test_the_demo_workers_share_one_cache(tmp_path):
    """`make demo` runs two gunicorn workers and a task worker: what one of them writes, the others read."""
    code = (
        "import django, sys; django.setup(); from django.core.cache import cache; "
        "cache.set('written', 'by the first') if sys.argv[1] == 'write' else print(cache.get('written'))"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "vial.settings.dev", "DATABASE_URL": ""}
    environment.update(CACHE_DIRECTORY=str(tmp_path))
    environment.pop("REDIS_URL", None)
    for step in ("write", "read"):
        result = subprocess.run(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", code, step], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
        )
    assert result.stdout.split()[-3:] == ["by", "the", "first"]
