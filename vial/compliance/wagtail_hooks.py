"""Admin wiring: the rules editors keep, the advertising report, and warnings when a draft has risky phrases."""

from django.contrib import messages
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.messages import render as render_message
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Page
from wagtail.permissions import policy_registry

from .content import check_segments, segments_of_instance
from .forms import PUBLISH_ACTION, AdvertisingCheckedPageForm, AdvertisingCheckedSnippetForm
from .models import AdvertisingRule, active_rules
from .views import EDITOR_PERMISSIONS, AdvertisingReportView


class AdvertisingRuleViewSet(ModelViewSet):
    model = AdvertisingRule
    icon = "warning"
    menu_label = "Advertising rules"
    add_to_settings_menu = True
    list_display = ["pattern", "match_type", "kind", "suggestion", "is_active"]
    list_filter = ["kind", "match_type", "is_active"]
    search_fields = ["pattern", "suggestion", "notes"]
    inspect_view_enabled = False


@hooks.register("register_admin_viewset")
def register_advertising_rules():
    return AdvertisingRuleViewSet("advertising_rules")


@hooks.register("register_admin_urls")
def register_advertising_report_urls():
    return [
        path("reports/advertising/", AdvertisingReportView.as_view(), name="compliance_advertising_report"),
        path(
            "reports/advertising/results/",
            AdvertisingReportView.as_view(results_only=True),
            name="compliance_advertising_report_results",
        ),
    ]


class AdvertisingReportMenuItem(MenuItem):
    def is_shown(self, request):
        return policy_registry.get_by_type(Page).user_has_any_permission(request.user, EDITOR_PERMISSIONS)


@hooks.register("register_reports_menu_item")
def register_advertising_report_menu_item():
    return AdvertisingReportMenuItem(
        "Advertising check", reverse("compliance_advertising_report"), name="advertising-check", icon_name="warning"
    )


# --- Warnings on drafts --------------------------------------------------------------------------------------
# Publishing is checked by the forms; a draft saves, and the editor is told what publishing will ask about.


def _warn_about_draft(request, obj):
    if request.POST.get(PUBLISH_ACTION) or not request.accepts("text/html"):
        return  # publishing was checked by the form; autosave (JSON) shows no messages
    findings = check_segments(segments_of_instance(obj), active_rules())
    if not findings:
        return
    detail = format_html(
        '<ul class="errorlist">{}</ul>', format_html_join("\n", "<li>{}</li>", ((f.message,) for f in findings))
    )
    message = (
        "This draft has phrases that may advertise a prescription-only medicine or target under-18s. "
        "Rewrite them before publishing, or tick the acknowledgement if they are allowed here."
    )
    messages.warning(request, render_message(message, None, detail=detail))


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_about_page_draft(request, page):
    if issubclass(type(page).base_form_class, AdvertisingCheckedPageForm):
        _warn_about_draft(request, page)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def warn_about_snippet_draft(request, instance):
    form_class = getattr(type(instance), "base_form_class", None)
    if isinstance(form_class, type) and issubclass(form_class, AdvertisingCheckedSnippetForm):
        _warn_about_draft(request, instance)
