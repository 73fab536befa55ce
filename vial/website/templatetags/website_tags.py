import json

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.templatetags.wagtail_cache import WagtailPageCacheNode

from vial.core.caching import is_htmx
from vial.website import chrome
from vial.website.models import Accreditation, LocationPage, lazy

register = template.Library()

# The same escapes Django's json_script uses, so JSON-LD can never close its <script> early.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """Render schema.org data as <script type="application/ld+json"> blocks."""
    blocks = data if isinstance(data, list) else [data]
    scripts = (
        '<script type="application/ld+json">'
        + json.dumps(block, ensure_ascii=False).translate(_JSON_ESCAPES)
        + "</script>"
        for block in blocks
        if block
    )
    return mark_safe("".join(scripts))  # noqa: S308  # nosec B308 B703  # JSON with HTML-significant characters escaped


@register.inclusion_tag("components/main_menu.html", takes_context=True)
def main_menu(context):
    current = context.get("page")
    items = [
        {**item, "current": current is not None and current.path.startswith(item["path"])}
        for item in chrome.sections(context["request"])
        if item["in_menu"]
    ]
    return {"items": items, "current_pk": getattr(current, "pk", None)}


@register.simple_tag(takes_context=True)
def section_url(context, slug):
    """Link to a top-level section by slug without a query per link (see chrome.py)."""
    return chrome.section_url(context["request"], slug)


#: The pages every form that takes personal details links to, by slug (top-level pages).
LEGAL_PAGES = ("privacy", "complaints")


@register.inclusion_tag("components/legal_links.html", takes_context=True)
def legal_links(context, intro=""):
    """Links to the privacy notice and the complaints procedure, where they exist (no query: see chrome.py)."""
    pages = {item["slug"]: item for item in chrome.sections(context["request"])}
    return {"intro": intro, "links": [pages[slug] for slug in LEGAL_PAGES if slug in pages]}


@register.simple_tag(takes_context=True)
def site_header(context):
    """The header (logo, menu, search box, phone), rendered once per content version and section.

    It is the same on every page of a section (the menu marks the section, and the section's own page
    as the current page), so it is kept like the footer; the search results page shows what was typed
    in the header's box and is rendered afresh.
    """
    template = context.template.engine.get_template("components/header.html")
    request = context.get("request")
    if request is None or context.get("raw"):
        return template.render(context)
    page = context.get("page")
    path = getattr(page, "path", None)
    section = next((s for s in chrome.sections(request) if path and path.startswith(s["path"])), None)
    where = "none" if section is None else f"{section['pk']}{'-self' if section['pk'] == page.pk else ''}"
    return chrome.cached(f"header:{where}", lambda: template.render(context))


@register.inclusion_tag("components/footer.html", takes_context=True)
def site_footer(context):
    # Lazy: the lists are built (and queried) only when the cached footer fragment is rebuilt.
    return {
        "request": context["request"],
        "settings": context.get("settings"),
        "fragment_name": chrome.FOOTER_FRAGMENT,
        "timeout": chrome.CHROME_TIMEOUT,
        "accreditations": lazy(lambda: Accreditation.for_request(context["request"])),
        "locations": lazy(
            lambda: list(
                LocationPage.objects.live().order_by("path").only("id", "title", "url_path", "path", "town", "phone")
            )
        ),
    }


@register.simple_tag
def stars(rating):
    """Five stars, filled to the rating, with a text equivalent for screen readers."""
    rating = int(round(float(rating or 0)))
    return format_html(
        '<span class="stars" role="img" aria-label="{} out of 5 stars">{}<span class="stars__off">{}</span></span>',
        rating,
        "★" * rating,
        "★" * (5 - rating),
    )


@register.simple_tag(takes_context=True)
def page_json_ld(context):
    """The current page's own JSON-LD (each page type knows its schema.org types)."""
    page = context.get("page")
    if page is None or not hasattr(page, "json_ld"):
        return ""
    return json_ld(page.json_ld(context["request"]))


class PageCacheNode(WagtailPageCacheNode):
    """Wagtail's page fragment cache, used only where the HTML is the same for every visitor.

    Skipped for anything but a plain GET of a page without a query string or HTMX header (filters,
    pagination, HTMX partials), for previews (Wagtail's own rule) and for pages that say they cannot be cached
    (forms). The key carries the page's `cache_key`, which includes the site's content version.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.vary_on.append(template.Variable("request.get_host"))  # absolute URLs (og:image) name the host

    def render(self, context):
        page = context.get("page")
        request = context.get("request")
        cacheable = (
            getattr(settings, "WEBSITE_PAGE_CACHE", True)  # off in the tests that count an uncached render
            and request is not None
            and request.method == "GET"
            and not request.GET
            and not is_htmx(request)
            and getattr(page, "fragment_cacheable", False)
        )
        return super().render(context) if cacheable else self.nodelist.render(context)


@register.tag
def pagecache(parser, token):
    """`{% pagecache 3600 "name" %}...{% endpagecache %}`: see PageCacheNode (arguments as Django's `cache`)."""
    nodelist = parser.parse(("endpagecache",))
    parser.delete_first_token()
    tokens = token.split_contents()
    if len(tokens) < 3:
        raise template.TemplateSyntaxError("'pagecache' needs a timeout and a fragment name.")
    return PageCacheNode(nodelist, parser.compile_filter(tokens[1]), tokens[2], [], None)
