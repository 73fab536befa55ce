from django.apps import AppConfig


class EnquiriesConfig(AppConfig):
    name = "vial.enquiries"
    label = "enquiries"
