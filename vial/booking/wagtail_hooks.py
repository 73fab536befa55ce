"""The 'Booking' area of the Wagtail admin: clinics, rooms, practitioners, services, rotas, time off, appointments.

The Diary (first in the menu; `diary_views.py`) is where staff book, move, cancel and mark
appointments. Appointments are read-only here: they are written by `services.py` (the booking flow and
the staff diary), never edited as raw rows, so nobody (not even a superuser) adds, edits or deletes
one from this listing. Times show in Europe/London with the zone named.
"""

from django import forms
from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from vial.audit.views import AuditedReadMixin
from vial.core.permissions import ReadOnlyPermissionPolicy

from .diary_views import (
    VIEW,
    AppointmentView,
    BlockView,
    BookView,
    CancelView,
    DayListView,
    DiaryView,
    MoveView,
    StatusView,
    TodayPanel,
    diary_permission,
)
from .models import Appointment, ClinicClosure, Location, Practitioner, Room, Service, TimeOff, WeeklyRota

appointment_permission_policy = ReadOnlyPermissionPolicy(Appointment)
register_permission_policy(Appointment, appointment_permission_policy, exact_class=True)


class SetUpViewSet(ModelViewSet):
    """Set-up data (clinics, rooms, practitioners, services, rotas, time off, closures): in the menu only
    for users who may add, change or delete it.

    Seeing these rows alone is no use to anyone at the desk: the diary already shows the rota hours and
    blocks, so a view-only permission (which reception and practitioners have, for the diary's sake)
    does not put a read-only listing in their menu. The listing itself still follows the model's
    permissions.
    """

    @cached_property
    def menu_item_class(self):
        policy = self.permission_policy

        def is_shown(_item, request):
            return policy.user_has_any_permission(request.user, ["add", "change", "delete"])

        return type(f"{self.model.__name__}MenuItem", (MenuItem,), {"is_shown": is_shown})


def index_view(*related: str) -> type[IndexView]:
    """An index view that fetches the related rows its columns show in the same query (no N+1)."""

    class RelatedIndexView(IndexView):
        def get_base_queryset(self):
            return super().get_base_queryset().select_related(*related)

    return RelatedIndexView


class LocationViewSet(SetUpViewSet):
    model = Location
    icon = "site"
    index_view_class = index_view("page")
    menu_label = "Clinics"
    list_display = ["name", "page", "active"]
    list_filter = ["active"]
    copy_view_enabled = False


class RoomViewSet(SetUpViewSet):
    model = Room
    icon = "home"
    index_view_class = index_view("location")
    list_display = ["name", "location", "capacity"]
    list_filter = ["location"]
    copy_view_enabled = False


class PractitionerViewSet(SetUpViewSet):
    model = Practitioner
    icon = "user"
    list_display = ["display_name", "is_prescriber", "is_injector", "is_therapist", "regulator", "active"]
    list_filter = ["is_prescriber", "active", "locations"]
    search_fields = ["display_name", "registration_number"]
    copy_view_enabled = False
    panels = [
        *Practitioner.panels[:3],
        FieldPanel("locations", widget=forms.CheckboxSelectMultiple),
        FieldPanel("services", widget=forms.CheckboxSelectMultiple),
        FieldPanel("active"),
    ]


class ServiceViewSet(SetUpViewSet):
    model = Service
    icon = "tasks"
    index_view_class = index_view("treatment")
    list_display = ["name", "kind", "treatment", "duration_minutes", "price", "needs_prescriber", "active"]
    list_filter = ["kind", "needs_prescriber", "active"]
    search_fields = ["name"]


class WeeklyRotaViewSet(SetUpViewSet):
    model = WeeklyRota
    icon = "calendar"
    index_view_class = index_view("practitioner", "location")
    menu_label = "Rotas"
    list_display = ["practitioner", "location", "weekday", "start_time", "end_time", "valid_from", "valid_until"]
    list_filter = ["practitioner", "location", "weekday"]
    ordering = ["practitioner__display_name", "weekday", "start_time"]


class TimeOffViewSet(SetUpViewSet):
    model = TimeOff
    icon = "time"
    index_view_class = index_view("practitioner")
    list_display = ["practitioner", "start", "end", "reason"]
    list_filter = ["practitioner"]
    ordering = ["-start"]
    copy_view_enabled = False


class ClinicClosureViewSet(SetUpViewSet):
    """Days a clinic takes no online bookings, and bank holidays a clinic opens (see `closed_days`)."""

    model = ClinicClosure
    icon = "date"
    menu_label = "Closed and opened days"
    index_view_class = index_view("location")
    list_display = ["date", "location", "kind", "reason"]
    list_filter = ["location", "kind"]
    copy_view_enabled = False


class AuditedInspectView(AuditedReadMixin, InspectView):
    """An appointment's raw details, read by staff: audited like every read of patient data."""

    audit_what = "appointment (admin listing)"


class AppointmentViewSet(ModelViewSet):
    model = Appointment
    icon = "date"
    permission_policy = appointment_permission_policy
    index_view_class = index_view("service", "practitioner", "location", "room__location")
    exclude_form_fields = []  # no add or edit view is reachable (see the permission policy)
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = AuditedInspectView
    list_display = ["start", "patient_name", "service", "practitioner", "location", "room", "status"]
    list_filter = ["status", "location", "practitioner"]
    ordering = ["-start", "-pk"]
    list_per_page = 50
    search_fields = ["patient_name", "patient_email"]
    inspect_view_fields = [
        "start",
        "end",
        "status",
        "held_until",
        "service",
        "practitioner",
        "location",
        "room",
        "patient_name",
        "patient_email",
        "patient_phone",
        "patient_date_of_birth",
        "created_at",
        "status_changes",
    ]

    def get_permissions_to_register(self):
        # Only 'view' means anything: appointments are written by the booking services.
        return super().get_permissions_to_register().filter(codename="view_appointment")


class BookingViewSetGroup(ModelViewSetGroup):
    menu_label = "Booking"
    menu_icon = "date"
    menu_order = 240
    submenu_hook = "register_booking_menu_item"  # the Diary joins the group's menu through this hook
    items = (
        AppointmentViewSet("booking_appointments"),
        PractitionerViewSet("booking_practitioners"),
        ServiceViewSet("booking_services"),
        WeeklyRotaViewSet("booking_rotas"),
        TimeOffViewSet("booking_time_off"),
        ClinicClosureViewSet("booking_closures"),
        LocationViewSet("booking_locations"),
        RoomViewSet("booking_rooms"),
    )


@hooks.register("register_admin_viewset")
def register_booking_viewsets():
    return BookingViewSetGroup()


# --- The staff diary (views in diary_views.py) ------------------------------------------------


class DiaryMenuItem(MenuItem):
    def is_shown(self, request):
        return diary_permission(request.user, VIEW)


@hooks.register("register_admin_urls")
def register_diary_urls():
    return [
        path("diary/", DiaryView.as_view(), name="booking_diary"),
        path("diary/print/", DayListView.as_view(), name="booking_diary_print"),
        path("diary/book/", BookView.as_view(), name="booking_diary_book"),
        path("diary/block/", BlockView.as_view(), name="booking_diary_block"),
        path("diary/appointments/<int:pk>/", AppointmentView.as_view(), name="booking_diary_appointment"),
        path("diary/appointments/<int:pk>/move/", MoveView.as_view(), name="booking_diary_move"),
        path("diary/appointments/<int:pk>/cancel/", CancelView.as_view(), name="booking_diary_cancel"),
        path("diary/appointments/<int:pk>/status/", StatusView.as_view(), name="booking_diary_status"),
    ]


@hooks.register("construct_homepage_panels")
def add_today_panel(request, panels):
    """Staff who use the diary land on today's list: see `TodayPanel`."""
    if diary_permission(request.user, VIEW):
        panels.append(TodayPanel(request))


@hooks.register(BookingViewSetGroup.submenu_hook)
def register_diary_menu_item():
    return DiaryMenuItem("Diary", reverse("booking_diary"), name="diary", icon_name="calendar-alt", order=0)
