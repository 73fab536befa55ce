"""Search in patients' own words puts the right treatment first, on the demo clinic's content."""

import pytest
from django.core.management import call_command

from vial.website.search import build_query, normalise


@pytest.fixture
def demo_clinic(db):
    call_command("load_demo", verbosity=0)


PHRASES = {
    "I sweat too much": "underarm-sweating",
    "sweaty armpits": "underarm-sweating",
    "grinding my teeth": "jaw-slimming-and-teeth-grinding",
    "headaches every week": "migraine",
    "droopy nose tip": "nose-tip-lift",
    "oily forehead": "oily-skin",
    "lines on my neck": "neck-lines",
}


def test_patient_phrases_put_the_right_treatment_first(client, demo_clinic):
    # One demo load for every phrase: loading the clinic is the slow part.
    firsts = {}
    for phrase in PHRASES:
        response = client.get("/search/", {"q": phrase})
        assert response.status_code == 200
        firsts[phrase] = [t.slug for t in response.context["treatments"]][:3]
    assert {phrase: slugs[:1] for phrase, slugs in firsts.items()} == {p: [s] for p, s in PHRASES.items()}, firsts

    # Treatments come before Q&A posts; an empty result offers a way on.
    html = client.get("/search/", {"q": "sweating"}).content.decode()
    assert html.index("results-treatments") < html.index("results-questions")
    assert "We found nothing" in client.get("/search/", {"q": "zzqxv"}).content.decode()


def test_build_query_drops_stop_words_and_adds_synonyms():
    query = build_query("I SWEAT too much!!", {"sweat": "sweating hyperhidrosis"})
    assert query.words == ["sweat"]
    assert query.text == "sweat sweating hyperhidrosis"


def test_build_query_matches_multi_word_synonyms_only_whole():
    synonyms = {"teeth grinding": "masseter", "tee": "golf"}
    assert build_query("my teeth grinding at night", synonyms).expanded == ["masseter"]


def test_normalise_strips_junk():
    assert normalise("'; DROP TABLE x; --") == "drop table x"
    assert normalise("\x00☃") == ""
    assert len(normalise("a " * 5000)) <= 200
