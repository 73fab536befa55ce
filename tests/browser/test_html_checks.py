"""Every public page type and every booking step: axe finds nothing (of any impact), the W3C Nu HTML checker
finds no error, the browser logs no console error, and each is screenshotted at 360 and 1280 px.

The walk books a real consultation on the demo clinic, then opens the e-mailed appointment link and its
move and cancel pages. The Nu checker (vnu.jar from npm `vnu-jar`, pinned in package-lock.json) reads the
HTML exactly as the server sent it, fetched again with the browser's cookies; it runs once, on all pages.
`make check-html` runs this module; `make screenshots` runs it with SCREENSHOTS_DIR=docs/screenshots, and only
then are the screenshots taken (the first screenful of each page, as a 256-colour PNG: small enough to commit),
which keeps the run in `make test` short.
"""

import io
import json
import os
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.core.management import call_command
from django.db import connection
from PIL import Image
from playwright.sync_api import expect

from vial.website.models import LocationPage, QuestionPage, StandardPage, TreatmentPage

from .conftest import BROWSER_TEST, ROOT, SCREENSHOTS, RequestLog
from .test_console import Console
from .test_patient import load_all_images

pytestmark = BROWSER_TEST

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = "/usr/bin/java"
TREATMENT = "underarm-sweating"
CONSULTATION = "Underarm sweating: consultation"
TAKE_SCREENSHOTS = bool(os.environ.get("SCREENSHOTS_DIR"))


@pytest.fixture
def booking_site(site):
    """The demo clinic with its diary, so the treatment is bookable online."""
    call_command("load_booking_demo", stdout=io.StringIO())
    return site


@pytest.fixture(scope="module")
def vnu_jar():
    """The pinned Nu checker: installed from package-lock.json (npm ci) when this checkout has none yet."""
    if not VNU.exists():
        result = subprocess.run(  # noqa: S603
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if result.returncode or not VNU.exists():
            pytest.fail(f"vnu.jar is missing and `npm ci` could not install it:\n{result.stderr[-2000:]}")
    return VNU


def nu_errors(pages: dict[str, str], folder: Path) -> list[str]:
    """Run vnu.jar --errors-only over the saved HTML of each page; one line per error."""
    files = []
    for name, html in pages.items():
        path = folder / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(str(path))
    result = subprocess.run(  # noqa: S603
        [JAVA, "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [
        f"{Path(m.get('url', '')).stem} line {m.get('lastLine')}: {m.get('message')} [{m.get('extract', '').strip()}]"
        for m in messages
    ]


def screenshot(page, name):
    """The first screenful as a palette PNG (a few tens of kB instead of hundreds)."""
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, type="png")
    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def axe_violations(page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}" for v in violations]


def public_pages() -> dict[str, str]:
    """name -> path of each public page type (the demo has no team page: the team is on each clinic's page)."""
    return {
        "home": "/",
        "treatments": "/treatments/",
        "treatment": TreatmentPage.objects.live().get(slug=TREATMENT).url,
        "questions": "/questions/",
        "post": QuestionPage.objects.live().order_by("-date").first().url,
        "reviews": "/reviews/",
        "clinics": "/clinics/",
        "clinic": LocationPage.objects.live().get(slug="exeter").url,
        "accreditations": "/accreditations/",
        "search": "/search/?q=sweaty+armpits",
        "legal": StandardPage.objects.live().get(slug="privacy").url,
        "contact": "/contact/",
        "not-found": "/no-such-page/",
    }


class Walk:
    """Visits pages in one browser page, checking and recording each."""

    def __init__(self, site, page, width):
        self.site, self.page, self.width = site, page, width
        self.problems: list[str] = []
        self.sources: dict[str, str] = {}

    def check(self, name):
        page = self.page
        page.wait_for_load_state("load")
        load_all_images(page)
        self.problems += [f"{name} at {self.width} px: {v}" for v in axe_violations(page)]
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > self.width:
            self.problems.append(f"{name} at {self.width} px scrolls sideways ({scroll_width} px)")
        if TAKE_SCREENSHOTS:
            screenshot(page, f"{name}-{self.width}")
        source = page.context.request.get(page.url)
        self.sources[name] = source.text()

    def public(self):
        for name, path in public_pages().items():
            response = self.page.goto(self.site + path)
            expected = 404 if name == "not-found" else 200
            assert response.status == expected, f"{path} answered {response.status}"
            self.check(name)

    def booking(self, email):
        page = self.page
        treatment = TreatmentPage.objects.live().get(slug=TREATMENT)
        page.goto(f"{self.site}/book/?treatment={treatment.pk}")
        self.check("book-1-service")
        page.get_by_role("link", name=f"Choose {CONSULTATION}").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Choose a clinic")
        self.check("book-2-clinic")
        page.get_by_role("group", name="Where would you like to be seen?").get_by_label("Exeter clinic").check()
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Choose a day and time")
        days = page.get_by_role("group", name=re.compile("^Choose a day, from")).get_by_role("radio")
        days.nth(min(4, days.count() - 1)).check()  # a few days ahead: still movable and cancellable online
        expect(page.get_by_role("group", name=re.compile("^Free times on"))).to_be_visible()
        self.check("book-3-time")
        page.get_by_role("group", name=re.compile("^Free times on")).get_by_role("radio").first.check()
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your details")
        self.check("book-4-details")
        page.get_by_label("Full name").fill("Robin Penhallow")
        page.get_by_label("E-mail address").fill(email)
        page.get_by_label("Phone number").fill("07123 456789")
        page.get_by_label("Date of birth").fill(date(1986, 4, 2).isoformat())
        page.get_by_role("button", name="Hold this time and continue").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Check and confirm")
        self.check("book-5-check")
        page.get_by_role("button", name="Confirm the booking").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment is booked")
        self.check("book-6-confirmed")

        sent = [m for m in mail.outbox if m.to == [email]]
        assert sent, "no confirmation e-mail"
        link = re.search(r"https?://[^/\s]+(/appointment/[^\s\"<>]+)", sent[-1].body).group(1)
        page.goto(self.site + link)
        expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment")
        self.check("appointment")
        page.get_by_role("link", name="Move to another time").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Move your appointment")
        self.check("appointment-move")
        page.goto(self.site + link)
        page.get_by_role("link", name="Cancel this appointment").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Cancel your appointment?")
        self.check("appointment-cancel")


@pytest.mark.skipif(
    connection.vendor == "postgresql" and not os.environ.get("SCREENSHOTS_DIR"),
    reason="the pages' HTML does not depend on the database: checked once, on the SQLite run (4 minutes)",
)
def test_every_page_type_and_booking_step_passes_axe_and_the_nu_checker(booking_site, open_context, vnu_jar, tmp_path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems, sources, errors = [], {}, []
    for width in (1280, 360):
        context = open_context(width=width, height=800, bypass_csp=True)  # axe is injected as a script
        page = context.new_page()
        requests = RequestLog(booking_site)
        page.on("request", requests)
        console = Console(page)
        walk = Walk(booking_site, page, width)
        walk.public()
        walk.booking(f"robin.{width}@example.com")
        problems += walk.problems
        sources.update(walk.sources)  # the same HTML at both widths: the last walk's is checked
        # The 404 page's own status is logged by Chromium as a failed resource: that one is expected.
        errors += [e for e in console.errors if not ("/no-such-page/" in e and "404" in e)]
        assert requests.external() == [], f"requests left the server: {requests.external()}"
    problems += [f"Nu: {error}" for error in nu_errors(sources, tmp_path)]
    problems += [f"console: {error}" for error in errors]
    assert len(sources) == 22, sorted(sources)
    assert not problems, "\n".join(problems)
