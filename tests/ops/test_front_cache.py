"""The production front cache: nginx with deploy/nginx/*.conf in front of the app, purged on publish.

nginx runs for real on loopback ports with the same snippets production includes. The test fails,
never skips, when nginx or its purge module is missing: CI installs them with
`apt-get install -y nginx libnginx-mod-http-cache-purge`.

Ports: the kernel hands out a free port, and nginx binds it a moment later; if another test run on the
machine took it meanwhile, nginx exits with "Address already in use" and the fixture starts it again
on fresh ports. nginx writes its pid file only once it has bound every port, so the fixture waits for
that file (not merely for something listening) before it sends a request.
"""

import http.client
import logging
import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.core.signals import request_started

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "nginx"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")
HOST = "localhost"  # the hostname of the clinic fixture's Site, so Wagtail purges URLs on it


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nginx_conf(workdir: Path, port: int, purge_port: int, upstream: str) -> str:
    user = "user root;\n" if os.geteuid() == 0 else ""  # root's workers would run as nobody otherwise
    return f"""load_module {PURGE_MODULE};
{user}daemon off;
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {workdir}/body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    proxy_cache_path {workdir}/cache levels=1:2 keys_zone=vial:1m max_size=16m inactive=10m use_temp_path=off;
    server {{
        listen 127.0.0.1:{port};
        location /admin/ {{
            include {DEPLOY}/vial-proxy.conf;
            proxy_pass {upstream};
        }}
        location / {{
            include {DEPLOY}/vial-proxy.conf;
            include {DEPLOY}/vial-front-cache.conf;
            proxy_pass {upstream};
        }}
    }}
    server {{
        listen 127.0.0.1:{purge_port};
        include {DEPLOY}/vial-purge.conf;
    }}
}}
"""


class PortTaken(Exception):
    """Another process bound one of our ports between choosing it and nginx binding it."""


def wait_until_running(workdir: Path, proc: subprocess.Popen, log: Path) -> None:
    """Wait for nginx to have bound its ports (it writes its pid file after binding)."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            errors = log.read_text() if log.exists() else ""
            if "Address already in use" in errors:
                raise PortTaken(errors)
            pytest.fail(f"nginx exited with {proc.returncode}:\n{errors}")
        if (workdir / "nginx.pid").exists():
            return
        time.sleep(0.05)
    pytest.fail(f"nginx did not start:\n{log.read_text() if log.exists() else ''}")


def wait_for_port(port: int) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"nginx did not listen on {port}")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


@pytest.fixture
def front_cache(live_server, tmp_path):
    """nginx on a free loopback port in front of live_server; yields (port, purge URL)."""
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: apt-get install -y nginx libnginx-mod-http-cache-purge")
    if not PURGE_MODULE.exists():
        pytest.fail("nginx's purge module is missing: apt-get install -y libnginx-mod-http-cache-purge")
    upstream = f"http://127.0.0.1:{live_server.thread.port}"
    for attempt in range(5):
        workdir = tmp_path / f"nginx-{attempt}"
        workdir.mkdir()
        port, purge_port = free_port(), free_port()
        conf = workdir / "nginx.conf"
        conf.write_text(nginx_conf(workdir, port, purge_port, upstream))
        log = workdir / "error.log"
        with open(workdir / "nginx.out", "wb") as out:
            proc = subprocess.Popen(  # noqa: S603 - fixed argv, our own config
                [NGINX, "-p", str(workdir), "-c", str(conf), "-e", str(log)],
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_until_running(workdir, proc, log)
        except PortTaken:
            stop(proc)
            continue
        try:
            wait_for_port(port)
            wait_for_port(purge_port)
            yield port, f"http://127.0.0.1:{purge_port}"
        finally:
            stop(proc)
        return
    pytest.fail("nginx could not bind a free port in 5 attempts")


def fetch(port: int, path: str, **headers):
    """GET through nginx as a visitor to the site would: returns (status, response headers, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": HOST, **headers})
        response = conn.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        conn.close()


def get(port: int, path: str, **headers) -> tuple[int, str, str]:
    """GET through nginx: returns (status, X-Cache-Status, body)."""
    status, response_headers, body = fetch(port, path, **headers)
    return status, response_headers.get("X-Cache-Status", ""), body


@pytest.fixture
def django_saw():
    """The paths (with query) of the requests that reached Django (the live server runs in this process)."""
    seen, lock = [], threading.Lock()

    def record(sender, environ, **kwargs):
        with lock:
            seen.append(
                environ.get("PATH_INFO", "") + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else "")
            )

    request_started.connect(record, dispatch_uid="front-cache-test")
    yield seen
    request_started.disconnect(dispatch_uid="front-cache-test")


def publish_title(page, title: str) -> None:
    page.title = title
    page.save_revision().publish()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publishing_a_page_purges_it_from_the_front_cache(clinic, front_cache, settings, caplog):
    port, purge_url = front_cache
    treatment = clinic["treatment"]
    path = treatment.relative_url(treatment.get_site())

    status, cache, body = get(port, path)
    assert (status, cache) == (200, "MISS")
    assert "Test treatment 0" in body
    status, cache, body = get(port, path)
    assert (status, cache) == (200, "HIT"), "an anonymous page view must be served from the front cache"

    # With no purge configured, an edit stays hidden behind the cache: the cache really is in the way.
    settings.WAGTAILFRONTENDCACHE = {}
    publish_title(treatment, "Quietly renamed")
    status, cache, body = get(port, path)
    assert cache == "HIT"
    assert "Test treatment 0" in body
    assert "Quietly renamed" not in body

    # With Wagtail's HTTP backend pointed at the purge endpoint, publishing removes the cached copy.
    settings.WAGTAILFRONTENDCACHE = {
        "nginx": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": purge_url}
    }
    with caplog.at_level(logging.INFO, logger="wagtail.frontendcache"):
        publish_title(treatment, "Freshly renamed")
    assert any("Purging URL" in message for message in caplog.messages)
    assert not any("Couldn't purge" in message for message in caplog.messages), caplog.messages

    status, cache, body = get(port, path)
    assert (status, cache) == (200, "MISS")
    assert "Freshly renamed" in body
    status, cache, body = get(port, path)
    assert (status, cache) == (200, "HIT")
    assert "Freshly renamed" in body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_purging_a_page_that_is_not_cached_is_not_an_error(clinic, front_cache, settings, caplog):
    _, purge_url = front_cache
    settings.WAGTAILFRONTENDCACHE = {
        "nginx": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": purge_url}
    }
    with caplog.at_level(logging.INFO, logger="wagtail.frontendcache"):
        publish_title(clinic["post"], "Never viewed yet")
    assert any("Purging URL" in message for message in caplog.messages)
    assert not any("Couldn't purge" in message for message in caplog.messages), caplog.messages


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_signed_in_visitors_and_the_admin_skip_the_front_cache(clinic, front_cache):
    port, _ = front_cache
    path = clinic["treatment"].relative_url(clinic["treatment"].get_site())
    get(port, path)
    assert get(port, path)[1] == "HIT"

    status, cache, _ = get(port, path, Cookie="sessionid=someone-signed-in")
    assert (status, cache) == (200, "BYPASS")
    status, cache, _ = get(port, path, Cookie="messages=a-flash-message")
    assert cache == "BYPASS"

    for _ in range(2):
        status, cache, _ = get(port, "/admin/login/")
        assert status == 200
        assert cache == ""  # never looked up in the cache


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pages_that_set_a_cookie_are_never_cached(clinic, front_cache):
    """The contact page carries a CSRF token: caching it would hand one visitor's token to the next."""
    port, _ = front_cache
    path = clinic["contact"].relative_url(clinic["contact"].get_site())
    for _ in range(2):
        status, cache, _ = get(port, path)
        assert status == 200
        assert cache in {"MISS", "EXPIRED", ""}
        assert cache != "HIT"


def is_full_page(body: str) -> bool:
    return "<html" in body and 'class="site-header"' in body and 'class="site-footer"' in body


HTMX = {"HX-Request": "true", "HX-Target": "testimonial-list", "HX-Current-URL": "http://localhost/reviews/"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_htmx_fragment_never_poisons_the_full_page(clinic, front_cache, django_saw):
    """The reviews filter asks /reviews/ for a fragment; the next plain visitor must still get the page."""
    port, _ = front_cache
    reviews = clinic["reviews"].relative_url(clinic["reviews"].get_site())
    slug = clinic["treatment"].slug
    for path in (reviews, f"{reviews}?treatment={slug}"):
        # The attacker (or the filter) goes first, on a cold cache.
        status, headers, body = fetch(port, path, **HTMX)
        assert status == 200 and not is_full_page(body), "the HTMX answer is the list alone"
        assert "testimonial-grid" in body
        assert headers["X-Cache-Status"] == "BYPASS"
        assert "HX-Request" in headers["Vary"]
        assert "public" not in headers.get("Cache-Control", "")

        status, headers, body = fetch(port, path)
        assert status == 200 and is_full_page(body), "a plain visit after a fragment must get the whole page"
        assert headers["X-Cache-Status"] == "MISS"
        assert "HX-Request" in headers["Vary"]
        status, headers, body = fetch(port, path)
        assert headers["X-Cache-Status"] == "HIT" and is_full_page(body)

        # With the page cached, HTMX still gets its fragment from Django, never the cached page.
        status, headers, body = fetch(port, path, **HTMX)
        assert headers["X-Cache-Status"] == "BYPASS" and not is_full_page(body)
        assert "testimonial-grid" in body

    # Any other value of the header is not HTMX: the page, which nginx may serve from its copy.
    status, headers, body = fetch(port, f"{reviews}?page=1", **{"HX-Request": "0"})
    assert is_full_page(body)
    assert "public" not in headers.get("Cache-Control", ""), "a request carrying the header is never stored"
    status, headers, body = fetch(port, f"{reviews}?page=1")
    assert headers["X-Cache-Status"] == "MISS" and is_full_page(body)
    assert django_saw.count(f"{reviews}?treatment={slug}") == 3  # two fragments and one page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_search_is_never_stored(clinic, front_cache, django_saw):
    """What someone searched for can say something about their health: no cache keeps it."""
    port, _ = front_cache
    path = "/search/?q=sweaty+armpits+embarrassing"
    for _ in range(2):
        status, headers, body = fetch(port, path)
        assert status == 200 and "sweaty armpits embarrassing" in body
        assert headers["X-Cache-Status"] == "MISS"
        assert headers["Cache-Control"] == "private, no-store"
    assert django_saw.count(path) == 2, "both searches must reach Django"

    # The same for a page that repeats a typed filter back (the Q&A tag filter).
    questions = clinic["questions"].relative_url(clinic["questions"].get_site())
    for _ in range(2):
        status, headers, body = fetch(port, f"{questions}?tag=my-private-worry")
        assert status == 200 and "my-private-worry" in body
        assert headers["X-Cache-Status"] == "MISS"
        assert headers["Cache-Control"] == "private, no-store"
