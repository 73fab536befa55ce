"""Version tokens in Django's cache: cached data is keyed by one, and replacing the token retires it all at once."""

import secrets

from django.core.cache import cache
from django.db import transaction


def current(key: str) -> str:
    """The token stored at `key`, choosing a random one if the cache has none (after a restart or eviction)."""
    version = cache.get(key)
    if version is None:
        cache.add(key, secrets.token_hex(6), None)
        version = cache.get(key, "")
    return version


def replace(key: str) -> None:
    cache.set(key, secrets.token_hex(6), None)


def current_many(keys: list[str]) -> list[str]:
    """`current` for several keys in one cache round trip (two when some are missing)."""
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, secrets.token_hex(6), None)
        found |= cache.get_many(missing)
    return [found.get(key, "") for key in keys]


def replace_now_and_on_commit(*keys: str) -> None:
    """Replace the tokens at once, and again when the current transaction commits.

    The second replacement matters: a request that read the old rows between the change and the
    commit would otherwise have cached them under the new token.
    """

    def replace_all():
        for key in keys:
            replace(key)

    replace_all()
    transaction.on_commit(replace_all, robust=True)
