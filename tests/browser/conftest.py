"""Browser tests: the real app on a loopback port, pages from other origins, Debian's Chromium.

One app server, two host-page servers (an allowed origin and a stranger) and one browser serve
the whole session; every test gets a fresh browser context, so a fresh localStorage and user.
Chromium missing fails the run in CI (CI=true) and skips it on a developer's machine.
"""
from __future__ import annotations

import http.server
import os
import socket
import threading
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from coachbot import create_app

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = ROOT / "build" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
DESKTOP = {"width": 1280, "height": 800}
# A generous per-request wait: two cores, and other people's tests running at the same time.
TIMEOUT_MS = 20_000


def missing(what: str, how: str):
    """CI must have it (fail); a developer's machine may not (skip, saying how to get it)."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI: {how}")
    pytest.skip(f"{what} not available: {how}")


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


@dataclass
class HostSite:
    """A plain static web server on its own loopback port: another organisation's web site."""
    origin: str
    folder: Path

    def page(self, name: str, body: str, head: str = "") -> str:
        (self.folder / name).write_text(
            f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{name}</title>{head}</head>"
            f"<body>{body}</body></html>", encoding="utf-8")
        return f"{self.origin}/{name}"


def _serve_static(folder: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(folder)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="session")
def host_sites(tmp_path_factory):
    """Two host sites: `allowed` is in the app's allowed_origins, `stranger` is not."""
    servers, sites = [], {}
    for name in ("allowed", "stranger"):
        folder = tmp_path_factory.mktemp(f"site-{name}")
        server = _serve_static(folder)
        servers.append(server)
        sites[name] = HostSite(f"http://127.0.0.1:{server.server_port}", folder)
    yield sites
    for server in servers:
        server.shutdown()
        server.server_close()


@dataclass
class LiveApp:
    url: str
    db_path: Path
    app: object


@pytest.fixture(scope="session")
def live_app(tmp_path_factory, host_sites):
    """The real app, served by werkzeug in a thread (threaded: answers stream while others load)."""
    folder = tmp_path_factory.mktemp("app")
    db_path = folder / "browser.sqlite3"
    app = create_app({
        "database_url": f"sqlite:///{db_path}",
        "instance_path": str(folder),
        "allowed_origins": host_sites["allowed"].origin,
        "redis_url": "",
        # The browser tests make many calls from one address in a short time.
        "rate_limit_ip": "100000/minute",
        "rate_limit_user": "10000/minute",
    })
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveApp(f"http://127.0.0.1:{server.server_port}", db_path, app)
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright for Python", "pip install -e '.[test]'")
    if not CHROMIUM.exists():
        missing("Chromium", "apt-get install chromium (scripts/install-test-deps.sh does it)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Watched:
    """What a page did that a test may need to check: dialogs opened, script errors thrown, console errors."""
    dialogs: list
    errors: list
    console: list


@pytest.fixture
def make_page(browser):
    """Pages in fresh contexts; every JavaScript dialog is recorded (and dismissed), as are page errors."""
    contexts = []

    def build(viewport=None, **context_options):
        context = browser.new_context(viewport=viewport or DESKTOP, **context_options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        watched = Watched([], [], [])
        context.on("page", lambda p: p.on("dialog", lambda d: (watched.dialogs.append(d.message), d.dismiss())))
        page.on("dialog", lambda d: (watched.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: watched.errors.append(str(e)))
        page.on("console", lambda m: watched.console.append(m.text) if m.type == "error" else None)
        page.watched = watched
        return page

    yield build
    for context in contexts:
        context.close()


@pytest.fixture
def page(make_page):
    return make_page()


@pytest.fixture(scope="session")
def axe_script():
    if not AXE_JS.exists():
        missing("axe-core", "npm install --prefix build/axe axe-core@4 (scripts/install-test-deps.sh does it)")
    return AXE_JS


@pytest.fixture(scope="session")
def screenshots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
