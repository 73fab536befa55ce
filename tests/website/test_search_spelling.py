"""Search forgives common misspellings of treatments and conditions, at no extra query once warm."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vial.website.search import build_query, correction, words_of


@pytest.fixture
def demo_clinic(db):
    call_command("load_demo", verbosity=0)


MISSPELT = {  # what a patient types → the treatment(s) that may come first
    "hyperhydrosis": {"underarm-sweating"},
    "excesive sweating": {"underarm-sweating"},
    "migrane": {"migraine"},
    "mygraine attacks": {"migraine"},
    "teeth grindng": {"jaw-slimming-and-teeth-grinding"},
    # The editors' synonym (wrinkles, frown, forehead, crow's feet): the backends rank these three differently.
    "bottox": {"frown-lines", "forehead-lines", "crows-feet"},
    "gummy smille": {"gummy-smile"},
}


def test_misspelt_words_find_the_right_treatment_first(client, demo_clinic):
    wrong = {}
    for typed, expected in MISSPELT.items():
        response = client.get("/search/", {"q": typed})
        assert response.status_code == 200
        first = next((t.slug for t in response.context["treatments"]), None)
        if first not in expected:
            wrong[typed] = first
    assert wrong == {}
    page = client.get("/search/", {"q": "hyperhydrosis"}).content.decode()
    assert "Also searched for <strong>hyperhidrosis</strong> (for “hyperhydrosis”)" in page


def test_spelling_help_costs_no_query_once_the_word_list_is_cached(client, demo_clinic):
    client.get("/search/", {"q": "sweating"})  # warms the page chrome and the word list
    counts = {}
    for typed in ["sweating", "hyperhydrosis"]:
        with CaptureQueriesContext(connection) as queries:
            client.get("/search/", {"q": typed})
        counts[typed] = len(queries)
    assert counts["hyperhydrosis"] == counts["sweating"], counts


def test_correction_leaves_known_short_and_far_words_alone():
    vocabulary = frozenset(words_of("Chronic migraine", "sweating hyperhidrosis", "Frown lines"))
    assert correction("migrane", vocabulary) == "migraine"
    assert correction("migraine", vocabulary) is None  # known
    assert correction("lins", vocabulary) == "lines"
    assert correction("lne", vocabulary) is None  # too short to guess
    assert correction("zzqxv", vocabulary) is None
    query = build_query("my migrane", {"migraine": "headache"}, vocabulary)
    assert query.words == ["migrane"] and query.corrections == {"migrane": "migraine"}
    assert query.text == "migrane migraine headache"  # the synonyms see the corrected word
