"""schema.org JSON-LD for each page type. Plain functions returning dicts; the base template serialises them."""

from django.utils.html import strip_tags
from wagtail.rich_text import expand_db_html

SCHEMA = "https://schema.org"
DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if url and url.startswith("/") else url


def _url(page, request) -> str:
    """A page's URL, or a breadcrumb's (`chrome.Crumb`, whose URL is worked out already)."""
    return page.get_url(request) if hasattr(page, "get_url") else page.url


def _settings(request):
    from .models import ClinicSettings

    return ClinicSettings.for_request(request)


def breadcrumbs(page, request) -> dict:
    """BreadcrumbList from the site root down to the page (ancestors already loaded by the template)."""
    crumbs = page.breadcrumb_pages
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": p.title, "item": _absolute(request, _url(p, request))}
            for i, p in enumerate(crumbs, start=1)
        ],
    }


def site_rating(request) -> dict:
    """The clinic-wide rating, read once per request however many places show it.

    A figure over every published review, the same on every page: kept under the content version,
    which publishing, unpublishing or editing a testimonial renews (signals.py).
    """
    from . import chrome
    from .models import Testimonial

    if not hasattr(request, "_vial_rating"):
        request._vial_rating = chrome.cached("clinic-rating", Testimonial.aggregate_rating)
    return request._vial_rating


def aggregate_rating(request) -> dict | None:
    rating = site_rating(request)
    if not rating["count"]:
        return None
    return {
        "@type": "AggregateRating",
        "ratingValue": rating["average"],
        "reviewCount": rating["count"],
        "bestRating": 5,
        "worstRating": 1,
    }


def organisation(request) -> dict:
    clinic = _settings(request)
    data = {
        "@context": SCHEMA,
        "@type": "MedicalOrganization",
        "name": clinic.name,
        "slogan": clinic.motto,
        "url": request.build_absolute_uri("/"),
        "areaServed": clinic.region,
    }
    rating = aggregate_rating(request)
    if rating:
        data["aggregateRating"] = rating
    return data


def opening_hours(location) -> list[dict]:
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": DAY_NAMES[h.weekday],
            "opens": h.opens.strftime("%H:%M"),
            "closes": h.closes.strftime("%H:%M"),
        }
        for h in location.opening_hours
        if not h.closed and h.opens and h.closes
    ]


def clinic(location, request) -> dict:
    """A MedicalClinic per location, with its opening hours and the clinic's aggregate rating."""
    data = {
        "@context": SCHEMA,
        "@type": "MedicalClinic",
        "name": f"{_settings(request).name}, {location.town}",
        "url": _absolute(request, location.get_url(request)),
        "telephone": location.phone,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": location.street_address,
            "addressLocality": location.town,
            "addressRegion": location.county,
            "postalCode": location.postcode,
            "addressCountry": "GB",
        },
        "openingHoursSpecification": opening_hours(location),
    }
    if location.latitude is not None and location.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(location.latitude),
            "longitude": float(location.longitude),
        }
    rating = aggregate_rating(request)
    if rating:
        data["aggregateRating"] = rating
    return data


def treatment(page, request) -> dict:
    """MedicalTherapy (medical uses) or a cosmetic MedicalProcedure, with the facts patients look for."""
    data = {
        "@context": SCHEMA,
        "@type": "MedicalTherapy" if page.category == page.Category.MEDICAL else "MedicalProcedure",
        "name": page.title,
        "description": page.summary,
        "url": _absolute(request, page.get_url(request)),
        "bodyLocation": ", ".join(page.area_list),
        "howPerformed": strip_tags(expand_db_html(page.how_it_works)),
    }
    if page.category == page.Category.AESTHETIC:
        data["procedureType"] = "https://schema.org/NoninvasiveProcedure"
    if page.side_effect_list:
        data["adverseOutcome"] = [{"@type": "MedicalEntity", "name": s} for s in page.side_effect_list]
    if page.not_suitable_list:
        data["contraindication"] = [{"@type": "MedicalContraindication", "name": c} for c in page.not_suitable_list]
    if page.reviewed_on:
        data["lastReviewed"] = page.reviewed_on.isoformat()
    return data


def faq_page(pairs: list[tuple[str, str]], url: str) -> dict | None:
    """FAQPage from (question, answer) pairs; None when there are none."""
    if not pairs:
        return None
    return {
        "@context": SCHEMA,
        "@type": "FAQPage",
        "url": url,
        "mainEntity": [
            {"@type": "Question", "name": q, "acceptedAnswer": {"@type": "Answer", "text": a}} for q, a in pairs
        ],
    }


def faq_pairs(faqs) -> list[tuple[str, str]]:
    return [(block.value["question"], block.value["answer"]) for block in faqs]


def question(page, request) -> list[dict]:
    """BlogPosting for the post, and FAQPage for its question and follow-ups."""
    url = _absolute(request, page.get_url(request))
    author = page.author
    posting = {
        "@context": SCHEMA,
        "@type": "BlogPosting",
        "headline": page.title,
        "description": page.summary,
        "datePublished": page.date.isoformat(),
        "url": url,
        "author": {"@type": "Person", "name": author.name, "jobTitle": author.role},
        "publisher": {"@type": "MedicalOrganization", "name": _settings(request).name},
    }
    if page.last_published_at:
        posting["dateModified"] = page.last_published_at.date().isoformat()
    faq = faq_page([(page.question, page.summary), *faq_pairs(page.faqs)], url)
    return [posting, faq]
