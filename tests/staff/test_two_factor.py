"""Two-factor sign-in, driven through /admin/login/ and /admin/two-factor/ as staff sign in."""

import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import STAFF_PASSWORD, staff_user, totp_code
from vial.staff import twofactor

pytestmark = pytest.mark.django_db

HOME = "/admin/"
VERIFY = "/admin/two-factor/"
ENROL = "/admin/two-factor/enrol/"


@pytest.fixture(autouse=True)
def two_factor_on(settings):
    settings.STAFF_TWO_FACTOR = True  # off for the rest of the suite (vial/settings/test.py)


def sign_in(client: Client, user, next_url: str = HOME):
    response = client.post(
        reverse("wagtailadmin_login"), {"username": user.username, "password": STAFF_PASSWORD, "next": next_url}
    )
    assert response.status_code == 302, "the password is right"
    return client.get(response["Location"])


def code_of(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset * device.step
    return f"{totp.token():06d}"


def test_reception_signs_in_with_a_password_and_a_code(client):
    user = staff_user("Reception")
    response = sign_in(client, user, next_url="/admin/diary/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert "next=%2Fadmin%2Fdiary%2F" in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Two-step sign-in" in page.content.decode()
    assert client.get("/admin/diary/").status_code == 302  # nothing staff-only before the code
    response = client.post(VERIFY, {"code": totp_code(user), "next": "/admin/diary/"})
    assert response.status_code == 302 and response["Location"] == "/admin/diary/"
    assert client.get("/admin/diary/").status_code == 200


def test_a_wrong_code_is_answered_clearly_and_five_make_you_wait(client):
    user = staff_user("Reception")
    sign_in(client, user)
    for attempt in range(5):
        response = client.post(VERIFY, {"code": "000000" if totp_code(user) != "000000" else "111111"})
        assert response.status_code == 400, attempt
        assert "That code is not right" in response.content.decode()
    assert client.post(VERIFY, {"code": "12ab!"}).status_code == 400  # not a code at all: not counted
    response = client.post(VERIFY, {"code": totp_code(user)})  # even the right one, now
    assert response.status_code == 429
    assert "Too many wrong codes. Wait 15 minutes" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert client.get(HOME).status_code == 302  # still not in


def test_right_codes_do_not_count_towards_the_limit(client):
    user = staff_user("Reception")
    for n in range(7):
        other = Client()
        sign_in(other, user)
        assert other.post(VERIFY, {"code": totp_code(user, offset=n % 2)}).status_code in (302, 400)
    assert twofactor.count_attempt(user).count <= 6


def test_first_sign_in_enrols_and_shows_ten_recovery_codes_once(client):
    user = staff_user("Practitioner", totp=False)
    response = sign_in(client, user)
    assert response.status_code == 302 and response["Location"].startswith(ENROL)
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "Set up two-step sign-in" in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.get(ENROL).status_code == 200 and TOTPDevice.objects.filter(user=user).count() == 1  # same key

    wrong = client.post(ENROL, {"code": "000000" if code_of(device) != "000000" else "111111"})
    assert wrong.status_code == 400 and "That code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed

    done = client.post(ENROL, {"code": code_of(device), "next": HOME})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(HOME).status_code == 200  # signed in with both factors
    # Enrolled: the enrolment page now sends to the code form; the codes are never shown again.
    assert client.get(ENROL)["Location"].startswith(VERIFY)
    assert StaticToken.objects.filter(device__user=user).count() == 10


def test_a_recovery_code_signs_in_once(client):
    user = staff_user("Practice manager")
    codes = twofactor.new_recovery_codes(user)
    sign_in(client, user)
    response = client.post(VERIFY, {"code": codes[0].upper()[:4] + "-" + codes[0].upper()[4:]})  # as written down
    assert response.status_code == 302 and client.get(HOME).status_code == 200
    assert StaticToken.objects.filter(device__user=user).count() == 9

    again = Client()
    sign_in(again, user)
    response = again.post(VERIFY, {"code": codes[0]})
    assert response.status_code == 400 and "That code is not right" in response.content.decode()
    assert again.post(VERIFY, {"code": codes[1]}).status_code == 302


def test_who_needs_two_factors(django_user_model):
    for role in ("Reception", "Practitioner", "Prescriber", "Practice manager"):
        assert twofactor.needs_two_factor(staff_user(role, totp=False)), role
    assert not twofactor.needs_two_factor(staff_user("Content editor", totp=False))
    boss = django_user_model.objects.create_superuser("boss", "boss@example.com", STAFF_PASSWORD)
    assert twofactor.needs_two_factor(boss)


def test_a_content_editor_signs_in_with_the_password_alone(client):
    editor = staff_user("Content editor", totp=False)
    response = sign_in(client, editor)
    assert response.status_code == 200


def test_the_demo_profile_may_skip_enrolment_but_not_a_code_once_enrolled(client, settings):
    settings.STAFF_TWO_FACTOR_SKIP_ENROLMENT_DEMO = True
    assert sign_in(client, staff_user("Reception", totp=False)).status_code == 200
    other = Client()
    assert sign_in(other, staff_user("Practitioner")).status_code == 302  # enrolled: still asked for a code


def test_staff_pages_are_never_cached(client):
    user = staff_user("Reception")
    sign_in(client, user)
    client.post(VERIFY, {"code": totp_code(user)})
    response = client.get(HOME)
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_an_idle_session_ends(client, settings, monkeypatch):
    user = staff_user("Reception")
    sign_in(client, user)
    client.post(VERIFY, {"code": totp_code(user)})
    assert client.get(HOME).status_code == 200
    assert client.session.get_expiry_age() == settings.STAFF_SESSION_IDLE_MINUTES * 60
    now = time.time()
    monkeypatch.setattr(twofactor.time, "time", lambda: now + 29 * 60)
    assert client.get(HOME).status_code == 200  # 29 minutes later: still signed in, and the clock restarts
    monkeypatch.setattr(twofactor.time, "time", lambda: now + 29 * 60 + 31 * 60)
    response = client.get("/admin/diary/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login")) and "idle=1" in response["Location"]
    assert "_auth_user_id" not in client.session
    assert client.get(HOME)["Location"].startswith(reverse("wagtailadmin_login"))
