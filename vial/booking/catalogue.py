"""What a patient can book online, and what it costs: one answer for the treatment pages, the booking flow and the API.

A service is bookable when it is active, its treatment (if any) is live, and an active practitioner
who may give it (a prescriber, when it needs one) offers it. A treatment's first step is its own
consultation (or whatever comes first of its own services); a treatment with none of its own is
booked as the general consultation; with neither, the patient is told to phone. The price shown
anywhere is the `Service.price` of that step: never a figure typed into a page.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.urls import reverse

from .models import Practitioner, Service

KIND_ORDER = {
    Service.Kind.CONSULTATION: 0,
    Service.Kind.COMBINED: 1,
    Service.Kind.TREATMENT: 2,
    Service.Kind.REVIEW: 3,
}


def bookable_services():
    """Active services, for a live treatment (or none), that someone active may give."""
    givers = Practitioner.services.through.objects.filter(practitioner__active=True).filter(
        Q(service__needs_prescriber=False) | Q(practitioner__is_prescriber=True)
    )
    return (
        Service.objects.filter(active=True, pk__in=givers.values("service_id"))
        .filter(Q(treatment__isnull=True) | Q(treatment__live=True))
        .select_related("treatment")
    )


def booking_order(service: Service) -> tuple:
    """Treatments' own services first (by treatment), the general ones last; consultations first within each."""
    return (
        service.treatment is None,
        service.treatment.title if service.treatment else "",
        KIND_ORDER.get(service.kind, 9),
        service.name,
    )


@dataclass(frozen=True)
class FirstStep:
    """Where a treatment's call to action leads, and what the first appointment costs."""

    services: tuple[Service, ...]  # what the patient chooses from, first step first; empty: phone
    general: bool  # the treatment has no services of its own: these are the general consultation(s)

    @property
    def service(self) -> Service | None:
        return self.services[0] if self.services else None

    @property
    def bookable(self) -> bool:
        return bool(self.services)

    @property
    def price(self) -> Decimal | None:
        return self.service.price if self.service else None

    @property
    def label(self) -> str:
        """What the price is for, in the words the page and the booking steps use."""
        service = self.service
        if service is None:
            return ""
        return "General consultation" if self.general else service.get_kind_display()


def first_step(treatment_id: int | None, services=None) -> FirstStep:
    """The services a patient can book for this treatment (its own, else the general consultation)."""
    if services is None:  # only what the answer can contain: one query, however big the catalogue
        services = (
            bookable_services()
            .select_related(None)  # the treatment page itself is not needed (it is every column of a page)
            .filter(Q(treatment_id=treatment_id) | Q(treatment__isnull=True, kind=Service.Kind.CONSULTATION))
        )
    # booking_order among one treatment's services and the general ones, without reading the treatment.
    services = sorted(services, key=lambda s: (s.treatment_id is None, KIND_ORDER.get(s.kind, 9), s.name))
    own = tuple(s for s in services if treatment_id is not None and s.treatment_id == treatment_id)
    if own:
        return FirstStep(services=own, general=False)
    general = tuple(s for s in services if s.treatment_id is None and s.kind == Service.Kind.CONSULTATION)
    return FirstStep(services=general, general=True)


def booking_url(treatment_id: int) -> str:
    """The call to action's link: the booking flow's first step for this treatment."""
    return f"{reverse('booking:start')}?treatment={treatment_id}"


def pages_changed(**kwargs) -> None:
    """Treatment pages show their first step and its price from these rows: cached pages must be made again."""
    from vial.website import chrome

    chrome.clear()


def connect() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in (Service, Practitioner):
        post_save.connect(pages_changed, sender=model, dispatch_uid=f"booking-catalogue-{model.__name__}-saved")
        post_delete.connect(pages_changed, sender=model, dispatch_uid=f"booking-catalogue-{model.__name__}-deleted")
    m2m_changed.connect(
        pages_changed, sender=Practitioner.services.through, dispatch_uid="booking-catalogue-givers-changed"
    )
