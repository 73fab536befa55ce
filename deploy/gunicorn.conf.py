"""Gunicorn settings for Vial: `gunicorn -c deploy/gunicorn.conf.py vial.wsgi`.

nginx sits in front (TLS, the front cache, slow clients), so plain sync workers are enough: a page
is CPU work under the GIL, and threads add no throughput (see docs/benchmarks.md). Every value can
be overridden from the environment of the systemd unit.
"""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# One worker per core, plus one so a worker waiting on PostgreSQL does not leave a core idle.
workers = int(os.environ.get("GUNICORN_WORKERS", str((os.cpu_count() or 1) + 1)))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Workers are not recycled after a number of requests (GUNICORN_MAX_REQUESTS, default 0: never). A
# recycled worker exits, and its replacement imports Django and Wagtail (about a second of a core)
# while the others take its share: the p99 of a benchmark went to ~1 s at 5,000 requests, and to
# 386 ms at 50,000 once a benchmark run sent that many (docs/benchmarks.md). A deploy's reload (HUP)
# starts the new workers before the old ones stop, so it stalls nothing; `preload_app` would make a
# recycle cheap instead, but a HUP would then keep the old code. Vial has no known leak; if one
# appears, set GUNICORN_MAX_REQUESTS (a jitter of a tenth keeps workers from recycling together).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
# Trust X-Forwarded-* only from nginx on the same machine.
forwarded_allow_ips = "127.0.0.1,::1"
# nginx keeps the access log (without query strings: search terms can be health data, see
# docs/operations.md). Gunicorn logs errors only, to stderr, which systemd sends to the journal.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")


def post_worker_init(worker):
    """Hide what loading Django and Wagtail made (~270,000 objects) from the garbage collector.

    Those objects live as long as the worker, yet every full collection scanned them all: 100-190 ms
    about every 2,500 requests, while the other workers took the whole queue (the p99 of a benchmark).
    Frozen, a full collection scans ~60,000 objects and takes at most ~14 ms (docs/benchmarks.md).
    """
    gc.freeze()
