"""The staff list in the admin, the two-factor pages (under /admin/two-factor/), and managing them after sign-in."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import two_step_settings, twofactor
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
        path("two-step/", two_step_settings.YourTwoStepView.as_view(), name="staff_two_step"),
        path("two-step/reset/<int:user_id>/", two_step_settings.ResetView.as_view(), name="staff_two_step_reset"),
    ]


@hooks.register("register_account_menu_item")
def your_two_step_sign_in(request):
    return {
        "url": reverse("staff_two_step"),
        "label": "Two-step sign-in",
        "help_text": "A new phone, or new recovery codes.",
    }


@hooks.register("register_user_listing_buttons")
def reset_two_step_button(user, request_user):
    if two_step_settings.may_reset(request_user, user):
        yield Button("Reset two-step sign-in", reverse("staff_two_step_reset", args=[user.pk]), priority=50)
