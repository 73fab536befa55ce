"""Admin screens that show one record of someone's personal data: each time one is opened, one audit row."""

from .log import Action, record


class AuditedReadMixin:
    """For a Wagtail admin view of one object (inspect, edit): a successful GET writes a 'viewed' row.

    `audit_what` names the screen; the row's patient is the object's `patient_id` when it has one.
    """

    audit_what = ""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if response.status_code == 200:
            record(request, Action.VIEW, self.audit_what, patient=getattr(self.object, "patient_id", None))
        return response
