"""The staff list in the admin, and the two-factor pages (under /admin/two-factor/)."""

from django.urls import path
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import twofactor
from .models import StaffMember


class StaffMemberViewSet(SnippetViewSet):
    model = StaffMember
    icon = "user"
    menu_label = "Staff"
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["display_name", "job_title", "regulator", "registration_number", "is_prescriber", "user", "active"]
    list_filter = ["is_prescriber", "active"]
    search_fields = ["display_name"]


register_snippet(StaffMemberViewSet)


@hooks.register("register_admin_urls")
def two_factor_urls():
    return [
        path("two-factor/", twofactor.verify, name="staff_two_factor"),
        path("two-factor/enrol/", twofactor.enrol, name="staff_two_factor_enrol"),
    ]
