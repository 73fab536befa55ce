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
