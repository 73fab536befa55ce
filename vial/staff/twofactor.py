"""Two-factor sign-in for staff who can reach patient data, and idle staff sessions.

Signing in is two steps: the password at /admin/login/ (throttled by django-axes, vial.core.login_throttle),
then a six-digit code from an authenticator app (TOTP, django-otp) or one of ten single-use recovery
codes. `StaffSessionMiddleware` sends a signed-in, not yet verified user who needs two factors
(`needs_two_factor`) from any staff URL to enrolment (first sign-in: scan the QR code, confirm a code,
see the recovery codes once) or to the code form. Until then only the sign-in, sign-out, password
reset and two-factor pages answer.

Wrong codes are counted per user in vial.core.ratelimit: after `STAFF_TWO_FACTOR_FAILURE_LIMIT` (5) in
`STAFF_TWO_FACTOR_WINDOW_MINUTES` (15) every code is refused until the window closes (429 with the wait).
django-otp's own growing delay is off (OTP_*_THROTTLE_FACTOR = 0): one rule, said plainly.

Replacing your phone or recovery codes, and a manager's reset of a colleague's, are two_step_settings.py.

Settings: `STAFF_TWO_FACTOR` (True; the test profile turns it off so most tests `force_login`),
`STAFF_TWO_FACTOR_SKIP_ENROLMENT_DEMO` (True only in the demo profile: a user with no authenticator yet
is let through; one who has enrolled still gives a code), `STAFF_SESSION_IDLE_MINUTES` (30).
"""

import time
from base64 import b32encode
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from vial.core import ratelimit

RECOVERY_CODES = 10
THROTTLE_SCOPE = "staff-two-factor"
IDLE_KEY = "staff_last_seen"
#: Paths staff reach only once signed in; everything under them needs the second factor.
STAFF_PREFIXES = ("/admin/", "/django-admin/")
#: ... except these, which a half-signed-in person must still reach: the sign-in pages, and the admin's
#: icons and translations, which the two-factor pages load (sent to the code form instead, the icon
#: loader pasted that whole page into the one it was on).
OPEN_PATHS = (
    "/admin/login/",
    "/admin/logout/",
    "/admin/password_reset/",
    "/admin/two-factor/",
    "/admin/sprite/",
    "/admin/jsi18n/",
)
#: Permissions that reach patients' data (names, contact details, clinical records, the audit log, enquiries).
PATIENT_DATA_APPS = ("patients.", "audit.", "enquiries.")
PATIENT_DATA_PERMISSIONS = {"staff.use_diary", "booking.view_appointment"}


def needs_two_factor(user) -> bool:
    """Must this user give a second factor? Anyone who can reach patient data, and every superuser."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    permissions = user.get_all_permissions()  # cached on the user for the request
    return bool(permissions & PATIENT_DATA_PERMISSIONS) or any(p.startswith(PATIENT_DATA_APPS) for p in permissions)


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(user) -> bool:
    return bool(getattr(user, "is_verified", None) and user.is_verified())


# --- The middleware ----------------------------------------------------------------------------


def note_sign_in(sender, request, user, **kwargs):
    """user_logged_in: the idle clock starts with the session (saved with it, no extra write later)."""
    if request is not None and hasattr(request, "session"):
        request.session[IDLE_KEY] = int(time.time())
        request.session.set_expiry(settings.STAFF_SESSION_IDLE_MINUTES * 60)


class StaffSessionMiddleware:
    """Idle staff sessions end; staff URLs need the second factor; nothing a signed-in person sees is cached.

    After django_otp's OTPMiddleware (which tells whether this session gave a code).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self.idle_signed_out(request) or self.second_factor_needed(request, user)
            if response is None:
                response = self.get_response(request)
            # Staff pages carry patients' data: no browser or proxy keeps a copy.
            add_never_cache_headers(response)
            return response
        return self.get_response(request)

    @staticmethod
    def idle_signed_out(request):
        """Sign out a session idle longer than STAFF_SESSION_IDLE_MINUTES; otherwise note this visit."""
        idle = settings.STAFF_SESSION_IDLE_MINUTES * 60
        now = int(time.time())
        last = request.session.get(IDLE_KEY)
        if last is not None and now - last > idle:
            logout(request)
            login = reverse("wagtailadmin_login")
            if request.path.startswith(STAFF_PREFIXES):
                query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path(), "idle": "1"})
                return redirect(f"{login}?{query}")
            return None
        # A write at most every 30 s, not on every request (and once after Wagtail's sign-in resets the expiry).
        if last is None or now - last >= 30 or request.session.get("_session_expiry") != idle:
            request.session[IDLE_KEY] = now
            request.session.set_expiry(idle)  # the cookie and the stored session lapse too
        return None

    @staticmethod
    def second_factor_needed(request, user):
        if not settings.STAFF_TWO_FACTOR or not request.path.startswith(STAFF_PREFIXES):
            return None
        if request.path.startswith(OPEN_PATHS) or is_verified(user) or not needs_two_factor(user):
            return None
        enrolled = has_authenticator(user)
        if not enrolled and settings.STAFF_TWO_FACTOR_SKIP_ENROLMENT_DEMO:
            return None  # the demo profile only (vial/settings/dev.py)
        target = reverse("staff_two_factor" if enrolled else "staff_two_factor_enrol")
        return redirect(f"{target}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}")


# --- Forms and views ---------------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6 digits your authenticator app shows now, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "numeric"}),
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split()).replace("-", "").lower()
        if not code.isalnum():
            raise forms.ValidationError("Type the code's letters and digits only.")
        return code


WRONG_CODE = (
    "That code is not right. Type the 6 digits your authenticator app shows now (check your phone's clock "
    "is set automatically), or one of your recovery codes."
)


def _next_url(request) -> str:
    url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return reverse("wagtailadmin_home")


def too_many_message(verdict) -> str:
    minutes = max(1, -(-verdict.retry_after // 60))
    return (
        f"Too many wrong codes. Wait {minutes} minute{'s' if minutes != 1 else ''} and try again, or ask the "
        "practice manager."
    )


def _too_many(request, form, template, context, verdict):
    form.add_error(None, too_many_message(verdict))
    response = render(request, template, {**context, "form": form}, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


def count_attempt(user):
    """Count one code attempt for this user: the verdict says whether it may be checked at all."""
    window = settings.STAFF_TWO_FACTOR_WINDOW_MINUTES * 60
    return ratelimit.hit(THROTTLE_SCOPE, str(user.pk), settings.STAFF_TWO_FACTOR_FAILURE_LIMIT, window)


def right_code(user):
    ratelimit.give_back(THROTTLE_SCOPE, str(user.pk))  # only wrong codes count towards the limit


def staff_view(view):
    return never_cache(sensitive_post_parameters("code")(login_required(view, login_url="wagtailadmin_login")))


@staff_view
def verify(request):
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    user = request.user
    if not has_authenticator(user):
        return redirect(f"{reverse('staff_two_factor_enrol')}?{urlencode({REDIRECT_FIELD_NAME: _next_url(request)})}")
    template, context = "staff/two_factor_verify.html", {"next": _next_url(request)}
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verdict = count_attempt(user)
        if not verdict:
            return _too_many(request, form, template, context, verdict)
        device = match_token(user, form.cleaned_data["code"])  # a recovery code is deleted as it is used
        if device is not None:
            right_code(user)
            otp_login(request, device)
            return redirect(context["next"])
        form.add_error("code", WRONG_CODE)
    status = 400 if request.method == "POST" else 200
    return render(request, template, {**context, "form": form}, status=status)


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308  # nosec B308 B703  # qrcode's own SVG of our URL


def _secret(device: TOTPDevice) -> str:
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@staff_view
def enrol(request):
    """First sign-in: scan the QR code into an authenticator app, confirm one code, keep the recovery codes."""
    user = request.user
    if has_authenticator(user):
        return redirect(f"{reverse('staff_two_factor')}?{urlencode({REDIRECT_FIELD_NAME: _next_url(request)})}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    template = "staff/two_factor_enrol.html"
    context = {"next": _next_url(request), "qr": _qr_svg(device.config_url), "secret": _secret(device)}
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verdict = count_attempt(user)
        if not verdict:
            return _too_many(request, form, template, context, verdict)
        if device.verify_token(form.cleaned_data["code"]):
            right_code(user)
            codes = confirm_enrolment(device)
            otp_login(request, device)
            return render(request, "staff/two_factor_recovery_codes.html", {"codes": codes, "next": context["next"]})
        form.add_error("code", WRONG_CODE)
    status = 400 if request.method == "POST" else 200
    return render(request, template, {**context, "form": form}, status=status)


def confirm_enrolment(device: TOTPDevice) -> list[str]:
    """Confirm the authenticator and give the user fresh recovery codes (answered once, never shown again)."""
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
        return new_recovery_codes(device.user)


def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with `RECOVERY_CODES` new single-use ones."""
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes
