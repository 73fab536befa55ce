"""Staff find a patient by part of the name, a misspelt surname, a date of birth or a phone's last digits,
on SQLite and on PostgreSQL (run with DATABASE_URL=postgres://...).

Names are found through the words of patients' names (vial/patients/search.py): part of a word or a
misspelling (short surnames too), best first; the words stay in step when a name is corrected, a record
merged or erased. Most tests drive the search page as reception sees it.
"""

from datetime import date, timedelta

import pytest
from django.core.management import call_command

from tests.factories import staff_user
from tests.patients.records import patient_record
from tests.patients.test_gdpr import edit_form, visit
from vial.audit.models import AuditEvent
from vial.patients.demo import load_demo_patients
from vial.patients.models import NameWord, Patient, PatientNameWord
from vial.patients.search import CLOSE, CONTAINS, SAME, STARTS, edit_distance, find_patients, name_words, word_rank
from vial.staff import roles

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


# --------------------------------------------------------------------------- names, through the search page


@pytest.fixture
def reception(client):
    client.force_login(staff_user(roles.RECEPTION, totp=False))
    return client


@pytest.fixture
def manager(client):
    client.force_login(staff_user(roles.MANAGER, totp=False))
    return client


def search(client, typed: str) -> list[str]:
    """The names the search page lists for `typed`, in its order."""
    response = client.get("/admin/patients/", {"q": typed})
    assert response.status_code == 200
    return [patient.preferred_name for patient in response.context["results"]]


def person(name: str, n: int = 0, phone: str = "", legal_name: str = "", born: date | None = None) -> Patient:
    """A patient as booking creates them (and their legal name as reception would add it)."""
    slug = name.lower().replace(" ", ".")
    patient = patient_record(name, f"{slug}.{n}@example.com", born or date(1980, 1, 1) + timedelta(days=n), phone)
    if legal_name:
        patient.legal_name = legal_name
        patient.save()
    return patient


def words() -> set[str]:
    return set(NameWord.objects.values_list("word", flat=True))


# --------------------------------------------------------------------------- finding


@pytest.mark.parametrize("typed", ["Lusc", "lusc", "combe", "Tam Lusc", "luscombe tamsin", "Luskombe", "Lsucombe"])
def test_part_of_a_name_or_a_misspelt_one_finds_the_patient(reception, typed):
    person("Tamsin Luscombe")
    person("Ruth Penrose")
    assert search(reception, typed) == ["Tamsin Luscombe"]


def test_a_short_surname_misspelt_by_one_letter_is_found(reception):
    person("Ann Lee")
    person("Bob Leigh")
    person("Cat Smith")
    assert search(reception, "Lfe") == ["Ann Lee"]
    assert search(reception, "Ann Lfe") == ["Ann Lee"]
    assert search(reception, "Lfe Smith") == []  # every typed word must match


def test_the_very_word_typed_comes_first_then_close_spellings(reception):
    person("Ann Lee")
    person("Leo Hart")  # 'leo' is one letter from 'lee'
    person("Ben Lees")  # starts with 'lee'
    assert search(reception, "Lee") == ["Ann Lee", "Ben Lees", "Leo Hart"]  # the same word, starts with, close
    assert search(reception, "Lea") == ["Ann Lee", "Leo Hart"]  # one letter away each: by name
    assert search(reception, "Le") == ["Ann Lee", "Ben Lees", "Leo Hart"]  # all start so: by name


def test_close_spellings_share_the_fifty_places(reception):
    for n in range(30):
        person("Ann Bell", n)
        person("Ann Ball", n)
    found = search(reception, "Bfll")
    assert len(found) == 50
    assert found.count("Ann Bell") == 25 and found.count("Ann Ball") == 25


def test_a_search_records_the_words_typed_not_the_people_found(reception):
    tamsin = person("Tamsin Luscombe")
    before = AuditEvent.objects.count()
    search(reception, "Luskombe")
    event = AuditEvent.objects.latest("pk")
    assert AuditEvent.objects.count() == before + 1
    assert (event.action, event.detail, event.patient) == ("search", "Luskombe", None)
    assert str(tamsin.pk) not in event.detail


def test_the_search_page_runs_in_a_bounded_number_of_queries(reception, django_assert_max_num_queries):
    person("Ann Smith")
    with django_assert_max_num_queries(20) as few:
        assert search(reception, "Smyth") == ["Ann Smith"]
    for n in range(1, 60):
        person("Bob Smith", n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(search(reception, "Smyth")) == 50


# --------------------------------------------------------------------------- keeping the words in step


def test_a_new_patient_brings_their_words_and_the_demo_patients_theirs(reception):
    assert words() == set()
    person("Zoë Smith-Jones", legal_name="Zoë Anne Smith-Jones")
    assert words() == {"zoe", "anne", "smith", "jones"}
    assert search(reception, "Smith-Jones") == search(reception, "zoe") == ["Zoë Smith-Jones"]
    load_demo_patients()
    assert search(reception, "Pengelly")  # the demo's patients are found as any others
    held = {w for p in Patient.objects.all() for w in name_words(p.preferred_name, p.legal_name)}
    assert words() == held


def test_a_corrected_name_is_found_by_the_new_words_and_the_old_ones_go(reception):
    tamsin = person("Tamsin Luscombe", phone="01392 123456")
    person("Tamsin Pascoe", 1)
    response = reception.post(f"/admin/patients/{tamsin.pk}/edit/", edit_form(tamsin, preferred_name="Tamsin Luscomb"))
    assert response.status_code == 302
    assert search(reception, "Luscomb") == ["Tamsin Luscomb"]
    assert "luscombe" not in words()  # nobody has it now: a name of no one is not kept
    assert search(reception, "Luscombe") == ["Tamsin Luscomb"]  # one letter away
    assert "tamsin" in words()


def test_a_merged_record_is_found_only_through_the_one_it_was_merged_into(manager):
    kept = person("Tamsin Luscombe")
    duplicate = person("Tamsin Luscmbe", 1, born=date(1980, 1, 1))
    assert search(manager, "Tamsin") == ["Tamsin Luscmbe", "Tamsin Luscombe"]
    manager.post(f"/admin/patients/{kept.pk}/merge/", {"duplicate": duplicate.pk, "reason": "same phone"})
    assert search(manager, "Tamsin") == ["Tamsin Luscombe"]
    assert search(manager, "Luscmbe") == ["Tamsin Luscombe"]  # the typo is one letter from the kept name
    assert "luscmbe" not in words()
    assert not PatientNameWord.objects.filter(patient=duplicate).exists()


def test_erasing_someone_never_treated_deletes_the_words_only_they_had(manager):
    tamsin = person("Tamsin Luscombe", legal_name="Tamsin Morwenna Luscombe")
    person("Tamsin Pascoe", 1)
    manager.post(f"/admin/patients/{tamsin.pk}/erase/", {"reason": "Asked by e-mail"})
    assert words() == {"tamsin", "pascoe"}  # Tamsin Pascoe's words stay
    assert search(manager, "Luscombe") == []
    assert search(manager, "erased") == []  # an erased record has no name to find it by
    assert search(manager, "Tamsin") == ["Tamsin Pascoe"]


def test_erasure_inside_the_retention_period_keeps_the_name_findable_and_drops_the_legal_names_words(manager):
    tamsin = person("Tamsin Luscombe", legal_name="Tamsin Morwenna Luscombe")
    visit(tamsin, 365)
    manager.post(f"/admin/patients/{tamsin.pk}/erase/", {"reason": "Patient's letter"})
    assert words() == {"tamsin", "luscombe"}  # 'morwenna' was on the legal name only, now erased
    assert search(manager, "Luscombe") == ["Tamsin Luscombe"]  # the clinical record must be reachable


def test_the_retention_sweep_deletes_the_words_of_those_it_erases_and_any_left_unused():
    old = person("Old Ashcombe")
    visit(old, 9 * 366)
    NameWord.objects.create(word="stray")  # as a write that skipped Patient.save() would leave
    call_command("apply_retention")
    assert Patient.objects.get(pk=old.pk).preferred_name == "(erased)"
    assert words() == set()


def test_a_save_that_leaves_the_names_alone_reads_no_words(django_assert_num_queries):
    tamsin = person("Tamsin Luscombe")
    tamsin.phone = "+447911123456"
    with django_assert_num_queries(1):
        tamsin.save(update_fields=["phone"])
    with django_assert_num_queries(2):  # the row, and the words it had (unchanged)
        tamsin.save()


# --------------------------------------------------------------------------- the rule, without a database


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Zoë Smith-Jones"], ["jones", "smith", "zoe"]),
        (["O’Brien", "Siobhan O'Brien"], ["o'brien", "siobhan"]),
        (["  ANN  ann "], ["ann"]),
        (["(erased)"], ["erased"]),
        (["Flat 2"], ["flat"]),
    ],
)
def test_name_words(names, expected):
    assert name_words(*names) == expected


@pytest.mark.parametrize(
    ("word", "typed", "rank"),
    [
        ("lee", "lee", SAME),
        ("luscombe", "lusc", STARTS),
        ("luscombe", "combe", CONTAINS),
        ("lee", "lfe", CLOSE),  # three letters: one may differ
        ("luscombe", "luskombe", CLOSE),
        ("luscombe", "luskombo", CLOSE + 1),  # seven letters or more: two may differ
        ("lee", "lfa", None),
        ("le", "la", None),  # one or two letters: as typed
        ("smith", "smiht", CLOSE),  # two letters side by side swapped: one slip
        ("smith", "msiht", None),
        ("lee", "ele", CLOSE),
        ("le", "el", None),  # one or two letters: as typed
    ],
)
def test_word_rank(word, typed, rank):
    assert word_rank(word, typed) == rank


def test_edit_distance_stops_past_what_is_allowed():
    assert edit_distance("kitten", "sitting", 3) == 3
    assert edit_distance("kitten", "sitting", 1) == 2
    assert edit_distance("a", "abcdef", 2) == 3


def test_when_the_word_typed_is_a_name_a_fifth_of_the_places_go_to_the_names_it_starts(reception):
    for n in range(60):
        person("Ann Hart", n)
    for n in range(5):
        person("Bob Hartley", n)
    found = search(reception, "Hart")
    assert found == ["Ann Hart"] * 45 + ["Bob Hartley"] * 5  # 40, then the 5 Hartleys, then 5 more Harts


def test_a_first_name_typed_with_the_surname_puts_those_called_so_before_those_with_it_as_a_middle_name(reception):
    person("Olivia Smith")
    person("Andrew Smith", 1, legal_name="Andrew Olivia Smith")
    person("Olivia Jones", 2)
    assert search(reception, "Olivia Smith") == ["Olivia Smith", "Andrew Smith"]
    assert search(reception, "Smith Olivia") == ["Olivia Smith", "Andrew Smith"]
    assert search(reception, "Olivai Smith") == ["Olivia Smith", "Andrew Smith"]
