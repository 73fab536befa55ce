"""Queries a page runs on every render, with their SQL built by Django once per process.

Turning a queryset into SQL (filters, joins, ordering, compiling) costs Django several times what
the database spends answering a small query: measured on the treatment page, 0.4-0.6 ms of Python per
query against 0.1 ms to send the same SQL and read its rows, on every render, for queries whose shape
never changes (docs/benchmarks.md, "fourth pass"). A `SameQuery` keeps the SQL and the compiler Django
made for it, and runs the SQL with each call's values; the rows become values or model instances
(with their `select_related` rows) as Django's own iterables make them. The queryset stays the one
place the query is written.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators

# The queryset is built with these, and their places in the SQL's parameters are where each call's
# values go: distinct from any constant a query here has, and within every integer field's range
# (Django writes a comparison with an out-of-range number as "no rows", without a parameter).
_MARKERS = (32_101, 32_102, 32_103)


class SameQuery:
    """`build(*values)`, a queryset, with its SQL built once: `.rows(*values)` for a `values_list`
    queryset (tuples), `.objects(*values)` for model instances (`select_related` rows included).

    `build` must use each value as a plain parameter (an `=` filter on a key or number), so the marker
    reaches the SQL as it is; the first call checks that it does. No prefetch_related (it needs queries
    of its own).
    """

    def __init__(self, build: Callable[..., QuerySet], values: int = 1):
        self._build = build
        self._values = values

    @functools.cached_property
    def _compiled(self):
        markers = _MARKERS[: self._values]
        queryset = self._build(*markers)
        if queryset._prefetch_related_lookups:
            raise ImproperlyConfigured(f"{self._build!r}: prefetch_related needs queries of its own")
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()  # also fills what turns rows into objects (select, klass_info)
        places = [[i for i, param in enumerate(params) if param == marker] for marker in markers]
        if not all(places):
            raise ImproperlyConfigured(f"{self._build!r}: a value does not reach the SQL as a parameter")
        return queryset, compiler, sql, tuple(params), places

    def _run(self, values: tuple, iterable: type, use: str):
        """The rows for these values, with the database's types converted as Django converts them."""
        queryset, compiler, sql, params, places = self._compiled
        if queryset._iterable_class is not iterable:
            raise ImproperlyConfigured(f"{self._build!r}: {use}")
        params = list(params)
        for value, at in zip(values, places, strict=True):
            for index in at:
                params[index] = value
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
        return queryset, compiler, list(compiler.results_iter(results=[found]))

    def rows(self, *values) -> list[tuple]:
        _, _, rows = self._run(values, ValuesListIterable, "rows() is for a values_list queryset")
        return [tuple(row) for row in rows]

    def objects(self, *values) -> list:
        """Model instances as ModelIterable makes them from the same rows (its steps, without the SQL)."""
        queryset, compiler, rows = self._run(values, ModelIterable, "objects() is for a queryset of model instances")
        db, info = queryset.db, compiler.klass_info
        first, last = info["select_fields"][0], info["select_fields"][-1] + 1
        names = [column[0].target.attname for column in compiler.select[first:last]]
        populators = get_related_populators(info, compiler.select, db)
        found = []
        for row in rows:
            instance = info["model"].from_db(db, names, row[first:last])
            for populator in populators:
                populator.populate(row, instance)
            for name, at in compiler.annotation_col_map.items():
                setattr(instance, name, row[at])
            found.append(instance)
        return found
