"""The patient record: one row per person the clinic sees, whatever way they booked.

Appointments, enquiries and testimonials point here (`Appointment.patient` is the source of truth;
the details typed into a booking stay on the appointment only as what was entered then). Who may
see or change what is decided in `access.py`; every read and change is written to the audit log
(`vial.audit`) by `services.py` and the staff views.
"""

from datetime import date

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone


class Patient(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", "Online booking"
        PHONE = "phone", "By phone"
        DESK = "desk", "At the desk"
        FORM = "form", "Website form"

    # Who they are. `preferred_name` is how they want to be addressed; `legal_name` matches their ID.
    preferred_name = models.CharField(max_length=200, help_text="As they want to be addressed.")
    legal_name = models.CharField(max_length=200, blank=True, help_text="As on their ID, if different.")
    date_of_birth = models.DateField(null=True, blank=True)
    # How to reach them.
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True, help_text="Stored as +44…, see core/phones.py.")
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    gp_practice = models.CharField("GP practice", max_length=200, blank=True)
    emergency_contact = models.CharField(max_length=200, blank=True, help_text="Name and relationship.")
    emergency_phone = models.CharField(max_length=30, blank=True)
    # Care messages (appointments, aftercare, recalls) and marketing are separate choices (PECR).
    care_by_email = models.BooleanField(default=True)
    care_by_sms = models.BooleanField(default=False)
    marketing_consent = models.BooleanField(default=False)
    marketing_consent_at = models.DateTimeField(null=True, blank=True)
    marketing_consent_how = models.CharField(max_length=100, blank=True, help_text="e.g. 'online booking form'.")

    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_records"
    )
    erased_at = models.DateTimeField(null=True, blank=True)
    erasure_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["preferred_name", "pk"]
        indexes = [
            models.Index(Lower("email"), "date_of_birth", name="patients_email_dob"),
            models.Index(fields=["date_of_birth"], name="patients_dob"),
            models.Index(fields=["phone"], name="patients_phone"),
        ]
        constraints = [
            # One live record per e-mail address and date of birth: the key a returning patient books with.
            models.UniqueConstraint(
                Lower("email"),
                "date_of_birth",
                condition=~Q(email="") & Q(merged_into__isnull=True) & Q(date_of_birth__isnull=False),
                name="patients_one_record_per_email_dob",
            ),
            models.CheckConstraint(condition=~Q(merged_into=models.F("pk")), name="patients_not_merged_into_self"),
        ]
        permissions = [
            ("view_clinical", "See clinical records"),
            ("change_clinical", "Write clinical records"),
            ("export_patient", "Export a patient's data (subject access)"),
            ("merge_patient", "Merge duplicate patients"),
            ("erase_patient", "Erase a patient's data (right to erasure)"),
        ]

    def __str__(self):
        return self.preferred_name

    def save(self, *args, **kwargs):
        """Save, and keep the words search finds this patient by in step with the names (`NameWord`)."""
        adding = self._state.adding
        fields = kwargs.get("update_fields")
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            if fields is None or NAME_WORD_FIELDS & set(fields):
                from .search import index_name_words  # the search owns its index; it imports this module

                index_name_words(self, new=adding)

    @property
    def name(self) -> str:
        return self.preferred_name

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


#: What decides the words a patient is found by: the names, and whether the record is still searchable.
NAME_WORD_FIELDS = {"preferred_name", "legal_name", "merged_into", "merged_into_id"}


class NameWord(models.Model):
    """One word of patients' names ('luscombe', "o'brien"), held once however many patients share it.

    A clinic has a few thousand; staff search matches what was typed against these first (part of a
    word, or a close spelling: `search.py`), then reaches the patients through `PatientNameWord`.
    A word that no searchable patient uses any longer is deleted at once: it is personal data.
    """

    word = models.CharField(max_length=200, unique=True)

    def __str__(self):
        return self.word


class PatientNameWord(models.Model):
    """A searchable patient's preferred or legal name holds this word (the index search goes through).

    Written only by `search.index_name_words`, from `Patient.save()`. Merged records and fully erased
    ones have none. Word first in the unique index: the patients of one word come in record order, so
    a search can stop after 50.
    """

    # DO_NOTHING: a word is deleted only once no row points at it (`search.prune_name_words`); the
    # database's foreign key refuses anything else.
    word = models.ForeignKey(NameWord, on_delete=models.DO_NOTHING, related_name="+", db_index=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="name_words")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["word", "patient"], name="patients_name_word_patient")]

    def __str__(self):
        return f"{self.word_id} in #{self.patient_id}"


#: The contact details reception may read and change (no clinical data).
CONTACT_FIELDS = [
    "preferred_name",
    "legal_name",
    "date_of_birth",
    "email",
    "phone",
    "address",
    "postcode",
    "gp_practice",
    "emergency_contact",
    "emergency_phone",
    "care_by_email",
    "care_by_sms",
    "marketing_consent",
]


class DetailsChange(models.Model):
    """One change of a patient's contact details, kept as history (rectification shows what it was)."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="details_changes")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    changes = models.JSONField(help_text="{field: [before, after]} for contact fields only.")
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
