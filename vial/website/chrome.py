"""What every public page shares, cached: the menu, section links, footer, the Site and a content version.

Without this, each page would spend several queries on the same menu and footer, and on finding
its Site. The cache is cleared whenever a page is published, unpublished, moved or deleted, or a
snippet, setting or site changes (see signals.py), so editors see their changes at once.

The content version names the state of the whole site's content. Page fragments are cached under
it (`{% pagecache %}`): a page's body also shows other content (related treatments, ratings, the
latest answers), so any publish anywhere moves every page to fresh keys, and the old entries expire.
"""

import functools
import hashlib
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import wagtail
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.http.request import split_domain_port
from wagtail.models import Page, PageViewRestriction, Site

from vial.core import versions

SECTIONS_KEY = "website:sections:v1"
FOOTER_FRAGMENT = "site_footer"
CHROME_TIMEOUT = 300
VERSION_KEY = "website:content-version"
SITE_KEY = "website:site"
RESTRICTIONS_KEY = "website:any-view-restrictions"
PAGE_KEY = "website:page"
PROJECT_DIR = Path(__file__).resolve().parent.parent  # the `vial` package


@functools.cache
def code_version() -> str:
    """A fingerprint of the project's code and templates on disk and of Wagtail, taken once per process.

    Part of every cache key here, so a deploy that changes a template or a model starts from fresh
    pages and fragments instead of serving what the old code made.
    """
    digest = hashlib.md5(wagtail.__version__.encode(), usedforsecurity=False)
    for path in sorted(PROJECT_DIR.rglob("*")):
        if path.suffix in (".py", ".html"):
            stat = path.stat()
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]


# The version read once at the start of a public request, so its several cache keys cost one read.
_request_version: ContextVar[str | None] = ContextVar("website_content_version", default=None)


def _stored_version() -> str:
    return versions.current(VERSION_KEY)


def content_version() -> str:
    """The current content version (a random one is chosen when the cache has none), with the code's."""
    return f"{code_version()}-{_request_version.get() or _stored_version()}"


@contextmanager
def one_version_per_request():
    """Read the content version once for the request inside (see CachedSiteMiddleware)."""
    token = _request_version.set(None)
    _request_version.set(_stored_version())
    try:
        yield
    finally:
        _request_version.reset(token)


def find_site(request) -> Site | None:
    """Wagtail's Site for this request, with its root page already specific, from the cache.

    Wagtail looks the Site up (one query) and its root page (two more) on every request; both
    change only when an editor changes them, which moves the content version.
    """
    hostname = split_domain_port(request._get_raw_host())[0]
    key = f"{SITE_KEY}:{content_version()}:{hostname}:{request.get_port()}"
    site = cache.get(key)
    if site is None:
        site = Site._find_for_request(request)
        if site is not None:
            site.root_page = site.root_page.specific
        cache.set(key, site, CHROME_TIMEOUT)
    return site


def live_page(url_path: str, under: str):
    """The live page at `url_path` below tree path `under`, as its specific type, from the cache.

    Kept under the content version like the rest, so a publish, unpublish or move is seen at once.
    Misses are not cached, so unknown URLs cannot fill the cache.
    """
    key = f"{PAGE_KEY}:{content_version()}:{hashlib.md5(url_path.encode(), usedforsecurity=False).hexdigest()}"
    page = cache.get(key)
    if page is None:
        found = (
            Page.objects.live()
            .filter(url_path=url_path, path__startswith=under)
            .values_list("pk", "content_type_id")
            .first()
        )
        if found is None:
            return None
        model = ContentType.objects.get_for_id(found[1]).model_class()
        page = model.objects.filter(pk=found[0]).first() if model is not None else None
        if page is None:
            return None
        cache.set(key, page, CHROME_TIMEOUT)
    return page


def any_view_restrictions() -> bool:
    """Is any page private (login, password or group)? The public site has none, so serving skips the check."""
    found = cache.get(RESTRICTIONS_KEY)
    if found is None:
        found = PageViewRestriction.objects.exists()
        cache.set(RESTRICTIONS_KEY, found, CHROME_TIMEOUT)
    return found


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
    cache.delete_many([make_template_fragment_key(FOOTER_FRAGMENT), RESTRICTIONS_KEY])
    _request_version.set(None)
    versions.replace(VERSION_KEY)
