import pytest

from tests.factories import build_clinic


@pytest.fixture
def clinic(db):
    """A small published site: home, catalogue, blog, reviews, clinics, contact."""
    return build_clinic()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: ids reused after a rolled-back test must not meet cached rows."""
    from django.core.cache import cache

    from vial.booking import diary_setup

    cache.clear()
    diary_setup._memo.clear()
