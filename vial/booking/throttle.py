"""How many holds and bookings one address, one e-mail address and one browser may make.

The web flow's holds and the API's bookings are counted together: each takes a time out of the
diary, which is what a spammer or a competitor filling the diary is after. So only holds and
bookings that land are counted: an attempt that held nothing (the time had gone, the rules said no,
a limit was reached, an error) gives its count back and spends no allowance, and thirty people
racing for one time from one office all get their answer (one wins, the rest hear it has gone)
rather than a 429. A hold that lands stays counted even when it is later released or lapses, so
holding and dropping times over and over still stops at the limit.

The count is taken before the booking is tried (once its details are valid) and given back if it
comes to nothing (`Allowance`): counting first keeps the limit exact however many requests run at
once (checking first and counting after would let each of them through). While attempts are in
flight an address can be refused a little early (at most one per server worker), never let past.
The limits are settings (BOOKING_HOLDS_PER_ADDRESS_PER_HOUR, BOOKINGS_PER_EMAIL_PER_DAY,
BOOKING_HOLDS_PER_BROWSER); the counts are atomic (`vial.core.ratelimit`).
"""

import math
from contextlib import suppress
from datetime import datetime

from django.conf import settings

from vial.core import ratelimit
from vial.core.client import client_address

from . import services
from .models import Appointment
from .state_machine import Status

HOUR = 60 * 60
DAY = 24 * HOUR


class Throttled(Exception):
    """Too many holds or bookings; `retry_after` is in seconds, `message` is for the patient."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def _wait(seconds: int) -> str:
    if seconds < 2 * HOUR:
        minutes = max(1, math.ceil(seconds / 60))
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = math.ceil(seconds / HOUR)
    return f"{hours} hours"


class Allowance:
    """One hold or booking counted for an address and an e-mail address, until given back.

    Used as a context manager around the booking: an exception gives the count back (nothing was
    held). A booking that answers a refusal instead of raising calls `keep_if(held)`. Give back
    outside any transaction that rolls back, or the giving back rolls back too.
    """

    def __init__(self, counted: list[tuple[str, str]]):
        self._counted = counted

    def give_back(self) -> None:
        """Uncount this attempt (once, however often called): it held nothing."""
        while self._counted:
            ratelimit.give_back(*self._counted.pop())

    def keep_if(self, held: bool) -> None:
        if not held:
            self.give_back()

    def __enter__(self) -> "Allowance":
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        if exc_type is not None:
            self.give_back()


def check_booking_allowed(request, email: str) -> Allowance:
    """Count one hold or booking for the request's address and for the patient's e-mail address.

    Raises Throttled past either limit, counting nothing (the address is checked first, so a refused
    address does not use up the e-mail address's allowance). Otherwise answers the `Allowance` that
    gives the count back if the booking holds nothing.
    """
    address = ("booking:address", client_address(request))
    verdict = ratelimit.hit(*address, settings.BOOKING_HOLDS_PER_ADDRESS_PER_HOUR, HOUR)
    if not verdict.allowed:
        ratelimit.give_back(*address)
        raise Throttled(
            "We have had a lot of booking requests from your connection in the last hour, so we cannot "
            f"hold another time just now. Please try again in {_wait(verdict.retry_after)}, or phone the "
            "clinic and we will book it for you.",
            verdict.retry_after,
        )
    mailbox = ("booking:email", email.strip().lower())
    verdict = ratelimit.hit(*mailbox, settings.BOOKINGS_PER_EMAIL_PER_DAY, DAY)
    if not verdict.allowed:
        Allowance([address, mailbox]).give_back()
        raise Throttled(
            "There have been a lot of bookings for this e-mail address today, so we cannot take another "
            f"online. Please try again in {_wait(verdict.retry_after)}, or phone the clinic and we will "
            "book it for you.",
            verdict.retry_after,
        )
    return Allowance([address, mailbox])


def release_oldest_holds(hold_ids: list[int], keep: int, now: datetime) -> int:
    """Release this browser's live holds beyond its newest `keep` (ids oldest first); returns how many.

    Releasing rather than refusing: a patient who goes back and picks another time, again and again,
    has most likely given up the earlier times, and should not be stopped with a page to tidy up first.
    A browser still never holds more than `keep` times at once, so a script cannot fill the diary
    from one session (and one that drops its cookies meets the per-address limit instead).
    """
    live = list(
        Appointment.objects.filter(pk__in=hold_ids, status=Status.HELD, held_until__gt=now).values_list("pk", flat=True)
    )
    newest_first = sorted(live, key=hold_ids.index, reverse=True)
    released = 0
    for appointment in Appointment.objects.filter(pk__in=newest_first[keep:]):
        with suppress(services.CancellationRefused):  # lapsed or released meanwhile
            services.cancel_appointment(appointment, now=now, note="Released: a newer hold from the same browser")
            released += 1
    return released
