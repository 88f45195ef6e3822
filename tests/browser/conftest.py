"""Fixtures for the browser tests: the built site served on 127.0.0.1 and Debian's chromium.

Chromium is started with the network unplugged (``tools.site.CHROMIUM_ARGS``: every request to
another host goes to a proxy that is not there), and every request a page makes to another host
is recorded, so a test can prove the site works offline. Console errors, uncaught page errors and
failed requests to this machine are recorded too. Each visit opens its page in a browser context
of its own, as a first-time reader opens the site: empty cache, nothing stored (unless the test
says what an earlier visit stored: ``stored``).

Requests are watched, not routed: a ``page.route`` handler sends every request through the
test process and turns the browser's cache off, which cost 0.15-0.25 s a page (2026-12-01).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page

from tools.site import SITE, chromium, serve, track_requests, wait_for_charts, wait_for_requests

LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}
LOCAL_SCHEMES = {"data", "blob", "file", "about"}
DEFAULT_VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def site_url():
    with serve(SITE) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Browser:
    with chromium() as started:
        yield started


@dataclass
class Visit:
    """A page plus what went wrong while it loaded."""

    page: Page
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    pending: set = field(default_factory=set)  # requests not yet finished (track_requests)

    def problems(self) -> list[str]:
        return (
            [f"console error: {e}" for e in self.console_errors]
            + [f"page error: {e}" for e in self.page_errors]
            + [f"request to another host: {u}" for u in self.blocked_requests]
            + [f"failed request: {u}" for u in self.failed_requests]
        )


def is_local(url: str) -> bool:
    """Whether a request for ``url`` stays on this machine (loopback, or no network at all)."""
    parts = urlparse(url)
    return parts.scheme in LOCAL_SCHEMES or (parts.hostname or "") in LOOPBACK


def watch(page: Page, visit: Visit) -> None:
    """Record on ``visit`` what goes wrong on ``page``: requests to another host (the browser
    cannot reach them: see the module's docstring), failed requests to this one, console errors
    and uncaught page errors."""
    page.on("request", lambda r: None if is_local(r.url) else visit.blocked_requests.append(r.url))
    page.on(
        "requestfailed", lambda r: visit.failed_requests.append(r.url) if is_local(r.url) else None
    )
    page.on("console", lambda m: visit.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: visit.page_errors.append(str(e)))


def _load(page: Page, visit: Visit, url: str) -> Visit:
    watch(page, visit)
    visit.pending = track_requests(page)
    page.goto(url, wait_until="load")
    wait_for_charts(page)
    wait_for_requests(page, visit.pending)  # what the charts fetch too (vega-tooltip)
    return visit


def open_visit(
    browser: Browser, url: str, viewport=None, stored: dict | None = None, phone: bool = False
) -> Visit:
    """``url`` in a new browser context; closing it (``visit.page.context.close()``) is the
    caller's. ``stored``: what the site's origin holds in localStorage before the page opens
    ({name: value}), as a reader's earlier visit left it; ``phone``: the context is a phone's
    (mobile: the page's viewport meta is obeyed; touch)."""
    options = {"viewport": viewport or DEFAULT_VIEWPORT, "is_mobile": phone, "has_touch": phone}
    if stored:
        origin = "{0.scheme}://{0.netloc}".format(urlparse(url))
        items = [{"name": k, "value": v} for k, v in stored.items()]
        options["storage_state"] = {
            "cookies": [],
            "origins": [{"origin": origin, "localStorage": items}],
        }
    context = browser.new_context(**options)
    page = context.new_page()
    return _load(page, Visit(page), url)


@pytest.fixture
def visit(browser, site_url):
    """Open a page of the site by its relative path; closes its context afterwards."""
    opened = []

    def _open(relative: str, viewport=None, stored=None) -> Visit:
        v = open_visit(browser, site_url + relative, viewport, stored)
        opened.append(v)
        return v

    yield _open
    for v in opened:
        v.page.context.close()


@pytest.fixture(scope="module")
def shared_visit(browser, site_url):
    """Like ``visit``, but a page is opened once per test module and the same visit is handed to
    every test of the module that asks for it: for tests that read a page, or act only on a part
    of it that no later test of the module reads (tests run in file order). A test that
    navigates away or changes what others read opens its own page with ``visit``."""
    opened: dict = {}

    def _open(relative: str, viewport=None) -> Visit:
        key = (relative, tuple(sorted((viewport or {}).items())))
        if key not in opened:
            opened[key] = open_visit(browser, site_url + relative, viewport)
        return opened[key]

    yield _open
    for v in opened.values():
        v.page.context.close()


SUB_PATH = "terres-rares"


@pytest.fixture(scope="session")
def subpath_url(tmp_path_factory):
    """The built site as a project page of a static host: the server's root is a folder that
    holds the site under /terres-rares/ (a symlink to _build/html), nothing else."""
    if not (SITE / "index.html").is_file():
        raise RuntimeError(f"no built site in {SITE}: run `make site` first")
    host_root = tmp_path_factory.mktemp("static-host")
    (host_root / SUB_PATH).symlink_to(SITE, target_is_directory=True)
    with serve(host_root) as base:
        yield f"{base}{SUB_PATH}/"
