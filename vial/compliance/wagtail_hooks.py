"""Admin wiring: the rules editors keep, the advertising report, and warnings when a draft has risky phrases."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.messages import render as render_message
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Page
from wagtail.permissions import policy_registry

from .content import check_segments, segments_of_instance
from .forms import AdvertisingCheckedPageForm, AdvertisingCheckedSnippetForm, is_publishing
from .models import AdvertisingRule, active_rules
from .views import EDITOR_PERMISSIONS, AdvertisingReportView


class AdvertisingRuleViewSet(ModelViewSet):
    model = AdvertisingRule
    icon = "warning"
    menu_label = "Advertising rules"
    add_to_settings_menu = True
    list_display = ["pattern", "match_type", "kind", "suggestion", BooleanColumn("is_active", label="Active")]
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
    if is_publishing(request.POST) or not request.accepts("text/html"):
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


# --- Bulk publishing -----------------------------------------------------------------------------------------
# Publishing several pages at once from the page explorer skips the edit form, so it is checked here instead.
# There is no acknowledgement box on that screen: pages with risky phrases are published one at a time.


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_of_risky_pages(request, action_type, objects, action_view):
    if action_type != "publish" or not objects or not isinstance(objects[0], Page):
        return None
    pages = [page.specific.get_latest_revision_as_object() for page in objects]
    if action_view.cleaned_form.cleaned_data.get("include_descendants"):
        for page in objects:
            pages.extend(p.get_latest_revision_as_object() for p in page.get_descendants().not_live().specific())
    rules = active_rules()
    risky = [(page, check_segments(segments_of_instance(page), rules)) for page in pages]
    risky = [(page, findings) for page, findings in risky if findings]
    if not risky:
        return None
    detail = format_html(
        '<ul class="errorlist">{}</ul>',
        format_html_join(
            "\n",
            "<li>{}: {}</li>",
            (
                (page.get_admin_display_title(), "; ".join(f'"{f.finding.phrase}"' for f in findings))
                for page, findings in risky
            ),
        ),
    )
    message = (
        "Nothing was published: these pages have phrases that may advertise a prescription-only medicine "
        "or target under-18s. Open each page to see suggested wording, then publish it from its editor."
    )
    messages.error(request, render_message(message, None, detail=detail))
    return redirect(action_view.next_url)
