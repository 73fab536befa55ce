"""A treatment page's own lists (the newest live questions that name it), and a post's treatments, as links."""

import pytest
from bs4 import BeautifulSoup

from tests.factories import make_question, make_treatment


def related(client, url, params):
    page = BeautifulSoup(client.get(url, params).content, "html.parser")
    block = page.select_one('[aria-labelledby="related-questions"]')
    return [(a.text, a["href"]) for a in block.select("a")] if block else []


@pytest.mark.parametrize("params", [{}, {"from": "search"}], ids=["page cache", "rendered"])
def test_the_three_newest_live_questions_naming_the_treatment_link_to_their_pages(client, clinic, params):
    treatment, author = clinic["treatment"], clinic["post"].author
    other = make_treatment(clinic["treatments"], 5, title="Other", slug="other")
    for n in range(1, 5):
        make_question(clinic["questions"], author, n, treatments=[treatment])
    make_question(clinic["questions"], author, 9, treatments=[other])  # newest, but about another treatment
    make_question(clinic["questions"], author, 8, treatments=[treatment]).unpublish()

    assert related(client, treatment.url, params) == [
        (f"Test question {n}", f"/questions/test-question-{n}/") for n in (4, 3, 2)
    ]
    for _title, href in related(client, treatment.url, params):
        assert client.get(href).status_code == 200
    assert related(client, other.url, params) == [("Test question 9", "/questions/test-question-9/")]


@pytest.mark.parametrize("params", [{}, {"from": "search"}], ids=["page cache", "rendered"])
def test_a_post_links_the_live_treatments_it_names(client, clinic, params):
    author = clinic["post"].author
    second = make_treatment(clinic["treatments"], 5, title="Second", slug="second")
    hidden = make_treatment(clinic["treatments"], 6, title="Hidden", slug="hidden")
    hidden.unpublish()
    post = make_question(clinic["questions"], author, 3, treatments=[clinic["treatment"], second, hidden])
    page = BeautifulSoup(client.get(post.url, params).content, "html.parser")
    links = [(a.text, a["href"]) for a in page.select('[aria-labelledby="related-treatments"] a')]
    assert links == [(clinic["treatment"].title, clinic["treatment"].url), ("Second", "/treatments/second/")]
