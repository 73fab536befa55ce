"""A patient's own appointment, reached from the signed links in their e-mails: confirm, cancel or move it."""

from django.urls import path

from . import appointment_views as views

app_name = "appointment"
urlpatterns = [
    path("<str:signed>/", views.detail, name="detail"),
    path("<str:signed>/cancel/", views.cancel, name="cancel"),
    path("<str:signed>/move/", views.move, name="move"),
    path("<str:signed>/confirm/", views.confirm, name="confirm"),
]
