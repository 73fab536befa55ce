"""The atomic rate counter: exact under concurrency on the database and on Redis, hashed keys, pruning.

The Redis tests need a Redis on 127.0.0.1:6379 (REDIS_TEST_URL to change it). They are skipped when
none answers, unless REQUIRE_REDIS=1, when they fail instead.
"""

import os
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.concurrency import at_once
from vial.core import ratelimit
from vial.core.models import RateCounter

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def hammer(clients: int, limit: int, scope: str = "test:hammer") -> list[ratelimit.Verdict]:
    """`clients` threads, each on its own connection, hit one key at the same moment."""
    verdicts = at_once(clients, lambda n: ratelimit.hit(scope, "198.51.100.7", limit, 3600), timeout=60)
    errors = [v for v in verdicts if not isinstance(v, ratelimit.Verdict)]
    assert not errors, errors[:3]
    return verdicts


# --- The database ------------------------------------------------------------------------------


def test_counts_up_to_the_limit_then_refuses_until_the_window_closes(db):
    verdicts = [ratelimit.hit("test:window", "203.0.113.5", 3, 600, now=NOW + timedelta(seconds=n)) for n in range(5)]
    assert [v.allowed for v in verdicts] == [True, True, True, False, False]
    assert [v.count for v in verdicts] == [1, 2, 3, 4, 5]
    assert verdicts[3].retry_after == 600 - 3  # the window opened with the first hit
    later = ratelimit.hit("test:window", "203.0.113.5", 3, 600, now=NOW + timedelta(seconds=600))
    assert (later.allowed, later.count, later.retry_after) == (True, 1, 600)


def test_scopes_and_keys_are_counted_apart(db):
    assert ratelimit.hit("test:a", "203.0.113.5", 1, 60, now=NOW)
    assert ratelimit.hit("test:b", "203.0.113.5", 1, 60, now=NOW)
    assert ratelimit.hit("test:a", "203.0.113.6", 1, 60, now=NOW)
    assert not ratelimit.hit("test:a", "203.0.113.5", 1, 60, now=NOW)


def test_only_a_keyed_hash_is_stored(db):
    ratelimit.hit("test:privacy", "jane.testpatient@example.com", 5, 60, now=NOW)
    row = RateCounter.objects.get()
    assert "jane" not in row.key_hash and "example" not in row.key_hash
    assert row.key_hash == ratelimit.key_hash("test:privacy", "jane.testpatient@example.com")
    assert len(row.key_hash) == 64


def test_closed_windows_are_pruned_when_a_new_window_opens(db, monkeypatch):
    ratelimit.hit("test:old", "203.0.113.5", 5, 60, now=NOW)
    ratelimit.hit("test:live", "203.0.113.5", 5, 3600, now=NOW)
    monkeypatch.setattr(ratelimit, "_last_pruned", float("-inf"))  # not pruned yet in this process's minute
    ratelimit.hit("test:new", "203.0.113.9", 5, 60, now=NOW + timedelta(minutes=5))  # a new window: tidies up
    assert set(RateCounter.objects.values_list("scope", flat=True)) == {"test:live", "test:new"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_hits_on_the_database_lose_no_count():
    verdicts = hammer(clients=40, limit=10)
    assert sum(v.allowed for v in verdicts) == 10
    assert sorted(v.count for v in verdicts) == list(range(1, 41))
    assert RateCounter.objects.get().count == 40


# --- Redis -------------------------------------------------------------------------------------


@pytest.fixture
def redis_counter(settings):
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis is required but not reachable at {REDIS_TEST_URL}: {error}")
        pytest.skip(f"Redis not reachable at {REDIS_TEST_URL}")
    prefix = f"vial-test-{uuid.uuid4().hex}:"
    settings.RATE_LIMIT_REDIS_URL = REDIS_TEST_URL
    settings.RATE_LIMIT_KEY_PREFIX = prefix
    yield client, prefix
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)


def test_redis_counts_to_the_limit_and_sets_the_window(redis_counter, db):
    client, prefix = redis_counter
    verdicts = [ratelimit.hit("test:redis", "203.0.113.5", 2, 120) for _ in range(3)]
    assert [v.allowed for v in verdicts] == [True, True, False]
    assert 118 <= verdicts[2].retry_after <= 120
    [key] = client.scan_iter(f"{prefix}*")
    assert b"203.0.113.5" not in key  # hashed, as in the database
    assert 0 < client.ttl(key) <= 120
    assert not RateCounter.objects.exists(), "with Redis configured, nothing is counted in the database"


def test_concurrent_hits_on_redis_lose_no_count(redis_counter, db):
    client, prefix = redis_counter
    verdicts = hammer(clients=60, limit=15)
    assert sum(v.allowed for v in verdicts) == 15
    assert sorted(v.count for v in verdicts) == list(range(1, 61))
    [key] = client.scan_iter(f"{prefix}*")
    assert int(client.get(key)) == 60
