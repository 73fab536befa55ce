"""The site header is rendered once per content version and section (like the footer): each page still
shows its own section as current, and the search page's box what was typed."""

import pytest
from bs4 import BeautifulSoup


def header(client, url, **params):
    page = BeautifulSoup(client.get(url, params).content, "html.parser")
    nav = page.select_one(".site-nav")
    return {
        "current": {a.select_one(".nav-full").text: a["aria-current"] for a in nav.select("a[aria-current]")},
        "typed": page.select_one("#site-search").get("value", ""),
    }


@pytest.mark.parametrize("params", [{}, {"from": "search"}], ids=["page cache", "rendered"])
def test_each_page_marks_its_own_section_in_the_menu(client, clinic, params):
    visits = [
        (clinic["home"].url, {}),
        (clinic["treatments"].url, {"Treatments": "page"}),
        (clinic["treatment"].url, {"Treatments": "true"}),
        (clinic["questions"].url, {"Questions": "page"}),
        (clinic["post"].url, {"Questions": "true"}),
        (clinic["treatment"].url, {"Treatments": "true"}),
        (clinic["home"].url, {}),
    ]
    for url, current in visits:
        assert header(client, url, **params)["current"] == current, url


def test_the_header_search_box_keeps_what_was_typed_on_the_search_page_only(client, clinic):
    assert header(client, "/search/", q="sweating")["typed"] == "sweating"
    assert header(client, "/search/", q="frown lines")["typed"] == "frown lines"
    assert header(client, clinic["home"].url)["typed"] == ""
    assert header(client, clinic["treatment"].url, **{"from": "search"})["typed"] == ""


def test_a_renamed_section_shows_in_the_header_at_once(client, clinic):
    header(client, clinic["treatment"].url, **{"from": "search"})
    clinic["treatments"].title = "Our treatments"
    clinic["treatments"].save_revision().publish()
    assert header(client, clinic["treatment"].url, **{"from": "search"})["current"] == {"Our treatments": "true"}
