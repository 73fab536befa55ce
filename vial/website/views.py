from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from vial.core.caching import private_page

from .search import run_search


@require_GET
@private_page  # what someone searched for can say something about their health: no cache keeps it
def search(request):
    """Search treatments first, then Q&A posts, in the patient's own words."""
    raw = request.GET.get("q", "")
    query, treatments, questions = run_search(raw)
    return render(
        request,
        "website/search.html",
        {"query": query, "raw": raw[:200], "treatments": treatments, "questions": questions},
    )


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
