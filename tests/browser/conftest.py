"""Browser tests: Playwright for Python driving Debian's Chromium against a live Django server.

They never skip: without /usr/bin/chromium every browser test fails with a message saying how to
install it, so CI cannot pass by quietly leaving them out.

Playwright's sync API keeps an asyncio loop marked as running in the test thread between calls. Django
reacts to a running loop in two ways, both handled here for the lifetime of this package only:

* it refuses ORM calls (SynchronousOnlyOperation): DJANGO_ALLOW_ASYNC_UNSAFE is set while the browser
  runs (the tests are plain synchronous code);
* `connections[alias]` becomes a different connection object (asgiref keeps thread-critical locals per
  context when a loop runs), which has lost the serialized database the rollbacks restore: it is copied.

Playwright and the live server are therefore package-scoped (pytest-playwright and pytest-django make
them session-scoped), so that tests run after this package see Django exactly as before.
"""

import io
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MISSING_CHROMIUM = (
    f"{CHROMIUM} is missing: the browser tests need Debian's Chromium. Install it with "
    "`apt-get install -y chromium` (or `make browser`); never `playwright install`."
)

ROOT = Path(__file__).resolve().parents[2]
# Tests never rewrite committed files: screenshots go to build/screenshots/ unless SCREENSHOTS_DIR says
# otherwise (relative to the repository); `make screenshots` sets it to docs/screenshots on purpose.
SCREENSHOTS = ROOT / os.environ.get("SCREENSHOTS_DIR", "build/screenshots")
WIDTHS = (360, 1280)
TIMEOUT_MS = 15_000  # generous, for a busy CI machine, but bounded
expect.set_options(timeout=TIMEOUT_MS)

# Every browser test needs the live server, so a transactional database; the flush after each test
# removes what migrations created (Wagtail's root page, the advertising rules), which the serialized
# rollback restores before the next.
BROWSER_TEST = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(MISSING_CHROMIUM, pytrace=False)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="package")
def playwright(browser_type_launch_args, django_db_setup):
    """Playwright for this package only (see the module docstring)."""
    serialized = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    pw = sync_playwright().start()
    for alias, contents in serialized.items():  # the loop now runs: these are new connection objects
        if contents is not None:
            connections[alias]._test_serialized_contents = contents
    yield pw
    connections.close_all()  # the loop's own connection objects (an in-memory SQLite database stays open)
    pw.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser_type(playwright, browser_name):
    return getattr(playwright, browser_name)


@pytest.fixture(scope="package")
def launch_browser(browser_type_launch_args, browser_type):
    return lambda **kwargs: browser_type.launch(**{**browser_type_launch_args, **kwargs})


@pytest.fixture(scope="package")
def browser(launch_browser):
    browser = launch_browser()
    yield browser
    browser.close()


@pytest.fixture(scope="package")
def live_server(request, playwright):
    """pytest-django's live server, started once the browser's loop runs so it shares the tests' connection."""
    server = LiveServer(request.config.getvalue("liveserver") or "localhost")
    yield server
    server.stop()


@pytest.fixture
def site_urls(settings):
    """Serve uploaded media (kept in memory in tests) so pages show their images."""
    settings.ROOT_URLCONF = "tests.browser.urls"


@pytest.fixture
def demo(transactional_db, site_urls):
    """The demo clinic, as `make demo` shows it."""
    cache.clear()  # the menu and footer are cached, and a previous test's pages are gone
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    yield
    cache.clear()


@pytest.fixture
def site(demo, live_server):
    """The live server's base URL, with the demo loaded."""
    return live_server.url


@pytest.fixture
def open_context(browser, site):
    """Open browser contexts (closed afterwards) with bounded timeouts."""
    contexts = []

    def make(width=1280, height=900, **kwargs):
        context = browser.new_context(viewport={"width": width, "height": height}, **kwargs)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


class RequestLog:
    """Every request a page makes, to prove nothing leaves the clinic's own server."""

    def __init__(self, base_url):
        self.netloc = urlsplit(base_url).netloc
        self.urls = []

    def __call__(self, request):
        self.urls.append(request.url)

    def external(self):
        return [url for url in self.urls if not url.startswith("data:") and urlsplit(url).netloc != self.netloc]
