"""The audit log in the staff admin: practice managers filter and export it; nobody edits it."""

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from vial.core.permissions import ReadOnlyPermissionPolicy

from .models import AuditEvent

audit_policy = ReadOnlyPermissionPolicy(AuditEvent)  # managers view and export; nobody edits
register_permission_policy(AuditEvent, audit_policy, exact_class=True)


class AuditViewSet(ModelViewSet):
    model = AuditEvent
    icon = "list-ul"
    menu_label = "Audit log"
    menu_order = 9000
    add_to_admin_menu = True
    permission_policy = audit_policy
    exclude_form_fields = []
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = ["at", "who", "action", "what", "patient", "fields", "detail"]
    list_filter = ["action", "user", "at"]
    list_export = ["at", "who", "action", "what", "patient_id", "fields", "detail"]
    export_filename = "audit-log"
    ordering = ["-at", "-pk"]
    list_per_page = 100

    def get_queryset(self, request):
        return AuditEvent.objects.select_related("user", "patient")


@hooks.register("register_admin_viewset")
def register_audit_viewset():
    return AuditViewSet("audit_log")
