"""A patient's own appointment, reached from the signed links in their e-mails: cancel or move it."""

app_name = "appointment"
urlpatterns: list = []
