"""The site without a mouse and without JavaScript.

Keyboard: Tab from the top reaches the skip link first, which moves focus to the main content; every
stop shows a focus ring; the search boxes are reachable and Enter submits them.
No JavaScript: searching and filtering reviews by treatment work through plain form submits.
"""

import re

from playwright.sync_api import expect

from .conftest import BROWSER_TEST

pytestmark = BROWSER_TEST

MAX_TAB_STOPS = 150

FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    // The ring may be on the element or on the box around it (a card or the search box, by :focus-within).
    const ringed = (node) => {
        const style = getComputedStyle(node);
        return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    };
    let outline = false;
    for (let node = el, up = 0; node && node !== document.body && up < 4; node = node.parentElement, up++) {
        if (ringed(node)) { outline = true; break; }
    }
    return {
        id: el.id,
        tag: el.tagName.toLowerCase(),
        text: (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 60),
        outline: outline,
    };
}"""


def tab_stops(page):
    """Press Tab from the top of the page until focus leaves it; return each focused element."""
    stops = []
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or (stops and focused == stops[0]):
            return stops
        stops.append(focused)
    raise AssertionError(f"focus never left the page after {MAX_TAB_STOPS} Tab presses")


def test_keyboard_only(site, open_context):
    page = open_context(width=1280).new_page()

    # The skip link comes first, shows itself, and moves focus to the main content.
    page.goto(site + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box and box["y"] >= 0 and box["x"] >= 0, "the focused skip link must be on screen"
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    # The next Tab lands in the main content: the home page's search box. Enter submits it.
    page.keyboard.press("Tab")
    expect(page.get_by_role("searchbox", name="What would you like help with?")).to_be_focused()
    page.keyboard.type("sweaty armpits")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=sweaty\+armpits$"))
    expect(page.get_by_role("region", name="Treatments").get_by_role("link").first).to_have_attribute(
        "href", "/treatments/underarm-sweating/"
    )

    # Every element Tab reaches on the home page shows where focus is; the header search is one of them.
    page.goto(site + "/")
    stops = tab_stops(page)
    assert len(stops) >= 20, f"only {len(stops)} elements reachable by Tab: {stops}"
    assert stops[0]["text"] == "Skip to main content"
    invisible = [stop for stop in stops if not stop["outline"]]
    assert not invisible, f"no visible focus indicator on: {invisible}"
    assert any(stop["id"] == "site-search" for stop in stops), "the header search box is not reachable by Tab"

    # The header search box: reached by Tab from the top, and Enter submits it.
    page.goto(site + "/reviews/")
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "site-search":
            break
    header_search = page.get_by_role("searchbox", name="Search treatments and questions")
    expect(header_search).to_be_focused()
    page.keyboard.type("grinding my teeth")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=grinding\+my\+teeth$"))
    expect(page.get_by_role("heading", name="Treatments")).to_be_visible()


def test_works_without_javascript(site, open_context):
    context = open_context(width=360, height=800, java_script_enabled=False)
    page = context.new_page()

    page.goto(site + "/")
    page.get_by_role("searchbox", name="What would you like help with?").fill("sweaty armpits")
    page.get_by_role("button", name="Find a treatment").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=sweaty\+armpits$"))
    first = page.get_by_role("region", name="Treatments").get_by_role("link").first
    expect(first).to_have_attribute("href", "/treatments/underarm-sweating/")

    page.goto(site + "/reviews/")
    all_reviews = page.locator("figure.testimonial").count()
    page.get_by_label("Show reviews for").select_option(label="Excessive underarm sweating")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"/reviews/\?treatment=underarm-sweating$"))
    expect(page.get_by_label("Show reviews for")).to_have_value("underarm-sweating")
    reviews = page.locator("figure.testimonial")
    expect(reviews.first).to_be_visible()
    assert 0 < reviews.count() < all_reviews
    for caption in reviews.locator("figcaption").all():
        expect(caption).to_contain_text("Excessive underarm sweating")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
