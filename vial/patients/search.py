"""Finding a patient at the desk: by any part of the name (misspelt too), date of birth, phone or e-mail.

PostgreSQL matches names by trigram word similarity (`pg_trgm`, GIN indexes from migration 0002), so
'Luskombe' finds Luscombe among a million records; SQLite (the demo) matches parts of names and
falls back to close spellings over the names it holds.
"""

import difflib
import re
from datetime import date, datetime

from django.db import connection
from django.db.models import F, Q
from django.db.models.functions import Lower

from vial.core.phones import PhoneError, clean_uk_phone

from .models import Patient

LIMIT = 50
#: How alike a typed word and a name must be (0-1): low enough for one or two wrong letters.
NAME_SIMILARITY = 0.45
#: Strictest first (see `_names_postgres`), down to NAME_SIMILARITY; at most CANDIDATES ranked at one.
THRESHOLDS = (0.8, 0.6, NAME_SIMILARITY)
CANDIDATES = 1000
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %m %Y", "%d %B %Y", "%d %b %Y")


def as_date(text: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date, no time of day
        except ValueError:
            continue
    return None


def as_phone(text: str) -> str | None:
    digits = re.sub(r"[\s()-]", "", text)
    if not re.fullmatch(r"\+?\d{6,15}", digits):
        return None
    try:
        return clean_uk_phone(text)
    except PhoneError:
        return digits.lstrip("0")  # a fragment: match the end of stored numbers


def find_patients(query: str, limit: int = LIMIT) -> list[Patient]:
    """Live (not merged) patients matching `query`, best first."""
    text = " ".join(query.split())[:100]
    if len(text) < 2:
        return []
    live = Patient.objects.filter(merged_into__isnull=True)
    born = as_date(text)
    if born is not None:
        return list(live.filter(date_of_birth=born).order_by("preferred_name", "pk")[:limit])
    if "@" in text:
        return list(live.annotate(lower_email=Lower("email")).filter(lower_email=text.lower())[:limit])
    phone = as_phone(text)
    if phone is not None:
        matches = live.filter(phone=phone) if phone.startswith("+") else live.filter(phone__endswith=phone)
        return list(matches.order_by("preferred_name", "pk")[:limit])
    if connection.vendor == "postgresql":
        return _names_postgres(live, text, limit)
    return _names_anywhere(live, text, limit)


def _names_postgres(live, text: str, limit: int) -> list[Patient]:
    """The best `limit` records by word similarity, without ranking every record that passes the threshold.

    A common surname passes for thousands of records (Smith: 12,000 in a million) and ranking them all
    reads every one (60-150 ms). So the `%>` operator (GIN indexes, migration 0002) is asked at a strict
    threshold first and looser ones after, until at least `limit` records pass: everything at or above
    that threshold is ranked, and nothing below it could rank higher. Past CANDIDATES records at one
    threshold (all equally close, as every 'Smith' is to 'Smit') the first CANDIDATES are ranked.
    """
    # The lookups as expressions: `name__trigram_word_similar` needs django.contrib.postgres installed.
    from django.contrib.postgres.lookups import TrigramWordSimilar
    from django.contrib.postgres.search import TrigramWordSimilarity

    similar = Q(TrigramWordSimilar(F("preferred_name"), text)) | Q(TrigramWordSimilar(F("legal_name"), text))
    pks: list[int] = []
    for threshold in THRESHOLDS:
        with connection.cursor() as cursor:  # the `%>` operator's threshold, for this connection
            cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)", [str(threshold)])
        pks = list(live.filter(similar).order_by().values_list("pk", flat=True)[:CANDIDATES])  # unsorted: stops early
        if len(pks) >= limit:
            break
    return list(
        Patient.objects.filter(pk__in=pks)
        .annotate(similarity=TrigramWordSimilarity(text, "preferred_name"))
        .order_by("-similarity", "preferred_name", "pk")[:limit]
    )


def _names_anywhere(live, text: str, limit: int) -> list[Patient]:
    contains = Q()
    for word in text.split():
        contains &= Q(preferred_name__icontains=word) | Q(legal_name__icontains=word)
    found = list(live.filter(contains).order_by("preferred_name", "pk")[:limit])
    if found:
        return found
    # Close spellings: compare each typed word with each word of every name (small clinics, SQLite).
    words = [w.lower() for w in text.split()]
    scored = []
    for pk, name, legal in live.values_list("pk", "preferred_name", "legal_name").iterator():
        parts = f"{name} {legal}".lower().split()
        score = min(max((difflib.SequenceMatcher(None, w, p).ratio() for p in parts), default=0) for w in words)
        if score >= 0.75:
            scored.append((-score, name, pk))
    chosen = [pk for _, _, pk in sorted(scored)[:limit]]
    by_pk = Patient.objects.in_bulk(chosen)
    return [by_pk[pk] for pk in chosen]
