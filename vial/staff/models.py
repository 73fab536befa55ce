"""One record per person who works at the clinic: `StaffMember`.

The diary (`booking.Practitioner` points at one), the website's bylines and medical reviews
(`website.QuestionPage.author`, `website.TreatmentPage.reviewed_by`), and later prescriptions and
charting all name the same person through it. What a person may *do* is not here: that is their
role, a Django group defined in `vial.staff.roles`.
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index


class Regulator(models.TextChoices):
    GMC = "GMC", "General Medical Council"
    GDC = "GDC", "General Dental Council"
    NMC = "NMC", "Nursing and Midwifery Council"
    GPHC = "GPhC", "General Pharmaceutical Council"


class StaffMember(index.Indexed, models.Model):
    """A person who works at the clinic: who they are to patients, their registration, their login."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_member",
        help_text="Their login, if they have one. What they may do is set by their role (Settings > Groups).",
    )
    display_name = models.CharField(max_length=100, help_text="As patients see it, e.g. 'Dr Helena Marsh'.")
    job_title = models.CharField(
        max_length=100, blank=True, help_text="As the website shows it, e.g. 'Aesthetic doctor and prescriber'."
    )
    credentials = models.CharField(max_length=100, blank=True, help_text="e.g. 'MBChB, MRCGP'.")
    regulator = models.CharField(max_length=5, choices=Regulator.choices, blank=True)
    registration_number = models.CharField(max_length=20, blank=True)
    is_prescriber = models.BooleanField("prescriber", default=False, help_text="May prescribe (needs a registration).")
    bio = models.TextField(blank=True, help_text="For the website.")
    photo = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    active = models.BooleanField(default=True, help_text="Untick when they leave.")

    search_fields = [index.SearchField("display_name"), index.AutocompleteField("display_name")]
    panels = [
        FieldRowPanel([FieldPanel("display_name"), FieldPanel("user")]),
        FieldRowPanel([FieldPanel("job_title"), FieldPanel("credentials")]),
        FieldRowPanel(
            [FieldPanel("regulator"), FieldPanel("registration_number"), FieldPanel("is_prescriber")],
            heading="Registration",
        ),
        MultiFieldPanel([FieldPanel("bio"), FieldPanel("photo")], heading="On the website"),
        FieldPanel("active"),
    ]

    class Meta:
        ordering = ["display_name"]
        verbose_name = "staff member"
        permissions = [
            ("use_diary", "Book, move, cancel and mark appointments in the diary"),
            ("reset_two_factor", "Reset a colleague's two-step sign-in (a lost or replaced phone)"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_prescriber=False) | (~Q(regulator="") & ~Q(registration_number="")),
                name="staff_prescriber_registered",
                violation_error_message="A prescriber needs a regulator and registration number.",
            )
        ]

    def __str__(self):
        return self.display_name

    def clean(self):
        super().clean()
        if self.is_prescriber:
            errors = {}
            if not self.regulator:
                errors["regulator"] = "A prescriber needs their regulator."
            if not self.registration_number.strip():
                errors["registration_number"] = "A prescriber needs their registration number."
            if errors:
                raise ValidationError(errors)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The diary keeps a copy of the name, login and registration on its Practitioner row (read
        # without a join by the availability engine and its cached set-up): keep it the same.
        # Practitioner.save writes its copy back here: the two never disagree, whichever is saved.
        try:
            practitioner = self.practitioner if hasattr(type(self), "practitioner") else None
        except ObjectDoesNotExist:
            practitioner = None
        if practitioner is not None and any(getattr(practitioner, k) != v for k, v in self.identity().items()):
            for key, value in self.identity().items():
                setattr(practitioner, key, value)
            practitioner.save()

    # --- What the website's templates read ------------------------------------------------------

    @property
    def name(self) -> str:
        return self.display_name

    @property
    def role(self) -> str:
        """The job title as the website shows it (not the access role, which is a group)."""
        return self.job_title

    @property
    def byline(self) -> str:
        return ", ".join(part for part in [self.display_name, self.credentials] if part)

    def identity(self) -> dict:
        """The facts the diary's Practitioner row copies."""
        return {
            "user_id": self.user_id,
            "display_name": self.display_name,
            "is_prescriber": self.is_prescriber,
            "regulator": self.regulator,
            "registration_number": self.registration_number,
        }
