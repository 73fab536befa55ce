"""The public booking flow: treatment, location, day, time, details, confirm (views in `views.py`)."""

from django.urls import path

from . import views

app_name = "booking"
urlpatterns = [
    path("", views.start, name="start"),
    path("<int:service_id>/", views.choose_location, name="location"),
    path("<int:service_id>/times/", views.times, name="times"),
    path("<int:service_id>/details/", views.details, name="details"),
    path("held/<int:pk>/", views.check, name="check"),
    path("held/<int:pk>/release/", views.release, name="release"),
    path("booked/<int:pk>/", views.done, name="done"),
]
