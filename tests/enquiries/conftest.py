import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache():
    """Every test starts with an empty cache (the rate counter itself is in the database, rolled back)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def contact_url(clinic):
    return clinic["contact"].url


@pytest.fixture
def valid_data():
    return {
        "kind": "question",
        "name": "Jane Testpatient",
        "email": "jane.testpatient@example.com",
        "phone": "07123 456789",
        "treatment": "",
        "message": "Does treatment for sweating hurt, and how long does it last?",
        "consent_to_contact": "on",
    }
