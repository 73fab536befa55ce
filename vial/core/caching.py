"""Who may keep a copy of a response: the rules shared by the front cache (nginx) and browsers.

Public pages are marked `public, max-age=60` by `vial.core.middleware` so nginx may keep them a
minute (deploy/nginx/vial-front-cache.conf). Two kinds of response must never be kept:

- a page that shows what someone typed (a search, a filter echoing its text): it says something
  about that person's health, so no shared cache, browser history cache or disk keeps it:
  `keep_private` marks it `private, no-store`;
- an HTMX fragment: the same URL answers a whole page or a fragment depending on the `HX-Request`
  header, so the response says `Vary: HX-Request` (`varies_on_htmx`) and the front cache never
  stores or serves a fragment (nginx bypasses requests that carry the header, and the middleware
  never marks a fragment `public`).
"""

from functools import wraps

from django.utils.cache import patch_cache_control, patch_vary_headers

HTMX_HEADER = "HX-Request"
#: Request headers a response may vary on and still be kept by the front cache, because nginx either
#: skips the cache when they matter (Cookie: sessions and messages; HX-Request) or they do not change
#: the body it stores (Accept-Encoding: nginx compresses after the cache). nginx ignores `Vary` (one
#: copy per URL, so one PURGE removes it), so a response varying on anything else is never `public`.
FRONT_CACHE_SAFE_VARY = frozenset({"cookie", "accept-encoding", HTMX_HEADER.lower()})


def is_htmx(request) -> bool:
    """Whether this request asks for an HTMX fragment (htmx sends `HX-Request: true`)."""
    return request.headers.get(HTMX_HEADER) == "true"


def varies_on_htmx(response):
    """Say that this URL answers differently to HTMX, so no cache serves one answer for the other."""
    patch_vary_headers(response, [HTMX_HEADER])
    return response


def keep_private(response):
    """`Cache-Control: private, no-store`: for pages that show what someone typed."""
    patch_cache_control(response, private=True, no_store=True)
    return response


def private_page(view):
    """View decorator: `keep_private` on every answer."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return keep_private(view(request, *args, **kwargs))

    return wrapper


def may_share(request, response) -> bool:
    """May a shared cache keep this response? Not a fragment, and not one varying on other headers."""
    if HTMX_HEADER in request.headers:  # any value: only `true` gets a fragment, but never risk it
        return False
    vary = {v.strip().lower() for v in response.headers.get("Vary", "").split(",") if v.strip()}
    return vary <= FRONT_CACHE_SAFE_VARY
