"""Keep cached site chrome fresh when editors change what it shows."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move, published, unpublished

from . import chrome


def clear_chrome(**kwargs):
    chrome.clear()


def connect():
    from wagtail.models import Page, PageViewRestriction, Site

    from vial.staff.models import StaffMember

    from .models import Accreditation, ClinicSettings, Testimonial

    page_published.connect(clear_chrome, dispatch_uid="website-chrome-published")
    page_unpublished.connect(clear_chrome, dispatch_uid="website-chrome-unpublished")
    post_page_move.connect(clear_chrome, dispatch_uid="website-chrome-moved")
    post_delete.connect(clear_chrome, sender=Page, dispatch_uid="website-chrome-page-deleted")
    # Snippets with drafts (testimonials) change what pages show when published or unpublished.
    published.connect(clear_chrome, dispatch_uid="website-chrome-snippet-published")
    unpublished.connect(clear_chrome, dispatch_uid="website-chrome-snippet-unpublished")
    for model in (Accreditation, ClinicSettings, StaffMember, Testimonial, Site, PageViewRestriction):
        post_save.connect(clear_chrome, sender=model, dispatch_uid=f"website-chrome-{model.__name__}-saved")
        post_delete.connect(clear_chrome, sender=model, dispatch_uid=f"website-chrome-{model.__name__}-deleted")
