"""The audit log: an append-only record of every read and change of patient data.

Rows are written by `record()` in `vial/audit/log.py`, in the same transaction as the change they
describe. Nothing in the app updates or deletes them (the model refuses), and on PostgreSQL a
trigger refuses UPDATE and DELETE from any client (migration 0002).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        SEARCH = "search", "Searched"
        EXPORT = "export", "Exported"
        CREATE = "create", "Created"
        CHANGE = "change", "Changed"
        MERGE = "merge", "Merged"
        ERASE = "erase", "Erased"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    #: Who acted when there is no staff login: e.g. "the patient, by e-mailed link" or "booking website".
    actor = models.CharField(max_length=100, blank=True)
    patient = models.ForeignKey(
        "patients.Patient", null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    #: What was read or changed: a page ("patient page"), a screen, or an export format.
    what = models.CharField(max_length=100)
    #: Names of the fields changed, never their values.
    fields = models.JSONField(default=list, blank=True)
    #: For a search, the words searched for (not the results); for a merge or erasure, the reason.
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["patient", "-at"], name="audit_patient_at")]
        # Only 'view' is granted to anyone (practice managers); add/change/delete exist for no one.
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.what}"

    @property
    def who(self) -> str:
        if self.user_id:
            return self.user.get_full_name() or self.user.get_username()
        return self.actor or "system"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events cannot be deleted.")
