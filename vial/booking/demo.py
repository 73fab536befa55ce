"""The demo clinic's diary: clinics, rooms, practitioners, services, rotas and a few weeks of appointments.

Run by `manage.py load_booking_demo` after `load_demo`. Idempotent: everything is looked up by a
natural key (a clinic by name, a practitioner by username, a service by name, a rota line by its
times) and only what is missing is added; appointments are added only to days that have none yet.
Demo patients are invented, with addresses at the reserved `.example` domain.
"""

import logging
import random
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from vial.patients.demo import DOMAIN as DEMO_DOMAIN
from vial.patients.demo import PATIENTS as DEMO_PATIENTS
from vial.patients.demo import demo_details, load_demo_patients
from vial.staff import roles
from vial.staff.models import StaffMember
from vial.website.models import LocationPage, TreatmentPage

from .availability import LONDON, wall_clock_to_utc
from .models import Appointment, Location, Practitioner, Room, Service, TimeOff, WeeklyRota
from .queries import find_slots
from .services import BookingError, book_appointment
from .state_machine import Status, set_status

PATIENT_DOMAIN = DEMO_DOMAIN  # invented patients' addresses: never a real inbox
ROTA_START = date(2025, 1, 1)
DAYS_BEFORE, DAYS_AFTER = 14, 21

# Clinics by the slug of their public page; the name is used when the page is missing.
CLINICS = {
    "exeter": ("Exeter clinic", ["Treatment room 1", "Treatment room 2"]),
    "taunton": ("Taunton clinic", ["Treatment room"]),
    "truro": ("Truro clinic", ["Treatment room"]),
}

MON, TUE, WED, THU, FRI, SAT = range(6)
PRACTITIONERS = [
    {
        "username": "helena.marsh",
        "display_name": "Dr Helena Marsh",
        "roles": {"is_prescriber", "is_injector"},
        "regulator": "GMC",
        "registration_number": "7093418",
        "rota": [
            ("exeter", MON, time(9), time(17, 30)),
            ("exeter", TUE, time(9), time(17, 30)),
            ("exeter", THU, time(12), time(20)),
            ("taunton", FRI, time(9), time(17, 30)),
        ],
    },
    {
        "username": "owen.pryce",
        "display_name": "Dr Owen Pryce",
        "roles": {"is_prescriber", "is_injector"},
        "regulator": "GDC",
        "registration_number": "214876",
        "rota": [
            ("exeter", WED, time(9), time(17, 30)),
            ("exeter", FRI, time(9), time(17, 30)),
            ("taunton", TUE, time(10), time(17)),
            ("taunton", THU, time(10), time(19)),
        ],
    },
    {
        "username": "grace.trelawny",
        "display_name": "Grace Trelawny",
        "roles": {"is_prescriber", "is_injector", "is_therapist"},
        "regulator": "NMC",
        "registration_number": "09A1234E",
        "rota": [
            ("exeter", MON, time(9), time(17, 30)),
            ("truro", WED, time(9), time(17)),
            ("truro", FRI, time(9), time(17)),
            ("truro", SAT, time(10), time(15)),
        ],
    },
    {
        "username": "ravi.desai",
        "display_name": "Ravi Desai",
        "roles": {"is_prescriber", "is_injector"},
        "regulator": "GPhC",
        "registration_number": "2219876",
        "rota": [
            ("taunton", WED, time(10), time(17)),
            ("taunton", SAT, time(9), time(14)),
            ("exeter", SAT, time(9), time(13)),
        ],
    },
    {
        "username": "mia.collins",
        "display_name": "Mia Collins",
        "roles": {"is_injector", "is_therapist"},
        "regulator": "NMC",
        "registration_number": "12B3456C",
        "rota": [
            ("exeter", TUE, time(9), time(17, 30)),
            ("exeter", WED, time(9), time(17, 30)),
            ("exeter", THU, time(9), time(17)),
            ("truro", FRI, time(9), time(17)),
        ],
    },
]

CONSULTATION_PRICE = 60
TREATMENT_SERVICES = {
    "underarm-sweating": "Underarm sweating",
    "frown-lines": "Frown lines",
    "migraine": "Migraine",
}


@dataclass
class Tally:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, made: bool = True) -> None:
        if made:
            self.created[kind] = self.created.get(kind, 0) + 1

    def __str__(self) -> str:
        return ", ".join(f"{count} {kind}" for kind, count in self.created.items()) or "nothing new"


def consultation_definition(treatment: TreatmentPage, label: str | None = None) -> dict:
    """A treatment's consultation: the prescriber's in-person assessment when the treatment is prescription-only."""
    return {
        "name": f"{label or treatment.title}: consultation",
        "kind": Service.Kind.CONSULTATION,
        "treatment": treatment,
        "duration_minutes": 30,
        "buffer_after_minutes": 10,
        "price": CONSULTATION_PRICE,
        "needs_prescriber": treatment.prescription_only,
        "cancellation_window_hours": 24,
    }


def service_definitions(treatment: TreatmentPage, label: str) -> list[dict]:
    """The services offered for one treatment: the prescriber's consultation, the treatment visit, the review."""
    prescription = treatment.prescription_only
    consultation = consultation_definition(treatment, label)
    treatment_visit = {
        "name": f"{label}: treatment visit",
        "kind": Service.Kind.TREATMENT,
        "duration_minutes": treatment.procedure_minutes,
        "buffer_before_minutes": 5,
        "buffer_after_minutes": 15,
        "price": 250,
        "deposit_required": True,
        "cancellation_window_hours": 48,
        "minimum_notice_hours": 24,
    }
    review = {
        "name": f"{label}: two-week review",
        "kind": Service.Kind.REVIEW,
        "duration_minutes": 15,
        "buffer_after_minutes": 5,
        "price": 0,
    }
    definitions = [consultation, treatment_visit, review]
    if not treatment.consultation_required or label == "Frown lines":
        definitions.append(
            {
                "name": f"{label}: consultation and treatment",
                "kind": Service.Kind.COMBINED,
                "duration_minutes": 30 + treatment.procedure_minutes,
                "buffer_after_minutes": 15,
                "price": 280,
                "deposit_required": True,
                "needs_prescriber": prescription,
                "cancellation_window_hours": 48,
                "minimum_notice_hours": 24,
            }
        )
    return [{**d, "treatment": treatment} for d in definitions]


RECEPTION_USERNAME = "reception"
RECEPTION_PASSWORD = "vial-demo-reception"  # noqa: S105 - a published demo-only password, reset on every run


@dataclass(frozen=True)
class DemoLogin:
    """One demo sign-in per role (vial/staff/roles.py), with a published password reset on every run."""

    username: str
    role: str
    password: str
    staff_name: str = ""  # a staff member of their own (practitioners have theirs through the diary)
    job_title: str = ""


DEMO_LOGINS = [
    DemoLogin("manager", roles.MANAGER, "vial-demo-manager", "Morwenna Hale", "Practice manager"),
    DemoLogin("helena.marsh", roles.PRESCRIBER, "vial-demo-prescriber"),
    DemoLogin("mia.collins", roles.PRACTITIONER, "vial-demo-practitioner"),
    DemoLogin(RECEPTION_USERNAME, roles.RECEPTION, RECEPTION_PASSWORD, "Rowan Pascoe", "Receptionist"),
    DemoLogin("editor", roles.EDITOR, "vial-demo-editor"),
]


class BookingDemoLoader:
    def __init__(self, out=print, today: date | None = None):
        self.out = out
        self.today = today or timezone.localdate(timezone=LONDON)
        self.tally = Tally()

    def run(self) -> Tally:
        with transaction.atomic():
            locations = self.locations()
            services = self.services()
            people = self.practitioners(locations, services)
            self.staff_access(people)
        booking_log = logging.getLogger("vial.booking")
        level = booking_log.level
        booking_log.setLevel(logging.WARNING)  # one line per demo booking would drown the summary
        try:
            made = load_demo_patients()
            if made:
                self.tally.created["patients"] = made
            self.appointments(services)
        finally:
            booking_log.setLevel(level)
        self.out(f"Booking demo: {self.tally}.")
        return self.tally

    def locations(self) -> dict[str, Location]:
        pages = {page.slug: page for page in LocationPage.objects.filter(slug__in=CLINICS)}
        locations = {}
        for slug, (name, rooms) in CLINICS.items():
            page = pages.get(slug)
            location, made = Location.objects.get_or_create(name=page.title if page else name, defaults={"page": page})
            self.tally.add("clinics", made)
            if page and location.page_id is None:
                location.page = page
                location.save(update_fields=["page"])
            for room in rooms:
                self.tally.add("rooms", Room.objects.get_or_create(location=location, name=room)[1])
            locations[slug] = location
        return locations

    def services(self) -> list[Service]:
        general, made = Service.objects.get_or_create(
            name="General consultation",
            defaults={
                "kind": Service.Kind.CONSULTATION,
                "duration_minutes": 30,
                "buffer_after_minutes": 10,
                "price": 50,
            },
        )
        self.tally.add("services", made)
        services = [general]
        treatments = {t.slug: t for t in TreatmentPage.objects.filter(slug__in=TREATMENT_SERVICES)}
        for slug, label in TREATMENT_SERVICES.items():
            if slug not in treatments:
                self.out(f"  (no '{slug}' treatment page: its services are skipped)")
                continue
            for definition in service_definitions(treatments[slug], label):
                name = definition.pop("name")
                service, made = Service.objects.get_or_create(name=name, defaults=definition)
                self.tally.add("services", made)
                services.append(service)
        # Every other treatment starts with its own consultation, so every treatment page leads somewhere.
        for treatment in TreatmentPage.objects.live().exclude(slug__in=TREATMENT_SERVICES).order_by("path"):
            definition = consultation_definition(treatment)
            name = definition.pop("name")
            service, made = Service.objects.get_or_create(name=name, defaults=definition)
            self.tally.add("services", made)
            services.append(service)
        return services

    def practitioners(self, locations: dict[str, Location], services: list[Service]) -> list[Practitioner]:
        people = []
        users = get_user_model()
        for data in PRACTITIONERS:
            user, made = users.objects.get_or_create(
                username=data["username"],
                defaults={
                    "first_name": data["display_name"].removeprefix("Dr ").split()[0],
                    "last_name": data["display_name"].split()[-1],
                    "email": f"{data['username']}@vial-clinic.example",
                },
            )
            if made:
                user.set_unusable_password()  # the demo logins (DEMO_LOGINS) are given a password below
                user.save(update_fields=["password"])
            practitioner, made = Practitioner.objects.get_or_create(
                user=user,
                defaults={
                    "display_name": data["display_name"],
                    "regulator": data["regulator"],
                    "registration_number": data["registration_number"],
                    **dict.fromkeys(data["roles"], True),
                },
            )
            self.tally.add("practitioners", made)
            practitioner.locations.add(*{locations[slug] for slug, *_ in data["rota"]})
            practitioner.services.add(*[s for s in services if practitioner.is_prescriber or not s.needs_prescriber])
            for slug, weekday, start, end in data["rota"]:
                _, made = WeeklyRota.objects.get_or_create(
                    practitioner=practitioner,
                    location=locations[slug],
                    weekday=weekday,
                    start_time=start,
                    end_time=end,
                    valid_from=ROTA_START,
                )
                self.tally.add("rota lines", made)
            people.append(practitioner)
        # A week's leave for one practitioner, three weeks from the first run.
        leave_start = wall_clock_to_utc(self.today + timedelta(days=21), time(0))
        if not TimeOff.objects.filter(practitioner=people[1], reason="Annual leave").exists():
            TimeOff.objects.create(
                practitioner=people[1], start=leave_start, end=leave_start + timedelta(days=7), reason="Annual leave"
            )
            self.tally.add("time off")
        return people

    def staff_access(self, people: list[Practitioner]) -> None:
        """Every practitioner in their role, and one printed login per role (DEMO_LOGINS).

        The roles are the groups vial/staff/roles.py keeps (synced after migrate, and again here).
        Practitioners without a demo login keep an unusable password.
        """
        roles.sync_roles()
        groups = {group.name: group for group in Group.objects.filter(name__in=roles.ROLES)}
        for practitioner in people:
            role = roles.PRESCRIBER if practitioner.is_prescriber else roles.PRACTITIONER
            practitioner.user.groups.add(groups[role])
        users = get_user_model()
        lines = []
        for login in DEMO_LOGINS:
            user, made = users.objects.get_or_create(
                username=login.username,
                defaults={
                    "first_name": (login.staff_name or login.username).split()[0].split(".")[0].title(),
                    "email": f"{login.username}@vial-clinic.example",
                },
            )
            user.is_active = True  # the admin is reached through the role's permissions, not Django's is_staff
            user.set_password(login.password)
            user.save()
            user.groups.set([groups[login.role]])
            if login.staff_name and not hasattr(user, "staff_member"):
                StaffMember.objects.create(user=user, display_name=login.staff_name, job_title=login.job_title)
            self.tally.add("staff logins", made)
            lines.append(f"  {login.role:<17} user: {login.username}  password: {login.password}")
        self.out("Staff logins (the demo skips setting up two-step sign-in; production asks for it):")
        for line in lines:
            self.out(line)

    def appointments(self, services: list[Service]) -> None:
        now = timezone.now()
        for offset in range(-DAYS_BEFORE, DAYS_AFTER + 1):
            day = self.today + timedelta(days=offset)
            day_start = wall_clock_to_utc(day, time(0))
            day_end = wall_clock_to_utc(day + timedelta(days=1), time(0))
            demo_today = Appointment.objects.filter(
                patient_email__endswith=f"@{PATIENT_DOMAIN}", start__gte=day_start, start__lt=day_end
            )
            if demo_today.exists():
                continue
            rng = random.Random(day.toordinal())  # noqa: S311 - demo data, not security
            booking_now = day_start - timedelta(days=3)  # as if booked a few days before
            for _attempt in range(rng.randint(8, 14)):
                service = rng.choice(services)
                slots = find_slots(service, day_start, day_end, now=booking_now)
                if not slots:
                    continue
                slot = rng.choice(slots)
                patient = demo_details(rng.randrange(DEMO_PATIENTS))  # the same few hundred people come back
                practitioner = Practitioner.objects.get(pk=slot.practitioner_id)
                location = Location.objects.get(pk=slot.location_id)
                try:
                    appointment = book_appointment(
                        service, practitioner, location, slot.start, patient, now=booking_now, note="Demo booking"
                    )
                except BookingError:
                    continue
                self.tally.add("appointments")
                self.settle(appointment, rng, now)
                # Invented patients read no e-mail: their messages count as sent, so the worker's
                # terminal under `make demo` shows only the e-mails of bookings made in the demo.
                Appointment.objects.filter(pk=appointment.pk).update(
                    confirmation_sent_at=now, reminder_sent_at=now, cancellation_sent_at=now
                )

    @staticmethod
    def settle(appointment: Appointment, rng: random.Random, now) -> None:
        """Give past appointments the statuses a real diary would have; cancel a few future ones."""
        roll = rng.random()
        if appointment.end <= now:
            if roll < 0.05:
                set_status(appointment, Status.NO_SHOW, note="Demo")
            elif roll < 0.1:
                set_status(appointment, Status.CANCELLED, note="Demo: patient phoned")
            else:
                set_status(appointment, Status.ARRIVED, note="Demo")
                set_status(appointment, Status.COMPLETED, note="Demo")
        elif roll < 0.05:
            set_status(appointment, Status.CANCELLED, note="Demo: patient cancelled")
