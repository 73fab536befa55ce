"""Small typed readers for settings that come from environment variables.

Every reader takes a safe default so the demo runs with nothing set.
"""

import os


def env_str(name: str, default: str = "") -> str:
    """The variable's value; an empty value counts as unset, so `DATABASE_URL= make ...` means the default."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]
