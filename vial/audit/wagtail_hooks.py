"""The audit log in the staff admin: practice managers filter and export it; nobody edits it."""

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import AuditEvent


class ViewOnlyPolicy(ModelPermissionPolicy):
    """'view' for those granted it (practice managers, superusers); add, change and delete for no one."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a == "view"])


audit_policy = ViewOnlyPolicy(AuditEvent)
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
