"""'Patients' in the staff admin menu, for those who may see patient records (see `access.py`)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import access, views


class PatientsMenuItem(MenuItem):
    def is_shown(self, request):
        return access.may(request.user, "view")


@hooks.register("register_admin_urls")
def register_patient_urls():
    return [
        path("patients/", views.SearchView.as_view(), name="patients_search"),
        path("patients/<int:pk>/", views.PatientPageView.as_view(), name="patients_page"),
        path("patients/<int:pk>/edit/", views.EditView.as_view(), name="patients_edit"),
        path("patients/<int:pk>/merge/", views.MergeView.as_view(), name="patients_merge"),
        path("patients/<int:pk>/export/", views.ExportView.as_view(), name="patients_export"),
        path("patients/<int:pk>/erase/", views.EraseView.as_view(), name="patients_erase"),
    ]


@hooks.register("register_admin_menu_item")
def register_patients_menu_item():
    return PatientsMenuItem("Patients", reverse("patients_search"), name="patients", icon_name="user", order=230)
