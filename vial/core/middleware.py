"""Response headers that Django's SecurityMiddleware does not set itself."""

from django.conf import settings

from .caching import may_share

# The public site loads nothing from elsewhere: every script, style, font and image is ours.
PUBLIC_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)
# Wagtail's admin uses inline scripts and styles, so it gets a looser policy of its own.
ADMIN_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "frame-ancestors 'self'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), interest-cohort=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        is_admin = request.path.startswith(("/admin/", "/django-admin/"))
        response.headers.setdefault("Content-Security-Policy", ADMIN_CSP if is_admin else PUBLIC_CSP)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if not settings.DEBUG and not is_admin and "Cache-Control" not in response.headers:
            # Public pages may sit in the front cache briefly; publish purges them.
            user = getattr(request, "user", None)
            anonymous = user is None or not user.is_authenticated
            if (
                request.method == "GET"
                and response.status_code == 200
                and anonymous
                and not response.cookies
                and may_share(request, response)  # never an HTMX fragment (vial.core.caching)
            ):
                response.headers["Cache-Control"] = "public, max-age=60"
        return response
