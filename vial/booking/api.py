"""The booking JSON API (django-ninja), version 1: services, availability, bookings, cancellation."""

from ninja import NinjaAPI

api = NinjaAPI(title="Vial booking API", version="1", urls_namespace="api-v1")
