"""Staff sign-in throttling (django-axes): what a locked-out person sees.

After `AXES_FAILURE_LIMIT` wrong passwords for one username from one address (settings/base.py),
that pair is refused, even with the right password, for `AXES_COOLOFF_TIME`; other people and other
addresses are unaffected. The address is the one `vial.core.client.client_address` believes (the
same rule as every other per-address limit: X-Forwarded-For only from our own proxy).
"""

from django.conf import settings
from django.shortcuts import render

LOCKOUT_TEMPLATE = "core/login_locked_out.html"


def cooloff_minutes() -> int:
    """The cool-off as whole minutes (rounded up), for the message."""
    seconds = settings.AXES_COOLOFF_TIME.total_seconds()
    return max(1, int(-(-seconds // 60)))


def lockout_response(request, original_response=None, credentials=None):
    """429 with a page in the admin's own look: what happened, when to try again, whom to ask."""
    response = render(
        request,
        LOCKOUT_TEMPLATE,
        {"minutes": cooloff_minutes(), "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
