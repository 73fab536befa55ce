"""The contact page's request handling: show the form, take a submission, say thank you.

Thin on purpose: validation is in forms.py, storing and e-mailing in services.py.
"""

import logging

from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from . import services
from .forms import EnquiryForm

logger = logging.getLogger(__name__)


def serve_contact_page(page, request):
    if request.method in ("GET", "HEAD"):
        response = _show(page, request)
    elif request.method == "POST":
        response = _submit(page, request)
    else:
        response = HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    # The page carries a CSRF token and, after an error, what the person typed: never cache it.
    add_never_cache_headers(response)
    return response


def _render(page, request, status=200, **context):
    context = {**page.get_context(request), **context}
    return TemplateResponse(request, page.get_template(request), context, status=status)


def _thank_you_url(page, request) -> str:
    return f"{page.get_url(request)}?sent=1"


def _show(page, request):
    if request.GET.get("sent") == "1":
        return _render(page, request, sent=True)
    return _render(page, request, form=EnquiryForm(initial=EnquiryForm.initial_from(request.GET)))


def _submit(page, request):
    form = EnquiryForm(request.POST)
    if form.is_bot:
        # Look exactly like success so the robot moves on; store and send nothing.
        logger.info("Enquiry form honeypot filled in; nothing stored")
        return HttpResponseRedirect(_thank_you_url(page, request))
    if not form.is_valid():
        return _render(page, request, status=400, form=form)
    try:
        services.submit_enquiry(form.cleaned_data, services.client_ip(request.META))
    except services.RateLimited as refused:
        response = _render(page, request, status=429, form=form, rate_limited=True)
        response["Retry-After"] = str(refused.retry_after)
        return response
    return HttpResponseRedirect(_thank_you_url(page, request))
