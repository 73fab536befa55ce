"""The public booking flow: treatment → clinic → day and time → details → check and confirm.

Every step is a plain page: links and GET forms to move forward, POST forms for the two writes (holding
the time when the details are sent, then confirming it), so it all works without JavaScript. HTMX only
swaps the list of times when a day is picked. Writes go through `services`; nothing here logs a
patient's details, and none travel in a URL.

A hold belongs to the browser that made it: its id is kept in the session, and the check and
confirmation pages answer 404 to any other browser. Every page is `never_cache`: times change by the
minute, and the later pages show personal details.
"""

import hashlib
import re
from contextlib import suppress
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vial.audit.log import PATIENT_ONLINE
from vial.core.params import query_param
from vial.core.phones import national
from vial.website.models import TreatmentPage

from . import services, throttle
from .availability import Slot
from .catalogue import bookable_services, booking_order, first_step
from .forms import DetailsForm, midnight, parse_slot_key, slot_key
from .models import Appointment, Location, Practitioner, Service, local
from .queries import find_slots
from .services import (
    HOLD_MINUTES,
    AlreadyBooked,
    BookingError,
    CancellationRefused,
    NeedsConsultation,
    NotEligible,
    SlotUnavailable,
    TooSoon,
    long_date,
)
from .slot_cache import free_times
from .state_machine import Status

HOLDS_KEY = "booking_holds"  # ids of the holds this browser made, newest last
HOLDS_KEPT = 5
WINDOW_DAYS = 14  # days of free times shown at once
KIND_HELP = {
    Service.Kind.CONSULTATION: "An assessment and a talk through the options. No treatment on the day.",
    Service.Kind.COMBINED: "An assessment and, if it is right for you, the treatment in the same visit.",
    Service.Kind.TREATMENT: "For patients who have already had their consultation with us.",
    Service.Kind.REVIEW: "A check-up after your treatment.",
}
STEPS = ["Treatment", "Clinic", "Day and time", "Your details", "Check and confirm"]
ID = re.compile(r"[0-9]{1,12}")


# --- Lookups -----------------------------------------------------------------------------------


def get_service(service_id: int) -> Service:
    service = bookable_services().filter(pk=service_id).first()
    if service is None:
        raise Http404("No such service can be booked online.")
    return service


def locations_for(service: Service):
    """Active clinics where someone who may give `service` works."""
    links = Practitioner.locations.through.objects.filter(practitioner__active=True, practitioner__services=service)
    if service.needs_prescriber:
        links = links.filter(practitioner__is_prescriber=True)
    return Location.objects.filter(active=True, pk__in=links.values("location_id")).select_related("page")


def as_id(value) -> int | None:
    value = value if isinstance(value, str) else ""
    return int(value) if ID.fullmatch(value) else None


def parse_day(value: str) -> tuple[date | None, bool]:
    """(date, understood): '' is (None, True); junk is (None, False)."""
    if not value:
        return None, True
    try:
        return date.fromisoformat(value), True
    except ValueError:
        return None, False


def practitioner_names(ids) -> dict[int, str]:
    return dict(Practitioner.objects.filter(pk__in=set(ids)).values_list("pk", "display_name"))


def local_date(moment: datetime) -> date:
    return local(moment).date()


def long_time(moment: datetime) -> str:
    """e.g. 'Tuesday 3 March 2026 at 09:30 GMT': the clinic's wall-clock time with its zone named."""
    moment = local(moment)
    return f"{long_date(moment.date(), weekday=True)} at {moment:%H:%M %Z}"


def options(slots: list[Slot], with_names: bool = True) -> list[dict]:
    """Slots as choices for a template: key, label, and the practitioner's name."""
    names = practitioner_names(s.practitioner_id for s in slots) if with_names else {}
    return [
        {
            "key": slot_key(s.start, s.practitioner_id),
            "time": f"{local(s.start):%H:%M %Z}",
            "label": long_time(s.start),
            "with": names.get(s.practitioner_id, ""),
        }
        for s in slots
    ]


def step_context(step: int, service: Service | None = None, location: Location | None = None) -> dict:
    return {"steps": STEPS, "step": step, "service": service, "location": location}


def times_url(service: Service, location: Location | int, **params) -> str:
    query = {"location": getattr(location, "pk", location), **{k: v for k, v in params.items() if v}}
    return f"{reverse('booking:times', args=[service.pk])}?{urlencode(query)}"


def remember_hold(request, hold_pk: int) -> None:
    holds = [pk for pk in request.session.get(HOLDS_KEY, []) if isinstance(pk, int) and pk != hold_pk]
    request.session[HOLDS_KEY] = [*holds, hold_pk][-HOLDS_KEPT:]


def own_appointment(request, pk: int) -> Appointment:
    """One of this browser's holds (404 for anyone else's)."""
    if pk not in request.session.get(HOLDS_KEY, []):
        raise Http404("No such booking in this browser.")
    appointment = (
        Appointment.objects.select_related("service", "service__treatment", "location__page", "practitioner")
        .filter(pk=pk)
        .first()
    )
    if appointment is None:
        raise Http404("No such booking.")
    return appointment


def browser_digest(request) -> str:
    """A digest of this browser's session key ('' before it has one), kept on its holds."""
    key = request.session.session_key
    return hashlib.sha256(f"booking-browser:{key}".encode()).hexdigest() if key else ""


def own_hold_of(request, service: Service, start: datetime, practitioner_id: int, now: datetime) -> int | None:
    """The id of this browser's live hold on that time, if it has one.

    Found by the holds listed in the session, or by the browser's digest on the hold: a second click
    that raced the first one has a session that does not list the hold yet.
    """
    holds = [pk for pk in request.session.get(HOLDS_KEY, []) if isinstance(pk, int)]
    digest = browser_digest(request)
    if not holds and not digest:
        return None
    mine = Q(pk__in=holds) | Q(held_by=digest) if digest else Q(pk__in=holds)
    return (
        Appointment.objects.filter(
            mine,
            service=service,
            start=start,
            practitioner_id=practitioner_id,
            status=Status.HELD,
            held_until__gt=now,
        )
        .values_list("pk", flat=True)
        .first()
    )


def last_details(request) -> dict:
    """The details given for this browser's latest hold, to fill in the form again after a lapse."""
    holds = request.session.get(HOLDS_KEY, [])
    if not holds:
        return {}
    row = (
        Appointment.objects.filter(pk=holds[-1])
        .values("patient_name", "patient_email", "patient_phone", "patient_date_of_birth")
        .first()
    )
    if not row:
        return {}
    return {
        "name": row["patient_name"],
        "email": row["patient_email"],
        "phone": row["patient_phone"],
        "date_of_birth": row["patient_date_of_birth"],
    }


# --- Step 1: treatment and service --------------------------------------------------------------


@never_cache
@require_GET
def start(request):
    """Everything bookable online, or one treatment's services (`?treatment=<TreatmentPage id>`)."""
    services_list = list(bookable_services())
    treatment, notice, general_note = None, "", ""
    raw = query_param(request, "treatment", max_length=20)
    if raw:
        wanted = as_id(raw)
        step = first_step(wanted, services_list)  # the same rule as the treatment page's call to action
        page = None
        if step.general and step.bookable and wanted is not None:
            page = TreatmentPage.objects.live().filter(pk=wanted).first()
        if step.bookable and not step.general:
            treatment, services_list = step.service.treatment, list(step.services)
        elif page is not None:  # none of its own: it starts with a general consultation
            treatment, services_list = page, list(step.services)
            general_note = (
                f"{page.title} starts with a general consultation: the clinician assesses you, talks the "
                "options through and books any treatment with you."
            )
        else:
            notice = (
                "We could not find online booking for that treatment. Here is everything you can book online; "
                "or phone the clinic and we will help."
            )
    services_list.sort(key=booking_order)
    groups: list[dict] = []
    for service in services_list:
        if not groups or groups[-1]["treatment"] != service.treatment:
            groups.append({"treatment": service.treatment, "services": []})
        groups[-1]["services"].append({"service": service, "help": KIND_HELP.get(service.kind, "")})
    context = {
        **step_context(1),
        "treatment": treatment,
        "groups": groups,
        "notice": notice,
        "general_note": general_note,
    }
    return render(request, "booking/flow/start.html", context)


# --- Step 2: clinic ----------------------------------------------------------------------------


def render_location_step(request, service: Service, error: str = "", status: int = 200):
    locations = list(locations_for(service))
    chosen = as_id(query_param(request, "location", max_length=20))
    if chosen is None and len(locations) == 1:
        chosen = locations[0].pk
    context = {**step_context(2, service), "locations": locations, "chosen": chosen, "error": error}
    return render(request, "booking/flow/location.html", context, status=status)


@never_cache
@require_GET
def choose_location(request, service_id: int):
    return render_location_step(request, get_service(service_id))


def chosen_location(request, service: Service, data) -> Location | None:
    location_id = as_id(data.get("location", ""))
    if location_id is None:
        return None
    return locations_for(service).filter(pk=location_id).first()


# --- Step 3: day and time ----------------------------------------------------------------------


@never_cache
@require_GET
def times(request, service_id: int):
    """The days with free times in a two-week window, and the free times on one of them."""
    service = get_service(service_id)
    location = chosen_location(request, service, request.GET)
    if location is None:
        return render_location_step(request, service, error="Choose a clinic from the list.")
    response = render_times(request, service, location)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def render_times(request, service: Service, location: Location, error: str = ""):
    now = timezone.now()
    today = local_date(now)
    last = local_date(now + timedelta(days=service.booking_horizon_days))
    notes = []
    first, first_ok = parse_day(query_param(request, "from", max_length=10))
    day, day_ok = parse_day(query_param(request, "day", max_length=10))
    if not (first_ok and day_ok):
        notes.append("We did not understand that date, so here are the next free days.")
    horizon_note = (
        f"'{service.name}' can be booked up to {service.booking_horizon_days} days ahead, so the last day we can "
        f"show is {long_date(last, weekday=True)}."
    )
    if day and day < today:
        notes.append(f"{long_date(day, weekday=True)} has passed, so here are the next free days.")
        day = None
    elif day and day > last:
        notes.append(horizon_note)
        day = None
    if first and first > last:
        notes.append(horizon_note)
        first = None
    first = max(first or today, today)
    if day and not first <= day < first + timedelta(days=WINDOW_DAYS):
        first = day
    slots = free_times(service, midnight(first), midnight(first + timedelta(days=WINDOW_DAYS)), location=location)
    by_day: dict[date, list[Slot]] = {}
    seen = set()
    for slot in slots:  # one choice per start time: the first practitioner free then
        if slot.start not in seen:
            seen.add(slot.start)
            by_day.setdefault(local_date(slot.start), []).append(slot)
    if day and day not in by_day:
        notes.append(f"There are no free times on {long_date(day, weekday=True)}. Please choose another day.")
        day = None
    day = day or next(iter(by_day), None)
    window_end = min(first + timedelta(days=WINDOW_DAYS - 1), last)
    later = first + timedelta(days=WINDOW_DAYS)
    context = {
        **step_context(3, service, location),
        "days": [{"date": d, "count": len(s)} for d, s in by_day.items()],
        "day": day,
        "day_label": long_date(day, weekday=True) if day else "",
        "times": options(by_day.get(day, []), with_names=False),
        "first": first,
        "window": f"{long_date(first, weekday=True)} to {long_date(window_end, weekday=True)}",
        "earlier_url": times_url(service, location, **{"from": max(today, first - timedelta(days=WINDOW_DAYS))})
        if first > today
        else "",
        "later_url": times_url(service, location, **{"from": later}) if later <= last else "",
        "notes": notes,
        "error": error,
    }
    htmx = request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
    if htmx and request.headers.get("HX-Target") == "booking-slots":
        return render(request, "booking/flow/_slots.html", {**context, "partial": True})
    return render(request, "booking/flow/times.html", context)


# --- Step 4: details (the time is held when they are sent) -------------------------------------


def plausible(start: datetime, service: Service, now: datetime) -> bool:
    """Within a day of now and the booking horizon: anything else cannot be a real slot."""
    return now - timedelta(days=1) <= start <= now + timedelta(days=service.booking_horizon_days + 1)


@never_cache
@require_http_methods(["GET", "POST"])
def details(request, service_id: int):
    service = get_service(service_id)
    data = request.POST if request.method == "POST" else request.GET
    location = chosen_location(request, service, data)
    if location is None:
        return render_location_step(request, service, error="Choose a clinic from the list.")
    parsed = parse_slot_key(data.get("slot", ""))
    if parsed is None:
        return render_times(request, service, location, error="Choose a time from the list.")
    start, practitioner_id = parsed
    now = timezone.now()
    context = {
        **step_context(4, service, location),
        "slot": slot_key(start, practitioner_id),
        "when": long_time(start),
        "times_url": times_url(service, location, day=local_date(start).isoformat()),
        "hold_minutes": HOLD_MINUTES,
    }
    if request.method == "GET":
        anchor = start if plausible(start, service, now) else now
        free = find_slots(
            service, anchor, anchor + timedelta(days=services.ALTERNATIVES_DAYS), location=location, now=now
        )
        if not any(s.start == start and s.practitioner_id == practitioner_id for s in free):
            mine = own_hold_of(request, service, start, practitioner_id, now)
            if mine is not None:  # back from the check page: the time is held by this very browser
                return redirect("booking:check", pk=mine)
            return render_details(
                request,
                context,
                None,
                problem="Sorry, that time is no longer free. Here are the next free times.",
                alternatives=free[: services.ALTERNATIVES],
            )
        form = DetailsForm(initial=last_details(request))
        context["practitioner"] = practitioner_names([practitioner_id]).get(practitioner_id, "")
        request.session.setdefault(HOLDS_KEY, [])  # a session before the POST: a double-click shares it
        return render_details(request, context, form)

    form = DetailsForm(request.POST)
    practitioner = Practitioner.objects.filter(pk=practitioner_id, active=True).first()
    context["practitioner"] = practitioner.display_name if practitioner else ""
    if not form.is_valid():
        return render_details(request, context, form)
    if practitioner is None or not plausible(start, service, now):
        alternatives = services.next_free_slots(service, location, now, now)
        return render_details(
            request, context, form, problem="Sorry, that time is not available.", alternatives=alternatives
        )
    if mine := own_hold_of(request, service, start, practitioner_id, now):  # "Hold this time" clicked again
        return keep_own_hold(request, mine)
    try:
        allowance = throttle.check_booking_allowed(request, form.cleaned_data["email"])
    except throttle.Throttled as refused:
        response = render_details(request, context, form, problem=refused.message)
        response.status_code = 429
        response["Retry-After"] = str(refused.retry_after)
        return response
    try:
        with allowance:  # a refusal held nothing: its count is given back (booking.throttle)
            appointment = services.book_appointment(
                service,
                practitioner,
                location,
                start,
                form.patient(),
                hold=True,
                now=now,
                by=PATIENT_ONLINE,
                held_by=browser_digest(request),
            )
    except (SlotUnavailable, AlreadyBooked) as refused:
        if mine := own_hold_of(request, service, start, practitioner_id, now):  # lost only to its own first click
            return keep_own_hold(request, mine)
        return render_details(
            request, context, form, problem=refused.message, alternatives=getattr(refused, "alternatives", ())
        )
    except NeedsConsultation as refused:
        consultations = [
            {"service": c, "url": f"{reverse('booking:location', args=[c.pk])}?{urlencode({'location': location.pk})}"}
            for c in refused.consultations
        ]
        return render_details(request, context, form, problem=refused.message, consultations=consultations)
    except TooSoon as refused:
        last = local_date(now + timedelta(days=service.booking_horizon_days))
        later = times_url(service, location, day=refused.earliest.isoformat()) if refused.earliest <= last else ""
        return render_details(
            request, context, form, problem=refused.message, earliest_url=later, earliest=refused.earliest
        )
    except NotEligible as refused:
        return render_details(request, context, form, problem=refused.message, refused=True)
    except BookingError as refused:
        return render_details(request, context, form, problem=refused.message)
    remember_hold(request, appointment.pk)
    throttle.release_oldest_holds(request.session[HOLDS_KEY], settings.BOOKING_HOLDS_PER_BROWSER, now)
    return redirect("booking:check", pk=appointment.pk)


def keep_own_hold(request, pk: int):
    """The browser already holds this time: on to its check page, as if the first click had answered."""
    remember_hold(request, pk)
    return redirect("booking:check", pk=pk)


def render_details(request, context, form, problem="", alternatives=(), **extra):
    """The details page; `problem` (with alternatives or other ways on) when the time could not be held."""
    if extra.get("earliest"):
        extra["earliest_label"] = long_date(extra["earliest"], weekday=True)
    context = {**context, "form": form, "problem": problem, "alternatives": options(list(alternatives)), **extra}
    return render(request, "booking/flow/details.html", context)


# --- Step 5: check and confirm -----------------------------------------------------------------


def summary(appointment: Appointment, step: int = 5) -> dict:
    return {
        "appointment": appointment,
        "phone": national(appointment.patient_phone),
        "when": long_time(appointment.start),
        "until": f"{local(appointment.end):%H:%M %Z}",
        "held_until": f"{local(appointment.held_until):%H:%M %Z}" if appointment.held_until else "",
        **step_context(step, appointment.service, appointment.location),
    }


def render_lapsed(request, appointment: Appointment, message: str, alternatives=None):
    now = timezone.now()
    if alternatives is None:
        after = max(appointment.start, now)
        alternatives = services.next_free_slots(appointment.service, appointment.location, after, now)
    context = {
        **summary(appointment),
        "problem": message,
        "alternatives": options(list(alternatives)),
        "times_url": times_url(appointment.service, appointment.location),
    }
    return render(request, "booking/flow/check.html", context)


LAPSED = (
    f"Sorry, we held this time for {HOLD_MINUTES} minutes and that has run out. Choose a time below "
    "(it may still be among them) and we will hold it again."
)


@never_cache
@require_http_methods(["GET", "POST"])
def check(request, pk: int):
    """The held time and the details, to check; POST confirms the booking."""
    appointment = own_appointment(request, pk)
    now = timezone.now()
    if appointment.status not in (Status.HELD, Status.CANCELLED):
        return redirect("booking:done", pk=appointment.pk)
    if request.method == "GET":
        if appointment.status == Status.CANCELLED or not appointment.is_blocking(now):
            return render_lapsed(request, appointment, LAPSED if appointment.status == Status.HELD else RELEASED)
        return render(request, "booking/flow/check.html", summary(appointment))
    if appointment.status == Status.CANCELLED:
        return render_lapsed(request, appointment, RELEASED)
    try:
        services.confirm_online(appointment, now=now, by=PATIENT_ONLINE)
    except SlotUnavailable as refused:
        return render_lapsed(request, appointment, refused.message, refused.alternatives)
    except BookingError as refused:
        appointment.refresh_from_db(fields=["status"])
        if appointment.status in (Status.CONFIRMED, Status.ARRIVED, Status.COMPLETED):
            return redirect("booking:done", pk=appointment.pk)  # e.g. a second click on Confirm
        return render_lapsed(request, appointment, refused.message)
    if appointment.status == Status.HELD:  # a new e-mail address: the link we sent confirms it
        return redirect("booking:check", pk=appointment.pk)
    return redirect("booking:done", pk=appointment.pk)


RELEASED = "This time is no longer held for you. Choose a time below and we will hold it again."


@never_cache
@require_POST
def release(request, pk: int):
    """Give up a hold (the patient wants another time): the time is freed at once."""
    appointment = own_appointment(request, pk)
    if appointment.status == Status.HELD:
        with suppress(CancellationRefused):  # it lapsed or was released meanwhile: nothing to give up
            services.cancel_appointment(appointment, note="Given up by the patient", by=PATIENT_ONLINE)
    if request.POST.get("then") == "details":  # to correct the details: the same time, the form filled in
        query = urlencode(
            {"location": appointment.location_id, "slot": slot_key(appointment.start, appointment.practitioner_id)}
        )
        return redirect(f"{reverse('booking:details', args=[appointment.service_id])}?{query}")
    return redirect(times_url(appointment.service, appointment.location, day=local_date(appointment.start)))


@never_cache
@require_GET
def done(request, pk: int):
    appointment = own_appointment(request, pk)
    if appointment.status in (Status.HELD, Status.CANCELLED):
        return redirect("booking:check", pk=appointment.pk)
    return render(request, "booking/flow/done.html", summary(appointment, step=len(STEPS) + 1))
