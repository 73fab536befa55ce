"""Business actions for enquiries: receive one from the website, turn a question into a draft post,
delete old ones.

Logs name enquiries by id and kind only: never a name, e-mail address, phone number, message or IP.
"""

import datetime
import logging
import re
from collections.abc import Mapping
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.coreutils import find_available_slug
from wagtail.log_actions import log
from wagtail.rich_text import RichText

from vial.core import ratelimit
from vial.core.client import client_address
from vial.staff.models import StaffMember
from vial.website.models import QuestionIndexPage, QuestionPage

from .models import CONSENT_WORDING, RETENTION_MONTHS, Enquiry
from .tasks import send_enquiry_email

logger = logging.getLogger(__name__)

RATE_WINDOW_SECONDS = 60 * 60
DUPLICATE_WINDOW = datetime.timedelta(minutes=10)
TITLE_LENGTH = 80
SUMMARY_PLACEHOLDER = "Draft: write a one-sentence answer"
ANSWER_PLACEHOLDER = (
    "Draft: write the clinician's answer here. Before publishing, check that nothing in the question "
    "could identify the patient."
)
ENQUIRY_FIELDS = ("kind", "name", "email", "phone", "treatment", "message", "consent_to_contact", "marketing_opt_in")


class RateLimited(Exception):
    """Too many enquiries from one address in the last hour; `retry_after` is in seconds."""

    def __init__(self, retry_after: int = RATE_WINDOW_SECONDS):
        super().__init__(retry_after)
        self.retry_after = retry_after


class ConversionError(Exception):
    """An enquiry cannot become a draft post; the message says what to fix."""


# --- Receiving an enquiry --------------------------------------------------------------------


def client_ip(meta: Mapping) -> str:
    """The sender's address: `vial.core.client.client_address` (X-Forwarded-For only from our proxy)."""
    return client_address(meta)


def hash_ip(ip: str | None) -> str:
    """A keyed SHA-256 (HMAC with the secret key) of the address: stable for rate limiting,
    useless to anyone without the key. The raw address is never stored."""
    return salted_hmac("vial.enquiries.ip", ip or "", algorithm="sha256").hexdigest()


def check_rate_limit(ip_hash: str) -> None:
    """Count one submission from this address; raise RateLimited past ENQUIRY_RATE_LIMIT per hour.

    Counted by the shared atomic counter (`vial.core.ratelimit`), so the limit holds exactly however
    many workers take submissions at once.
    """
    verdict = ratelimit.hit("enquiry:address", ip_hash, settings.ENQUIRY_RATE_LIMIT, RATE_WINDOW_SECONDS)
    if not verdict.allowed:
        logger.warning("Enquiry refused: rate limit reached for one address")
        raise RateLimited(verdict.retry_after)


def submit_enquiry(form_data: Mapping, ip: str | None) -> Enquiry:
    """Store an enquiry from the website (cleaned form data) and e-mail the clinic once it is saved.

    A repeat of the same message from the same e-mail address within ten minutes returns the
    first enquiry instead of storing a second one. Raises RateLimited past the hourly limit.
    """
    ip_hash = hash_ip(ip)
    check_rate_limit(ip_hash)
    data = {field: form_data.get(field) for field in ENQUIRY_FIELDS}
    if data["consent_to_contact"] is not True:
        raise ValueError("An enquiry needs consent to contact; validate it with EnquiryForm first.")
    data["phone"] = data["phone"] or ""
    data["marketing_opt_in"] = bool(data["marketing_opt_in"])

    with transaction.atomic():
        duplicate = (
            Enquiry.objects.filter(
                email__iexact=data["email"],
                message=data["message"],
                created_at__gte=timezone.now() - DUPLICATE_WINDOW,
            )
            .order_by("-created_at")
            .first()
        )
        if duplicate:
            logger.info("Repeated submission of enquiry %s ignored", duplicate.pk)
            return duplicate
        enquiry = Enquiry.objects.create(**data, consent_wording=CONSENT_WORDING, ip_hash=ip_hash)
        # robust: if the queue is down the enquiry is still saved (and visible in the admin).
        transaction.on_commit(partial(send_enquiry_email.enqueue, enquiry.pk), robust=True)
    logger.info("Enquiry %s received (%s)", enquiry.pk, enquiry.kind)
    return enquiry


# --- Turning a question into a draft Q&A post ------------------------------------------------

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_RE = re.compile(r"(?<!\w)\+?\d[\d \-()]{6,}\d(?!\w)")


def redact(text: str, enquiry: Enquiry) -> str:
    """Remove the sender's name, e-mail addresses and phone numbers from the text of a question."""
    text = _EMAIL_RE.sub("[e-mail removed]", text)
    text = _PHONE_RE.sub("[phone number removed]", text)
    name = " ".join(enquiry.name.split())
    if name:
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", "[name removed]", text, flags=re.IGNORECASE)
        # Single name parts, as written or capitalised (so 'Will' is removed but 'will' is kept).
        for part in sorted({p for p in name.split() if len(p) > 1}, key=len, reverse=True):
            for form in {part, part.capitalize(), part.upper()}:
                text = re.sub(rf"(?<!\w){re.escape(form)}(?!\w)", "[name removed]", text)
    return text


def title_from(text: str, length: int = TITLE_LENGTH) -> str:
    """The question's first ~80 characters on a word boundary, for the draft's title."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text or "Patient question"
    cut = text[: length - 1].rsplit(" ", 1)[0].rstrip(" ,;:.-")
    return f"{cut}…"


def convert_to_question(enquiry: Enquiry, user=None) -> QuestionPage:
    """Make a draft (unpublished) Q&A post from an enquiry, without the patient's personal details.

    Converting the same enquiry again returns the draft made the first time.
    """
    with transaction.atomic():
        enquiry = Enquiry.objects.select_for_update(of=("self",)).select_related("treatment").get(pk=enquiry.pk)
        if enquiry.converted_post_id:
            existing = QuestionPage.objects.filter(pk=enquiry.converted_post_id).first()
            if existing:
                return existing
        index = QuestionIndexPage.objects.order_by("path").first()
        if index is None:
            raise ConversionError("There is no Q&A blog (question index page) to put the draft in. Create one first.")
        # A registered clinician on the staff list (the editor picks the right one before publishing).
        author = StaffMember.objects.filter(active=True).exclude(regulator="").order_by("display_name", "pk").first()
        if author is None:
            raise ConversionError(
                "Every Q&A post needs a clinician as author. Add a registered clinician to the staff list first."
            )

        question = redact(enquiry.message, enquiry)
        title = title_from(question)
        slug = find_available_slug(index, slugify(title)[:80].strip("-") or "patient-question")
        page = QuestionPage(
            title=title,
            slug=slug,
            question=question,
            summary=SUMMARY_PLACEHOLDER,
            answer=[("paragraph", RichText(f"<p>{escape(ANSWER_PLACEHOLDER)}</p>"))],
            author=author,
            live=False,
            owner=user,
        )
        if enquiry.treatment:
            page.related_treatments = [enquiry.treatment]
        index.add_child(instance=page)
        log(instance=page, action="wagtail.create", user=user)
        page.save_revision(user=user, log_action=False)

        enquiry.converted_post = page
        enquiry.save(update_fields=["converted_post"])
    logger.info("Enquiry %s turned into draft question page %s", enquiry.pk, page.pk)
    return page


# --- Retention --------------------------------------------------------------------------------


def delete_expired_enquiries(now: datetime.datetime | None = None, months: int = RETENTION_MONTHS) -> int:
    """Delete enquiries older than the retention period promised on the form; return how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=round(months * 30.44))
    deleted, _ = Enquiry.objects.filter(created_at__lt=cutoff).delete()
    if deleted:
        logger.info("Deleted %s enquiries older than %s months", deleted, months)
    return deleted
