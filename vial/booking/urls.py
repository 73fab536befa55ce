"""The public booking flow: treatment, location, day, time, details, confirm (views in `views.py`)."""

app_name = "booking"
urlpatterns: list = []
