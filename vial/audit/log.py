"""Writing the audit log: one function, called wherever patient data is read or changed."""

from collections.abc import Iterable

from .models import AuditEvent

Action = AuditEvent.Action
PATIENT_BY_LINK = "the patient, by e-mailed link"
PATIENT_ONLINE = "the patient, on the booking website"
PATIENT_BY_API = "the patient, through the booking API"
SYSTEM = "system"


def record(
    who,
    action: str,
    what: str,
    patient=None,
    fields: Iterable[str] = (),
    detail: str = "",
) -> AuditEvent:
    """Append one audit row. `who` is a request, a user, or a text naming a non-staff actor;
    `patient` a Patient or its id.

    Called inside the transaction of the change it describes, so the row and the change commit
    (or roll back) together.
    """
    user = getattr(who, "user", who)
    if isinstance(who, str):
        user, actor = None, who
    elif getattr(user, "is_authenticated", False):
        actor = ""
    else:
        user, actor = None, "anonymous"
    return AuditEvent.objects.create(
        user=user,
        actor=actor[:100],
        patient_id=getattr(patient, "pk", patient),
        action=action,
        what=what[:100],
        fields=sorted(fields),
        detail=detail[:300],
    )
