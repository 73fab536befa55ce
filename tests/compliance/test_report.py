"""The advertising report lists published content with risky phrases, and nothing else."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories import make_question, make_testimonial
from vial.compliance.report import live_findings

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/advertising/"


def rows(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        [" ".join(td.get_text(" ", strip=True).split()) for td in tr.select("td")] for tr in soup.select("tbody tr")
    ]


@pytest.fixture
def risky_post(clinic):
    return make_question(
        clinic["questions"],
        clinic["author"],
        n=5,
        title="What else does it treat?",
        answer=[("paragraph", "<p>Botox also helps migraine.</p>")],
    )


def test_the_url_is_the_one_editors_are_told(clinic):
    assert reverse("compliance_advertising_report") == REPORT


def test_a_clean_site_has_no_findings(admin_client, clinic):
    response = admin_client.get(REPORT)
    assert response.status_code == 200
    assert rows(response) == []
    assert live_findings() == []


def test_live_pages_and_testimonials_with_findings_are_listed_with_an_edit_link(admin_client, clinic, risky_post):
    review = make_testimonial(clinic["treatment"], 8, quote="Loved my #botox top-up")

    response = admin_client.get(REPORT)

    table = rows(response)
    expected = ["What else does it treat?", "Question page", "Answer", "Botox", "prescription-only brand name"]
    assert table[0][:5] == expected
    assert "a consultation for frown lines" in table[0][5]
    assert any(row[1] == "Testimonial" and row[3] == "#botox" for row in table)
    assert not any(clinic["post"].title in row[0] for row in table)  # the clean post is not listed
    html = response.content.decode()
    assert reverse("wagtailadmin_pages:edit", args=[risky_post.pk]) in html
    assert reverse("wagtailsnippets_website_testimonial:edit", args=[review.pk]) in html


def test_drafts_and_unpublished_content_are_not_listed(admin_client, clinic, risky_post):
    risky_post.unpublish()
    draft = clinic["post"].get_latest_revision_as_object()
    draft.summary = "Botox, in short."
    draft.save_revision()

    assert rows(admin_client.get(REPORT)) == []


def test_the_report_is_in_the_reports_menu_and_exports(admin_client, clinic, risky_post):
    assert REPORT in admin_client.get(reverse("wagtailadmin_home")).content.decode()
    response = admin_client.get(REPORT, {"export": "csv"})
    assert response.status_code == 200
    assert "Botox" in b"".join(response.streaming_content).decode()


def test_report_queries_do_not_grow_with_content(admin_client, clinic, django_assert_max_num_queries):
    for n in range(10, 20):
        make_question(clinic["questions"], clinic["author"], n=n, answer=[("paragraph", "<p>Dysport.</p>")])
    # Rules, live pages (one per page type), tags, testimonials, plus the admin's own: 19 today.
    with django_assert_max_num_queries(25):
        response = admin_client.get(REPORT)
    assert len(rows(response)) == 10
