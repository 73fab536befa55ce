"""Permission policies shared by admin listings whose rows are written only by code."""

from wagtail.permission_policies import ModelPermissionPolicy

WRITES = {"add", "change", "delete"}


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions, minus add, change and delete for everyone (superusers included):
    the rows are written by services (appointments) or only appended (the audit log)."""

    def user_has_permission(self, user, action):
        return action not in WRITES and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a not in WRITES])
