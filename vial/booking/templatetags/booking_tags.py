"""Template helpers for booking: a treatment's first step, and prices written one way everywhere."""

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
def first_step(treatment) -> catalogue.FirstStep:
    """What a treatment page's call to action leads to (see `vial.booking.catalogue`)."""
    return catalogue.first_step(treatment.pk)


@register.simple_tag
def booking_url(treatment) -> str:
    return catalogue.booking_url(treatment.pk)
