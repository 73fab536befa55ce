"""The limits hold exactly on the real server: gunicorn with 4 workers and the production cache settings.

gunicorn runs `vial.wsgi` on a free loopback port with production settings (DEBUG off, FileBasedCache:
REDIS_URL unset) on a database of its own: a temporary SQLite file, or a scratch PostgreSQL database
next to the test database when the suite runs on PostgreSQL. Clients post at once, from one address as
nginx reports it in X-Forwarded-For (each with a different forged entry in front, which must not
help), and the test counts what was stored. The server and its database go when the module ends.
"""

import http.client
import json
import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import dj_database_url
import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
PASSED_ON = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}
WORKERS = 4
ENQUIRY_LIMIT = 5
BOOKING_LIMIT = 10
SETUP = """
import json
import django
django.setup()
from tests.factories import build_clinic
from tests.booking.conftest import make_diary
clinic = build_clinic()
diary = make_diary(practitioners=2, rooms=2)
print(json.dumps({
    "contact": clinic["contact"].url,
    "service": diary.service.pk,
    "location": diary.location.pk,
}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def scratch_database(workdir: Path):
    """(DATABASE_URL for the server, count(sql) -> int, drop())."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        path = workdir / "server.sqlite3"

        def count(sql):
            with sqlite3.connect(path) as db:
                return db.execute(sql).fetchone()[0]

        return f"sqlite:///{path}", count, lambda: None

    import psycopg

    config = dj_database_url.parse(url)
    name = f"{config['NAME']}_real_server"
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')
    server_url = url.rsplit("/", 1)[0] + f"/{name}"

    def count(sql):
        with psycopg.connect(server_url) as db:
            return db.execute(sql).fetchone()[0]

    def drop():
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return server_url, count, drop


@pytest.fixture(scope="module")
def real_server(tmp_path_factory):
    """gunicorn, 4 workers, production settings; yields (port, what the set-up made, count(sql))."""
    workdir = tmp_path_factory.mktemp("real-server")
    database_url, count, drop = scratch_database(workdir)
    env = {key: value for key, value in os.environ.items() if key in PASSED_ON}  # no REDIS_URL: file cache
    env.update(
        DJANGO_SETTINGS_MODULE="tests.ops.real_server_settings",
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="localhost,127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        CACHE_DIRECTORY=str(workdir / "cache"),
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        ENQUIRY_RATE_LIMIT=str(ENQUIRY_LIMIT),
        BOOKING_HOLDS_PER_ADDRESS_PER_HOUR=str(BOOKING_LIMIT),
        BOOKINGS_PER_EMAIL_PER_DAY="1000",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONPATH=str(ROOT),
    )
    proc = None
    try:
        for argv in ([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], [sys.executable, "-c", SETUP]):
            done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)  # noqa: S603
            assert done.returncode == 0, done.stdout + done.stderr
        made = json.loads(done.stdout.strip().splitlines()[-1])
        port = free_port()
        log = workdir / "gunicorn.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(  # noqa: S603 - fixed argv
                [str(GUNICORN), "vial.wsgi", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}", "--timeout", "60"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"gunicorn exited with {proc.returncode}:\n{log.read_text()}")
            try:
                status, _, _ = request(port, "GET", "/api/v1/services")
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not answer on {port}:\n{log.read_text()}")
            time.sleep(0.2)
        yield port, made, count
    finally:
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        drop()


def request(port: int, method: str, path: str, body: bytes | None = None, **headers) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers={"Host": "localhost", **headers})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def spaced_slots(port: int, made: dict, wanted: int) -> list[dict]:
    """Free times that cannot get in each other's way: an hour and a half apart per practitioner."""
    first = date.today() + timedelta(days=2)
    query = urlencode(
        {"service": made["service"], "location": made["location"], "start": first, "end": first + timedelta(days=20)}
    )
    status, _, body = request(port, "GET", f"/api/v1/availability?{query}")
    assert status == 200, body
    chosen, last = [], {}
    for slot in json.loads(body)["slots"]:
        start, who = datetime.fromisoformat(slot["start"]), slot["practitioner"]["id"]
        if who not in last or start - last[who] >= timedelta(minutes=90):
            chosen.append(slot)
            last[who] = start
    assert len(chosen) >= wanted
    return chosen[:wanted]


def test_fifty_bookings_from_one_address_exactly_the_limit_succeed(real_server):
    port, made, count = real_server
    slots = spaced_slots(port, made, 50)

    def book(n: int):
        body = {
            "service": made["service"],
            "location": made["location"],
            "practitioner": slots[n]["practitioner"]["id"],
            "start": slots[n]["start"],
            "patient": {
                "name": f"Patient Number{n}",
                "email": f"patient{n}@example.com",
                "phone": "07400 123456",
                "date_of_birth": "1990-05-17",
            },
        }
        return request(
            port,
            "POST",
            "/api/v1/bookings",
            json.dumps(body).encode(),
            **{"Content-Type": "application/json", "X-Forwarded-For": f"10.1.{n}.1, 203.0.113.50"},
        )

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(book, range(50)))
    assert time.monotonic() - started < 60
    statuses = sorted(status for status, _, _ in answers)
    # New addresses: each booking is held (202) until its e-mailed link is opened; each one counts.
    assert statuses == [202] * BOOKING_LIMIT + [429] * (50 - BOOKING_LIMIT), [a[2][:200] for a in answers]
    for status, headers, body in answers:
        if status == 429:
            assert 0 < int(headers["retry-after"]) <= 3600
            assert json.loads(body)["code"] == "too_many_requests"
    assert count("SELECT count(*) FROM booking_appointment") == BOOKING_LIMIT


def test_twenty_concurrent_enquiries_from_one_address_exactly_the_limit_stored(real_server):
    port, made, count = real_server
    token = secrets.token_hex(16)  # a CSRF secret of our own: cookie and form field agree

    def enquire(n: int):
        form = {
            "csrfmiddlewaretoken": token,
            "kind": "question",
            "name": "Jane Testpatient",
            "email": f"jane{n}@example.com",
            "message": f"Question number {n}: does the treatment hurt, and how long does it last?",
            "consent_to_contact": "on",
        }
        return request(
            port,
            "POST",
            made["contact"],
            urlencode(form).encode(),
            **{
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={token}",
                "X-Forwarded-For": f"10.2.{n}.1, 198.51.100.60",
            },
        )

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(enquire, range(20)))
    statuses = sorted(status for status, _, _ in answers)
    assert statuses == [302] * ENQUIRY_LIMIT + [429] * (20 - ENQUIRY_LIMIT), [a[2][:300] for a in answers]
    assert all(0 < int(headers["retry-after"]) <= 3600 for status, headers, _ in answers if status == 429)
    assert count("SELECT count(*) FROM enquiries_enquiry") == ENQUIRY_LIMIT


def test_a_ten_megabyte_body_is_refused_with_413_before_it_is_read(real_server):
    """The server answers from the headers alone: a client that waits before sending (as with
    `Expect: 100-continue`) gets the 413 without sending the 10 MB. (nginx, in front in production,
    has its own client_max_body_size.)"""
    port, _, _ = real_server
    head = (
        "POST /api/v1/bookings HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        f"Content-Length: {10 * 1024 * 1024}\r\nExpect: 100-continue\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head.encode())
        received = b""
        while b"content_too_large" not in received:
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
    answers = [line for line in received.split(b"\r\n") if line.startswith(b"HTTP/1.1 ")]
    assert answers[-1].startswith(b"HTTP/1.1 413 "), received[:500]  # after gunicorn's "100 Continue", if any
    assert b'"code": "content_too_large"' in received, received[:500]
