"""Request set-up for the public site."""

from . import chrome


class CachedSiteMiddleware:
    """Give each request its Wagtail Site from the cache (see `chrome.find_site`).

    Wagtail reads `request._wagtail_site` before looking the Site up itself, so routing, settings
    and templates all use the cached one. The admin keeps Wagtail's own lookup. The content
    version is read once per request (a publish during the request moves it on at once).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/"):
            return self.get_response(request)
        with chrome.one_version_per_request():
            request._wagtail_site = chrome.find_site(request)
            return self.get_response(request)
