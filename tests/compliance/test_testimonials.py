"""Publishing a testimonial: the patient's consent first, then the advertising rules."""

import pytest
from django.urls import reverse

from tests.compliance.conftest import PUBLISH, form_data, messages_after_redirect, messages_in
from tests.factories import make_testimonial
from vial.website.models import Testimonial as PatientReview  # not 'Test…', so pytest does not collect it

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(clinic):
    testimonial = make_testimonial(clinic["treatment"], 7, quote="Calm, kind and clear.", consent_to_publish=False)
    testimonial.unpublish()
    testimonial.refresh_from_db()
    return testimonial


def edit(client, testimonial, *, publish=False, **fields):
    url = reverse("wagtailsnippets_website_testimonial:edit", args=[testimonial.pk])
    data = form_data(client, url, "w-editor-form")
    for key, value in fields.items():
        if value is None:
            data.pop(key, None)  # an unticked checkbox is simply absent
        else:
            data[key] = value
    return client.post(url, {**data.dict(), **(PUBLISH if publish else {})})


def test_publishing_without_consent_is_refused(admin_client, draft):
    response = edit(admin_client, draft, publish=True)

    assert response.status_code == 200
    assert "cannot be published until the patient has agreed in writing" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.live


def test_a_draft_without_consent_still_saves(admin_client, draft):
    response = edit(admin_client, draft, quote="Calm, kind and very clear.")

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.get_latest_revision_as_object().quote == "Calm, kind and very clear."


def test_publishing_with_consent_succeeds(admin_client, draft):
    response = edit(admin_client, draft, publish=True, consent_to_publish="on", consent_recorded_on="2024-03-01")

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.live and draft in PatientReview.objects.public()


def test_a_testimonial_naming_the_medicine_is_refused_then_acknowledged(admin_client, draft):
    consent = {"consent_to_publish": "on", "consent_recorded_on": "2024-03-01"}
    quote = "Best Botox in Devon! #botox"

    response = edit(admin_client, draft, publish=True, quote=quote, **consent)

    assert response.status_code == 200
    errors = messages_in(response)
    assert any('"Botox" in Quote (prescription-only brand name)' in e for e in errors)
    assert any('"#botox" in Quote (hashtag naming the medicine)' in e for e in errors)
    draft.refresh_from_db()
    assert not draft.live

    response = edit(admin_client, draft, publish=True, quote=quote, advertising_reviewed="on", **consent)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.live and draft.quote == quote


def test_saving_a_risky_testimonial_draft_warns(admin_client, draft):
    assert edit(admin_client, draft, quote="Teens love it").status_code == 302
    assert any('"Teens"' in m and "under-18s" in m for m in messages_after_redirect(admin_client))
