"""`Idempotency-Key` for the booking API: a retried request gets the first answer, never a second booking.

A client sends a key of its own making (a UUID, say) with `POST /api/v1/bookings` and the same key
with every retry of that request:

- same key, same body: the answer the first request got (a stored 2xx), with `Idempotent-Replayed: true`;
- same key, another body: 422, because the key belongs to a different booking;
- two requests with one key at the same moment: the key's row is inserted first, inside the booking's
  transaction, so the second waits for the first (PostgreSQL's unique index, SQLite's write lock) and
  then gets its answer.

Only successful answers are kept: a refusal (time taken, not eligible) rolls back with the key, so
a retry is decided afresh. Keys and bodies are stored as SHA-256 digests, never in clear; rows
older than `KEPT_FOR` are removed by the housekeeping sweep (`prune`).
"""

import hashlib
import json
import re
from datetime import datetime, timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction

from .models import IdempotentRequest

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEPT_FOR = timedelta(hours=24)
#: Visible ASCII, 1 to 255 characters: what RFC drafts and payment APIs accept.
VALID_KEY = re.compile(r"^[!-~]{1,255}$")


class KeyReused(Exception):
    """The key came with a different body before."""


class BadKey(Exception):
    """The header is empty, too long or holds characters other than visible ASCII."""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def key_digest(key: str) -> str:
    if not VALID_KEY.fullmatch(key or ""):
        raise BadKey
    return _digest(key)


def body_digest(body: dict) -> str:
    """The request as validated, in one canonical form: spacing and key order do not make it 'different'."""
    return _digest(json.dumps(body, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder))


def earlier_answer(key: str, body: str) -> tuple[int, dict] | None:
    """The stored answer for this key, if any; KeyReused if the key came with another body."""
    row = IdempotentRequest.objects.filter(key_digest=key).values("body_digest", "status_code", "response").first()
    if row is None:
        return None
    if row["body_digest"] != body:
        raise KeyReused
    return row["status_code"], row["response"]


def claim(key: str, body: str, now: datetime) -> bool:
    """Inside the booking's transaction: take the key. False if a twin request took it first and committed."""
    try:
        with transaction.atomic():  # a savepoint: the outer transaction stays usable either way
            IdempotentRequest.objects.create(
                key_digest=key, body_digest=body, status_code=0, response={}, created_at=now
            )
    except IntegrityError:
        return False
    return True


def record(key: str, status_code: int, response: dict) -> None:
    """Inside the same transaction: keep the answer (as JSON) for the retries to come."""
    stored = json.loads(json.dumps(response, cls=DjangoJSONEncoder))
    IdempotentRequest.objects.filter(key_digest=key).update(status_code=status_code, response=stored)


def prune(now: datetime) -> int:
    """Forget keys older than KEPT_FOR; returns how many."""
    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=now - KEPT_FOR).delete()
    return deleted
