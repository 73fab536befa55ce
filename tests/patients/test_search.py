"""Staff find a patient by part of the name, a misspelt surname, a date of birth or a phone's last digits,
on SQLite and on PostgreSQL (trigram search: run with DATABASE_URL=postgres://...)."""

from datetime import date

import pytest

from tests.patients.records import patient_record
from vial.patients.search import find_patients

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    return {
        "tamsin": patient_record("Tamsin Luscombe", "tamsin@example.com", date(1984, 6, 9), "07123 456789"),
        "ruth": patient_record("Ruth Penrose", "ruth@example.com", date(1950, 2, 1), "01392 123456"),
        "alan": patient_record("Alan Smith", "alan@example.com", date(1984, 6, 10), "07987 654321"),
    }


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("Lusc", "tamsin"),  # the start of a surname
        ("Luskombe", "tamsin"),  # one letter wrong
        ("Tamsin Luscombe", "tamsin"),
        ("penrose", "ruth"),
        ("09/06/1984", "tamsin"),
        ("07123 456789", "tamsin"),
        ("456789", "tamsin"),  # the last digits of the number
        ("123456", "ruth"),
    ],
)
def test_staff_find_the_patient_meant(records, typed, who):
    found = find_patients(typed)
    assert found and found[0] == records[who], [p.preferred_name for p in found]
    assert len(found) == 1


def test_nothing_like_it_finds_no_one(records):
    assert find_patients("Zebedee") == []
    assert find_patients("01/01/2001") == []
    assert find_patients("x") == []


def test_the_closest_name_comes_first_when_many_share_the_surname(records):
    for n, first in enumerate(["Ada", "Ben", "Cara", "Dev"]):
        patient_record(f"{first} Luscombe", f"l{n}@example.com", date(1990, 1, n + 1))
    found = find_patients("Tamsin Luscombe", limit=2)
    assert found[0] == records["tamsin"]
    assert all(patient.preferred_name.endswith("Luscombe") for patient in found)
    assert len(find_patients("Luscombe", limit=3)) == 3
