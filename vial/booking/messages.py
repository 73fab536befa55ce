"""The e-mails a patient gets about an appointment: confirmation (with a calendar file), reminder, cancellation.

Each function builds a message and sends nothing: `tasks.py` decides when, and makes sure each goes
out at most once. What the messages say and leave out:

- Times are UK wall-clock times with the zone named ("Sun 29 Mar 2026, 09:00 BST"), via `format_local`.
- The only health detail is the service's name, and only in the body and the calendar file: subjects
  (seen on lock screens and in notification previews) name the time and the clinic, not the service.
- The calendar file (`.ics`, iTIP METHOD:REQUEST, or METHOD:CANCEL once cancelled) uses Europe/London
  times with their VTIMEZONE. Its UID is stable per appointment and is kept when an appointment is moved
  (the new one carries the first one's UID with a higher SEQUENCE), so calendar programs update the
  event instead of adding a second one. It holds no link: the links stay in the e-mail.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.mime.text import MIMEText
from email.utils import parseaddr
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from . import links
from .models import Appointment, format_local, local

PRODID = "-//Vial//Clinic diary//EN"
#: The history note on a treatment cancelled with its consultation; its notice then says why.
CANCELLED_WITH_CONSULTATION = "Cancelled because the consultation it needed was cancelled or missed"
MOVE_CHAIN_LIMIT = 50  # moves followed back to find an appointment's calendar UID


@dataclass(frozen=True)
class Clinic:
    name: str
    phone: str
    email: str


def clinic_details(appointment: Appointment, clinic=None) -> Clinic:
    """The clinic's name, and the phone number and address patients should use for this appointment.

    `clinic` is the site's ClinicSettings when the caller has them (a page: `ClinicSettings.for_request`).
    """
    from wagtail.models import Site

    from vial.website.models import ClinicSettings

    name, phone, email = settings.WAGTAIL_SITE_NAME, "", ""
    if clinic is None:
        site = Site.objects.filter(is_default_site=True).first()
        clinic = ClinicSettings.for_site(site) if site is not None else None
    if clinic is not None:
        name, phone, email = clinic.name or name, clinic.phone, clinic.email
    page = appointment.location.page
    if page is not None:
        phone, email = page.phone or phone, page.email or email
    return Clinic(name=name, phone=phone, email=email)


def address(appointment: Appointment) -> str:
    """The location's name and, when its page is linked, its street address."""
    page = appointment.location.page
    parts = [appointment.location.name]
    if page is not None:
        parts += [page.street_address, page.town, page.postcode]
    return ", ".join(part for part in parts if part)


def change_deadline(appointment: Appointment) -> datetime:
    """Until when the patient can cancel or move online."""
    return appointment.start - timedelta(hours=appointment.service.cancellation_window_hours)


def _context(appointment: Appointment, now: datetime) -> dict:
    clinic = clinic_details(appointment)
    moved_from = appointment.moved_from if appointment.moved_from_id else None
    return {
        "appointment": appointment,
        "service": appointment.service.name,
        "practitioner": appointment.practitioner.display_name,
        "when": format_local(appointment.start),
        "ends": f"{local(appointment.end):%H:%M}",
        "minutes": round((appointment.end - appointment.start).total_seconds() / 60),
        "where": address(appointment),
        "clinic": clinic,
        "manage_url": links.appointment_url(appointment),
        "cancel_url": links.appointment_url(appointment, "cancel"),
        "move_url": links.appointment_url(appointment, "move"),
        "deadline": format_local(change_deadline(appointment)),
        "changeable": now < change_deadline(appointment),
        "moved_from_when": format_local(moved_from.start) if moved_from else "",
    }


def _email(
    appointment: Appointment, template: str, subject: str, context: dict, calendar: bytes | None = None
) -> EmailMultiAlternatives:
    text = render_to_string(f"booking/email/{template}.txt", context)
    html = render_to_string(f"booking/email/{template}.html", context)
    clinic = context["clinic"]
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[appointment.patient_email],
        reply_to=[clinic.email] if clinic.email else None,
    )
    message.attach_alternative(html, "text/html")
    if calendar is not None:
        message.attach(calendar_attachment(calendar))
    return message


def calendar_attachment(calendar: bytes) -> MIMEText:
    """The .ics as a text/calendar part whose method matches the file's (as calendar programs expect)."""
    method = icalendar.Calendar.from_ical(calendar).get("METHOD", "PUBLISH")
    part = MIMEText(calendar.decode(), "calendar", "utf-8")
    part.set_param("method", str(method))
    part.add_header("Content-Disposition", "attachment", filename="appointment.ics")
    return part


def _load(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_related("service", "practitioner", "location__page", "moved_from")
        .filter(pk=appointment.pk)
        .get()
    )


def confirmation_email(appointment: Appointment, now: datetime | None = None) -> EmailMultiAlternatives:
    """'Your appointment is booked' (or 'has moved'), with the .ics and the links to cancel or move."""
    now = now or timezone.now()
    appointment = _load(appointment)
    context = _context(appointment, now)
    verb = "moved" if appointment.moved_from_id else "confirmed"
    subject = f"Appointment {verb}: {context['when']} at {appointment.location.name}"
    return _email(appointment, "confirmation", subject, context, calendar_file(appointment, "REQUEST", now))


def address_check_email(appointment: Appointment, now: datetime | None = None) -> EmailMultiAlternatives:
    """'Please confirm your booking': the link that proves the address is the patient's, and the deadline."""
    now = now or timezone.now()
    appointment = _load(appointment)
    context = {
        **_context(appointment, now),
        "confirm_url": links.appointment_url(appointment, "confirm"),
        "confirm_by": format_local(appointment.held_until),
    }
    subject = f"Please confirm your appointment on {context['when']}"
    return _email(appointment, "address_check", subject, context)


def reminder_email(appointment: Appointment, now: datetime | None = None) -> EmailMultiAlternatives:
    """'See you tomorrow': the time, the place and the links (if changes are still allowed online)."""
    now = now or timezone.now()
    appointment = _load(appointment)
    context = _context(appointment, now)
    subject = f"Reminder: your appointment on {context['when']} at {appointment.location.name}"
    return _email(appointment, "reminder", subject, context)


def cancellation_email(appointment: Appointment, now: datetime | None = None) -> EmailMultiAlternatives:
    """'Your appointment is cancelled', with a METHOD:CANCEL .ics that takes it out of the patient's calendar."""
    now = now or timezone.now()
    appointment = _load(appointment)
    context = _context(appointment, now)
    last = appointment.status_changes.order_by("-at", "-pk").values_list("note", flat=True).first()
    context["with_consultation"] = last == CANCELLED_WITH_CONSULTATION
    subject = f"Appointment cancelled: {context['when']} at {appointment.location.name}"
    return _email(appointment, "cancelled", subject, context, calendar_file(appointment, "CANCEL", now))


# --- The calendar file -------------------------------------------------------------------------


def _first_of_moves(appointment: Appointment) -> tuple[int, int]:
    """The id of the appointment this one was first booked as (following moves back), and how many moves."""
    first, moves = appointment.pk, 0
    previous = appointment.moved_from_id
    while previous and moves < MOVE_CHAIN_LIMIT:
        first, moves = previous, moves + 1
        previous = Appointment.objects.filter(pk=previous).values_list("moved_from_id", flat=True).first()
    return first, moves


def _uid(first_id: int) -> str:
    host = urlsplit(settings.SITE_BASE_URL).hostname or "vial.invalid"
    return f"appointment-{first_id}@{host}"


def calendar_uid(appointment: Appointment) -> str:
    """Stable per appointment, kept across moves; names nothing but an id and the site's host."""
    return _uid(_first_of_moves(appointment)[0])


def calendar_file(appointment: Appointment, method: str = "REQUEST", now: datetime | None = None) -> bytes:
    """An iCalendar file for the appointment: METHOD:REQUEST to add or update it, METHOD:CANCEL to remove it."""
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"Unsupported calendar method {method!r}")
    now = now or timezone.now()
    clinic = clinic_details(appointment)
    first, moves = _first_of_moves(appointment)
    organiser_address = clinic.email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    event = icalendar.Event()
    event.add("uid", _uid(first))
    event.add("sequence", moves + (1 if method == "CANCEL" else 0))
    event.add("dtstamp", now)
    event.add("dtstart", local(appointment.start))
    event.add("dtend", local(appointment.end))
    event.add("summary", appointment.service.name)
    event.add("location", address(appointment))
    phone = f" or phone {clinic.phone}" if clinic.phone else ""
    event.add(
        "description",
        f"With {appointment.practitioner.display_name} at {clinic.name}. "
        f"To cancel or move it, use the link in your e-mail{phone}.",
    )
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("transp", "OPAQUE")
    organiser = icalendar.vCalAddress(f"mailto:{organiser_address}")
    organiser.params["cn"] = icalendar.vText(clinic.name)
    event.add("organizer", organiser)
    attendee = icalendar.vCalAddress(f"mailto:{appointment.patient_email}")
    attendee.params.update({"role": "REQ-PARTICIPANT", "partstat": "ACCEPTED", "rsvp": "FALSE"})
    event.add("attendee", attendee)
    cal.add_component(event)
    year = local(appointment.start).year
    cal.add_missing_timezones(first_date=date(year - 1, 1, 1), last_date=date(year + 1, 12, 31))
    return cal.to_ical()
