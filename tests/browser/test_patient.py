"""A patient's visit in Chromium: search in their own words, the treatment's facts, the consultation.

The same demo load also takes the screenshots (to build/screenshots/; `make screenshots` refreshes
the committed ones in docs/screenshots/), runs axe-core on each kind of page, checks nothing scrolls
sideways at 360 px, and records every request to prove nothing leaves the server.
"""

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .conftest import BROWSER_TEST, SCREENSHOTS, WIDTHS, RequestLog

pytestmark = BROWSER_TEST

TREATMENT = "/treatments/underarm-sweating/"
POST = "/questions/beyond-wrinkles-medical-uses/"
# name -> path: all are checked by axe and for sideways scrolling; four are screenshotted.
PAGES = {
    "home": "/",
    "treatment": TREATMENT,
    "post": POST,
    "reviews": "/reviews/",
    "search": "/search/?q=sweaty+armpits",
    "questions": "/questions/",
    "contact": "/contact/?treatment=underarm-sweating",
}
SCREENSHOTTED = ("home", "treatment", "post", "reviews")
BLOCKING_IMPACTS = ("serious", "critical")
MAX_PNG_BYTES = 1_500_000


def load_all_images(page):
    """Lazy images below the fold would be blank in a full-page screenshot: load and decode them all."""
    page.evaluate(
        """async () => {
            const images = Array.from(document.images);
            images.forEach((img) => { img.loading = "eager"; });
            await Promise.all(images.map((img) => img.decode().catch(() => null)));
        }"""
    )


def screenshot(page, name):
    """Full-page PNG; a JPEG (quality 80) instead if the PNG would be too heavy to commit."""
    png = SCREENSHOTS / f"{name}.png"
    jpeg = SCREENSHOTS / f"{name}.jpg"
    data = page.screenshot(full_page=True, type="png")
    if len(data) <= MAX_PNG_BYTES:
        png.write_bytes(data)
        jpeg.unlink(missing_ok=True)
    else:
        page.screenshot(path=jpeg, full_page=True, type="jpeg", quality=80)
        png.unlink(missing_ok=True)


def blocking_violations(page):
    violations = Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']]}"
        for v in violations
        if v["impact"] in BLOCKING_IMPACTS
    ]


def test_patient_finds_treatment_and_books(site, open_context):
    context = open_context(width=1280)
    page = context.new_page()
    requests = RequestLog(site)
    page.on("request", requests)

    page.goto(site + "/")
    search = page.get_by_role("searchbox", name="What would you like help with?")
    search.fill("sweaty armpits")
    page.get_by_role("button", name="Find a treatment").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=sweaty\+armpits$"))

    first = page.get_by_role("region", name="Treatments").get_by_role("link").first
    expect(first).to_have_attribute("href", TREATMENT)
    first.click()
    expect(page).to_have_url(site + TREATMENT)
    expect(page.get_by_role("heading", level=1)).to_contain_text("sweating", ignore_case=True)

    for fact in ("onset", "duration"):
        value = page.locator(f'[data-fact="{fact}"]')
        expect(value).to_be_visible()
        assert value.inner_text().strip(), f"the {fact} is empty"

    # This small clinic books the treatment by phone (no online services: tests/browser/test_bookable.py drives
    # the demo's online ones); the call to action says so, with the number, and offers a question first.
    cta = page.get_by_role("complementary", name="Book by phone")
    expect(cta.get_by_role("link", name=re.compile(r"^0\d"))).to_have_attribute("href", re.compile(r"^tel:0\d+$"))
    page.get_by_role("link", name="Or ask us a question first").click()
    expect(page).to_have_url(re.compile(r"/contact/\?treatment=underarm-sweating$"))
    chosen = page.get_by_label("Treatment", exact=False).and_(page.locator("select"))
    expect(chosen).to_have_value("underarm-sweating")
    expect(chosen.locator("option:checked")).to_contain_text("sweating", ignore_case=True)

    assert requests.urls, "no requests were recorded"
    assert requests.external() == [], f"requests left the server: {requests.external()}"


def test_pages_look_right_and_pass_axe(site, open_context):
    """Screenshots at 360 and 1280 px, no sideways scroll, no serious axe violations, no outside requests."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for width in WIDTHS:
        context = open_context(width=width, height=800, bypass_csp=True)  # axe is injected as a script
        page = context.new_page()
        requests = RequestLog(site)
        page.on("request", requests)
        for name, path in PAGES.items():
            page.goto(site + path)
            load_all_images(page)
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                problems.append(f"{name} at {width} px scrolls sideways ({scroll_width} px wide)")
            if name in SCREENSHOTTED:
                screenshot(page, f"{name}-{width}")
            problems += [f"{name} at {width} px: {violation}" for violation in blocking_violations(page)]
        assert requests.external() == [], f"requests left the server: {requests.external()}"
    assert not problems, "\n".join(problems)
