"""Queries a page runs on every render, with their SQL built by Django once per process.

Turning a queryset into SQL (filters, joins, ordering, compiling) costs Django several times what
the database spends answering a small query: measured on the treatment page, 0.4-0.6 ms of Python per
query against 0.1 ms to send the same SQL and read its rows, twice on every render, for queries whose
shape never changes (docs/benchmarks.md, "fourth pass"). A `SameQuery` keeps the SQL Django wrote and
runs it with each call's values; the queryset stays the one place the query is written.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import QuerySet

# The queryset is built with these, and their places in the SQL's parameters are where each call's
# values go: distinct from any constant a query here has, and within every integer field's range
# (Django writes a comparison with an out-of-range number as "no rows", without a parameter).
_MARKERS = (32_101, 32_102, 32_103)


class SameQuery:
    """`build(*values)` as SQL built once: `.rows(*values)` for a `values_list` queryset (tuples),
    `.objects(*values)` for model instances (with the columns the queryset selects, the rest deferred).

    `build` must use each value as a plain parameter (an `=` filter on a key or number), so the marker
    reaches the SQL as it is; the first call checks that it does.
    """

    def __init__(self, build: Callable[..., QuerySet], values: int = 1):
        self._build = build
        self._values = values

    @functools.cached_property
    def _compiled(self) -> tuple[QuerySet, str, tuple, list[list[int]]]:
        markers = _MARKERS[: self._values]
        queryset = self._build(*markers)
        sql, params = queryset.query.sql_with_params()
        places = [[i for i, param in enumerate(params) if param == marker] for marker in markers]
        if not all(places):
            raise ImproperlyConfigured(f"{self._build!r}: a value does not reach the SQL as a parameter")
        return queryset, sql, tuple(params), places

    def _sql(self, values: tuple) -> tuple[QuerySet, str, list]:
        queryset, sql, params, places = self._compiled
        params = list(params)
        for value, at in zip(values, places, strict=True):
            for index in at:
                params[index] = value
        return queryset, sql, params

    def rows(self, *values) -> list[tuple]:
        queryset, sql, params = self._sql(values)
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def objects(self, *values) -> list:
        queryset, sql, params = self._sql(values)
        if queryset.query.select_related or queryset._prefetch_related_lookups:
            # A raw query makes instances of its own model from its columns: related rows would be lost.
            raise ImproperlyConfigured(f"{self._build!r}: objects() cannot keep select_related or prefetch_related")
        return list(queryset.model._default_manager.raw(sql, params))
