"""Bank holidays, Christmas and the clinic's own closures: never offered online unless the clinic opens the day.

The rule is plain dates (`closed_days`); the patient sees it as days missing from the booking pages.
"""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from vial.booking.availability import LONDON
from vial.booking.closed_days import bank_holidays, closed_days
from vial.booking.models import ClinicClosure

from .conftest import make_diary

DAY_VALUE = re.compile(r'name="day" value="(\d{4}-\d\d-\d\d)"')


def today() -> date:
    return timezone.localdate(timezone=LONDON)


def next_christmas() -> date:
    christmas = date(today().year, 12, 25)
    return christmas if christmas > today() + timedelta(days=1) else date(today().year + 1, 12, 25)


def next_bank_holiday() -> date:
    """The next bank holiday in England, Monday to Saturday (the test diary's days), other than Christmas."""
    days = bank_holidays([today().year, today().year + 1])
    return min(
        day for day, name in days.items() if day > today() + timedelta(days=1) and day.weekday() < 6 and day.month != 12
    )


@pytest.fixture
def diary(db):
    return make_diary(booking_horizon_days=400)  # Monday to Saturday, 09:00-17:00, all year


def offered_days(client, diary, first: date) -> set[date]:
    """The days the booking page offers in the fortnight from `first`."""
    url = f"{reverse('booking:times', args=[diary.service.pk])}?location={diary.location.pk}&from={first}"
    response = client.get(url)
    assert response.status_code == 200
    return {date.fromisoformat(day) for day in DAY_VALUE.findall(response.content.decode())}


def test_the_rule_in_plain_dates():
    may_day = date(2026, 5, 4)
    closures = [(1, may_day, "open"), (None, date(2026, 7, 1), "closed"), (2, date(2026, 7, 2), "closed")]
    closed = closed_days([1, 2], [2026], closures)
    assert may_day not in closed[1] and may_day in closed[2]  # clinic 1 opened the bank holiday
    assert date(2026, 7, 1) in closed[1] and date(2026, 7, 1) in closed[2]  # every clinic
    assert date(2026, 7, 2) not in closed[1] and date(2026, 7, 2) in closed[2]
    # Christmas Day, Boxing Day (a Saturday in 2026) and the observed Monday: closed even if "opened".
    opened = closed_days([1], [2026], [(1, date(2026, 12, 25), "open"), (1, date(2026, 12, 28), "open")])
    assert {date(2026, 12, 25), date(2026, 12, 26), date(2026, 12, 28)} <= opened[1]


def test_christmas_and_boxing_day_are_not_offered(client, diary):
    christmas = next_christmas()
    offered = offered_days(client, diary, christmas - timedelta(days=3))
    assert christmas not in offered and christmas + timedelta(days=1) not in offered
    assert offered, "the days around Christmas are offered"
    assert christmas - timedelta(days=3) in offered or (christmas - timedelta(days=3)).weekday() == 6
    url = f"{reverse('booking:times', args=[diary.service.pk])}?location={diary.location.pk}&day={christmas}"
    assert "There are no free times on" in client.get(url).content.decode()


def test_a_bank_holiday_is_closed_until_the_clinic_opens_it(client, diary):
    holiday = next_bank_holiday()
    assert holiday not in offered_days(client, diary, holiday)
    ClinicClosure.objects.create(location=diary.location, date=holiday, kind=ClinicClosure.Kind.OPEN)
    assert holiday in offered_days(client, diary, holiday)  # seen at once: the set-up version moved on


def test_a_clinic_closure_closes_an_ordinary_day(client, diary):
    day = today() + timedelta(days=7)
    while day.weekday() == 6 or day in closed_days([diary.location.pk], [day.year], [])[diary.location.pk]:
        day += timedelta(days=1)
    assert day in offered_days(client, diary, day)
    closure = ClinicClosure.objects.create(date=day, reason="Staff training")  # every clinic
    assert day not in offered_days(client, diary, day)
    closure.delete()
    assert day in offered_days(client, diary, day)


def test_the_api_and_a_booking_respect_closures_too(client, diary):
    holiday = next_bank_holiday()
    response = client.get(
        "/api/v1/availability",
        {"service": diary.service.pk, "start": holiday.isoformat(), "end": holiday.isoformat()},
    )
    assert response.status_code == 200 and response.json()["slots"] == []


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (date(2026, 7, 1), "not a bank holiday"),
        (date(2026, 12, 25), "never open"),
        (date(2026, 12, 28), "never open"),  # Boxing Day observed
    ],
)
def test_only_a_bank_holiday_other_than_christmas_can_be_opened(db, day, message):
    with pytest.raises(ValidationError, match=message):
        ClinicClosure(date=day, kind=ClinicClosure.Kind.OPEN).full_clean()
    ClinicClosure(date=date(2026, 5, 4), kind=ClinicClosure.Kind.OPEN).full_clean()
