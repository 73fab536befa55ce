"""After sign-in: a new phone or new recovery codes for yourself, and a practice manager's reset of a colleague's."""

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import STAFF_PASSWORD, staff_user, totp_code
from vial.audit.models import AuditEvent
from vial.staff import twofactor

pytestmark = pytest.mark.django_db

YOURS = "/admin/two-step/"
VERIFY = "/admin/two-factor/"
ENROL = "/admin/two-factor/enrol/"


@pytest.fixture(autouse=True)
def two_factor_on(settings):
    settings.STAFF_TWO_FACTOR = True


def signed_in(user, offset=0) -> Client:
    client = Client()
    assert client.post("/admin/login/", {"username": user.username, "password": STAFF_PASSWORD}).status_code == 302
    assert client.post(VERIFY, {"code": totp_code(user, offset)}).status_code == 302
    return client


def wrong_code(user) -> str:
    return "000000" if totp_code(user) != "000000" else "111111"


def test_the_admin_icons_and_translations_load_before_the_code():
    """The code form's own page loads the icon sprite: sent to the code form, it pasted a second form in."""
    user = staff_user("Reception")
    client = Client()
    client.post("/admin/login/", {"username": user.username, "password": STAFF_PASSWORD})
    assert client.get("/admin/diary/").status_code == 302
    sprite = client.get("/admin/sprite/")
    assert sprite.status_code == 200 and b"<svg" in sprite.content
    assert client.get("/admin/jsi18n/").status_code == 200


def test_new_recovery_codes_after_a_current_code():
    user = staff_user("Reception")
    old = twofactor.new_recovery_codes(user)
    client = signed_in(user)
    assert YOURS in client.get("/admin/account/").content.decode()  # reached from the account page
    page = client.get(YOURS)
    assert page.status_code == 200 and "You have 10 recovery codes left" in page.content.decode()

    refused = client.post(YOURS, {"code": wrong_code(user), "change": "codes"})
    assert refused.status_code == 400 and "That code is not right" in refused.content.decode()
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(old)

    done = client.post(YOURS, {"code": totp_code(user, 1), "change": "codes"})
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert done.status_code == 200 and len(new) == 10
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(new)


def test_a_new_phone_replaces_the_authenticator_at_once():
    user = staff_user("Practitioner")
    old_device = TOTPDevice.objects.get(user=user)
    client = signed_in(user)
    response = client.post(YOURS, {"code": totp_code(user, 1), "change": "replace"})
    assert response.status_code == 302 and response["Location"].startswith(ENROL)
    assert not TOTPDevice.objects.filter(pk=old_device.pk).exists()
    assert client.get("/admin/diary/")["Location"].startswith(ENROL)  # nothing else until the new phone is set up
    assert client.get(response["Location"]).status_code == 200
    new_device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(ENROL, {"code": totp_code_of(new_device)}).status_code == 200
    assert client.get("/admin/diary/").status_code == 200


def totp_code_of(device) -> str:
    from django_otp.oath import TOTP

    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def test_a_bad_choice_or_a_code_of_symbols_is_refused_and_changes_nothing():
    user = staff_user("Reception")
    client = signed_in(user)
    refused = client.post(YOURS, {"code": totp_code(user, 1), "change": "everything"})
    assert refused.status_code == 400 and 'Choose "Set up a new phone" or' in refused.content.decode()
    assert client.post(YOURS, {"code": "!!", "change": "replace"}).status_code == 400
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1


def test_a_practice_manager_resets_a_colleagues_lost_phone():
    manager = staff_user("Practice manager", username="maya")
    reception = staff_user("Reception", username="rita")
    twofactor.new_recovery_codes(reception)
    client = signed_in(manager)

    users = client.get("/admin/users/")
    assert users.status_code == 200 and f"/admin/two-step/reset/{reception.pk}/" in users.content.decode()
    confirm = client.get(f"/admin/two-step/reset/{reception.pk}/")
    assert confirm.status_code == 200 and "Reset two-step sign-in for" in confirm.content.decode()
    assert client.post(f"/admin/two-step/reset/{reception.pk}/").status_code == 302

    assert not TOTPDevice.objects.filter(user=reception).exists()
    assert not StaticToken.objects.filter(device__user=reception).exists()
    event = AuditEvent.objects.get(what="two-step sign-in")
    assert event.user == manager and event.detail == "reset for rita" and event.patient is None
    # Rita's next sign-in sets up a new authenticator.
    again = Client()
    response = again.post("/admin/login/", {"username": "rita", "password": STAFF_PASSWORD})
    assert again.get(response["Location"])["Location"].startswith(ENROL)


def test_only_a_manager_resets_and_not_their_own_or_a_superusers(django_user_model):
    manager = staff_user("Practice manager", username="maya")
    reception = staff_user("Reception", username="rita")
    boss = django_user_model.objects.create_superuser("boss", "boss@example.com", STAFF_PASSWORD)
    TOTPDevice.objects.create(user=boss, name="Authenticator app", confirmed=True)
    by_reception = signed_in(reception)
    refused = by_reception.post(f"/admin/two-step/reset/{manager.pk}/", follow=True)
    assert "you do not have permission" in refused.content.decode()  # the admin's own refusal, on its home page
    by_manager = signed_in(manager)
    assert refused_to(by_manager, manager) and refused_to(by_manager, boss)
    assert by_manager.post("/admin/two-step/reset/999999/").status_code == 404
    assert TOTPDevice.objects.filter(confirmed=True).count() == 3
    assert not AuditEvent.objects.filter(what="two-step sign-in").exists()


def refused_to(client, user) -> bool:
    response = client.post(f"/admin/two-step/reset/{user.pk}/")
    return response.status_code == 302 and response["Location"] == "/admin/"
