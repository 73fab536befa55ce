"""Reading query-string values that end up in database filters."""

import re

# NUL and other control characters: PostgreSQL rejects NUL in text, and none belongs in a filter.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def query_param(request, name: str, max_length: int = 100) -> str:
    """A query-string value, trimmed and stripped of control characters ('' when absent)."""
    return _CONTROL.sub("", request.GET.get(name, ""))[:max_length].strip()
