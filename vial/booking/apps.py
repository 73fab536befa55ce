from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "vial.booking"
    label = "booking"
    verbose_name = "Booking"

    def ready(self):
        from . import diary_setup, slot_cache

        diary_setup.connect()
        slot_cache.connect()
