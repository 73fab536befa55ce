"""Records already there get the words of their names (migration 0005), and staff find them by those."""

from datetime import date

import pytest

from tests.migrations import migrate, migrate_to_latest
from vial.patients.search import find_patients

BEFORE = [("patients", "0004_name_words")]
AFTER = [("patients", "0005_fill_name_words")]


@pytest.mark.django_db(transaction=True)
def test_existing_records_get_their_words_except_merged_and_erased_ones():
    apps = migrate(BEFORE)
    try:
        Patient = apps.get_model("patients", "Patient")
        tamsin = Patient.objects.create(preferred_name="Tamsin Luscombe", legal_name="Tamsin Morwenna Luscombe")
        Patient.objects.create(preferred_name="Tam Luscmbe", merged_into=tamsin)
        Patient.objects.create(preferred_name="(erased)", date_of_birth=None)
        Patient.objects.create(preferred_name="Zoë O’Brien-Penrose", date_of_birth=date(1990, 1, 1))

        apps = migrate(AFTER)
        NameWord = apps.get_model("patients", "NameWord")
        PatientNameWord = apps.get_model("patients", "PatientNameWord")
        words = set(NameWord.objects.values_list("word", flat=True))
        assert words == {"tamsin", "morwenna", "luscombe", "zoe", "o'brien", "penrose"}
        assert PatientNameWord.objects.filter(patient_id=tamsin.pk).count() == 3
    finally:
        migrate_to_latest()
    assert [p.preferred_name for p in find_patients("Lfscombe")] == ["Tamsin Luscombe"]
    assert [p.preferred_name for p in find_patients("obrien")] == ["Zoë O’Brien-Penrose"]
