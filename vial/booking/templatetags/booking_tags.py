"""Template helpers for booking: the link to book a treatment, and prices written one way everywhere."""

from decimal import Decimal

from django import template

from vial.booking import catalogue

register = template.Library()


@register.filter
def pounds(value) -> str:
    """A price as patients read it: '£60', '£62.50', or 'No charge'."""
    if value in (None, ""):
        return ""
    value = Decimal(value)
    if not value:
        return "No charge"
    return f"£{value:,.0f}" if value == value.to_integral_value() else f"£{value:,.2f}"


@register.simple_tag
def booking_url(treatment) -> str:
    return catalogue.booking_url(treatment.pk)
