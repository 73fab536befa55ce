from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "vial.booking"
    label = "booking"
    verbose_name = "Booking"

    def ready(self):
        from . import catalogue, diary_setup, slot_cache

        catalogue.connect()
        diary_setup.connect()
        slot_cache.connect()
