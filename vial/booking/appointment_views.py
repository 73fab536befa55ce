"""A patient's own appointment, reached by the signed link in their e-mails: see it, cancel it, move it.

There is no login: the signed link is the key (`links.py`). The pages show what the appointment is
(service, clinic, practitioner, UK time), never the patient's name or contact details, and are
neither cached nor indexed. Views stay thin: `services.cancel_appointment` and
`services.move_appointment` do the work and enforce the service's cancellation window; their
refusals are shown as pages with a 4xx status, and nothing is written.

- A link that was changed or cut short: 400. A well-signed link to no appointment: 404.
- Cancelling or moving outside the window, or an appointment already cancelled (a replayed
  cancel, an old link after a move): 409 with the reason.
- Bad input to the move form (an unreadable day or time, an unknown practitioner): 400.
"""

from datetime import UTC, date, datetime, timedelta
from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from vial.audit.log import PATIENT_BY_LINK, Action, record
from vial.website.models import ClinicSettings

from . import links
from .availability import wall_clock_to_utc
from .messages import clinic_details
from .models import Appointment, Practitioner, format_local, local
from .queries import find_slots
from .services import (
    AppointmentNotFound,
    BookingError,
    CancellationRefused,
    SlotUnavailable,
    check_changeable,
    confirm_appointment,
    get_by_token,
    long_date,
    move_appointment,
    resting_on,
)
from .services import cancel_appointment as cancel_service
from .state_machine import Status, label

DAYS_SHOWN = 7  # days per page of the move page's day list
BAD_REQUEST, NOT_FOUND, CONFLICT = 400, 404, 409


# --- Shared ------------------------------------------------------------------------------------


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, f"booking/appointment/{template}.html", context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _problem(
    request: HttpRequest, status: int, title: str, message: str, appointment: Appointment | None = None
) -> HttpResponse:
    context = {"title": title, "message": message}
    if appointment is not None:
        context.update(_summary(appointment, request))
    return _render(request, "problem", context, status=status)


def _load(request: HttpRequest, signed: str) -> Appointment | HttpResponse:
    """The appointment behind a signed link, or the page that says why there is none."""
    try:
        token = links.unsign(signed)
    except links.BadLink:
        return _problem(
            request,
            BAD_REQUEST,
            "This link does not work",
            "It may have been cut short or changed when it was copied. Please open it straight from your "
            "e-mail, or phone the clinic.",
        )
    try:
        return get_by_token(token)
    except AppointmentNotFound as error:
        return _problem(request, NOT_FOUND, "We could not find that appointment", error.message)


def _moved_to(appointment: Appointment) -> Appointment | None:
    if appointment.status != Status.CANCELLED:
        return None
    return Appointment.objects.filter(moved_from=appointment).only("start").first()


def _summary(appointment: Appointment, request: HttpRequest | None = None) -> dict:
    """What the pages show about an appointment: no personal details, times in UK time."""
    moved_to = _moved_to(appointment)
    return {
        "appointment": appointment,
        "signed": links.sign(appointment.cancel_token),
        "service": appointment.service.name,
        "practitioner": appointment.practitioner.display_name,
        "location": appointment.location.name,
        # Its own clinic's phone, as the e-mails give it (the page's ClinicSettings: no second look-up).
        "clinic": clinic_details(appointment, ClinicSettings.for_request(request) if request else None),
        "when": format_local(appointment.start),
        "ends": f"{local(appointment.end):%H:%M}",
        "status": label(appointment.status),
        "moved_to_when": format_local(moved_to.start) if moved_to else "",
    }


def _refusal(appointment: Appointment, now: datetime, verb: str) -> str:
    """Why the patient can no longer change it online, or '' if they can."""
    try:
        check_changeable(appointment, now, enforce_window=True, verb=verb)
    except CancellationRefused as error:
        return _explain(appointment, error.message)
    return ""


def _explain(appointment: Appointment, message: str) -> str:
    if appointment.status == Status.CANCELLED and (moved_to := _moved_to(appointment)):
        return (
            f"This appointment was moved to {format_local(moved_to.start)}. Please use the link in the e-mail "
            "we sent about the new time."
        )
    return message


# --- The appointment ---------------------------------------------------------------------------


@never_cache
@require_GET
def detail(request: HttpRequest, signed: str) -> HttpResponse:
    """The appointment, with buttons to cancel or move it while the service's window allows."""
    appointment = _load(request, signed)
    if isinstance(appointment, HttpResponse):
        return appointment
    now = timezone.now()
    record(PATIENT_BY_LINK, Action.VIEW, "appointment page (e-mailed link)", patient=appointment.patient_id)
    context = _summary(appointment, request)
    deadline = appointment.start - timedelta(hours=appointment.service.cancellation_window_hours)
    context.update(
        {
            "refusal": "" if appointment.status == Status.CANCELLED else _refusal(appointment, now, "changed"),
            "deadline": format_local(deadline),
            "just_moved": request.GET.get("moved") == "1",
            "just_confirmed": request.GET.get("confirmed") == "1",
        }
    )
    return _render(request, "detail", context)


@never_cache
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, signed: str) -> HttpResponse:
    """GET: 'Are you sure?'. POST: cancel it (CSRF-protected), then show the appointment as cancelled."""
    appointment = _load(request, signed)
    if isinstance(appointment, HttpResponse):
        return appointment
    now = timezone.now()
    if request.method == "POST":
        try:
            cancel_service(appointment, now=now, by=PATIENT_BY_LINK)
        except CancellationRefused as error:
            return _problem(
                request,
                CONFLICT,
                "This appointment cannot be cancelled online",
                _explain(appointment, error.message),
                appointment,
            )
        return redirect("appointment:detail", signed=signed, permanent=False)
    if refusal := _refusal(appointment, now, "cancelled"):
        return _problem(request, CONFLICT, "This appointment cannot be cancelled online", refusal, appointment)
    # A consultation takes the treatments booked on its strength with it: say so before the patient agrees.
    return _render(request, "cancel", {**_summary(appointment, request), "also": resting_on(appointment, now)})


# --- Confirming a new e-mail address -------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, signed: str) -> HttpResponse:
    """The link e-mailed to a new address. GET asks (mail scanners open links too); POST confirms."""
    appointment = _load(request, signed)
    if isinstance(appointment, HttpResponse):
        return appointment
    if appointment.status in (Status.CONFIRMED, Status.ARRIVED, Status.COMPLETED):
        return redirect("appointment:detail", signed=signed, permanent=False)
    now = timezone.now()
    if appointment.status != Status.HELD or not appointment.is_blocking(now):
        return _problem(
            request,
            CONFLICT,
            "This booking was not confirmed in time",
            f"We held this time until {format_local(appointment.held_until)} and then released it. "
            "You are welcome to book again: choose a new time online, or phone the clinic.",
            appointment,
        )
    if request.method == "POST":
        try:
            confirm_appointment(appointment, now=now, by=PATIENT_BY_LINK)
        except BookingError as error:  # lapsed meanwhile, or the consultation it needed has gone
            return _problem(request, CONFLICT, "We could not confirm this booking", error.message, appointment)
        return redirect(reverse("appointment:detail", args=[signed]) + "?confirmed=1")
    context = {**_summary(appointment, request), "confirm_by": format_local(appointment.held_until)}
    return _render(request, "confirm", context)


# --- Moving ------------------------------------------------------------------------------------


def _last_day(appointment: Appointment, now: datetime) -> date:
    return local(now + timedelta(days=appointment.service.booking_horizon_days)).date()


def _parse_day(raw: str | None, appointment: Appointment, now: datetime) -> date:
    """The day asked for (?day=YYYY-MM-DD, today if none), if it is one the patient can move to."""
    today, last_day = local(now).date(), _last_day(appointment, now)
    if raw in (None, ""):
        return today
    try:
        if len(raw) != 10:
            raise ValueError
        day = date.fromisoformat(raw)
    except ValueError as error:
        raise BookingError("Please choose a day from the list (a date looks like 2026-03-31).") from error
    if day < today:
        raise BookingError("That day has passed. Please choose a day from today on.")
    if day > last_day:
        service = appointment.service
        raise BookingError(
            f"'{service.name}' can be booked up to {service.booking_horizon_days} days ahead, so the last day "
            f"you can move to is {long_date(last_day, weekday=True)}."
        )
    return day


def _move_page(
    request: HttpRequest, appointment: Appointment, now: datetime, day: date, error: str = "", status: int = 200
) -> HttpResponse:
    """The free times for the same service at the same clinic, a week of days at a time from `day`."""
    today, last_day = local(now).date(), _last_day(appointment, now)
    day = min(max(day, today), last_day)
    shown = [day + timedelta(days=n) for n in range(DAYS_SHOWN) if day + timedelta(days=n) <= last_day]
    slots = find_slots(
        appointment.service,
        wall_clock_to_utc(shown[0], datetime.min.time()),
        wall_clock_to_utc(shown[-1] + timedelta(days=1), datetime.min.time()),
        location=appointment.location,
        now=now,
    )
    by_day = {key: list(group) for key, group in groupby(slots, key=lambda slot: local(slot.start).date())}
    names = dict(
        Practitioner.objects.filter(pk__in={slot.practitioner_id for slot in by_day.get(day, ())}).values_list(
            "pk", "display_name"
        )
    )
    times = [
        {
            "value": f"{slot.start.isoformat()}|{slot.practitioner_id}",
            "time": f"{local(slot.start):%H:%M %Z}",
            "practitioner": names.get(slot.practitioner_id, ""),
            "same_practitioner": slot.practitioner_id == appointment.practitioner_id,
        }
        for slot in by_day.get(day, ())
    ]
    context = _summary(appointment, request)
    context.update(
        {
            "day": day,
            "day_label": long_date(day, weekday=True),
            "days": [
                {
                    "value": d.isoformat(),
                    "label": f"{d:%a} {d.day} {d:%b}",
                    "count": len(by_day.get(d, ())),
                    "current": d == day,
                }
                for d in shown
            ],
            "earlier": max(day - timedelta(days=DAYS_SHOWN), today).isoformat() if day > today else "",
            "later": (day + timedelta(days=DAYS_SHOWN)).isoformat()
            if day + timedelta(days=DAYS_SHOWN) <= last_day
            else "",
            "times": times,
            "error": error,
        }
    )
    return _render(request, "move", context, status=status)


def _parse_choice(raw: str | None) -> tuple[datetime, Practitioner]:
    """A move form choice, 'start-in-ISO-8601|practitioner-id', as an aware start and a practitioner."""
    try:
        raw_start, raw_practitioner = (raw or "").split("|")
        start = datetime.fromisoformat(raw_start)
        practitioner_id = int(raw_practitioner)
        if timezone.is_naive(start):
            raise ValueError("no time zone")
        start = start.astimezone(UTC)
        local(start)  # in range in UK time too
    except (ValueError, OverflowError) as error:
        raise BookingError("Please choose one of the free times listed.") from error
    practitioner = Practitioner.objects.filter(pk=practitioner_id).first()
    if practitioner is None:
        raise BookingError("Please choose one of the free times listed.")
    return start, practitioner


@never_cache
@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, signed: str) -> HttpResponse:
    """GET ?day=YYYY-MM-DD: free times from that day. POST slot=...: move the appointment there."""
    appointment = _load(request, signed)
    if isinstance(appointment, HttpResponse):
        return appointment
    now = timezone.now()
    if refusal := _refusal(appointment, now, "moved"):
        return _problem(request, CONFLICT, "This appointment cannot be moved online", refusal, appointment)
    today = local(now).date()
    if request.method == "GET":
        try:
            day = _parse_day(request.GET.get("day"), appointment, now)
        except BookingError as error:
            return _move_page(request, appointment, now, today, error=error.message, status=BAD_REQUEST)
        return _move_page(request, appointment, now, day)

    day = today
    try:
        start, practitioner = _parse_choice(request.POST.get("slot"))
        day = local(start).date()
        new = move_appointment(appointment, start, practitioner=practitioner, now=now, by=PATIENT_BY_LINK)
    except CancellationRefused as error:
        return _problem(
            request,
            CONFLICT,
            "This appointment cannot be moved online",
            _explain(appointment, error.message),
            appointment,
        )
    except SlotUnavailable as error:
        appointment.refresh_from_db(fields=["status"])  # the move rolled back
        return _move_page(request, appointment, now, day, error=error.message, status=CONFLICT)
    except BookingError as error:
        appointment.refresh_from_db(fields=["status"])
        return _move_page(request, appointment, now, day, error=error.message, status=BAD_REQUEST)
    return redirect(links.appointment_path(new) + "?moved=1")
