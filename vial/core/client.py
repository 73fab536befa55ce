"""Who sent a request: the client's address, believing `X-Forwarded-For` only from our own proxy.

Behind nginx (a trusted proxy on loopback) every request reaches the app from 127.0.0.1, so the
address that counts is the right-most `X-Forwarded-For` entry: the one nginx itself appended.
Entries further left are whatever the client claimed and are ignored. From any other peer the
header is ignored altogether: otherwise anyone could claim a fresh address per request.
"""

import ipaddress
from collections.abc import Mapping

from django.conf import settings
from django.http import HttpRequest

DEFAULT_TRUSTED_PROXIES = ("127.0.0.1", "::1")


def client_address(request_or_meta: HttpRequest | Mapping) -> str:
    """The sender's IP address as a string ('' when unknown); takes a request or its META."""
    meta = getattr(request_or_meta, "META", request_or_meta)
    remote = meta.get("REMOTE_ADDR", "") or ""
    trusted = getattr(settings, "TRUSTED_PROXIES", DEFAULT_TRUSTED_PROXIES)
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "") or ""
    if remote in trusted and forwarded:
        candidate = forwarded.split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    return remote
