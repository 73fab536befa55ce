"""Staff sign-in is throttled (django-axes), driven through /admin/login/ as a password guesser would."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # noqa: S105 - a test account
LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def throttled(settings):
    settings.AXES_ENABLED = True  # off for the rest of the suite (vial/settings/test.py)


@pytest.fixture
def staff(django_user_model):
    users = {}
    for name in ("reception", "nurse"):
        users[name] = django_user_model.objects.create_user(
            username=name, password=PASSWORD, is_staff=True, is_superuser=True
        )
    return users


def sign_in(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password, "next": reverse("wagtailadmin_home")})


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_ten_wrong_passwords_lock_that_user_out_from_that_address(staff):
    guesser = Client(REMOTE_ADDR="203.0.113.7")
    for attempt in range(1, 10):
        response = sign_in(guesser, "reception", f"guess-{attempt}")
        assert response.status_code == 200, attempt  # the usual "wrong password" form
        assert "Too many failed" not in response.content.decode()

    response = sign_in(guesser, "reception", "guess-10")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed sign-in attempts" in html
    assert "Try again in 15 minutes, or ask the practice manager" in html
    assert re.search(r'<body[^>]*class="[^"]*\blogin\b', html), "the page wears the admin's sign-in look"
    assert 'href="/admin/login/"' in html
    assert response["Retry-After"] == str(15 * 60)

    # Now even the right password is refused, and nobody is signed in.
    response = sign_in(guesser, "reception", PASSWORD)
    assert response.status_code == 429 and "Too many failed" in response.content.decode()
    assert guesser.get(reverse("wagtailadmin_home")).status_code == 302  # still sent to sign in

    # A colleague elsewhere, and the same user from the practice's own address, are not affected.
    assert signed_in(sign_in(Client(REMOTE_ADDR="198.51.100.20"), "nurse", PASSWORD))
    assert signed_in(sign_in(Client(REMOTE_ADDR="198.51.100.20"), "reception", PASSWORD))

    # After the cool-off the right password works again from that address.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    assert signed_in(sign_in(guesser, "reception", PASSWORD))


def test_a_guesser_cannot_dodge_the_limit_with_a_made_up_forwarded_address(staff):
    """X-Forwarded-For is believed only from our own proxy (vial.core.client), so rotating it changes nothing."""
    guesser = Client(REMOTE_ADDR="203.0.113.8")
    for attempt in range(10):
        response = guesser.post(
            LOGIN,
            {"username": "nurse", "password": f"guess-{attempt}"},
            headers={"X-Forwarded-For": f"10.0.0.{attempt}"},
        )
    assert response.status_code == 429
    assert AccessAttempt.objects.get().ip_address == "203.0.113.8"


def test_behind_our_proxy_each_visitor_is_counted_by_their_own_address(staff):
    """Through nginx every request comes from 127.0.0.1: the address nginx appended is the one that counts."""
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    for attempt in range(10):
        response = proxy.post(
            LOGIN,
            {"username": "nurse", "password": f"guess-{attempt}"},
            headers={"X-Forwarded-For": "203.0.113.9"},
        )
    assert response.status_code == 429
    # Another visitor through the same proxy signs in as the same user without trouble.
    response = proxy.post(
        LOGIN,
        {"username": "nurse", "password": PASSWORD, "next": reverse("wagtailadmin_home")},
        headers={"X-Forwarded-For": "198.51.100.30"},
    )
    assert signed_in(response)
