"""The built site on 127.0.0.1 and Debian's chromium: one place for what the browser tests, the
link checks, the benchmark and the printable edition share.

* ``site_pages()``: every HTML page of the built site (relative paths), the one list of pages;
* ``serve(directory)``: the site on a free port of 127.0.0.1;
* ``chromium()``: Debian's chromium, headless, started by Playwright (never a downloaded one);
* ``wait_for_charts(page)``: waits until every Altair chart of a page has drawn;
* ``track_requests(page)`` and ``wait_for_requests(page, pending)``: wait until every request a
  page has started has finished or failed (what the browser tests wait for instead of
  Playwright's "networkidle", which needs 500 ms without any request and, on a loaded machine,
  can take 30 s or time out).

Tools never import the tests; the tests import from here.
"""

from __future__ import annotations

import functools
import http.server
import os
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from widgets.paths import ROOT, SITE  # noqa: F401  (ROOT is part of this module's face)

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Chromium 156's headless mode opens a whole browser window for each context, and that window
# loads its address bar's suggestion popups as two web pages of their own (a renderer each, busy
# for about 0.3 s of CPU as every page opens). No page here uses them: without them a page of the
# site was at its load event in 0.4-0.65 s instead of 0.8-0.95 s (2026-12-01, the explorer).
BROWSER_UI_FEATURES = ["WebUIOmniboxPopup", "WebUIOmniboxAimPopup", "PreloadTopChromeWebUI"]
# Chromium reads only the last --disable-features it is given, and Playwright gives its own first
# (chromiumSwitches.ts): its list is repeated here, so that adding ours does not drop it.
# tests/test_site_tools.py checks it against the installed Playwright.
PLAYWRIGHT_DISABLED_FEATURES = [
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
    "msForceBrowserSignIn",
    "msEdgeUpdateLaunchServicesPreferredVersion",
]
# Without the background-networking flags chromium tries to reach Google's hosts at start-up.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # No host but this machine answers: every other request goes to a proxy that is not there
    # (loopback addresses bypass a proxy by default), so a page that tried to reach the network
    # would find it unplugged; the browser tests record such requests (tests/browser/conftest.py)
    "--proxy-server=http://127.0.0.1:9",
    "--disable-features=" + ",".join(PLAYWRIGHT_DISABLED_FEATURES + BROWSER_UI_FEATURES),
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file server that does not log every request."""

    def log_message(self, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    """The server of ``serve``: a browser that drops a connection before the end of a response
    (a page closed or navigated away while a file was still coming) is not an error of the site,
    and is not printed; any other error of a request is, with its traceback."""

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


@contextmanager
def serve(directory: Path = SITE):
    """Serve ``directory`` on a free port of 127.0.0.1; yields the base URL (ending in /)."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@contextmanager
def chromium():
    """Debian's chromium, headless, started by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} not found: run `make browser` (installs Debian's chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def site_pages(site: Path = SITE) -> list[str]:
    """Every HTML page of a built site, as paths relative to its root (not the theme's templates
    under _static, nor _sources)."""
    if not (site / "index.html").is_file():
        raise RuntimeError(f"no built site in {site}: run `make site` first")
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if "_sources" not in p.relative_to(site).parts
        and "_static" not in p.relative_to(site).parts
    )


def wait_for_charts(page, timeout: float = 15_000) -> int:
    """Wait until every Altair chart on the page is drawn live (charts.js's data-drawn, not the
    build's picture of a page's first chart) or shows its error; return how many there are."""
    count = page.locator("div[id^='altair-viz-']").count()
    if count:
        page.wait_for_function(
            """() => [...document.querySelectorAll("div[id^='altair-viz-']")]
                     .every(d => d.dataset.drawn === 'true' || d.querySelector('.error'))""",
            timeout=timeout,
        )
    return count


def track_requests(page) -> set:
    """The requests ``page`` has started and not yet finished or failed (a live set). Call it
    before ``page.goto``. A redirect finishes its request and starts a new one."""
    pending: set = set()
    page.on("request", lambda request: pending.add(request))
    page.on("requestfinished", lambda request: pending.discard(request))
    page.on("requestfailed", lambda request: pending.discard(request))
    return pending


def wait_for_requests(page, pending: set, timeout: float = 15_000) -> None:
    """Wait until every request in ``pending`` (see :func:`track_requests`) has finished or
    failed, looking once per animation frame of the page; raise TimeoutError naming the requests
    still loading after ``timeout`` ms."""
    from playwright.sync_api import Error

    deadline = time.monotonic() + timeout / 1000
    while pending:
        if time.monotonic() > deadline:
            urls = sorted(r.url for r in pending)
            raise TimeoutError(f"requests still loading after {timeout:.0f} ms: {urls}")
        try:  # one frame: lets the browser work and Playwright deliver the request events
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
        except Error:  # the page is navigating (a redirect): its next document will answer
            page.wait_for_load_state("domcontentloaded")
