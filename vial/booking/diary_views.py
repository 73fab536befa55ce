"""The staff diary in the Wagtail admin: day and week views per clinic and per practitioner, and the actions on them.

URLs (under /admin/, registered in `wagtail_hooks.py`):

    diary/                            the diary: ?location=<id> or ?practitioner=<id>, &day=YYYY-MM-DD, &view=day|week
    diary/print/                      a day's appointments as a list to print (?location= or ?practitioner=, &day=)
    diary/book/                       book an appointment (the form takes ?location=&practitioner=&day=&time=)
    diary/block/                      block a practitioner's time (adds time off)
    diary/appointments/<id>/          one appointment: details, history, and forms to move, cancel, mark
    diary/appointments/<id>/move/     POST
    diary/appointments/<id>/cancel/   POST
    diary/appointments/<id>/status/   POST status=arrived|completed|no_show

Every write goes through the booking services (`services.book_appointment`, `move_appointment`,
`cancel_appointment`, `state_machine.set_status`) or `services.block_time`, so the diary keeps
the public flow's rules and guarantees. A refusal re-renders the form with Wagtail's messages and a
4xx status (400 for input to correct, 409 when the diary has changed or the move is not allowed),
and nothing is written. Who may do what is decided in one place, `diary_permission`.
Patient names appear only here, to staff with the permissions below; they never go to the logs.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.ui.components import Component
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from vial.audit.log import Action, record
from vial.patients.access import may as may_see_patients_as
from vial.patients.access import patient_or_404

from . import diary
from .availability import RotaRow, rota_intervals
from .diary_forms import (
    SUGGESTED_TIMES,
    BlockForm,
    BookForm,
    CancelForm,
    DiaryQueryForm,
    MoveForm,
    StatusForm,
    describe_clash,
)
from .models import Appointment, Location, Practitioner, TimeOff, WeeklyRota, format_local
from .services import (
    BlockRefused,
    BookingError,
    CancellationRefused,
    SlotUnavailable,
    block_time,
    book_appointment,
    cancel_appointment,
    mark_attendance,
    resting_on,
)
from .services import move_appointment as move_service
from .state_machine import TRANSITIONS, Status

# --- Who may do what --------------------------------------------------------------------------

VIEW, APPOINTMENTS, BLOCK = "view", "appointments", "block"


def diary_permission(user: AbstractBaseUser, action: str) -> bool:
    """May `user` do `action` in the diary? The one place the diary decides.

    - ``view``: see the diary, with patients' names: the ``booking.view_appointment`` permission.
    - ``appointments``: book, move, cancel, mark arrived / completed / no-show: 'view' plus
      ``staff.use_diary`` (the Reception, Practitioner, Prescriber and Practice manager roles,
      vial/staff/roles.py). Appointments have no add or change permission of their own in the admin:
      their listing is read-only and the services write them.
    - ``block``: block a practitioner's time: 'view' plus ``booking.add_timeoff``.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if not user.has_perm("booking.view_appointment"):
        return False
    if action == VIEW:
        return True
    if action == BLOCK:
        return user.has_perm("booking.add_timeoff")
    if action == APPOINTMENTS:
        return user.has_perm("staff.use_diary")
    raise ValueError(f"Unknown diary action {action!r}")


def now() -> datetime:
    """The current time (tests replace this to act on a fixed day)."""
    return timezone.now()


def diary_url(**params) -> str:
    """The diary's URL with these parameters (None values left out; dates as YYYY-MM-DD)."""
    query = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in params.items() if v not in (None, "")}
    url = reverse("booking_diary")
    return f"{url}?{urlencode(query)}" if query else url


# --- Loading a diary in a fixed number of queries ---------------------------------------------


def shown_appointments(moment: datetime) -> Q:
    """Appointments the diary shows: all but cancelled ones and holds that have lapsed."""
    return ~Q(status=Status.CANCELLED) & ~Q(status=Status.HELD, held_until__lte=moment)


@dataclass
class DiaryData:
    """Everything a diary page draws, as loaded by `load_diary`.

    For a clinic: the rota at that clinic, the clinic's appointments and the time off of everyone
    in them. For a practitioner: their rota at every clinic, their time off and appointments everywhere.
    """

    practitioners: list[Practitioner]
    rotas: dict[int, list[RotaRow]] = field(default_factory=dict)
    location_names: dict[int, str] = field(default_factory=dict)
    time_off: dict[int, list[TimeOff]] = field(default_factory=dict)
    appointments: dict[int, list[Appointment]] = field(default_factory=dict)

    def working(self, practitioner_id: int, day: date, with_location: bool = False) -> list[diary.Entry]:
        return [
            diary.Entry(
                "working",
                w.start,
                w.end,
                w.location_id,
                label=self.location_names.get(w.location_id, "") if with_location else "",
            )
            for w in rota_intervals(self.rotas.get(practitioner_id, ()), day, day)
        ]

    def entries(self, practitioner_id: int) -> list[diary.Entry]:
        blocks = [diary.Entry("time_off", t.start, t.end, t, t.reason) for t in self.time_off.get(practitioner_id, ())]
        visits = [diary.Entry("appointment", a.start, a.end, a) for a in self.appointments.get(practitioner_id, ())]
        return blocks + visits


def load_diary(days: list[date], moment: datetime, location=None, practitioner=None) -> DiaryData:
    """Load a clinic's diary (`location`) or a practitioner's, for `days` (consecutive), in three queries.

    A clinic's people are those with rota hours there in these days (active, and still listed at the
    clinic, as the booking engine requires) and anyone with an appointment there, e.g. someone who
    has left since.
    """
    first, last = days[0], days[-1]
    span_start, span_end = diary.day_interval(first).start, diary.day_interval(last).end
    people: dict[int, Practitioner] = {} if location is not None else {practitioner.pk: practitioner}
    data = DiaryData([])

    appointments = Appointment.objects.filter(shown_appointments(moment), start__lt=span_end, end__gt=span_start)
    if location is not None:
        appointments = appointments.filter(location=location)
    else:
        appointments = appointments.filter(practitioner=practitioner)
    for appointment in appointments.select_related("service", "room", "location", "practitioner").order_by("start"):
        data.appointments.setdefault(appointment.practitioner_id, []).append(appointment)
        people.setdefault(appointment.practitioner_id, appointment.practitioner)

    rotas = (
        WeeklyRota.objects.filter(valid_from__lte=last)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=first))
        .select_related("location", "practitioner")
    )
    if location is not None:
        rotas = rotas.filter(location=location, practitioner__active=True, practitioner__locations=location)
    else:
        rotas = rotas.filter(practitioner=practitioner)
    for rota in rotas:
        data.rotas.setdefault(rota.practitioner_id, []).append(rota.as_row())
        data.location_names[rota.location_id] = rota.location.name
        people.setdefault(rota.practitioner_id, rota.practitioner)

    for time_off in TimeOff.objects.filter(practitioner_id__in=people, start__lt=span_end, end__gt=span_start):
        data.time_off.setdefault(time_off.practitioner_id, []).append(time_off)
    data.practitioners = sorted(people.values(), key=lambda p: (p.display_name, p.pk))
    return data


class TodayPanel(Component):
    """Today's list, first on the admin's dashboard, where staff land after signing in.

    A panel rather than a redirect: Wagtail sends everyone to its dashboard after signing in and offers
    no hook to send some users elsewhere, and a panel keeps the dashboard for those who use the rest
    of the admin. It comes first (before Wagtail's own panels) and, for reception and practitioners,
    is the only one: today's appointments with who, what, when and status, each a link to the
    appointment, and a button to the day's diary. A practitioner (a user linked to a Practitioner)
    sees their own day at every clinic; everyone else sees each clinic's day. Two queries.
    """

    name = "diary_today"
    order = 10
    template_name = "booking/diary/_today_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        moment = now()
        day = diary.local(moment).date()
        span = diary.day_interval(day)
        practitioner = Practitioner.objects.filter(user_id=self.request.user.pk, active=True).first()
        appointments = Appointment.objects.filter(shown_appointments(moment), start__lt=span.end, end__gt=span.start)
        if practitioner is not None:
            appointments = appointments.filter(practitioner=practitioner)
        appointments = appointments.select_related("service", "practitioner", "location").order_by(
            "location__name", "start", "pk"
        )
        groups: dict = {}
        for appointment in appointments:
            key = practitioner if practitioner is not None else appointment.location
            groups.setdefault(key, []).append((diary.time_range(appointment.start, appointment.end, day), appointment))
        if practitioner is not None:
            links = [(practitioner, diary_url(practitioner=practitioner.pk, day=day), groups.get(practitioner, []))]
        else:
            links = [(loc, diary_url(location=loc.pk, day=day, view="day"), rows) for loc, rows in groups.items()]
        return {
            "heading": f"Today: {diary.long_day(day)}",
            "groups": links,
            "diary_url": links[0][1] if links else diary_url(day=day),
            "show_location": practitioner is not None,
            "request": self.request,
        }


def book_links(practitioner: Practitioner, working, entries, back: str) -> list[diary.Entry]:
    """The empty slots of a practitioner's column, each an entry whose `obj` is the link to book there
    (clinic, practitioner, day and time filled in, and the way `back` to this diary) and `label` says so."""
    links = []
    # Appointments keep their practitioner busy with their buffers (preparation, clearing up) too.
    busy = [diary.Entry(e.kind, e.obj.blocked_start, e.obj.blocked_end) if e.kind == "appointment" else e
            for e in entries]  # fmt: skip
    for slot in diary.free_slots(working, busy, not_before=now()):
        start = diary.local(slot.start)
        query = {"location": slot.obj, "practitioner": practitioner.pk, "day": start.date().isoformat(),
                 "time": f"{start:%H:%M}", "next": back}  # fmt: skip
        url = f"{reverse('booking_diary_book')}?{urlencode(query)}"
        label = f"Book {practitioner.display_name} at {start:%H:%M} on {diary.long_day(start.date())}"
        links.append(diary.Entry("free", slot.start, slot.end, url, label))
    return links


def why_unavailable(error: SlotUnavailable, service, practitioner: Practitioner, location: Location, start) -> str:
    """The refusal in the diary's words: the practitioner does not work then, is away, or the time is taken.

    The booking engine only knows the time is not free; staff need to know whether to pick another
    time (not rostered, away) or another slot next to a booking ('taken').
    """
    end = start + timedelta(minutes=service.duration_minutes)
    day = diary.local(start).date()
    when = f"{diary.clock(start)} on {diary.long_day(day)}"
    rows = [r.as_row() for r in WeeklyRota.objects.filter(practitioner=practitioner, location=location)]
    hours = rota_intervals(rows, day, day)
    if not any(w.start <= start and end <= w.end for w in hours):
        worked = ", ".join(diary.time_range(w.start, w.end, day) for w in hours)
        there = f"their hours there that day: {worked}" if worked else "they do not work there that day"
        return (
            f"{practitioner} does not work at {location} at {when} for a {service.duration_minutes}-minute "
            f"{service} ({there}). Here are the next free times."
        )
    away = TimeOff.objects.filter(practitioner=practitioner, start__lt=end, end__gt=start).first()
    if away is not None:
        return (
            f"{practitioner} is away at {when} ({away.reason or 'time blocked'}, "
            f"{diary.time_range(away.start, away.end, day)}). Here are the next free times."
        )
    return f"That time is taken: {error.message}"


def describe_slots(slots) -> list[str]:
    """'Tue 03 Mar 2026, 10:15 GMT with Dr Helena Marsh' for each free slot offered instead."""
    names = dict(
        Practitioner.objects.filter(pk__in={s.practitioner_id for s in slots}).values_list("pk", "display_name")
    )
    return [f"{format_local(s.start)} with {names.get(s.practitioner_id, 'another practitioner')}" for s in slots]


# --- Views ------------------------------------------------------------------------------------


class DiaryMixin(WagtailAdminTemplateMixin):
    """Wagtail's admin page furniture, the diary's permission check, and rendering with a status."""

    header_icon = "date"
    page_title = "Diary"
    get_action = VIEW  # what a GET needs
    post_action = APPOINTMENTS  # what a POST needs

    def dispatch(self, request, *args, **kwargs):
        action = self.post_action if request.method == "POST" else self.get_action
        if not diary_permission(request.user, action):
            return permission_denied(request)  # Wagtail's way: back to the dashboard with a message
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items, {"url": reverse("booking_diary"), "label": "Diary"}]
        if self.get_page_title() != "Diary":
            items.append({"url": "", "label": self.get_page_title()})
        return items

    def render(self, status: int = 200, **context):
        return self.render_to_response(self.get_context_data(**context), status=status)

    def get_context_data(self, **kwargs):
        # Where the diary was (clinic or practitioner, day, view): every form carries it and goes back there.
        kwargs.setdefault("next", get_valid_next_url_from_request(self.request))
        kwargs.setdefault("suggested_times", SUGGESTED_TIMES)
        return super().get_context_data(**kwargs)

    def may(self, action: str) -> bool:
        return diary_permission(self.request.user, action)

    def error(self, message: str, details: list[str] | None = None) -> None:
        if details:
            message = format_html(
                "{}<ul>{}</ul>", message, format_html_join("", "<li>{}</li>", ((d,) for d in details))
            )
        messages.error(self.request, message)

    def form_errors(self, form) -> None:
        lines = []
        for name, errors in form.errors.items():
            label = form.fields[name].label or name.replace("_", " ").capitalize() if name in form.fields else ""
            lines.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        self.error("Please correct the form.", lines)

    def next_url(self, fallback: str) -> str:
        return get_valid_next_url_from_request(self.request) or fallback


class DiaryView(DiaryMixin, TemplateView):
    """The diary: a clinic's day (a column per practitioner) or week (a row per practitioner), or one
    practitioner's day or week (a column per day)."""

    template_name = "booking/diary/diary.html"

    def get(self, request, *args, **kwargs):
        locations = list(Location.objects.order_by("name"))
        wanted = request.GET.get("practitioner", "")
        everyone = list(Practitioner.objects.filter(active=True).order_by("display_name")) if wanted else []
        form = DiaryQueryForm(request.GET, locations=locations, practitioners=everyone)
        if not form.is_valid():
            errors = form.errors.as_data()
            unknown = any(
                e.code == "invalid_choice" for name in ("location", "practitioner") for e in errors.get(name, ())
            )
            self.error("The diary cannot show that.", [f"{n}: {' '.join(e)}" for n, e in form.errors.items()])
            query_form = DiaryQueryForm(locations=locations, practitioners=everyone)
            return self.render(status=404 if unknown else 400, query_form=query_form)
        day = form.cleaned_data["day"] or diary.local(now()).date()
        view = form.cleaned_data["view"] or "day"
        by_pk = {p.pk: p for p in everyone}
        self.practitioner = by_pk.get(form.cleaned_data["practitioner"])
        self.location = None
        if self.practitioner is None:
            by_pk = {loc.pk: loc for loc in locations}
            self.location = by_pk.get(form.cleaned_data["location"]) or next(
                (loc for loc in locations if loc.active), locations[0] if locations else None
            )
            if self.location is None:
                messages.warning(request, "There are no clinics yet: add one under Booking > Clinics.")
                return self.render(query_form=form)
        days = diary.week_of(day) if view == "week" else [day]
        data = load_diary(days, now(), location=self.location, practitioner=self.practitioner)
        query_form = DiaryQueryForm(
            initial={"location": self.location and self.location.pk, "practitioner": self.practitioner and
                     self.practitioner.pk, "day": day, "view": view},
            locations=locations,
            practitioners=everyone or data.practitioners,
        )  # fmt: skip
        subject = {"practitioner": self.practitioner.pk} if self.practitioner else {"location": self.location.pk}
        here = self.here = diary_url(**subject, day=day, view=view)
        may_book = self.may(APPOINTMENTS)
        context = {
            "here": here,
            "query_form": query_form,
            "day": day,
            "days": days,
            "view": view,
            "subject": self.practitioner or self.location,
            "location": self.location,
            "practitioner": self.practitioner,
            "zone": diary.zone_names(day) if view == "day" else "",
            "notes": [f"{diary.long_day(d)}: {diary.clock_change_note(d)}" for d in days if diary.clock_change_note(d)],
            "navigation": self.navigation(day, view),
            "may_book": may_book,
            "may_block": self.may(BLOCK),
        }
        if self.practitioner is not None:
            person = self.practitioner.pk
            columns = [
                diary.ColumnSource(d, diary.short_day(d), d, data.working(person, d, True), data.entries(person))
                for d in days
            ]
            for column in columns if may_book else ():
                column.free = book_links(self.practitioner, column.working, column.entries, here)
            context["grid"] = diary.day_grid(columns)
        elif view == "week":
            rows = [
                (p.pk, p.display_name, [w for d in days for w in data.working(p.pk, d)], data.entries(p.pk), p)
                for p in data.practitioners
            ]
            context["week"] = diary.week_table(days, rows)
        else:
            columns = [
                diary.ColumnSource(p.pk, p.display_name, day, data.working(p.pk, day), data.entries(p.pk), obj=p)
                for p in data.practitioners
            ]
            for column in columns if may_book else ():
                column.free = book_links(column.obj, column.working, column.entries, here)
            shown = [c for c in columns if c.working or diary.on_day(c.entries, day)]
            context["grid"] = diary.day_grid(shown) if shown else None
        return self.render(**context)

    def get_page_subtitle(self):
        subject = getattr(self, "practitioner", None) or getattr(self, "location", None)
        return str(subject) if subject else ""

    def get_header_title(self):
        return "Diary"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": "Diary"}]

    def get_header_buttons(self):
        query = {}
        if getattr(self, "practitioner", None):
            query["practitioner"] = self.practitioner.pk
        elif getattr(self, "location", None):
            query["location"] = self.location.pk
        if day := self.request.GET.get("day", "")[:10]:
            query["day"] = day
        if here := getattr(self, "here", ""):
            query["next"] = here
        buttons = []
        if self.may(APPOINTMENTS):
            url = reverse("booking_diary_book") + "?" + urlencode(query)
            buttons.append(HeaderButton("New appointment", url, icon_name="plus"))
        if self.may(BLOCK):
            url = reverse("booking_diary_block") + "?" + urlencode(query)
            buttons.append(HeaderButton("Block time", url, icon_name="time"))
        return buttons

    def navigation(self, day: date, view: str) -> dict[str, str]:
        subject = {"practitioner": self.practitioner.pk} if self.practitioner else {"location": self.location.pk}
        step = timedelta(days=7 if view == "week" else 1)
        return {
            "previous": diary_url(**subject, day=day - step, view=view),
            "next": diary_url(**subject, day=day + step, view=view),
            "today": diary_url(**subject, day=diary.local(now()).date(), view=view),
            "day": diary_url(**subject, day=day, view="day"),
            "week": diary_url(**subject, day=day, view="week"),
            "print": f"{reverse('booking_diary_print')}?{urlencode({**subject, 'day': day.isoformat()})}",
        }


class DayListView(DiaryMixin, TemplateView):
    """A clinic's or a practitioner's day as a plain list to print: time, patient, phone, service, who and
    status, for the desk or the treatment room. A page of its own, without the admin's menus, so that it
    prints as it shows; the same query as the diary (?location= or ?practitioner=, &day=), one query."""

    template_name = "booking/diary/day_list.html"

    def get(self, request, *args, **kwargs):
        locations = list(Location.objects.order_by("name"))
        people = list(Practitioner.objects.order_by("display_name")) if request.GET.get("practitioner") else []
        form = DiaryQueryForm(request.GET, locations=locations, practitioners=people)
        if not form.is_valid():
            raise Http404("No such clinic, practitioner or day.")
        day = form.cleaned_data["day"] or diary.local(now()).date()
        practitioner = {p.pk: p for p in people}.get(form.cleaned_data["practitioner"])
        location = None
        if practitioner is None:
            by_pk = {loc.pk: loc for loc in locations}
            location = by_pk.get(form.cleaned_data["location"]) or next((loc for loc in locations if loc.active), None)
            if location is None:
                raise Http404("There are no clinics yet.")
        span = diary.day_interval(day)
        appointments = Appointment.objects.filter(shown_appointments(now()), start__lt=span.end, end__gt=span.start)
        if practitioner is not None:
            appointments = appointments.filter(practitioner=practitioner)
        else:
            appointments = appointments.filter(location=location)
        appointments = appointments.select_related("service", "practitioner", "location", "room")
        rows = [
            (diary.time_range(a.start, a.end, day), a)
            for a in appointments.order_by("start", "practitioner__display_name", "pk")
        ]
        subject = {"practitioner": practitioner.pk} if practitioner else {"location": location.pk}
        return self.render(
            subject=practitioner or location,
            practitioner=practitioner,
            day=day,
            rows=rows,
            zone=diary.zone_names(day),
            diary_day_url=diary_url(**subject, day=day, view="day"),
        )


class BookView(DiaryMixin, TemplateView):
    """Book an appointment for a patient: `services.book_appointment`, with staff named in its history."""

    template_name = "booking/diary/book.html"
    page_title = "New appointment"
    get_action = APPOINTMENTS

    def get(self, request, *args, **kwargs):
        initial = {key: request.GET.get(key, "")[:20] for key in ("location", "practitioner", "service", "day", "time")}
        initial = {k: v for k, v in initial.items() if v}
        chosen = None
        if request.GET.get("patient"):  # a returning patient, found under Patients
            chosen = patient_or_404(request.user, request.GET["patient"])
            initial["patient"] = chosen.pk
            record(request, Action.VIEW, "diary booking form", patient=chosen)
        find = f"{reverse('patients_search')}?{urlencode({'book': urlencode(initial)})}"
        return self.render(form=BookForm(initial=initial), chosen=chosen, find_patient_url=find)

    def post(self, request, *args, **kwargs):
        if request.POST.get("patient"):
            patient_or_404(request.user, request.POST["patient"])  # only someone who may see patients books one
        form = BookForm(request.POST)
        if not form.is_valid():
            self.form_errors(form)
            chosen = form.cleaned_data.get("patient")
            return self.render(status=400, form=form, chosen=chosen)
        data = form.cleaned_data
        try:
            appointment = book_appointment(  # audited by the service, as this member of staff
                data["service"], data["practitioner"], data["location"], data["start"], form.patient_details,
                now=now(), by=request.user, staff=True, override_reason=data["override_reason"],
            )  # fmt: skip
        except SlotUnavailable as error:
            why = why_unavailable(error, data["service"], data["practitioner"], data["location"], data["start"])
            self.error(why, describe_slots(error.alternatives))
            return self.render(status=409, form=form, chosen=data.get("patient"))
        except BookingError as error:
            self.error(error.message)
            return self.render(status=400, form=form, chosen=data.get("patient"))
        messages.success(
            request,
            f"Booked {appointment.service} with {appointment.practitioner} at {format_local(appointment.start)}.",
        )
        fallback = diary_url(location=appointment.location_id, day=diary.local(appointment.start).date())
        return redirect(self.next_url(fallback))


class BlockView(DiaryMixin, TemplateView):
    """Block a practitioner's time (time off), refused while appointments stand in it: see `block_time`."""

    template_name = "booking/diary/block.html"
    page_title = "Block time"
    get_action = BLOCK
    post_action = BLOCK

    def get(self, request, *args, **kwargs):
        initial = {key: request.GET.get(key, "")[:20] for key in ("practitioner", "day", "start_time", "end_time")}
        return self.render(form=BlockForm(initial={k: v for k, v in initial.items() if v}))

    def post(self, request, *args, **kwargs):
        form = BlockForm(request.POST)
        if not form.is_valid():
            self.form_errors(form)
            return self.render(status=400, form=form)
        data = form.cleaned_data
        try:
            time_off = block_time(data["practitioner"], data["start"], data["end"], data["reason"], now(), request.user)
        except BlockRefused as error:
            self.error(error.message, [describe_clash(a) for a in error.clashes])
            return self.render(status=409 if error.clashes else 400, form=form, clashes=error.clashes)
        messages.success(
            request,
            f"Blocked {time_off.practitioner}'s time from {format_local(time_off.start)} "
            f"to {format_local(time_off.end)}.",
        )
        fallback = diary_url(practitioner=time_off.practitioner_id, day=diary.local(time_off.start).date())
        return redirect(self.next_url(fallback))


def may_see_patients(user) -> bool:
    return may_see_patients_as(user, "view")


class AppointmentView(DiaryMixin, TemplateView):
    """One appointment: when, what, who, its history, and the forms for what staff can do with it now."""

    template_name = "booking/diary/appointment.html"
    page_title = "Appointment"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.pk = kwargs["pk"]

    @cached_property
    def appointment(self) -> Appointment:
        return get_object_or_404(
            Appointment.objects.select_related(
                "service", "practitioner", "location", "room", "patient"
            ).prefetch_related("status_changes__by"),
            pk=self.pk,
        )

    def get(self, request, *args, **kwargs):
        record(request, Action.VIEW, "diary appointment", patient=self.appointment.patient_id)
        return self.render()

    def get_page_subtitle(self):
        return format_local(self.appointment.start)

    def get_context_data(self, **kwargs):
        appointment = self.appointment
        local_start = diary.local(appointment.start)
        kwargs.setdefault(
            "move_form",
            MoveForm(
                initial={
                    "practitioner": appointment.practitioner_id,
                    "day": local_start.date(),
                    "time": local_start.time().replace(tzinfo=None),
                }
            ),
        )
        allowed = TRANSITIONS.get(appointment.status, frozenset())
        context = super().get_context_data(**kwargs)
        context.update(
            appointment=appointment,
            may_see_patient=may_see_patients(self.request.user),
            time_label=diary.time_range(appointment.start, appointment.end, local_start.date()),
            zone=local_start.tzname(),
            may_act=self.may(APPOINTMENTS),
            changeable=appointment.status in (Status.HELD, Status.CONFIRMED),
            rests_others=resting_on(appointment, now())
            if appointment.status in (Status.CONFIRMED, Status.ARRIVED)
            else [],
            # 'Did not attend' is offered once the appointment has started (the service refuses it before).
            status_moves=[(s.value, s.label) for s in (Status.ARRIVED, Status.COMPLETED) if s in allowed],
            may_mark_missed=Status.NO_SHOW in allowed and appointment.start <= now(),
            diary_day_url=get_valid_next_url_from_request(self.request)
            or diary_url(location=appointment.location_id, day=local_start.date()),
        )
        return context

    def done(self, message: str):
        messages.success(self.request, message)
        appointment = self.appointment
        fallback = diary_url(location=appointment.location_id, day=diary.local(appointment.start).date())
        return redirect(self.next_url(fallback))

    def refused(self, message: str, status: int, details=None, **context):
        self.appointment.refresh_from_db()  # a refused move may have left the object, not the row, changed
        self.error(message, details)
        return self.render(status=status, **context)


class MoveView(AppointmentView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = MoveForm(request.POST)
        if not form.is_valid():
            self.form_errors(form)
            return self.render(status=400, move_form=form)
        appointment = self.appointment
        try:
            new = move_service(
                appointment, form.cleaned_data["start"], practitioner=form.cleaned_data["practitioner"],
                now=now(), by=request.user, enforce_window=False, override_reason=form.cleaned_data["override_reason"],
            )  # fmt: skip
        except SlotUnavailable as error:
            why = why_unavailable(
                error, appointment.service, form.cleaned_data["practitioner"], appointment.location,
                form.cleaned_data["start"],
            )  # fmt: skip
            return self.refused(why, 409, describe_slots(error.alternatives), move_form=form)
        except CancellationRefused as error:
            return self.refused(error.message, 409, move_form=form)
        except BookingError as error:
            return self.refused(error.message, 400, move_form=form)
        self.pk = new.pk
        del self.appointment  # the new appointment is the one to go back to
        return self.done(f"Moved to {format_local(new.start)} with {new.practitioner}.")


class CancelView(AppointmentView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = CancelForm(request.POST)
        if not form.is_valid():
            self.form_errors(form)
            return self.render(status=400, open_form="cancel")
        try:
            cancelled = cancel_appointment(
                self.appointment, now=now(), by=request.user, enforce_window=False,
                note=f"Cancelled by staff: {form.cleaned_data['reason'].strip()}",
                override_reason=form.cleaned_data["override_reason"],
            )  # fmt: skip
        except BookingError as error:
            return self.refused(error.message, 409)
        return self.done(
            f"Cancelled the appointment at {format_local(self.appointment.start)}." + also_cancelled(cancelled)
        )


class StatusView(AppointmentView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = StatusForm(request.POST)
        if not form.is_valid():
            self.form_errors(form)
            return self.render(status=400, open_form="status")
        status = Status(form.cleaned_data["status"])
        try:
            marked = mark_attendance(
                self.appointment,
                status,
                now=now(),
                by=request.user,
                override_reason=form.cleaned_data["override_reason"],
                note=form.cleaned_data["reason"],
            )
        except BookingError as error:
            return self.refused(error.message, 409)
        return self.done(
            f"Marked {status.label.lower()}: {format_local(self.appointment.start)}." + also_cancelled(marked)
        )


def also_cancelled(appointment: Appointment) -> str:
    """For the diary's message: the treatments that went with a cancelled or missed consultation."""
    gone = getattr(appointment, "also_cancelled", [])
    if not gone:
        return ""
    listed = "; ".join(f"{a.service} on {format_local(a.start)}" for a in gone)
    return f" Also cancelled, as they needed this consultation first (the patient is told): {listed}."
