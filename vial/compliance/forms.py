"""Admin forms that check the advertising rules when an editor publishes.

Pages and testimonials name these as their `base_form_class`. Publishing content with a risky phrase (or
submitting it for moderation, or approving it) is refused with one error per phrase and its suggested
wording, unless the editor ticks `advertising_reviewed` (the clinic's own site may name the medicine as one
possible outcome of a consultation; a person decides).
Saving a draft is never blocked; the draft's findings are shown as a warning instead (see wagtail_hooks).

This module must not import `vial.website.models` (which imports it); the rule model is imported lazily.
"""

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

PUBLISH_ACTION = "action-publish"
#: Buttons that send content towards the public: publish, and (where a workflow applies) submit for
#: moderation, restart the workflow, or approve it. Plain "Save draft" is not among them.
PUBLISHING_ACTIONS = (PUBLISH_ACTION, "action-submit", "action-restart-workflow")

REVIEWED_LABEL = "I have checked these phrases and they comply with the advertising rules"
REVIEWED_HELP = (
    "Tick only if each flagged phrase is allowed here, e.g. the medicine named as one possible outcome of a "
    "consultation rather than promoted. Applies to this publication only."
)


class AcknowledgementWidget(forms.CheckboxInput):
    """A checkbox that carries its own label, because the field sits outside the model's panels."""

    template_name = "compliance/widgets/acknowledgement.html"
    findings = 0  # set per form when publishing found risky phrases, so the box stands out

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(label=REVIEWED_LABEL, help_text=REVIEWED_HELP, findings=self.findings)
        return context


def reviewed_field():
    return forms.BooleanField(
        required=False, label=REVIEWED_LABEL, help_text=REVIEWED_HELP, widget=AcknowledgementWidget
    )


def is_publishing(data) -> bool:
    """Whether the posted `data` comes from a button that sends content towards the public."""
    approving = data.get("action-workflow-action") and data.get("workflow-action-name") == "approve"
    return bool(approving or any(data.get(action) for action in PUBLISHING_ACTIONS))


def advertising_findings(form):
    """The risky phrases in what the form is about to save."""
    from .content import check_segments, segments_of_form
    from .models import active_rules

    return check_segments(segments_of_form(form), active_rules())


def check_before_publishing(form) -> None:
    """Add one non-field error per risky phrase when publishing without the acknowledgement."""
    if not is_publishing(form.data) or form.cleaned_data.get("advertising_reviewed"):
        return
    findings = advertising_findings(form)
    if not findings:
        return
    form.fields["advertising_reviewed"].widget.findings = len(findings)
    for located in findings:
        form.add_error(None, ValidationError(located.message, code="advertising"))
    form.add_error(
        None,
        ValidationError(
            f"Rewrite these phrases, or tick “{REVIEWED_LABEL}” at the foot of the form if they are allowed here.",
            code="advertising",
        ),
    )


class AdvertisingCheckedPageForm(WagtailAdminPageForm):
    """Every public page: refuses to publish risky advertising phrases unless the editor has checked them."""

    advertising_reviewed = reviewed_field()

    def clean(self):
        cleaned_data = super().clean()
        check_before_publishing(self)
        return cleaned_data


class AdvertisingCheckedSnippetForm(WagtailAdminModelForm):
    """Testimonials: the same advertising check, and no publishing without the patient's consent."""

    advertising_reviewed = reviewed_field()

    def clean(self):
        cleaned_data = super().clean()
        if (
            is_publishing(self.data)
            and "consent_to_publish" in self.fields
            and not cleaned_data.get("consent_to_publish", getattr(self.instance, "consent_to_publish", False))
        ):
            self.add_error(
                "consent_to_publish",
                "This testimonial cannot be published until the patient has agreed in writing. "
                "Tick 'consent to publish' and record the date, or save it as a draft.",
            )
        check_before_publishing(self)
        return cleaned_data
