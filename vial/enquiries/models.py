"""Enquiries and patient questions sent through the website's contact page."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from vial.website.models import BasePage


class ContactPage(BasePage):
    """The contact page: clinic details and the enquiry form (see forms.py and services.py)."""

    intro = models.TextField(blank=True)
    thank_you = models.TextField(
        default="Thank you. We have your message and will reply within two working days.",
        help_text="Shown after a successful submission.",
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("thank_you")]
    max_count = 1
    subpage_types = []
