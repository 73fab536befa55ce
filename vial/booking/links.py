"""Signed links to a patient's own appointment, as sent in their e-mails.

A link carries the appointment's random `cancel_token` signed with the site's SECRET_KEY
(`django.core.signing`, its own salt), so a link that was changed or cut short is refused before
the database is asked, and a token alone (without the signature) opens nothing. The link does not
expire: the service's cancellation window decides what it may still do. The token never appears in
logs, calendar files or anywhere but the link itself.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "vial.booking.appointment-link"


class BadLink(Exception):
    """The link was changed, cut short or made up."""


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT)


def sign(token: str) -> str:
    """The URL part for this cancel token: the token and its signature."""
    return _signer().sign(token)


def unsign(signed: str) -> str:
    """The cancel token inside a signed link part; BadLink if it was tampered with."""
    if not isinstance(signed, str) or not signed or len(signed) > 200:
        raise BadLink
    try:
        return _signer().unsign(signed)
    except signing.BadSignature as error:
        raise BadLink from error


def appointment_path(appointment, action: str = "detail") -> str:
    """The site-relative path of the appointment's page ('detail'), its cancel step or its move page."""
    return reverse(f"appointment:{action}", args=[sign(appointment.cancel_token)])


def absolute(path: str) -> str:
    return settings.SITE_BASE_URL.rstrip("/") + path


def appointment_url(appointment, action: str = "detail") -> str:
    """The absolute address for e-mails (settings.SITE_BASE_URL + the signed path)."""
    return absolute(appointment_path(appointment, action))
