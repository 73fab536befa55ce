"""Background work for enquiries. Tasks take ids, never personal data, so the queue holds none."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


def _admin_url(enquiry) -> str:
    try:
        path = reverse("enquiries:edit", args=[enquiry.pk])
    except NoReverseMatch:
        return ""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def enquiry_email(enquiry) -> EmailMessage:
    """The message to the clinic's reception inbox. The subject names no one."""
    lines = [
        f"A new {enquiry.get_kind_display().lower()} came through the website.",
        "",
        f"Name: {enquiry.name}",
        f"E-mail: {enquiry.email}",
        f"Phone: {enquiry.phone or 'not given'}",
        f"Treatment: {enquiry.treatment.title if enquiry.treatment else 'not given'}",
        f"Marketing e-mails: {'yes, opted in' if enquiry.marketing_opt_in else 'no'}",
        f"Received: {timezone.localtime(enquiry.created_at):%d %b %Y at %H:%M} (UK time)",
        "",
        "Message:",
        enquiry.message,
        "",
    ]
    if url := _admin_url(enquiry):
        lines += [f"Open it in the admin to change its status: {url}", ""]
    lines.append("This e-mail contains personal and possibly health data. Do not forward it outside the clinic.")
    return EmailMessage(
        subject=f"Website {enquiry.get_kind_display().lower()} #{enquiry.pk}",
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[settings.CLINIC_ENQUIRIES_EMAIL],
        reply_to=[enquiry.email],
    )


@task()
def send_enquiry_email(enquiry_id: int) -> bool:
    """E-mail one stored enquiry to the clinic. Returns False if it was deleted in the meantime."""
    from .models import Enquiry

    enquiry = Enquiry.objects.select_related("treatment").filter(pk=enquiry_id).first()
    if enquiry is None:
        logger.info("Enquiry %s no longer exists; no e-mail sent", enquiry_id)
        return False
    enquiry_email(enquiry).send()
    logger.info("Enquiry %s (%s) e-mailed to the clinic", enquiry.pk, enquiry.kind)
    return True
