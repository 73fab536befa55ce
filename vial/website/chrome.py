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
from typing import NamedTuple

import wagtail
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.db.models import Exists
from django.http.request import split_domain_port
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction, Site

from vial.core import versions

SECTIONS_KEY = "website:sections:v2"
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
            # The root page as its own type, and (same round trip) whether any page is private.
            model = site.root_page.specific_class or Page
            site.root_page = (
                model.objects.annotate(any_private=Exists(PageViewRestriction.objects.all()))
                .select_related(*getattr(model, "render_relations", ()))
                .filter(pk=site.root_page_id)
                .first()
            )
            cache.set(RESTRICTIONS_KEY, site.root_page.any_private, CHROME_TIMEOUT)
        cache.set(key, site, CHROME_TIMEOUT)
    return site


def live_page(request, url_path: str, under: str):
    """The live page at `url_path` below tree path `under`, as its specific type, from the cache.

    Kept with what every render of it reads of its own (the foreign keys in `render_relations`, the
    tags in `render_prefetches`, its og:image), under the content version like the rest, so a
    publish, unpublish or move is seen at once. Misses are not cached, so unknown URLs cannot fill
    the cache.
    """
    key = f"{PAGE_KEY}:{content_version()}:{hashlib.md5(url_path.encode(), usedforsecurity=False).hexdigest()}"
    page = cache.get(key)
    if page is None:
        model = _known_page_type(request, url_path)
        if model is None:  # look the type up first (one query more)
            found = (
                Page.objects.live()
                .filter(url_path=url_path, path__startswith=under)
                .values_list("content_type_id", flat=True)
                .first()
            )
            model = ContentType.objects.get_for_id(found).model_class() if found is not None else None
        if model is None:
            return None
        page = (
            model.objects.live()
            .filter(url_path=url_path, path__startswith=under)
            .select_related(*getattr(model, "render_relations", ()))
            .prefetch_related(*getattr(model, "render_prefetches", ()))
            .first()
        )
        if page is None:
            return None
        _prepare(page)
        cache.set(key, page, CHROME_TIMEOUT)
    return page


def _prepare(page) -> None:
    """Work out, before `page` is cached, what every render of it reads (see BasePage.og_image_url)."""
    getattr(page, "og_image_url", None)  # a cached property: computed now, it is pickled with the page


def _known_page_type(request, url_path: str):
    """The page type at `url_path` when the (cached) menu says it: a section's own type, or the one
    type a section may hold (a treatment under the treatments list). None when it cannot tell."""
    for section in sections(request):
        if url_path == section["url_path"]:
            return ContentType.objects.get_for_id(section["content_type_id"]).model_class()
        rest = url_path.removeprefix(section["url_path"])
        if rest != url_path and rest.count("/") == 1:  # a child of this section
            parent = ContentType.objects.get_for_id(section["content_type_id"]).model_class()
            allowed = parent.allowed_subpage_models() if parent is not None else []
            return allowed[0] if len(allowed) == 1 else None
    return None


def cached(name: str, build):
    """`build()`, kept under the content version (so any publish or settings change renews it)."""
    key = f"website:{name}:{content_version()}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, CHROME_TIMEOUT)
    return value


def any_view_restrictions() -> bool:
    """Is any page private (login, password or group)? The public site has none, so serving skips the check."""
    found = cache.get(RESTRICTIONS_KEY)
    if found is None:
        found = PageViewRestriction.objects.exists()
        cache.set(RESTRICTIONS_KEY, found, CHROME_TIMEOUT)
    return found


def _load_sections(site) -> list[dict]:
    children = (
        site.root_page.get_children()
        .live()
        .only("id", "title", "slug", "url_path", "path", "show_in_menus", "content_type_id")
    )
    return [
        {
            "pk": child.pk,
            "title": child.title,
            "slug": child.slug,
            "path": child.path,
            "url_path": child.url_path,
            "content_type_id": child.content_type_id,
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


class Crumb(NamedTuple):
    title: str
    url: str


def trail(request, page) -> list:
    """The breadcrumb trail from the home page down to `page` (each with a title and url), from the
    cached Site and sections for a page up to two levels below home (every page here); deeper pages
    ask the database for their ancestors."""
    site = Site.find_for_request(request)
    root = site.root_page if site is not None else None
    if root is None or not page.path.startswith(root.path) or page.depth > root.depth + 2:
        return page.ancestors_trail()
    if page.depth == root.depth:
        return [page]
    home = Crumb(root.title, root.get_url(request))
    if page.depth == root.depth + 1:
        return [home, page]
    section = next((s for s in sections(request) if page.path.startswith(s["path"])), None)
    if section is None:  # below a section that is not live
        return page.ancestors_trail()
    return [home, Crumb(section["title"], section["url"]), page]


@functools.cache
def serving_prefix() -> str:
    """Where Wagtail serves pages in the URLconf ("/" here): a page's URL is this and its path below the site root."""
    return reverse("wagtail_serve", args=("",))


def page_links(request, pages) -> list[Crumb]:
    """The title and URL of each of `pages`, (title, url_path) pairs such as a page queryset's
    `values_list("title", "url_path")`, for a list of links without building page objects (costly);
    URLs as `{% pageurl %}` writes them for a page of this request's site (a page of another site,
    which has no such URL, is left out)."""
    site = Site.find_for_request(request)
    root = site.root_page.url_path if site is not None else "/"
    return [
        Crumb(title, serving_prefix() + url_path.removeprefix(root))
        for title, url_path in pages
        if url_path.startswith(root)
    ]


def section_url(request, slug: str) -> str:
    """URL of a top-level section by slug ('contact', 'treatments'...); '/' if it is missing."""
    return next((s["url"] for s in sections(request) if s["slug"] == slug), "/")


def clear():
    cache.delete_many([f"{SECTIONS_KEY}:{pk}" for pk in Site.objects.values_list("pk", flat=True)])
    cache.delete_many([make_template_fragment_key(FOOTER_FRAGMENT), RESTRICTIONS_KEY])
    _request_version.set(None)
    versions.replace(VERSION_KEY)
