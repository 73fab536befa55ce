"""The header and the menu as a patient meets them: one row at 1280 px, a disclosure menu at 360 px that
opens and whose every link works with JavaScript and without it, and the treatment page's sticky Book bar."""

import pytest
from playwright.sync_api import expect

from .conftest import BROWSER_TEST

pytestmark = BROWSER_TEST


def test_the_header_is_one_row_at_1280_px_with_search_phone_and_book(site, open_context):
    page = open_context(width=1280).new_page()
    page.goto(site + "/")
    header = page.locator("header.site-header")
    height = header.bounding_box()["height"]
    assert height < 100, f"the header is {height} px tall: it wrapped onto a second row"
    for item in (
        header.get_by_role("navigation", name="Main"),
        header.get_by_role("searchbox", name="Search treatments and questions"),
        header.get_by_role("link", name="Call us on 01392 000 123"),
        header.get_by_role("link", name="Book", exact=True),
    ):
        expect(item).to_be_visible()
    expect(header.locator("summary")).to_be_hidden()  # the small screens' menu button


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_the_mobile_menu_opens_and_every_link_in_it_works(site, open_context, javascript):
    page = open_context(width=360, height=780, java_script_enabled=javascript).new_page()
    page.goto(site + "/")
    main_nav = page.get_by_role("navigation", name="Main")
    expect(main_nav).to_be_hidden()  # at 360 px the menu lives behind its button
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu).to_be_hidden()
    page.locator("summary", has_text="Menu").click()
    expect(menu).to_be_visible()
    links = menu.get_by_role("link")
    hrefs = [links.nth(n).get_attribute("href") for n in range(links.count())]
    assert len(hrefs) >= 5, hrefs
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    for href in hrefs:
        page.goto(site + "/")
        page.locator("summary", has_text="Menu").click()
        link = menu.locator(f'a[href="{href}"]')
        expect(link).to_be_visible()
        with page.expect_navigation() as navigation:
            link.click()
        assert navigation.value.status == 200, href
        assert page.url == site + href
        expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_the_treatment_page_keeps_a_book_button_in_view_on_a_phone(site, open_context):
    page = open_context(width=360, height=780).new_page()
    page.goto(site + "/treatments/frown-lines/")
    bar = page.locator(".sticky-book")
    action = bar.get_by_role("link").first
    expect(action).to_be_visible()
    for y in (0, 1500, 3000):  # still on screen as the patient scrolls down the page
        page.evaluate(f"window.scrollTo(0, {y})")
        box = action.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 780, (y, box)

    wide = open_context(width=1280).new_page()
    wide.goto(site + "/treatments/frown-lines/")
    expect(wide.locator(".sticky-book")).to_be_hidden()  # the page's own call to action sits beside the text
