"""The site's chrome (menu, section links, footer), cached because every page shows it.

Without this, each page would spend several queries on the same menu and footer. The cache is
cleared whenever a page is published, unpublished, moved or deleted, or an accreditation changes
(see signals.py), so editors see their changes at once.
"""

from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from wagtail.models import Site

SECTIONS_KEY = "website:sections:v1"
FOOTER_FRAGMENT = "site_footer"
CHROME_TIMEOUT = 300


def _load_sections(site) -> list[dict]:
    children = site.root_page.get_children().live().only("id", "title", "slug", "url_path", "path", "show_in_menus")
    return [
        {
            "pk": child.pk,
            "title": child.title,
            "slug": child.slug,
            "path": child.path,
            "url": child.get_url(),
            "in_menu": child.show_in_menus,
        }
        for child in children
    ]


def sections(request) -> list[dict]:
    """Top-level pages of the site: one cached list serves the menu and every section link."""
    memo = getattr(request, "_vial_sections", None)
    if memo is not None:
        return memo
    site = Site.find_for_request(request)
    if site is None:
        return []
    key = f"{SECTIONS_KEY}:{site.pk}"
    memo = cache.get(key)
    if memo is None:
        memo = _load_sections(site)
        cache.set(key, memo, CHROME_TIMEOUT)
    request._vial_sections = memo
    return memo


def section_url(request, slug: str) -> str:
    """URL of a top-level section by slug ('contact', 'treatments'...); '/' if it is missing."""
    return next((s["url"] for s in sections(request) if s["slug"] == slug), "/")


def clear():
    cache.delete_many([f"{SECTIONS_KEY}:{pk}" for pk in Site.objects.values_list("pk", flat=True)])
    cache.delete(make_template_fragment_key(FOOTER_FRAGMENT))
