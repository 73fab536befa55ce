"""Version tokens in Django's cache: cached data is keyed by one, and replacing the token retires it all at once."""

import secrets

from django.core.cache import cache


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
