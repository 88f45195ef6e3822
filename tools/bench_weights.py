"""What a browser transfers for each page of a built site, for `make bench`.

Each page is opened in chromium from the local server; every response body counts raw and
gzip-compressed at level 6 when it is text (HTML, JS, CSS, JSON, SVG, CSV), as a static host
with compression serves it; fonts and images count as they are. Headers are not counted.
Requests to other hosts are aborted and counted apart.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from urllib.parse import urlparse

from tools.site import site_pages

TEXT_TYPES = ("html", "javascript", "css", "json", "svg", "csv", "text/plain", "xml")
EXPLORER = "book/scenario-explorer.html"
ALL_CHARTS_DRAWN = """() => [...document.querySelectorAll("div[id^='altair-viz-']")]
  .every(d => d.dataset.drawn === 'true' || d.querySelector('.error'))"""


def gzipped_size(body: bytes, content_type: str) -> int:
    if any(t in content_type for t in TEXT_TYPES):
        return len(gzip.compress(body, compresslevel=6, mtime=0))
    return len(body)


def transfer(browser, url: str, charts: bool = True) -> dict:
    """Requests, raw and gzip bytes of what the page at ``url`` loads from the local server
    (until the network is idle, and with ``charts`` until every chart is drawn)."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    row = {"requests": 0, "raw": 0, "gzip": 0, "blocked": 0, "largest": []}

    def on_response(response):
        if urlparse(response.url).hostname != "127.0.0.1":
            return
        try:
            body = response.body()
        except Exception:  # redirects have no body
            return
        kind = response.headers.get("content-type", "")
        row["requests"] += 1
        row["raw"] += len(body)
        size = gzipped_size(body, kind)
        row["gzip"] += size
        row["largest"].append((size, urlparse(response.url).path.rsplit("/", 1)[-1]))

    def on_route(route):
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            row["blocked"] += 1
            route.abort()

    page.on("response", on_response)
    page.route("**/*", on_route)
    # A measurement of everything a page loads: here (not in the tests) waiting for the network
    # to fall idle is the point.
    page.goto(url, wait_until="networkidle")
    if charts:
        # Charts are drawn lazily (near the viewport or when idle): wait for every chart so that
        # whatever they fetch is counted too.
        page.wait_for_function(ALL_CHARTS_DRAWN, timeout=30_000)
        page.wait_for_load_state("networkidle")
    context.close()
    row["largest"] = [
        f"{name} {size / 1024:.0f}" for size, name in sorted(row["largest"], reverse=True)[:4]
    ]
    return row


def page_weights(browser, base: str, site: Path) -> list[dict]:
    return [
        {"page": relative, **transfer(browser, base + relative)} for relative in site_pages(site)
    ]


def kb(n: float) -> str:
    return f"{n / 1024:8.0f}"


def print_weights(rows: list[dict], reference: dict) -> None:
    print(f"  {'page':<40}{'requests':>9}{'raw KB':>9}{'gzip KB':>9}  largest (gzip KB)")
    for row in rows:
        print(
            f"  {row['page']:<40}{row['requests']:9d}{kb(row['raw']):>9}{kb(row['gzip']):>9}  "
            + ", ".join(row["largest"])
            + (f"  [{row['blocked']} to other hosts]" if row["blocked"] else "")
        )
    print(
        f"  {reference['page']:<40}{reference['requests']:9d}{kb(reference['raw']):>9}"
        f"{kb(reference['gzip']):>9}"
        "  (its page and local files in chromium + vega, vega-lite, vega-embed from node_modules)"
    )
    chapters = [r for r in rows if re.match(r"book/\d\d-", r["page"])]
    if chapters:
        worst = max(chapters, key=lambda r: r["gzip"])
        print(
            f"  heaviest chapter: {worst['page']} {worst['gzip'] / 1024:.0f} KB gzip (goal <= 350), "
            f"{worst['gzip'] / reference['gzip']:.2f} x the stock page"
        )
    explorer = next((r for r in rows if r["page"] == EXPLORER), None)
    if explorer:
        print(f"  explorer: {explorer['gzip'] / 1024:.0f} KB gzip (goal <= 400)")
