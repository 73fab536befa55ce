"""Enquiries and patient questions sent through the website's contact page.

An enquiry holds personal data, often about health (special-category under UK GDPR), so:
only staff with the enquiries permissions see it (see wagtail_hooks.py), nothing personal is
logged, the sender's address is kept only as a keyed hash, and `__str__` names no one (Wagtail's
history and log entries store that label).
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from vial.website.models import BasePage

#: How long enquiries are kept; the consent wording quotes it and `delete_expired_enquiries` applies it.
RETENTION_MONTHS = getattr(settings, "ENQUIRY_RETENTION_MONTHS", 12)

CONSENT_LABEL = "I agree that the clinic may use these details to reply to me."
CONSENT_HELP = (
    "Anything you tell us about your health is special-category personal data. We use these details "
    f"only to reply to you, we keep them securely and we delete them after {RETENTION_MONTHS} months."
)
CONSENT_WORDING = f"{CONSENT_LABEL} {CONSENT_HELP}"
MARKETING_LABEL = "Send me occasional news and offers by e-mail (optional; you can stop them at any time)."

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ]{8,18}$",
    message="Enter a phone number using digits and spaces, with + at the start if you like, "
    "e.g. 01392 000000 or +44 7700 900000.",
)


class ContactPage(BasePage):
    """The contact page: clinic details and the enquiry form (see forms.py and services.py)."""

    fragment_cacheable = False  # the form carries a CSRF token and the visitor's own input

    intro = models.TextField(blank=True)
    thank_you = models.TextField(
        default="Thank you. We have your message and will reply within two working days.",
        help_text="Shown after a successful submission.",
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("thank_you")]
    max_count = 1
    subpage_types = []

    def serve(self, request, *args, **kwargs):
        # Kept in views.py so the page model stays small; logic lives in services.py.
        from .views import serve_contact_page

        return serve_contact_page(self, request)


class Enquiry(models.Model):
    """A message sent through the contact page. Staff change only its status."""

    class Kind(models.TextChoices):
        GENERAL = "general", "General enquiry"
        CONSULTATION = "consultation", "Consultation request"
        QUESTION = "question", "Question for a clinician"

    class Status(models.TextChoices):
        NEW = "new", "New"
        ANSWERED = "answered", "Answered"
        CLOSED = "closed", "Closed"

    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.GENERAL)
    name = models.CharField(max_length=100)
    email = models.EmailField("e-mail", max_length=254)
    phone = models.CharField(max_length=20, blank=True, validators=[phone_validator])
    treatment = models.ForeignKey(
        "website.TreatmentPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enquiries",
        help_text="The treatment page they came from or chose, if any.",
    )
    message = models.TextField(max_length=2000)
    consent_to_contact = models.BooleanField(
        "agreed to be contacted", default=False, help_text="They ticked the box quoted in 'consent wording'."
    )
    consent_wording = models.TextField(
        blank=True, editable=False, help_text="The consent text exactly as the sender saw it when they agreed."
    )
    marketing_opt_in = models.BooleanField(
        "agreed to marketing e-mails", default=False, help_text="A separate, optional choice; never assumed."
    )
    created_at = models.DateTimeField("received", default=timezone.now, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW, db_index=True)
    converted_post = models.ForeignKey(
        "website.QuestionPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source_enquiries",
        help_text="The draft Q&A post made from this question, if any.",
    )
    patient = models.ForeignKey(
        "patients.Patient",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enquiries",
        help_text="The patient record, when staff have linked this enquiry to one.",
    )
    ip_hash = models.CharField(
        max_length=64, blank=True, editable=False, help_text="Keyed SHA-256 of the sender's address; never the address."
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "enquiries"
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_to_contact=True),
                name="enquiry_has_consent_to_contact",
                violation_error_message="An enquiry is stored only with consent to reply.",
            )
        ]
        indexes = [models.Index(fields=["email", "created_at"], name="enquiry_email_created")]

    def __str__(self):
        # No name or e-mail: this label ends up in Wagtail's log entries and page titles.
        return f"Enquiry #{self.pk} ({self.get_kind_display().lower()})"
