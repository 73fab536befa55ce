"""The public enquiry form: strict validation, messages a person can act on, and a honeypot."""

import re

from django import forms

from vial.core.forms import CleanCharField, NameField
from vial.core.phones import PhoneError, clean_uk_phone, national
from vial.core.text import has_letters
from vial.website.models import TreatmentPage

from .models import CONSENT_HELP, CONSENT_LABEL, MARKETING_LABEL, Enquiry

HONEYPOT_FIELD = "website"


class EnquiryForm(forms.ModelForm):
    """What a patient fills in. `website` is a honeypot: people never see it, robots fill it in."""

    kind = forms.ChoiceField(
        label="What is it about?",
        choices=Enquiry.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what your message is about.",
            "invalid_choice": "Choose what your message is about from the options given.",
        },
    )
    name = NameField(
        label="Your name",
        max_length=100,
        error_messages={
            "required": "Enter your name so we know who to reply to.",
            "max_length": "Your name must be %(limit_value)d characters or fewer.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        help_text="We reply by e-mail unless you ask us to call.",
        error_messages={
            "required": "Enter your e-mail address so we can reply.",
            "invalid": "Enter an e-mail address in the right format, like name@example.com.",
            "max_length": "Your e-mail address must be %(limit_value)d characters or fewer.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = CleanCharField(
        label="Phone number (optional)",
        required=False,
        max_length=20,
        help_text="If you would rather we called you.",
        error_messages={"max_length": "A phone number must be %(limit_value)d characters or fewer."},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    treatment = forms.ModelChoiceField(
        label="Treatment you are interested in (optional)",
        queryset=TreatmentPage.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="Not sure, or none in particular",
        error_messages={"invalid_choice": "Choose a treatment from the list, or 'Not sure'."},
    )
    message = CleanCharField(
        label="Your message",
        multiline=True,
        max_length=2000,
        help_text="Up to 2,000 characters. There is no need to give your full medical history here: "
        "a clinician will ask at your consultation.",
        error_messages={
            "required": "Enter your message or question.",
            "max_length": "Your message is too long: keep it to 2,000 characters or fewer "
            "(it has %(show_value)d). Call us if there is a lot to say.",
        },
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    consent_to_contact = forms.BooleanField(
        label=CONSENT_LABEL,
        help_text=CONSENT_HELP,
        error_messages={"required": "Tick the box to agree that we may use these details to reply to you."},
    )
    marketing_opt_in = forms.BooleanField(
        label=MARKETING_LABEL,
        required=False,
    )
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = Enquiry
        fields = ["kind", "name", "email", "phone", "treatment", "message", "consent_to_contact", "marketing_opt_in"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["treatment"].queryset = TreatmentPage.objects.live().public().order_by("title")
        # The honeypot is excluded from the error summary and never saved.
        self.fields[HONEYPOT_FIELD].widget.attrs["aria-hidden"] = "true"

    @classmethod
    def initial_from(cls, query) -> dict:
        """Prefill from links: ?treatment=<slug> (the 'Book a consultation' buttons) and ?kind=question.

        Anything unknown or malformed in the query string is ignored.
        """
        initial = {"kind": Enquiry.Kind.GENERAL}
        kind = query.get("kind", "")
        if kind in Enquiry.Kind.values:
            initial["kind"] = kind
        slug = query.get("treatment", "")
        if slug and len(slug) <= 255 and re.fullmatch(r"[-\w]+", slug):
            treatment = TreatmentPage.objects.live().public().filter(slug=slug).only("slug").first()
            if treatment:
                initial["treatment"] = treatment.slug
                if kind not in Enquiry.Kind.values:
                    initial["kind"] = Enquiry.Kind.CONSULTATION
        return initial

    @property
    def is_bot(self) -> bool:
        """True when the hidden honeypot was filled in (only robots see it)."""
        return bool(str(self.data.get(HONEYPOT_FIELD, "")).strip())

    def clean_name(self):
        name = self.cleaned_data["name"]
        if not has_letters(name):
            raise forms.ValidationError("Enter your name using letters.", code="no_letters")
        return name

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "")
        if not phone:
            return ""
        try:
            return national(clean_uk_phone(phone))  # the booking form's check; kept as staff dial it
        except PhoneError as error:
            raise forms.ValidationError(error.message, code=error.code) from None

    def clean_message(self):
        message = self.cleaned_data["message"]
        if not has_letters(message, minimum=2):
            raise forms.ValidationError(
                "Your message needs some words, so we can understand what you would like to ask.",
                code="no_letters",
            )
        return message

    def visible_error_fields(self):
        """Bound fields with errors, in page order, for the error summary."""
        return [field for field in self.visible_fields() if field.errors and field.name != HONEYPOT_FIELD]
