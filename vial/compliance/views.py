"""The advertising report in the Wagtail admin: live content with risky phrases, and what to write instead."""

from django.utils.functional import cached_property
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permissions import policy_registry

from vial.core.spreadsheets import SafeSpreadsheetExportMixin

from .report import live_findings

#: Page permissions that make someone an editor; any one of them lets them see the report.
EDITOR_PERMISSIONS = ["add", "change", "publish"]


class AdvertisingReportView(SafeSpreadsheetExportMixin, ReportView):
    page_title = "Advertising check"
    header_icon = "warning"
    index_url_name = "compliance_advertising_report"
    index_results_url_name = "compliance_advertising_report_results"
    any_permission_required = EDITOR_PERMISSIONS
    paginate_by = 100
    verbose_name_plural = "risky phrases in published content"
    list_export = ["title", "content_type", "field", "phrase", "kind", "suggestion", "context"]
    export_headings = {"content_type": "Type", "phrase": "Risky phrase", "suggestion": "Suggested wording"}

    @cached_property
    def permission_policy(self):
        return policy_registry.get_by_type(Page)

    @cached_property
    def url_finder(self):
        return AdminURLFinder(self.request.user)

    @cached_property
    def columns(self):
        return [
            TitleColumn("title", label="Published content", get_url=lambda row: self.url_finder.get_edit_url(row.obj)),
            Column("content_type", label="Type"),
            Column("field", label="Where"),
            Column("phrase", label="Risky phrase"),
            Column("kind", label="Why"),
            Column("suggestion", label="Suggested wording"),
        ]

    def get_queryset(self):
        return live_findings()

    def get_filename(self):
        return "advertising-check"
