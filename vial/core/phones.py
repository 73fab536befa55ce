"""UK phone numbers: one check for the booking form, the contact form, the API and the diary.

`clean_uk_phone` takes a number as people type it and returns it in one stored form (+44...), or
raises `PhoneError` whose message says what is wrong: the wrong characters, too few or too many
digits, another country's number, a number kept for TV and radio drama, or a landline where a
mobile is needed (only where the clinic will send texts to it).
"""

import re

import phonenumbers
from phonenumbers import PhoneNumberType, ValidationResult

#: Regions with UK numbers (+44): Great Britain and Northern Ireland, Guernsey, Jersey, the Isle of Man.
UK_REGIONS = {"GB", "GG", "JE", "IM"}
#: The characters a phone number may be written with.
PHONE_CHARACTERS = re.compile(r"\+?[0-9 ()-]+")
EXAMPLES = "like 01392 123456 or 07123 456789"

#: Ofcom's numbers for TV, radio and fiction (national form, first and last): never anyone's real number.
DRAMA_RANGES = [
    ("07700900000", "07700900999"),
    ("01134960000", "01134960999"),
    ("01144960000", "01144960999"),
    ("01154960000", "01154960999"),
    ("01164960000", "01164960999"),
    ("01174960000", "01174960999"),
    ("01184960000", "01184960999"),
    ("01214960000", "01214960999"),
    ("01314960000", "01314960999"),
    ("01414960000", "01414960999"),
    ("01514960000", "01514960999"),
    ("01614960000", "01614960999"),
    ("01914980000", "01914980999"),
    ("02079460000", "02079460999"),
    ("02896496000", "02896496999"),
    ("02920180000", "02920180999"),
    ("01632960000", "01632960999"),
    ("08081570000", "08081570999"),
    ("09098790000", "09098790999"),
    ("03069990000", "03069990999"),
]
#: Numbers that cost the clinic (and often the patient) to call: not for appointments.
REFUSED_TYPES = {PhoneNumberType.PREMIUM_RATE: "a premium-rate number", PhoneNumberType.PAGER: "a pager number"}


class PhoneError(ValueError):
    def __init__(self, message: str, code: str = "invalid_phone"):
        super().__init__(message)
        self.message, self.code = message, code


def is_drama_number(national_digits: str) -> bool:
    """In one of Ofcom's ranges for TV, radio and fiction (e.g. 07700 900000 to 07700 900999)?"""
    return any(first <= national_digits <= last and len(national_digits) == len(first) for first, last in DRAMA_RANGES)


def clean_uk_phone(raw: str, *, mobile: bool = False) -> str:
    """A UK number as typed, in E.164 (+441392123456), or PhoneError saying what is wrong.

    `mobile=True` where the clinic texts the number (SMS chosen): a landline is then refused.
    """
    raw = (raw or "").strip()
    if not raw:
        raise PhoneError("Enter a phone number.", code="required")
    if not PHONE_CHARACTERS.fullmatch(raw):
        raise PhoneError(f"Use only digits and spaces in the phone number (a + at the start is fine), {EXAMPLES}.")
    digits = re.sub(r"\D", "", raw)
    try:
        number = phonenumbers.parse(raw, "GB")
    except phonenumbers.NumberParseException:
        raise PhoneError(f"That is not a phone number we can read: UK numbers are 11 digits, {EXAMPLES}.") from None
    if number.country_code != phonenumbers.country_code_for_region("GB"):
        raise PhoneError("Please give a UK phone number (starting 0, or +44): we cannot call numbers abroad.")
    national = "0" + str(number.national_number)
    if is_drama_number(national):
        raise PhoneError(
            f"{phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)} is one of the numbers "
            "Ofcom keeps for TV, radio and fiction, so it cannot be anyone's real number. Please give your own.",
            code="drama_number",
        )
    reason = phonenumbers.is_possible_number_with_reason(number)
    short = (ValidationResult.TOO_SHORT, ValidationResult.INVALID_LENGTH, ValidationResult.IS_POSSIBLE_LOCAL_ONLY)
    if reason in short or len(national) < 10:  # 10 digits: the shortest UK numbers (0800 xxx xxx)
        raise PhoneError(f"That number is too short ({len(digits)} digits): UK numbers are 11 digits, {EXAMPLES}.")
    if reason == ValidationResult.TOO_LONG:
        raise PhoneError(f"That number is too long ({len(digits)} digits): UK numbers are 11 digits, {EXAMPLES}.")
    if not phonenumbers.is_valid_number(number) or phonenumbers.region_code_for_number(number) not in UK_REGIONS:
        raise PhoneError(f"That is not a UK number in use: please check the digits ({EXAMPLES}).")
    kind = phonenumbers.number_type(number)
    if kind in REFUSED_TYPES:
        raise PhoneError(f"That is {REFUSED_TYPES[kind]}: please give a number we can call, {EXAMPLES}.")
    if mobile and kind != PhoneNumberType.MOBILE:
        raise PhoneError(
            "We send text messages to this number, so it must be a mobile (07..., like 07123 456789).",
            code="not_mobile",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national(phone: str) -> str:
    """A stored number as people write it in the UK (01392 123456), or as it is if it will not parse."""
    try:
        return phonenumbers.format_number(phonenumbers.parse(phone, "GB"), phonenumbers.PhoneNumberFormat.NATIONAL)
    except phonenumbers.NumberParseException:
        return phone
