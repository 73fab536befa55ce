from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "vial.compliance"
    label = "compliance"
