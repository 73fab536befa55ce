"""Days a clinic takes no online bookings: England's bank holidays, Christmas, and the clinic's own closures.

Plain functions over plain values: `diary_setup` turns the closures staff keep (`ClinicClosure`)
into a set of dates per clinic for the set-up snapshot, and `queries.find_slots` drops the working
time on those dates before the availability engine sees it.

The rule, for one clinic on one day:
- Christmas Day and Boxing Day are always closed (and so are the days they are observed on).
- Any other bank holiday in England (the `holidays` package's list) is closed unless the clinic,
  or a line for every clinic, opens it.
- A closure for the clinic, or for every clinic, closes the day whatever else applies.
"""

from collections.abc import Iterable
from datetime import date

import holidays

CLOSED, OPEN = "closed", "open"


def bank_holidays(years: Iterable[int]) -> dict[date, str]:
    """England's bank holidays in those years, with their names ('Boxing Day (observed)' included)."""
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=list(years)).items())


def always_closed(day: date, name: str = "") -> bool:
    """Christmas Day and Boxing Day, or a weekday they are observed on: never offered online."""
    return (day.month, day.day) in {(12, 25), (12, 26)} or name.startswith(("Christmas Day", "Boxing Day"))


def closed_days(
    location_ids: Iterable[int],
    years: Iterable[int],
    closures: Iterable[tuple[int | None, date, str]],
) -> dict[int, frozenset[date]]:
    """For each clinic, the dates it takes no online bookings. `closures` are (clinic or None for all, date, kind)."""
    years = list(years)
    holidays_by_day = bank_holidays(years)
    shut_everywhere = {day for day, name in holidays_by_day.items() if always_closed(day, name)}
    shut_everywhere |= {date(year, 12, day) for year in years for day in (25, 26)}
    closed_for: dict[int | None, set[date]] = {}
    opened_for: dict[int | None, set[date]] = {}
    for location_id, day, kind in closures:
        (opened_for if kind == OPEN else closed_for).setdefault(location_id, set()).add(day)
    result = {}
    for location_id in location_ids:
        opened = opened_for.get(None, set()) | opened_for.get(location_id, set())
        days = {day for day in holidays_by_day if day not in opened}
        days |= shut_everywhere | closed_for.get(None, set()) | closed_for.get(location_id, set())
        result[location_id] = frozenset(days)
    return result
