"""The booking JSON API (django-ninja), version 1: services, availability, bookings, cancellation.

Mounted at /api/v1/; the OpenAPI document is /api/v1/openapi.json. The endpoints are for patients
(a clinic's own site, an app), so there is no login, and so no CSRF check either: ninja checks CSRF
only for cookie-based authentication, and these endpoints read no cookie.

The views stay thin: the booking services validate and write (`services.book_appointment`,
`services.cancel_appointment`), the engine finds free times (`queries.find_slots`). Every error
is JSON with a `message` for people and a `code` for programs, the request validation errors and
404s of ninja and Django included:

    400 bad_request            a booking the services refuse (practitioner, notice, horizon), unreadable JSON
    404 not_found              an unknown service, location, practitioner, cancel token or URL
    405 method_not_allowed     a known URL with the wrong method
    409 slot_unavailable       the time has gone; `alternatives` lists the next free times
    409 not_cancellable        already cancelled, past the online cancellation window, or over
    422 invalid                fields that fail validation (`errors` lists them), impossible date ranges
    422 not_eligible / needs_consultation / too_soon   the patient may not book this (yet)
    413 content_too_large      a body over API_MAX_BODY_BYTES (64 KB), refused unread (core.json_api)
    415 unsupported_media_type a body that is not application/json (no cross-site form posts)
    429 too_many_requests      too many bookings from one address or for one e-mail address
                               (booking.throttle: only bookings that land count, refusals do not);
                               `Retry-After` says when to try again
"""

import logging
import warnings
from datetime import date, datetime, timedelta
from http import HTTPStatus

from django.db import OperationalError, transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from ninja import Header, NinjaAPI, Query, Status
from ninja.errors import HttpError, ValidationError

from vial.audit.log import PATIENT_BY_API

from . import idempotency, services, throttle
from .availability import Slot, wall_clock_to_utc
from .catalogue import bookable_services
from .diary_setup import current_setup
from .models import Location, Practitioner, Service, format_local, local
from .queries import find_slots
from .schemas import (
    MAX_RANGE_DAYS,
    AvailabilityOut,
    AvailabilityQuery,
    BookingIn,
    BookingOut,
    CancelOut,
    ErrorOut,
    PendingBookingOut,
    ServiceOut,
    SlotTakenOut,
    UnprocessableOut,
)
from .slot_cache import free_times
from .state_machine import Status as AppointmentStatus

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="Vial booking API",
    version="1",
    urls_namespace="api-v1",
    description=(
        "Book appointments at the clinic: list services, find free times, book, cancel. "
        "Times are ISO 8601 in Europe/London with their offset; every error is JSON with a `message`."
    ),
)

#: A cancel token as `models.new_cancel_token` makes them (URL-safe base64); anything else is unknown.
TOKEN_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
TOKEN_MAX_LENGTH = 64
ONE_MICROSECOND = timedelta(microseconds=1)


def error(status: int, message: str, code: str, **extra) -> Status:
    return Status(status, {"message": message, "code": code, **extra})


def today() -> date:
    return local(timezone.now()).date()


# --- Errors from ninja and Django, as JSON with a message ----------------------------------------


def _code(status: int) -> str:
    return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")


def _field_name(loc) -> str:
    # ninja's locations start with the source ("body", "query", "path") and, for bodies, the argument name.
    parts = [str(part) for part in loc if part not in ("body", "query", "path", "payload")]
    return ".".join(parts) or "request"


@api.exception_handler(ValidationError)
def invalid_request(request, exc: ValidationError):
    errors = [
        {
            "loc": [part for part in item.get("loc", ()) if isinstance(part, str | int)],
            "msg": str(item.get("msg", "")).removeprefix("Value error, "),
            "type": str(item.get("type", "")),
        }
        for item in exc.errors
    ]
    detail = "; ".join(f"{_field_name(item['loc'])}: {item['msg']}" for item in errors)
    return api.create_response(
        request,
        {"message": f"Please check the request. {detail}".strip(), "code": "invalid", "errors": errors},
        status=422,
    )


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return api.create_response(request, {"message": str(exc), "code": _code(exc.status_code)}, status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return api.create_response(request, {"message": "Not found.", "code": "not_found"}, status=404)


@api.exception_handler(throttle.Throttled)
def too_many_requests(request, exc: throttle.Throttled):
    response = api.create_response(request, {"message": exc.message, "code": "too_many_requests"}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(OperationalError)
def database_busy(request, exc: OperationalError):
    logger.warning("Booking API: database busy (%s)", type(exc).__name__)
    response = api.create_response(
        request, {"message": "The diary is busy. Please try again in a moment.", "code": "busy"}, status=503
    )
    response["Retry-After"] = "1"
    return response


@api.exception_handler(Exception)
def server_error(request, exc: Exception):
    logger.exception("Booking API: unexpected error on %s %s", request.method, request.path)
    return api.create_response(
        request,
        {"message": "Sorry, something went wrong on our side. Please try again or phone the clinic.", "code": "error"},
        status=500,
    )


# --- Shaping answers -----------------------------------------------------------------------------


def slot_rows(slots: list[Slot]) -> list[dict]:
    """Slots as the API shows them: local times, and the practitioner and clinic by id and name.

    Names come from the cached diary set-up; one query only if someone is missing from it.
    """
    setup = current_setup()
    names = {pk: person.name for pk, person in setup.practitioners.items()}
    locations = {pk: location.name for pk, location in setup.locations.items()}
    if any(slot.practitioner_id not in names or slot.location_id not in locations for slot in slots):
        names.update(
            Practitioner.objects.filter(pk__in={s.practitioner_id for s in slots}).values_list("pk", "display_name")
        )
        locations.update(Location.objects.filter(pk__in={s.location_id for s in slots}).values_list("pk", "name"))
    return [
        {
            "start": local(slot.start).isoformat(),
            "end": local(slot.end).isoformat(),
            "practitioner": {"id": slot.practitioner_id, "name": names[slot.practitioner_id]},
            "location": {"id": slot.location_id, "name": locations[slot.location_id]},
        }
        for slot in slots
    ]


def named(obj, name_attribute: str = "name") -> dict:
    return {"id": obj.pk, "name": getattr(obj, name_attribute)}


class NotFound(Exception):
    """An id the API does not know; answered 404 with the message."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@api.exception_handler(NotFound)
def unknown(request, exc: NotFound):
    return api.create_response(request, {"message": exc.message, "code": "not_found"}, status=404)


def unknown_service(pk: int) -> NotFound:
    return NotFound(f"There is no service {pk} open for online booking. GET /api/v1/services lists them.")


def unknown_location(pk: int) -> NotFound:
    return NotFound(f"There is no clinic {pk} taking online bookings. GET /api/v1/services lists them.")


def active_service(pk: int) -> Service:
    """A service patients may book online (the web flow's rule: `catalogue.bookable_services`), else 404.

    Staff in the diary may book any active service (diary_forms.BookForm): they book by phone, when a
    treatment is not offered online or its page is withdrawn; the API and the web flow are for patients.
    """
    service = bookable_services().filter(pk=pk).first()
    if service is None:
        raise unknown_service(pk)
    return service


def active_location(pk: int) -> Location:
    location = Location.objects.filter(pk=pk, active=True).first()
    if location is None:
        raise unknown_location(pk)
    return location


# --- Services --------------------------------------------------------------------------------------


@api.get("/services", response={200: list[ServiceOut]}, summary="Services open for online booking")
def list_services(request):
    """Every service open for online booking (the web flow's rule: `catalogue.bookable_services`), with its
    treatment, length, price, deposit, and the clinics where it can be booked.

    Three queries whatever the number of services.
    """
    service_list = list(bookable_services().order_by("name"))
    givers: dict[int, set[int]] = {}
    links = Practitioner.services.through.objects.filter(
        service__in=service_list, practitioner__active=True
    ).values_list("service_id", "practitioner_id", "practitioner__is_prescriber")
    for service_id, practitioner_id, is_prescriber in links:
        givers.setdefault(service_id, set()).add((practitioner_id, is_prescriber))
    works_at: dict[int, set[int]] = {}
    location_names: dict[int, str] = {}
    for practitioner_id, location_id, location_name in Practitioner.locations.through.objects.filter(
        location__active=True, practitioner__active=True
    ).values_list("practitioner_id", "location_id", "location__name"):
        works_at.setdefault(practitioner_id, set()).add(location_id)
        location_names[location_id] = location_name

    def locations_for(service: Service) -> list[dict]:
        ids = set()
        for practitioner_id, is_prescriber in givers.get(service.pk, ()):
            if is_prescriber or not service.needs_prescriber:
                ids |= works_at.get(practitioner_id, set())
        return sorted(({"id": pk, "name": location_names[pk]} for pk in ids), key=lambda row: row["name"])

    return [
        {
            "id": service.pk,
            "name": service.name,
            "kind": service.kind,
            "treatment": {"id": service.treatment.pk, "title": service.treatment.title} if service.treatment else None,
            "duration_minutes": service.duration_minutes,
            "price": f"{service.price:.2f}",
            "deposit_required": service.deposit_required,
            "needs_prescriber": service.needs_prescriber,
            "minimum_notice_hours": service.minimum_notice_hours,
            "booking_horizon_days": service.booking_horizon_days,
            "cancellation_window_hours": service.cancellation_window_hours,
            "locations": locations_for(service),
        }
        for service in service_list
    ]


# --- Availability ----------------------------------------------------------------------------------


@api.get(
    "/availability",
    response={200: AvailabilityOut, 404: ErrorOut, 422: UnprocessableOut},
    summary="Free times for a service",
)
def availability(request, query: Query[AvailabilityQuery]):
    """Free times for `service` from `start` to `end` (UK dates, both included), at one clinic or all.

    Honours rotas, time off, other appointments and their buffers, rooms, minimum notice and the
    booking horizon. One entry per practitioner free at a time, sorted by start. Only for services
    open for online booking (those /services lists): any other answers 404.
    """
    start, end = query.start, query.end
    first_day = today()
    if start < first_day:
        return error(422, f"The start date {start.isoformat()} has passed. Please start today or later.", "invalid")
    if end < start:
        return error(422, "The end date is before the start date.", "invalid")
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        return error(422, f"Please ask for at most {MAX_RANGE_DAYS} days at a time.", "invalid")
    # Service and clinic from the cached set-up, which holds every active service (staff book any of
    # them in the diary, by phone). Patients are offered free times only for what they can book online:
    # the one rule of the web flow and of POST /bookings (`catalogue.bookable_services`), one indexed
    # query; otherwise a free-times answer reads nothing but appointments.
    setup = current_setup()
    found = setup.services.get(query.service)
    if found is None or not bookable_services().filter(pk=query.service).exists():
        raise unknown_service(query.service)
    place = None
    if query.location is not None:
        place = setup.locations.get(query.location)
        if place is None:
            raise unknown_location(query.location)
    bookable_until = first_day + timedelta(days=found.booking_horizon_days)
    if start > bookable_until:
        return error(
            422,
            f"'{found.name}' can be booked up to {found.booking_horizon_days} days ahead, so until "
            f"{services.long_date(bookable_until)}.",
            "invalid",
        )
    window_start = wall_clock_to_utc(start, datetime.min.time())
    window_end = wall_clock_to_utc(end + timedelta(days=1), datetime.min.time())
    slots = free_times(found, window_start, window_end, location=place, setup=setup)
    # Written straight to JSON: the answer is large (hundreds of slots) and built here in the
    # schema's shape, so validating it field by field would cost more than finding the slots.
    # The schema tests (schemathesis) hold it to AvailabilityOut.
    response = JsonResponse(
        {
            "service": named(found),
            "location": named(place) if place else None,
            "start": start,
            "end": end,
            "time_zone": "Europe/London",
            "bookable_until": bookable_until,
            "slots": slot_rows(slots),
        }
    )
    add_never_cache_headers(response)  # free times change with every booking: no shared cache may keep them
    return response


# --- Bookings --------------------------------------------------------------------------------------


def slot_taken(refusal: services.SlotUnavailable) -> Status:
    return error(409, refusal.message, "slot_unavailable", alternatives=slot_rows(refusal.alternatives))


@api.post(
    "/bookings",
    response={
        201: BookingOut,
        202: PendingBookingOut,
        400: ErrorOut,
        404: ErrorOut,
        409: SlotTakenOut,
        413: ErrorOut,
        415: ErrorOut,
        422: UnprocessableOut,
        429: ErrorOut,
        503: ErrorOut,
    },
    summary="Book an appointment",
)
def create_booking(
    request,
    payload: BookingIn,
    response: HttpResponse,
    idempotency_key: str | None = Header(
        None,
        alias=idempotency.HEADER,
        min_length=1,
        max_length=255,
        pattern=idempotency.VALID_KEY.pattern,
        description="Your own key for this booking (e.g. a UUID), sent again with every retry of it.",
    ),
):
    """Book (confirmed at once) `service` at `location` starting at `start`, for the patient given.

    Without `practitioner`, the first practitioner free at that time is booked (and the next one
    if someone else takes them first). A time that has gone answers 409 with the next free times.
    A patient already booked at an overlapping time answers 409 `already_booked`.

    Send an `Idempotency-Key` header (any 1-255 visible ASCII characters, e.g. a UUID) and retry
    with the same key: the same body gets the first answer again (header `Idempotent-Replayed: true`),
    never a second booking; a different body with that key answers 422 `idempotency_key_reused`.
    """
    now = timezone.now()
    if idempotency_key is None:
        return counted_booking(request, payload, now)
    try:
        key = idempotency.key_digest(idempotency_key)
        body = idempotency.body_digest(payload.model_dump(mode="json"))
        earlier = idempotency.earlier_answer(key, body)
        if earlier is None:
            answer = None
            # 429 past a limit; then the key and the booking land together, or neither does (an error
            # rolls the transaction back first, then gives the count back).
            with throttle.check_booking_allowed(request, payload.patient.email) as allowance, transaction.atomic():
                if idempotency.claim(key, body, now):
                    answer = book(request, payload, now)
                    if held(answer):
                        idempotency.record(key, answer.status_code, answer.value)
                    else:
                        transaction.set_rollback(True)  # a refusal is not kept: a retry is decided afresh
            allowance.keep_if(answer is not None and held(answer))  # after the rollback, or it would undo this
            if answer is not None:
                return answer
            earlier = idempotency.earlier_answer(key, body)  # a twin request took the key and committed
            if earlier is None:  # ...then failed and let it go: decide afresh
                return counted_booking(request, payload, now)
    except idempotency.BadKey:
        return error(400, "The Idempotency-Key header must be 1 to 255 visible ASCII characters.", "bad_request")
    except idempotency.KeyReused:
        return error(
            422,
            "This Idempotency-Key was already used for a different booking. Use a new key for a new booking.",
            "idempotency_key_reused",
        )
    response[idempotency.REPLAYED_HEADER] = "true"
    return Status(*earlier)


def held(answer: Status) -> bool:
    """A 201 (booked) or 202 (held for the e-mailed link): the answers that took a time out of the diary."""
    return 200 <= answer.status_code < 300


def counted_booking(request, payload: BookingIn, now) -> Status:
    """`book`, counted against the booking limits (429 past one) only if it holds a time (`booking.throttle`)."""
    with throttle.check_booking_allowed(request, payload.patient.email) as allowance:  # an error gives it back
        answer = book(request, payload, now)
    allowance.keep_if(held(answer))  # a refusal held nothing, so spends nothing
    return answer


def book(request, payload: BookingIn, now) -> Status:
    """The booking itself, for `create_booking`."""
    service = active_service(payload.service)
    location = active_location(payload.location)
    practitioner = None
    if payload.practitioner is not None:
        practitioner = Practitioner.objects.filter(pk=payload.practitioner, active=True).first()
        if practitioner is None:
            raise NotFound(f"There is no practitioner {payload.practitioner} taking bookings.")
    start = payload.start
    patient = services.Patient(
        name=payload.patient.name,
        email=payload.patient.email,
        date_of_birth=payload.patient.date_of_birth,
        phone=payload.patient.phone,
    )
    try:
        # Notice and horizon first: they also keep absurd dates away from the services' date arithmetic.
        services.check_booking_window(service, start, now)
        if practitioner is not None:
            candidates = [practitioner]
        else:
            free = find_slots(service, start, start + ONE_MICROSECOND, location=location, now=now)
            ids = list(dict.fromkeys(slot.practitioner_id for slot in free if slot.start == start))
            people = Practitioner.objects.in_bulk(ids)
            candidates = [people[pk] for pk in ids]
            if not candidates:
                raise services.SlotUnavailable(
                    f"Sorry, {format_local(start)} is not available at {location}. Here are the next free times.",
                    alternatives=services.next_free_slots(service, location, start, now),
                )
        check_address = services.needs_address_check(patient.email)
        for candidate in candidates:
            try:
                appointment = services.book_appointment(
                    service, candidate, location, start, patient, now=now, hold=check_address, by=PATIENT_BY_API
                )
            except services.SlotUnavailable:
                if candidate is candidates[-1]:
                    raise
                continue
            break
    except services.SlotUnavailable as refusal:
        return slot_taken(refusal)
    except services.TooSoon as refusal:
        return error(422, refusal.message, "too_soon", earliest=refusal.earliest)
    except services.NeedsConsultation as refusal:
        return error(
            422, refusal.message, "needs_consultation", consultations=[named(c) for c in refusal.consultations]
        )
    except services.NotEligible as refusal:
        return error(422, refusal.message, "not_eligible")
    except services.AlreadyBooked as refusal:
        return error(409, refusal.message, "already_booked", alternatives=[])
    except services.BookingError as refusal:
        return error(400, refusal.message, "bad_request")
    booked = {
        "token": appointment.cancel_token,
        "status": appointment.status,
        "start": appointment.start,
        "end": appointment.end,
        "service": named(service),
        "location": named(location),
        "practitioner": named(appointment.practitioner, "display_name"),
        "cancel_until": appointment.start - timedelta(hours=service.cancellation_window_hours),
    }
    if appointment.status != AppointmentStatus.HELD:
        return Status(201, booked)
    services.confirm_online(appointment, now=now, by=PATIENT_BY_API)  # a new address: e-mail the link that confirms it
    message = (
        f"We have e-mailed a link to {patient.email.strip()}. The booking is confirmed when it is opened before "
        f"{format_local(appointment.held_until)}; until then the time is held, and after that it is released."
    )
    return Status(202, {**booked, "confirm_by": appointment.held_until, "message": message})


@api.post(
    "/bookings/{token}/cancel",
    response={
        200: CancelOut,
        404: ErrorOut,
        409: ErrorOut,
        413: ErrorOut,
        415: ErrorOut,
        422: UnprocessableOut,
        503: ErrorOut,
    },
    summary="Cancel a booking",
)
def cancel_booking(request, token: str):
    """Cancel the booking with this token, until the service's cancellation window before it starts."""
    if not token or len(token) > TOKEN_MAX_LENGTH or not TOKEN_CHARACTERS.issuperset(token):
        raise NotFound("We could not find that booking. Please use the link or token from your confirmation.")
    try:
        appointment = services.get_by_token(token)
        services.cancel_appointment(appointment, by=PATIENT_BY_API)
    except services.AppointmentNotFound as refusal:
        raise NotFound(refusal.message) from None
    except services.CancellationRefused as refusal:
        return error(409, refusal.message, "not_cancellable")
    message = "Your appointment is cancelled."
    for treatment in getattr(appointment, "also_cancelled", []):
        message += (
            f" Your '{treatment.service.name}' on {format_local(treatment.start)} is cancelled too: it needed this "
            "consultation first."
        )
    return {"token": token, "status": appointment.status, "message": message}


# --- Everything else under /api/v1/: JSON 404s and 405s -------------------------------------------

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD")


def _method_not_allowed(allowed: list[str]):
    def view(request, **kwargs):
        response = api.create_response(
            request,
            {"message": f"Use {' or '.join(allowed)} here.", "code": "method_not_allowed"},
            status=405,
        )
        response["Allow"] = ", ".join(allowed)
        return response

    return view


def _answer_other_methods() -> None:
    """Give each path a JSON 405 for the methods it does not take (ninja's own 405 is plain text)."""
    router = api.default_router
    for path, path_view in list(router.path_operations.items()):
        allowed = sorted({method for operation in path_view.operations for method in operation.methods})
        others = [method for method in METHODS if method not in allowed]
        with warnings.catch_warnings():  # the view takes no path parameters, and needs none
            warnings.filterwarnings("ignore", "Field.*not found in the view signature", UserWarning)
            router.add_api_operation(path, others, _method_not_allowed(allowed), include_in_schema=False)


_answer_other_methods()


@api.api_operation(list(METHODS), "/{path:rest}", include_in_schema=False)
def no_such_endpoint(request, rest: str):
    raise NotFound("There is no such endpoint. The API is described at /api/v1/openapi.json.")
