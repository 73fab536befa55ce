from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "vial.booking"
    label = "booking"
    verbose_name = "Booking"
