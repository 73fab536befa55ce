"""One atomic rate counter: `hit(scope, key, limit, window_seconds)` says whether one more is allowed.

A window opens at a key's first hit and lasts `window_seconds`; within it at most `limit` hits are
allowed, and a refusal says how long until the window closes (for `Retry-After`). Every hit counts,
refused ones too, so hammering does not open the window sooner. A caller that counts only what
succeeds (booking.throttle: holds that land) counts first and then `give_back`s a hit that came to
nothing: counting first keeps the limit exact however many requests run at once.

Counting is atomic whatever the number of processes:

- Redis when `RATE_LIMIT_REDIS_URL` is set (from `REDIS_URL`): INCR and EXPIRE in one Lua script.
- Otherwise the database: one row per key (`RateCounter`), counted by a single
  INSERT ... ON CONFLICT DO UPDATE SET count = count + 1 ... RETURNING count. PostgreSQL's row lock
  and SQLite's write lock serialise concurrent hits, so no count is lost between gunicorn workers.

Never the cache: production's FileBasedCache (without Redis) reads and rewrites a file to `incr`,
so two workers counting at once both write the same number.

Keys are stored only as an HMAC of the scope and key with the secret key (like enquiries' address
hashes): never a raw address or e-mail.
"""

import logging
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from django.conf import settings
from django.db import DatabaseError, connections, router, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.dateparse import parse_datetime

from .models import RateCounter

logger = logging.getLogger(__name__)

#: INCR, then EXPIRE when the key is new (or lost its expiry); answers the count and the seconds left.
REDIS_HIT = """
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('TTL', KEYS[1])
if count == 1 or ttl < 0 then
    redis.call('EXPIRE', KEYS[1], ARGV[1])
    ttl = tonumber(ARGV[1])
end
return {count, ttl}
"""

#: DECR while the window is open and above nothing; a closed (expired) window is left alone.
REDIS_GIVE_BACK = """
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then
    return redis.call('DECR', KEYS[1])
end
return 0
"""


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int  # hits in this window, this one included
    retry_after: int  # seconds until the window closes (at least 1)

    def __bool__(self) -> bool:
        return self.allowed


def key_hash(scope: str, key: str) -> str:
    """A keyed SHA-256 of scope and key: stable for counting, useless to anyone without SECRET_KEY."""
    return salted_hmac("vial.core.ratelimit", f"{scope}\x00{key}", algorithm="sha256").hexdigest()


def hit(scope: str, key: str, limit: int, window_seconds: int, now: datetime | None = None) -> Verdict:
    """Count one hit for `key` in `scope`; allowed while the count in the window is at most `limit`."""
    if window_seconds < 1:
        raise ValueError("window_seconds must be at least 1")
    hashed = key_hash(scope, key)
    url = getattr(settings, "RATE_LIMIT_REDIS_URL", "")
    if url:
        count, seconds_left = _hit_redis(url, scope, hashed, window_seconds)
    else:
        count, seconds_left = _hit_database(scope, hashed, window_seconds, now or timezone.now())
    verdict = Verdict(allowed=count <= limit, count=count, retry_after=max(1, seconds_left))
    if not verdict.allowed:
        logger.warning("Rate limit reached in scope %s", scope)  # never the key: it is personal data
    return verdict


def give_back(scope: str, key: str, now: datetime | None = None) -> None:
    """Uncount one earlier hit for `key` in `scope` (never below zero; nothing once its window has closed).

    For callers that count an attempt before trying it and keep the count only if it succeeded. Call it
    outside any transaction that may roll back, or the giving back rolls back with it.
    """
    hashed = key_hash(scope, key)
    url = getattr(settings, "RATE_LIMIT_REDIS_URL", "")
    if url:
        prefix = getattr(settings, "RATE_LIMIT_KEY_PREFIX", "vial:ratelimit:")
        _redis_script(url, REDIS_GIVE_BACK)(keys=[f"{prefix}{scope}:{hashed}"])
        return
    alias = router.db_for_write(RateCounter)
    with transaction.atomic(using=alias, savepoint=False):  # SQLite: the write lock first, as in `hit`
        RateCounter.objects.using(alias).filter(
            scope=scope, key_hash=hashed, count__gt=0, expires_at__gt=now or timezone.now()
        ).update(count=F("count") - 1)


# --- Redis -------------------------------------------------------------------------------------


@cache
def _redis_script(url: str, script: str = REDIS_HIT):
    import redis  # only needed when REDIS_URL is set

    return redis.Redis.from_url(url).register_script(script)


def _hit_redis(url: str, scope: str, hashed: str, window_seconds: int) -> tuple[int, int]:
    prefix = getattr(settings, "RATE_LIMIT_KEY_PREFIX", "vial:ratelimit:")
    count, seconds_left = _redis_script(url)(keys=[f"{prefix}{scope}:{hashed}"], args=[window_seconds])
    return int(count), int(seconds_left)


# --- The database ------------------------------------------------------------------------------


#: One statement counts a hit: the first hit inserts the row; later ones update it, restarting a closed
#: window at 1 and counting on in an open one. The SET expressions read the row as it was before the
#: statement, and concurrent statements on one row wait for each other (PostgreSQL's row lock,
#: SQLite's write lock), so none is lost. PostgreSQL and SQLite (3.35+) both take this form.
UPSERT = """
INSERT INTO {table} (scope, key_hash, expires_at, count) VALUES (%s, %s, %s, 1)
ON CONFLICT (scope, key_hash) DO UPDATE SET
    count = CASE WHEN {table}.expires_at <= %s THEN 1 ELSE {table}.count + 1 END,
    expires_at = CASE WHEN {table}.expires_at <= %s THEN %s ELSE {table}.expires_at END
RETURNING count, expires_at
"""


#: Each process tidies closed windows away at most this often, when a new window opens.
PRUNE_EVERY_SECONDS = 60
_last_pruned = -math.inf


def _hit_database(scope: str, hashed: str, window_seconds: int, now: datetime) -> tuple[int, int]:
    connection = connections[router.db_for_write(RateCounter)]
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    as_stored = connection.ops.adapt_datetimefield_value
    closes = now + timedelta(seconds=window_seconds)
    # In a transaction of its own: on SQLite that begins IMMEDIATE (the write lock first, waiting its
    # turn), where a lone statement would start as a reader and could be refused "database is locked"
    # at once when it needed to write. No savepoint when called inside another transaction.
    with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            UPSERT.format(table=table),  # noqa: S608 - the table name is ours; every value is a parameter
            [scope, hashed, as_stored(closes), as_stored(now), as_stored(now), as_stored(closes)],
        )
        count, expires_at = cursor.fetchone()
    if isinstance(expires_at, str):  # SQLite answers text
        expires_at = parse_datetime(expires_at)
    if timezone.is_naive(expires_at):
        expires_at = timezone.make_aware(expires_at, UTC)
    global _last_pruned
    if count == 1 and time.monotonic() - _last_pruned > PRUNE_EVERY_SECONDS:  # a new window: time to tidy?
        _last_pruned = time.monotonic()
        prune(now)
    return count, math.ceil((expires_at - now).total_seconds())


def prune(now: datetime | None = None) -> int:
    """Delete counters whose window has closed (done in passing, at most once a minute per process).

    Best effort: if PostgreSQL picks this DELETE as a deadlock victim against another prune, the
    rows go next time.
    """
    try:
        with transaction.atomic():
            deleted, _ = RateCounter.objects.filter(expires_at__lt=now or timezone.now()).delete()
    except DatabaseError:
        logger.info("Pruning rate counters postponed", exc_info=True)
        return 0
    return deleted
