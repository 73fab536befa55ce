"""After sign-in: replace your own authenticator or recovery codes, and reset a colleague's (a lost phone).

    /admin/two-step/              your two-step sign-in: a new phone, or new recovery codes (a current code first)
    /admin/two-step/reset/<user>/ a practice manager clears a colleague's authenticator and recovery codes

Both live outside /admin/two-factor/ (which a half-signed-in person may reach): they need a session
that has already given its code. After a reset the colleague's next sign-in sets up an authenticator
again, as on their first day; the reset is written to the audit log, so the manager sees who did it.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.generic import TemplateView
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from vial.audit.log import Action, record

from . import twofactor

WHAT = "two-step sign-in"


def forget_devices(user) -> None:
    """Remove the user's authenticator and recovery codes: the next sign-in enrols again."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


class ChangeForm(twofactor.CodeForm):
    REPLACE, CODES = "replace", "codes"
    change = forms.ChoiceField(
        choices=[(REPLACE, "Set up a new phone"), (CODES, "New recovery codes")], widget=forms.HiddenInput
    )


class YourTwoStepView(WagtailAdminTemplateMixin, TemplateView):
    """A new phone, or recovery codes used up: prove it is you with a current code, then change."""

    template_name = "staff/two_step_yours.html"
    page_title = "Your two-step sign-in"
    header_icon = "key"

    def get(self, request, *args, **kwargs):
        return self.render(ChangeForm())

    def post(self, request, *args, **kwargs):
        user = request.user
        form = ChangeForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        verdict = twofactor.count_attempt(user)
        if not verdict:
            form.add_error(None, twofactor.too_many_message(verdict))
            return self.render(form, status=429)
        if match_token(user, form.cleaned_data["code"]) is None:
            form.add_error("code", twofactor.WRONG_CODE)
            return self.render(form, status=400)
        twofactor.right_code(user)
        if form.cleaned_data["change"] == ChangeForm.CODES:
            codes = twofactor.new_recovery_codes(user)
            back = reverse("staff_two_step")
            return render(request, "staff/two_factor_recovery_codes.html", {"codes": codes, "next": back})
        forget_devices(user)  # this session no longer counts as verified: the middleware sends them to enrol
        return redirect(f"{reverse('staff_two_factor_enrol')}?next={reverse('staff_two_step')}")

    def render(self, form, status=200):
        user = self.request.user
        context = self.get_context_data(
            form=form,
            enrolled=twofactor.has_authenticator(user),
            recovery_left=StaticToken.objects.filter(device__user=user).count(),
        )
        return self.render_to_response(context, status=status)


def may_reset(manager, colleague) -> bool:
    """Practice managers reset colleagues; only a superuser resets a superuser; your own is on your page."""
    if colleague.pk == manager.pk or not manager.has_perm("staff.reset_two_factor"):
        return False
    return manager.is_superuser or not colleague.is_superuser


class ResetView(WagtailAdminTemplateMixin, TemplateView):
    """Confirm, then clear a colleague's authenticator and recovery codes."""

    template_name = "staff/two_step_reset.html"
    page_title = "Reset two-step sign-in"
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        self.colleague = get_object_or_404(get_user_model(), pk=kwargs["user_id"], is_active=True)
        if not may_reset(request.user, self.colleague):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(colleague=self.colleague, **kwargs)

    def post(self, request, *args, **kwargs):
        name = self.colleague.get_full_name() or self.colleague.get_username()
        with transaction.atomic():
            forget_devices(self.colleague)
            record(request, Action.CHANGE, WHAT, detail=f"reset for {self.colleague.get_username()}")
        messages.success(request, f"{name} sets up two-step sign-in again the next time they sign in.")
        return redirect("wagtailusers_users:index")
