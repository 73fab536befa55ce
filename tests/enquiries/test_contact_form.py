"""The public contact form, driven through HTTP like a patient (or a robot) would."""

import logging

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from vial.enquiries.models import Enquiry

pytestmark = pytest.mark.django_db


def post(client, url, data, capture):
    with capture(execute=True):
        return client.post(url, data)


def test_get_shows_form_with_consent_wording(client, contact_url):
    response = client.get(contact_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "I agree that the clinic may use these details to reply to me." in html
    assert "special-category" in html
    assert 'name="website"' in html and 'tabindex="-1"' in html and 'class="honeypot" aria-hidden="true"' in html
    assert 'autocomplete="email"' in html and 'autocomplete="name"' in html
    assert 'aria-describedby="id_message_helptext"' in html
    assert "no-store" in response["Cache-Control"]


def test_valid_post_stores_once_mails_clinic_and_redirects(
    client, contact_url, valid_data, django_capture_on_commit_callbacks
):
    response = post(client, contact_url, valid_data, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == f"{contact_url}?sent=1"
    enquiry = Enquiry.objects.get()
    assert enquiry.kind == "question" and enquiry.status == "new"
    assert enquiry.consent_to_contact is True and enquiry.marketing_opt_in is False
    assert enquiry.consent_wording.startswith("I agree that the clinic may use these details to reply to me.")
    assert enquiry.created_at.tzinfo is not None
    assert len(enquiry.ip_hash) == 64 and "127.0.0.1" not in enquiry.ip_hash
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [settings.CLINIC_ENQUIRIES_EMAIL]
    assert message.reply_to == [valid_data["email"]]
    assert valid_data["message"] in message.body
    assert "Jane" not in message.subject

    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "We have your message" in thanks.content.decode()


def test_no_mail_before_commit(client, contact_url, valid_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(contact_url, valid_data)
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_marketing_opt_in_is_separate(client, contact_url, valid_data, django_capture_on_commit_callbacks):
    post(client, contact_url, {**valid_data, "marketing_opt_in": "on"}, django_capture_on_commit_callbacks)
    assert Enquiry.objects.get().marketing_opt_in is True


def test_treatment_prefill_from_query(client, clinic, contact_url):
    response = client.get(f"{contact_url}?treatment=test-treatment-0")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="test-treatment-0" selected>' in html
    assert 'value="consultation" id="id_kind_1" checked' in html or (
        'value="consultation"' in html and "checked" in html.split('value="consultation"')[1].split(">")[0]
    )


def test_kind_question_prefill(client, contact_url):
    html = client.get(f"{contact_url}?kind=question").content.decode()
    assert "checked" in html.split('value="question"')[1].split(">")[0]


def test_treatment_is_stored(client, clinic, contact_url, valid_data, django_capture_on_commit_callbacks):
    data = {**valid_data, "kind": "consultation", "treatment": "test-treatment-0"}
    assert post(client, contact_url, data, django_capture_on_commit_callbacks).status_code == 302
    assert Enquiry.objects.get().treatment == clinic["treatment"]
    assert "Test treatment 0" in mail.outbox[0].body


@pytest.mark.parametrize(
    "query", ["?treatment=<script>alert(1)</script>", "?treatment=nope", "?kind=zzz", "?sent=abc", "?sent=1&kind=%00"]
)
def test_odd_query_strings_are_harmless(client, contact_url, query):
    response = client.get(contact_url + query)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_missing_consent_is_refused(client, contact_url, valid_data, django_capture_on_commit_callbacks):
    data = {k: v for k, v in valid_data.items() if k != "consent_to_contact"}
    response = post(client, contact_url, data, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tick the box to agree that we may use these details to reply to you." in html
    assert 'role="alert"' in html and 'href="#id_consent_to_contact"' in html
    assert 'aria-invalid="true"' in html
    assert Enquiry.objects.count() == 0 and mail.outbox == []
    # What they typed is kept so they need not type it again.
    assert valid_data["message"] in html


def test_oversized_message_is_refused_clearly(client, contact_url, valid_data, django_capture_on_commit_callbacks):
    response = post(client, contact_url, {**valid_data, "message": "a" * 5000}, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "keep it to 2,000 characters or fewer (it has 5000)" in response.content.decode()
    assert Enquiry.objects.count() == 0 and mail.outbox == []


@pytest.mark.parametrize(
    "field,value,error",
    [
        ("email", "not-an-email", "Enter an e-mail address in the right format"),
        ("email", "a@" + "b" * 300 + ".com", "254 characters or fewer"),
        ("name", "", "Enter your name"),
        ("name", "x" * 101, "100 characters or fewer"),
        ("name", "12345 !!!", "Enter your name using letters."),
        ("phone", "call me maybe", "Use only digits and spaces in the phone number"),
        ("phone", "0 0", "not a phone number we can read"),
        ("phone", "07700 900123", "numbers Ofcom keeps for TV, radio and fiction"),
        ("phone", "01392 12345", "not a UK number in use"),
        ("kind", "zzz", "Choose what your message is about from the options given."),
        ("treatment", "no-such-treatment", "Choose a treatment from the list"),
        ("message", "", "Enter your message or question."),
        ("message", "💉💉💉 !!! 12345", "Your message needs some words"),
        ("message", "\x00\x01\x02\x1b[31m", "Your message needs some words"),
    ],
)
def test_bad_input_gets_a_clear_message(
    client, contact_url, valid_data, django_capture_on_commit_callbacks, field, value, error
):
    response = post(client, contact_url, {**valid_data, field: value}, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert Enquiry.objects.count() == 0 and mail.outbox == []


@pytest.mark.parametrize(
    "message",
    [
        "'; DROP TABLE enquiries_enquiry; -- is this safe?",
        "<script>alert('x')</script> what about fillers?",
        "Ça fait mal? Прошу ответить. 痛いですか？ مرحبا",
        "Can I have it\x00 done\x07 twice\u202e a year?",
    ],
)
def test_awkward_text_is_stored_safely(client, contact_url, valid_data, django_capture_on_commit_callbacks, message):
    response = post(client, contact_url, {**valid_data, "message": message}, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    stored = Enquiry.objects.get().message
    assert not any(ch in stored for ch in "\x00\x07\u202e")
    assert stored.replace(" ", "") == "".join(ch for ch in message if ch not in "\x00\x07\u202e").replace(" ", "")


def test_control_characters_in_name_are_removed(client, contact_url, valid_data, django_capture_on_commit_callbacks):
    post(client, contact_url, {**valid_data, "name": "Jane\x00\r\n Bcc: evil"}, django_capture_on_commit_callbacks)
    assert Enquiry.objects.get().name == "Jane Bcc: evil"


def test_honeypot_pretends_success_and_stores_nothing(
    client, contact_url, valid_data, django_capture_on_commit_callbacks
):
    response = post(
        client, contact_url, {**valid_data, "website": "http://spam.example"}, django_capture_on_commit_callbacks
    )
    assert response.status_code == 302 and response["Location"].endswith("?sent=1")
    assert client.get(response["Location"]).status_code == 200
    assert Enquiry.objects.count() == 0 and mail.outbox == []


def test_honeypot_with_junk_is_still_quietly_ignored(client, contact_url, django_capture_on_commit_callbacks):
    response = post(client, contact_url, {"website": "x", "message": "\x00"}, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert Enquiry.objects.count() == 0


def test_repeated_submission_is_stored_once(client, contact_url, valid_data, django_capture_on_commit_callbacks):
    for _ in range(3):
        assert post(client, contact_url, valid_data, django_capture_on_commit_callbacks).status_code == 302
    assert Enquiry.objects.count() == 1
    assert len(mail.outbox) == 1


def test_rate_limit_gives_429(client, contact_url, valid_data, django_capture_on_commit_callbacks, settings):
    settings.ENQUIRY_RATE_LIMIT = 3
    for n in range(3):
        data = {**valid_data, "message": f"Question number {n}, please"}
        assert post(client, contact_url, data, django_capture_on_commit_callbacks).status_code == 302
    response = post(client, contact_url, {**valid_data, "message": "One more"}, django_capture_on_commit_callbacks)
    assert response.status_code == 429
    assert "You have sent several messages in the last hour; please call us" in response.content.decode()
    assert 3590 <= int(response["Retry-After"]) <= 3600  # the rest of the hour that began with the first
    assert Enquiry.objects.count() == 3


def test_rate_limit_is_per_address(client, contact_url, valid_data, django_capture_on_commit_callbacks, settings):
    settings.ENQUIRY_RATE_LIMIT = 1
    post(client, contact_url, valid_data, django_capture_on_commit_callbacks)
    other = {**valid_data, "message": "A different question"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(contact_url, other, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302
    assert Enquiry.objects.count() == 2


def test_rate_limit_behind_the_proxy_uses_the_address_nginx_saw(
    client, contact_url, valid_data, django_capture_on_commit_callbacks, settings
):
    settings.ENQUIRY_RATE_LIMIT = 1

    def send(message, forwarded):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                contact_url, {**valid_data, "message": message}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded
            )

    assert send("First visitor here", "198.51.100.1").status_code == 302
    assert send("Second visitor here", "198.51.100.2").status_code == 302
    # A forged left-hand entry does not buy a fresh allowance.
    assert send("First visitor again", "10.9.9.9, 198.51.100.1").status_code == 429
    assert Enquiry.objects.count() == 2


def test_oversized_body_is_a_400_not_a_500(client, contact_url, valid_data):
    big = {**valid_data, "message": "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    response = client.post(contact_url, big)
    assert response.status_code == 400
    assert Enquiry.objects.count() == 0


def test_oversized_body_with_csrf_checks_is_a_400(contact_url, valid_data):
    browser = Client(enforce_csrf_checks=True)
    browser.get(contact_url)  # sets the CSRF cookie, so the middleware goes on to read the body
    token = browser.cookies["csrftoken"].value
    big = {**valid_data, "csrfmiddlewaretoken": token, "message": "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    assert browser.post(contact_url, big).status_code == 400


def test_too_many_fields_is_a_400(client, contact_url, valid_data):
    data = {**valid_data, **{f"f{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}}
    assert client.post(contact_url, data).status_code == 400


def test_csrf_token_round_trip_works(contact_url, valid_data, django_capture_on_commit_callbacks):
    browser = Client(enforce_csrf_checks=True)
    browser.get(contact_url)
    data = {**valid_data, "csrfmiddlewaretoken": browser.cookies["csrftoken"].value}
    with django_capture_on_commit_callbacks(execute=True):
        assert browser.post(contact_url, data).status_code == 302
    assert Enquiry.objects.count() == 1


def test_csrf_is_enforced(contact_url, valid_data):
    response = Client(enforce_csrf_checks=True).post(contact_url, valid_data)
    assert response.status_code == 403
    assert Enquiry.objects.count() == 0


def test_other_methods_are_refused(client, contact_url):
    assert client.put(contact_url).status_code == 405


def test_logs_hold_no_personal_data(
    client, contact_url, valid_data, django_capture_on_commit_callbacks, caplog, settings
):
    settings.ENQUIRY_RATE_LIMIT = 2
    caplog.set_level(logging.DEBUG)
    post(client, contact_url, valid_data, django_capture_on_commit_callbacks)
    post(client, contact_url, valid_data, django_capture_on_commit_callbacks)  # duplicate
    post(client, contact_url, {**valid_data, "message": "Another one"}, django_capture_on_commit_callbacks)  # limited
    post(client, contact_url, {**valid_data, "website": "spam"}, django_capture_on_commit_callbacks)  # honeypot
    enquiry = Enquiry.objects.get()
    assert f"Enquiry {enquiry.pk} received (question)" in caplog.text
    for secret in ["Jane", "Testpatient", "jane.testpatient", "07700", "sweating", "127.0.0.1", enquiry.ip_hash]:
        assert secret not in caplog.text
