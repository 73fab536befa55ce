from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    name = "vial.website"
    label = "website"
    verbose_name = "Website"

    def ready(self):
        from . import signals

        signals.connect()
