"""The 'Enquiries' area of the Wagtail admin.

Least privilege: only users with an enquiries permission (view / change / delete) see the menu
item, the list or an enquiry. Nobody adds enquiries by hand (they come from the website), and
editing changes only the status. "Turn into a draft Q&A post" needs change permission on
enquiries *and* permission to add pages in the Q&A blog.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import linebreaksbr
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.views.generic import EditView, IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from vial.audit.views import AuditedReadMixin
from vial.core.spreadsheets import SafeSpreadsheetExportMixin
from vial.website.models import QuestionIndexPage

from . import services
from .models import Enquiry

# Everything held about one enquiry: exported for subject access requests and shown on inspection.
ENQUIRY_RECORD_FIELDS = [
    "created_at",
    "kind",
    "status",
    "name",
    "email",
    "phone",
    "treatment",
    "message",
    "consent_to_contact",
    "consent_wording",
    "marketing_opt_in",
]


class EnquiryPermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions, except that nobody, not even a superuser, adds enquiries."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a != "add"])


enquiry_permission_policy = EnquiryPermissionPolicy(Enquiry)
register_permission_policy(Enquiry, enquiry_permission_policy, exact_class=True)


def can_convert(user) -> bool:
    """May this user turn enquiries into draft Q&A posts?"""
    if not enquiry_permission_policy.user_has_permission(user, "change"):
        return False
    index = QuestionIndexPage.objects.order_by("path").first()
    # With no blog at all, let convert_to_question explain what is missing.
    return index is None or index.permissions_for_user(user).can_add_subpage()


class MessagePanel(FieldPanel):
    """The patient's message, read-only, keeping their line breaks (and escaping everything else)."""

    def __init__(self, field_name="message", **kwargs):
        super().__init__(field_name, **{**kwargs, "read_only": True})

    def format_value_for_display(self, value):
        return linebreaksbr(value, autoescape=True)


class EnquiryIndexView(SafeSpreadsheetExportMixin, IndexView):
    """The list, and its CSV/XLSX export (what patients typed: every cell made spreadsheet-safe)."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("treatment")


class EnquiryEditView(AuditedReadMixin, EditView):
    """The usual edit view (status only), plus the 'Turn into a draft Q&A post' button."""

    audit_what = "enquiry"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["convert_url"] = reverse("enquiries:convert", args=[self.object.pk])
        context["can_convert"] = can_convert(self.request.user)
        return context


class EnquiryInspectView(AuditedReadMixin, InspectView):
    audit_what = "enquiry"


@require_POST
def convert_view(request, pk):
    """One step: make the draft post, then open it in the page editor."""
    if not can_convert(request.user):
        raise PermissionDenied
    enquiry = get_object_or_404(Enquiry, pk=pk)
    try:
        page = services.convert_to_question(enquiry, request.user)
    except services.ConversionError as error:
        messages.error(request, str(error))
        return redirect("enquiries:edit", enquiry.pk)
    messages.success(
        request,
        "Draft Q&A post ready. Write the answer and summary, check nothing identifies the patient, "
        "then submit it for review.",
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


class EnquiryViewSet(ModelViewSet):
    model = Enquiry
    icon = "mail"
    menu_label = "Enquiries"
    menu_order = 250
    add_to_admin_menu = True
    add_to_reference_index = False  # keeps enquiries out of pages' "usage" listings
    copy_view_enabled = False
    inspect_view_enabled = True  # view-only staff can read an enquiry
    inspect_view_class = EnquiryInspectView
    index_view_class = EnquiryIndexView
    edit_view_class = EnquiryEditView
    edit_template_name = "enquiries/admin/edit.html"
    list_display = ["created_at", "kind", "treatment", "status"]
    list_filter = ["kind", "status"]
    ordering = ["-created_at", "-pk"]
    list_per_page = 50
    search_fields = ["name", "email", "message"]
    # Subject access requests: search by e-mail, then export (docs/data_protection.md).
    list_export = ENQUIRY_RECORD_FIELDS
    export_filename = "enquiries"
    inspect_view_fields = [*ENQUIRY_RECORD_FIELDS, "converted_post"]
    panels = [
        FieldPanel("status"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("created_at", read_only=True), FieldPanel("kind", read_only=True)]),
                FieldPanel("name", read_only=True),
                FieldRowPanel([FieldPanel("email", read_only=True), FieldPanel("phone", read_only=True)]),
                FieldPanel("treatment", read_only=True),
                MessagePanel("message"),
                FieldRowPanel(
                    [FieldPanel("consent_to_contact", read_only=True), FieldPanel("marketing_opt_in", read_only=True)]
                ),
                FieldPanel("consent_wording", read_only=True),
                FieldPanel("converted_post", read_only=True),
            ],
            heading="What they sent",
        ),
    ]

    def get_permissions_to_register(self):
        # "Add" would be meaningless in the group editor: enquiries only come from the website.
        return super().get_permissions_to_register().exclude(codename="add_enquiry")

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("convert/<int:pk>/", convert_view, name="convert")]


@hooks.register("register_admin_viewset")
def register_enquiry_viewset():
    return EnquiryViewSet("enquiries")
