"""Where an uncached page's time goes: queries, and a profile of the render.

Run after `BENCH_KEEP=1 make bench` (which leaves the benchmark database behind), or against any
database through DATABASE_URL:

    .venv/bin/python bench/profile_page.py /treatments/underarm-sweating/ [--profile] [--queries]

A plain URL is served by the page cache (`{% pagecache %}`, no queries) after the first request: add
any query string (`?bench=uncached`, as `make bench` does) to profile the uncached render.

Prints the mean in-process time per request (Django test client, production settings, caches warm),
the number of SQL queries, and with --queries the queries grouped by shape; with --profile a
pyinstrument profile (pip install pyinstrument) or, failing that, cProfile's top functions.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vial.settings.production")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vial_bench")
    os.environ.setdefault("STATIC_ROOT", str(ROOT / "bench" / ".work" / "static"))
    os.environ.setdefault("MEDIA_ROOT", str(ROOT / "bench" / ".work" / "media"))
    os.environ.setdefault("CACHE_DIRECTORY", str(ROOT / "bench" / ".work" / "cache"))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def shape(sql: str) -> str:
    """A query with its literals blanked, so repeats of the same query group together."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+\b", "?", sql)
    sql = re.sub(r"IN \([?, ]+\)", "IN (...)", sql)
    return sql[:220]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path")
    parser.add_argument("-n", type=int, default=50, help="requests to time (default 50)")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--queries", action="store_true")
    args = parser.parse_args()
    setup()

    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    for _ in range(3):  # warm caches and the database connection
        response = client.get(args.path)
    assert response.status_code == 200, response.status_code

    # request_started empties connection.queries_log, so read it after the request, not around it.
    connection.force_debug_cursor = True
    client.get(args.path)
    queries = list(connection.queries_log)
    connection.force_debug_cursor = False
    sql_ms = sum(float(q["time"]) for q in queries) * 1000

    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in range(args.n):
        client.get(args.path)
    wall = (time.perf_counter() - started) / args.n * 1000
    cpu = (time.process_time() - cpu_started) / args.n * 1000
    print(
        f"{args.path}: {wall:.1f} ms per request in-process ({cpu:.1f} ms of Python CPU), "
        f"{len(queries)} queries ({sql_ms:.1f} ms waiting for SQL)"
    )

    if args.queries:
        counts = collections.Counter(shape(q["sql"]) for q in queries)
        for sql, count in counts.most_common():
            print(f"{count:4d} x {sql}")

    if args.profile:
        try:
            if os.environ.get("PROFILE_CPROFILE") == "1":
                raise ImportError
            from pyinstrument import Profiler
        except ImportError:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.n):
                client.get(args.path)
            profiler.disable()
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(os.environ.get("PROFILE_FILTER", ""), 60)
        else:
            profiler = Profiler(interval=0.0005)
            profiler.start()
            for _ in range(args.n):
                client.get(args.path)
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=os.environ.get("PROFILE_ALL") == "1"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
