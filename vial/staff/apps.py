from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate


class StaffConfig(AppConfig):
    name = "vial.staff"
    label = "staff"
    verbose_name = "Staff"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .roles import sync_roles_after_migrate
        from .twofactor import note_sign_in

        # After every migrate (and every test database flush): the role groups hold exactly their declared permissions.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="staff-sync-roles")
        user_logged_in.connect(note_sign_in, dispatch_uid="staff-note-sign-in")
