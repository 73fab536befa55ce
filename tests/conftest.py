import pytest

from tests.factories import build_clinic


@pytest.fixture
def clinic(db):
    """A small published site: home, catalogue, blog, reviews, clinics, contact."""
    return build_clinic()
