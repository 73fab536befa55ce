"""Reception in the browser: signs in with a password and a code, finds a returning patient by a misspelt
surname, books them from the diary without retyping them, and cannot open anything beyond contact details;
the practice manager then sees it all in the audit log."""

import io
import re
from datetime import date

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.factories import STAFF_PASSWORD, staff_user, totp_code
from tests.patients.records import patient_record
from vial.booking.models import Appointment, Practitioner, Service
from vial.staff import roles

from .conftest import BROWSER_TEST
from .test_diary import quiet_day

pytestmark = BROWSER_TEST


@pytest.fixture
def clinic_site(site, settings):
    call_command("load_booking_demo", stdout=io.StringIO())
    settings.STAFF_TWO_FACTOR = True  # as in production
    settings.STAFF_TWO_FACTOR_SKIP_ENROLMENT_DEMO = False
    return site


def sign_in(page, site, user, offset=0):
    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Two-step sign-in")).to_be_visible()
    expect(page.locator("input[name=code]")).to_have_count(1)  # once the admin's icons have loaded too
    page.locator("input[name=code]").fill(totp_code(user, offset))
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile("two-factor"))


def test_reception_books_a_returning_patient_found_by_a_misspelt_surname(clinic_site, open_context):
    site = clinic_site
    patient = patient_record("Morwenna Quiller", "morwenna.q@example.com", date(1979, 4, 2), "01872 223344")
    reception = staff_user(roles.RECEPTION, username="rita")
    page = open_context(width=1280, height=900).new_page()
    sign_in(page, site, reception)

    _day, slot = quiet_day(page, site)  # an empty stretch in the diary: click it to book there
    practitioner = Practitioner.objects.get(pk=slot["practitioner"])
    service = practitioner.services.filter(kind=Service.Kind.CONSULTATION, active=True).order_by("duration_minutes")[0]
    page.goto(site + slot["href"])
    page.get_by_role("link", name="Returning patient? Find them first").click()
    page.get_by_label(re.compile("Find a patient")).fill("Quiler")  # as heard on the phone
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name="Book for Morwenna Quiller").click()
    expect(page.get_by_role("heading", name="Booking for Morwenna Quiller")).to_be_visible()
    expect(page.locator("input[name=patient_name]")).to_have_count(0)  # nothing to retype
    page.get_by_label("Service").select_option(str(service.pk))
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.get_by_text(re.compile(f"Booked {re.escape(service.name)}"))).to_be_visible()
    appointment = Appointment.objects.get(patient=patient)
    assert appointment.patient_phone == patient.phone

    # Contact details only: nothing clinical, no export, no audit log.
    for url in (f"/admin/patients/{patient.pk}/export/?format=html", "/admin/audit_log/"):
        response = page.goto(site + url)
        assert response.status == 404 or "/admin/audit_log/" not in page.url, url
        expect(page.get_by_text("Quiller")).to_have_count(0)

    # The practice manager sees who searched, opened and booked.
    manager = staff_user(roles.MANAGER, username="max")
    page = open_context(width=1280, height=900).new_page()
    sign_in(page, site, manager, offset=0)
    page.goto(site + "/admin/audit_log/")
    log = page.locator("main")
    expect(log).to_contain_text("Quiler")  # the words searched
    expect(log).to_contain_text("appointment booked")
    expect(log).to_contain_text("Reception")
