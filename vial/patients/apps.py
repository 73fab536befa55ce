from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "vial.patients"
    label = "patients"
    verbose_name = "Patients"
    default_auto_field = "django.db.models.BigAutoField"
