"""SameQuery: a queryset's SQL built once, run with each call's values, answers as the queryset does."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.factories import make_testimonial, make_treatment
from vial.core.queries import SameQuery
from vial.website import models as website

REVIEWS = SameQuery(
    lambda treatment: website.Testimonial.objects.public().filter(treatment=treatment).only("quote", "date")
)
TITLES = SameQuery(
    lambda low, high: (
        website.TreatmentPage.objects.filter(duration_months_min__gte=low, duration_months_max__lte=high)
        .order_by("pk")
        .values_list("title", "slug")
    ),
    values=2,
)


def test_rows_are_the_querysets_rows_for_each_calls_values(clinic):
    index = clinic["treatments"]
    make_treatment(index, n=1, duration_months_min=6, duration_months_max=9)
    make_treatment(index, n=2, duration_months_min=1, duration_months_max=2)
    for low, high in [(0, 12), (3, 4), (5, 12), (0, 2), (13, 20)]:
        expected = list(TITLES._build(low, high))
        assert TITLES.rows(low, high) == expected
    assert TITLES.rows(5, 12) == [("Test treatment 1", "test-treatment-1")]


def test_objects_are_model_instances_with_the_databases_types(clinic, django_assert_num_queries):
    treatment = clinic["treatment"]
    other = make_treatment(clinic["treatments"], n=1)
    make_testimonial(other, quote="Another treatment entirely")
    with django_assert_num_queries(1):
        found = REVIEWS.objects(treatment.pk)
    assert [t.pk for t in found] == [t.pk for t in REVIEWS._build(treatment.pk)]
    assert all(isinstance(t, website.Testimonial) and isinstance(t.date, datetime.date) for t in found)
    assert "Another treatment entirely" in [t.quote for t in REVIEWS.objects(other.pk)]
    assert REVIEWS.objects(0) == []


def test_a_value_that_does_not_reach_the_sql_as_it_is_is_refused(db):
    by_word = SameQuery(lambda word: website.TreatmentPage.objects.filter(title__icontains=word).values_list("title"))
    with pytest.raises(ImproperlyConfigured, match="does not reach the SQL"):
        by_word.rows("botox")


def test_objects_bring_their_select_related_rows_in_the_same_query(clinic, django_assert_num_queries):
    treatment = clinic["treatment"]
    with_treatment = SameQuery(
        lambda pk: website.Testimonial.objects.filter(treatment=pk).select_related("treatment").order_by("pk")
    )
    with django_assert_num_queries(1):
        found = with_treatment.objects(treatment.pk)
        read = [(t.pk, t.treatment.title, t.treatment.url_path) for t in found]
    assert read == [(t.pk, t.treatment.title, t.treatment.url_path) for t in with_treatment._build(treatment.pk)]
    assert found and isinstance(found[0].treatment, website.TreatmentPage)


def test_a_query_is_refused_what_it_cannot_answer(clinic):
    with pytest.raises(ImproperlyConfigured, match="prefetch_related"):
        SameQuery(lambda pk: website.QuestionPage.objects.filter(pk=pk).prefetch_related("tags")).objects(1)
    with pytest.raises(ImproperlyConfigured, match="values_list"):
        REVIEWS.rows(clinic["treatment"].pk)
    with pytest.raises(ImproperlyConfigured, match="model instances"):
        TITLES.objects(0, 12)
