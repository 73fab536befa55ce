"""Every public page type renders in a bounded number of queries, however much content exists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ClinicianFactory, make_question, make_testimonial, make_treatment
from vial.website.models import Accreditation

MAX_QUERIES = 12


@pytest.fixture
def big_clinic(clinic):
    """Ten times the demo's content: 120 treatments, 50 posts, 150 testimonials, 40 accreditations."""
    authors = [ClinicianFactory() for _ in range(3)]
    treatments = [
        make_treatment(clinic["treatments"], n, revision=False, category="medical" if n % 3 else "aesthetic")
        for n in range(1, 121)
    ]
    for n in range(1, 51):
        make_question(clinic["questions"], authors[n % 3], n, treatments=treatments[n : n + 3], revision=False)
    for n in range(1, 151):
        make_testimonial(treatments[n % 20], n, rating=1 + n % 5, revision=False)
    Accreditation.objects.bulk_create(Accreditation(name=f"Register {n}", body="Body", year=2020) for n in range(40))
    clinic["many_treatments"] = treatments
    return clinic


PAGES = ["home", "treatments", "questions", "reviews", "clinics", "location", "treatment", "post", "contact"]


@pytest.mark.parametrize("key", PAGES)
def test_page_queries_are_bounded(client, big_clinic, key):
    url = big_clinic[key].url
    client.get(url)  # warm per-process caches (site root, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    assert len(ctx.captured_queries) <= MAX_QUERIES, "\n".join(q["sql"] for q in ctx.captured_queries)


@pytest.mark.parametrize("extra", ["?treatment=test-treatment-3", "?page=2", "?tag=none"])
def test_filtered_lists_are_bounded(client, big_clinic, extra, django_assert_max_num_queries):
    for key in ("reviews", "questions"):
        client.get(big_clinic[key].url + extra)
        with django_assert_max_num_queries(MAX_QUERIES):
            assert client.get(big_clinic[key].url + extra).status_code == 200


def test_search_is_bounded(client, big_clinic, django_assert_max_num_queries):
    client.get("/search/?q=test+treatment")
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get("/search/?q=test+treatment").status_code == 200
