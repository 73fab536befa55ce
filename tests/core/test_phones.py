"""One phone check (`vial.core.phones`) for the booking form, the contact form, the API and the diary."""

import re

import pytest

from vial.core.phones import PhoneError, clean_uk_phone, national


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("07123 456789", "+447123456789"),
        ("+44 7123 456 789", "+447123456789"),
        ("01392 123456", "+441392123456"),  # a landline: fine for booking
        ("+44 (0)1392 123456", "+441392123456"),
        ("020-7123-4567", "+442071234567"),
        ("0800 123 4567", "+448001234567"),
        ("07624 123456", "+447624123456"),  # Isle of Man mobile
    ],
)
def test_uk_numbers_are_taken_as_typed_and_stored_one_way(typed, stored):
    assert clean_uk_phone(typed) == stored


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Enter a phone number"),
        ("call me", "Use only digits and spaces"),
        ("07123", "too short (5 digits)"),
        ("0712345678901", "too long (13 digits)"),
        ("+33 6 12 34 56 78", "Please give a UK phone number"),
        ("07700 900123", "07700 900123 is one of the numbers Ofcom keeps for TV, radio and fiction"),
        ("020 7946 0999", "Ofcom keeps for TV, radio and fiction"),
        ("01632 960000", "Ofcom keeps for TV, radio and fiction"),
        ("0909 123 4567", "premium-rate"),
        ("01392 12345", "not a UK number in use"),
    ],
)
def test_a_refusal_says_what_is_wrong(typed, says):
    with pytest.raises(PhoneError, match=re.escape(says)):
        clean_uk_phone(typed)


def test_a_mobile_is_asked_for_only_where_texts_are_sent():
    assert clean_uk_phone("07123 456789", mobile=True) == "+447123456789"
    with pytest.raises(PhoneError, match="must be a mobile") as refused:
        clean_uk_phone("01392 123456", mobile=True)
    assert refused.value.code == "not_mobile"


def test_national_form_for_people():
    assert national("+441392123456") == "01392 123456"
    assert national("not a number") == "not a number"
