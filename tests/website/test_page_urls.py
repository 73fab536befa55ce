"""Page URLs worked out from the request's Site (BasePage.get_url_parts) are Wagtail's own answers."""

from django.test import RequestFactory
from wagtail.models import Page, Site

from vial.website import chrome


def request_for(host):
    request = RequestFactory(HTTP_HOST=host).get("/")
    request._wagtail_site = chrome.find_site(request)  # as CachedSiteMiddleware does
    return request


def test_every_page_has_wagtails_url_from_the_requests_site(clinic):
    request = request_for("localhost")
    pages = Page.objects.live().filter(depth__gt=1).specific()
    assert len(pages) >= 8
    for page in pages:
        assert page.get_url_parts(request) == Page.get_url_parts(page, request), page.url_path
        assert page.get_url(request) == Page.get_url(page, request)
        assert page.get_url(request, request._wagtail_site) == Page.get_url(page, request, request._wagtail_site)
        assert page.get_url() == Page.get_url(page)
        assert page.get_full_url(request) == Page.get_full_url(page, request)


def test_a_page_of_another_site_keeps_wagtails_full_url(clinic):
    other_root = clinic["home"].get_parent().add_child(instance=Page(title="Other home", slug="other-home"))
    Site.objects.create(hostname="other.example", port=80, root_page=other_root)
    request = request_for("other.example")
    treatment = clinic["treatment"]
    assert treatment.get_url(request) == Page.get_url(treatment, request)
    assert treatment.get_url(request).startswith("http")  # not a path on other.example
