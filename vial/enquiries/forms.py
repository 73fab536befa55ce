"""The public enquiry form: strict validation, messages a person can act on, and a honeypot."""

import re
import unicodedata

from django import forms

from vial.website.models import TreatmentPage

from .models import CONSENT_HELP, CONSENT_LABEL, MARKETING_LABEL, Enquiry

HONEYPOT_FIELD = "website"

# Bidirectional-override and zero-width characters: invisible, and used to disguise text.
_INVISIBLE = dict.fromkeys(
    [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x206A)],
)


def clean_text(value: str, *, multiline: bool) -> str:
    """Normalise to NFC, drop control and invisible characters, keep line breaks where allowed."""
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    value = value.translate(_INVISIBLE)
    keep = {"\n", "\t"} if multiline else set()
    value = "".join(ch for ch in value if ch in keep or unicodedata.category(ch) not in {"Cc", "Cs", "Co"})
    if multiline:
        value = re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in value.split("\n")))
    else:
        value = " ".join(value.split())
    return value.strip()


def has_letters(value: str, minimum: int = 1) -> bool:
    return sum(ch.isalpha() for ch in value) >= minimum


class CleanCharField(forms.CharField):
    """A CharField that removes control characters before the length and null-character checks."""

    def __init__(self, *args, multiline=False, **kwargs):
        self.multiline = multiline
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value, multiline=self.multiline) if value else value


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
    name = CleanCharField(
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
        digits = sum(ch.isdigit() for ch in phone)
        if not re.fullmatch(r"\+?[0-9 ]+", phone) or not 9 <= digits <= 15:
            raise forms.ValidationError(
                "Enter a phone number using digits and spaces, with + at the start if you like, "
                "e.g. 01392 000000 or +44 7700 900000.",
                code="invalid_phone",
            )
        return phone

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
