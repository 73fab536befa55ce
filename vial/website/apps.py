from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    name = "vial.website"
    label = "website"
