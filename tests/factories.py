"""Factories for the website's content, used by tests that need a small clinic."""

import datetime

import factory
from wagtail.models import Page, Site

from vial.staff.models import StaffMember
from vial.website.models import (
    Accreditation,
    HomePage,
    LocationIndexPage,
    LocationPage,
    OpeningHours,
    QuestionIndexPage,
    QuestionPage,
    Testimonial,
    TestimonialIndexPage,
    TreatmentIndexPage,
    TreatmentPage,
)


class ClinicianFactory(factory.django.DjangoModelFactory):
    """A clinician who writes and reviews: a staff member with a registration."""

    class Meta:
        model = StaffMember

    display_name = factory.Sequence(lambda n: f"Dr Test Clinician {n}")
    job_title = "Aesthetic doctor"
    credentials = "MBChB"
    regulator = "GMC"
    registration_number = factory.Sequence(lambda n: f"{7000000 + n}")


def add_child(parent, page, revision=True):
    """Add a live page; `revision=False` skips the revision for bulk content (much faster)."""
    if revision:
        parent.add_child(instance=page)
        page.save_revision().publish()
        page.refresh_from_db()
    else:
        page.live = True
        parent.add_child(instance=page)
    return page


def make_treatment(index, n=0, revision=True, **overrides):
    fields = {
        "title": f"Test treatment {n}",
        "slug": f"test-treatment-{n}",
        "patient_problem": "Something bothers me",
        "summary": "A test treatment.",
        "areas": "Face",
        "how_it_works": "<p>It works.</p>",
        "onset": "within a week",
        "duration_months_min": 3,
        "duration_months_max": 4,
    }
    fields.update(overrides)
    return add_child(index, TreatmentPage(**fields), revision=revision)


def make_question(index, author, n=0, treatments=(), revision=True, **overrides):
    fields = {
        "title": f"Test question {n}",
        "slug": f"test-question-{n}",
        "question": "Is this a test?",
        "summary": "Yes, it is a test.",
        "answer": [("paragraph", "<p>It is.</p>")],
        "date": datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
        "author": author,
    }
    fields.update(overrides)
    page = QuestionPage(**fields, live=not revision)
    index.add_child(instance=page)
    page.related_treatments.set(treatments)
    if revision:
        page.save_revision().publish()
        page.refresh_from_db()
    else:
        page.save()
    return page


def make_testimonial(treatment=None, n=0, revision=True, **overrides):
    fields = {
        "author_name": f"Patient {n}",
        "quote": "Kind, careful and clear.",
        "rating": 5,
        "treatment": treatment,
        "consent_to_publish": True,
        "consent_recorded_on": datetime.date(2024, 1, 1),
        "date": datetime.date(2024, 1, 1),
    }
    fields.update(overrides)
    testimonial = Testimonial(**fields, live=not revision)
    testimonial.save()
    if revision:
        testimonial.save_revision().publish()
        testimonial.refresh_from_db()
    return testimonial


def build_clinic():
    """A small but complete site tree; returns a dict of the pages made."""
    root = Page.get_first_root_node()
    Page.objects.filter(depth=2).delete()  # Wagtail's welcome page
    home = HomePage(title="Home", slug="home", intro="Expert care across the South West.")
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Vial")

    treatments = add_child(home, TreatmentIndexPage(title="Treatments", slug="treatments", show_in_menus=True))
    questions = add_child(home, QuestionIndexPage(title="Questions", slug="questions", show_in_menus=True))
    reviews = add_child(home, TestimonialIndexPage(title="Reviews", slug="reviews", show_in_menus=True))
    clinics = add_child(home, LocationIndexPage(title="Clinics", slug="clinics", show_in_menus=True))
    from vial.enquiries.models import ContactPage

    contact = add_child(home, ContactPage(title="Contact", slug="contact", show_in_menus=True))
    location = LocationPage(
        title="Exeter clinic",
        slug="exeter",
        street_address="1 Test Street",
        town="Exeter",
        postcode="EX1 1AA",
        phone="01392 000000",
    )
    location.hours = [OpeningHours(weekday=0, opens=datetime.time(9), closes=datetime.time(17))]
    add_child(clinics, location)
    author = ClinicianFactory()
    treatment = make_treatment(treatments)
    post = make_question(questions, author, treatments=[treatment])
    make_testimonial(treatment)
    Accreditation.objects.create(name="Test register", body="Test body", year=2020, register_number="R1")
    return {
        "home": home,
        "treatments": treatments,
        "questions": questions,
        "reviews": reviews,
        "clinics": clinics,
        "contact": contact,
        "location": location,
        "treatment": treatment,
        "post": post,
        "author": author,
    }


# --- Staff logins -------------------------------------------------------------------------------

STAFF_PASSWORD = "correct horse battery staple"  # noqa: S105 - test accounts only


def staff_user(role: str, totp: bool = True, username: str | None = None, password: str = STAFF_PASSWORD):
    """A staff login in one of the roles of vial/staff/roles.py ("Reception", "Practice manager", ...).

    With `totp`, the user has a confirmed authenticator (TOTP device): `totp_code(user)` gives the code
    it shows now. Sign in with `password` at /admin/login/, then the code at /admin/two-factor/.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice

    username = username or role.lower().replace(" ", ".")
    user = get_user_model().objects.create_user(username=username, password=password, first_name=role)
    user.groups.add(Group.objects.get(name=role))
    if totp:
        TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


def totp_code(user, offset: int = 0) -> str:
    """The code `user`'s authenticator app shows now (`offset` steps of 30 s later or earlier).

    A code is accepted once: a second sign-in in the same 30 seconds needs `offset=1`.
    """
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).latest("pk")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset * device.step
    return f"{totp.token():0{device.digits}d}"
