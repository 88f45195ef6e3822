"""How students really read the published site, checked in Debian's chromium:

- from a USB stick or a downloaded copy (``file://``), with no server at all;
- from a project page of a static host, where the site lives under a sub-path (/terres-rares/):
  its root, the explorer and a chapter's link into it here, every page in test_site.py;
- on a phone (375 px wide): the page itself never scrolls sideways (charts and wide tables may
  scroll inside their own container); the rule is ``sideways()``, applied to every page in
  tests/browser/test_phone_pages.py;
- with the keyboard only: Tab reaches every control of the scenario explorer in reading order,
  and the chapter's sidebar links and search, each with a visible focus indicator;
- searching offline.

As in conftest.py, every request to another host is aborted and recorded, so each of these also
proves that the site needs no network. Here a response with an HTTP error status and a failed
``file://`` load count as problems too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser

from tools.site import SITE, site_pages, track_requests, wait_for_charts, wait_for_requests
from widgets import scenario as sc

from .conftest import SUB_PATH, Visit, is_local
from .test_explorer import assert_page_matches_model
from .vega import settle

PAGES = site_pages()
EXPLORER = "book/scenario-explorer.html"
CHAPTER = "book/02-china-supremacy.html"
PHONE = {"width": 375, "height": 812}
SEARCH_WORDS = "Mountain Pass"  # a mine named in CHAPTER

# Sphinx 7.4's search page fetch()es every result page to show a snippet under its title.
# Chromium forbids fetch() on file:// (CORS), so from file:// the list of results appears but
# without snippets, and per result two console errors and one uncaught rejection are logged.
# Served over http (any static host) none of them occurs (test_search_works_offline).
FILE_SEARCH_SNIPPET_ERRORS = (
    re.compile(
        r"Access to fetch at 'file://.+\.html' from origin 'null' has been blocked by CORS policy"
    ),
    re.compile(r"Failed to load resource: net::ERR_FAILED"),
)
FILE_SEARCH_SNIPPET_PAGE_ERRORS = (re.compile(r"^(TypeError: )?Failed to fetch$"),)


@dataclass
class Reading(Visit):
    """A Visit that also keeps every URL requested."""

    requests: list[str] = field(default_factory=list)


def read(browser: Browser, url: str, viewport=None) -> Reading:
    """Open a URL (http:// or file://) as conftest.open_visit does, stricter: HTTP errors and
    failed file loads are problems, and every request is recorded."""
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
    page = context.new_page()
    reading = Reading(page)
    page.on("request", lambda r: reading.requests.append(r.url))
    page.on(
        "request",
        lambda r: None if is_local(r.url) else reading.blocked_requests.append(r.url),
    )
    page.on(
        "console", lambda m: reading.console_errors.append(m.text) if m.type == "error" else None
    )
    page.on("pageerror", lambda e: reading.page_errors.append(str(e)))
    page.on(
        "requestfailed",
        lambda r: (
            reading.failed_requests.append(f"{r.url} ({r.failure})") if is_local(r.url) else None
        ),
    )
    page.on(
        "response",
        lambda r: (
            reading.failed_requests.append(f"{r.url} (HTTP {r.status})")
            if r.status >= 400
            else None
        ),
    )
    reading.pending = track_requests(page)
    page.goto(url, wait_until="load")
    wait_for_charts(page)
    wait_for_requests(page, reading.pending)
    return reading


@pytest.fixture
def reader(browser):
    opened: list[Reading] = []

    def _open(url: str, viewport=None) -> Reading:
        reading = read(browser, url, viewport)
        opened.append(reading)
        return reading

    yield _open
    for reading in opened:
        reading.page.context.close()


def file_url(relative: str) -> str:
    return (SITE / relative).as_uri()


def assert_charts_drawn(page, where: str) -> int:
    charts = page.locator("div[id^='altair-viz-']")
    for i in range(charts.count()):
        chart = charts.nth(i)
        assert chart.locator(".error").count() == 0, f"chart {i} on {where}: {chart.inner_text()}"
        assert chart.locator("svg g.role-mark > *").count() > 0, (
            f"chart {i} on {where} has no drawn marks"
        )
    return charts.count()


REFRESH = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]+)">')


def expected_charts(relative: str) -> int:
    """The charts of a page, or of the page its meta refresh leads to (the site's root
    index.html leads to the landing page, which shows a chart)."""
    text = (SITE / relative).read_text(encoding="utf-8")
    target = REFRESH.search(text)
    if target:
        return expected_charts((Path(relative).parent / target.group(1)).as_posix())
    return text.count('<div id="altair-viz-')


def test_the_pages_with_charts_are_known():
    """Guards the tests below against a site where no page has a chart any more."""
    assert expected_charts(CHAPTER) >= 1
    assert expected_charts(EXPLORER) >= 1


# ------------------------------------------------------------------------------------- file://
def test_opening_index_html_from_the_disk_leads_to_the_book(reader):
    reading = reader(file_url("index.html"))
    reading.page.wait_for_url(re.compile(r"/book/index\.html$"))
    assert reading.page.url == file_url("book/index.html")
    assert reading.problems() == []


@pytest.mark.parametrize("relative", PAGES)
def test_every_page_works_from_the_disk(reader, relative):
    reading = reader(file_url(relative))
    assert reading.problems() == [], f"{relative} from file://: {reading.problems()}"
    assert assert_charts_drawn(reading.page, relative) == expected_charts(relative)
    assert all(urlparse(u).scheme in ("file", "data", "blob") for u in reading.requests), (
        reading.requests
    )


def test_the_explorer_works_from_the_disk(reader):
    page = reader(file_url(EXPLORER) + "#preset=busan-suspension").page
    page.wait_for_selector(".scenario-explorer[data-ready=true]", timeout=20_000)
    settle(page)
    assert assert_page_matches_model(page) == sc.preset("Busan suspension")


# ------------------------------------------------------------------------------------ sub-path
def test_the_sub_path_root_leads_to_the_book(reader, subpath_url):
    reading = reader(subpath_url)
    reading.page.wait_for_url(re.compile(r"/book/index\.html$"))
    assert reading.page.url == subpath_url + "book/index.html"
    assert reading.problems() == []


# Every page under the sub-path: tests/browser/test_site.py opens each page there once, for its
# checks of what a page loads, its charts and its accessibility.


def test_the_explorer_works_under_a_sub_path(reader, subpath_url):
    reading = reader(subpath_url + EXPLORER)
    page = reading.page
    page.wait_for_selector(".scenario-explorer[data-ready=true]", timeout=20_000)
    settle(page)
    assert assert_page_matches_model(page) == sc.default_scenario()
    page.get_by_role("button", name="Busan suspension").click()
    settle(page)
    assert assert_page_matches_model(page) == sc.preset("Busan suspension")
    assert urlparse(page.url).path == f"/{SUB_PATH}/{EXPLORER}"
    assert reading.problems() == []


def test_a_chapter_link_into_the_explorer_works_under_a_sub_path(reader, subpath_url):
    page = reader(subpath_url + CHAPTER).page
    links = page.locator("a[href*='scenario-explorer.html#preset=']")
    if links.count() == 0:  # chapters add these links as they are written
        links = reader(subpath_url + EXPLORER).page.locator(
            "a[href*='scenario-explorer.html#preset=']"
        )
    assert links.count() > 0, "no link to a preset of the explorer anywhere to follow"
    link = links.first
    slug = link.get_attribute("href").split("#preset=")[1]
    link.evaluate(
        "a => { const d = a.closest('details'); if (d) d.open = true; }"
    )  # as a reader opens it
    link.click()
    page = link.page
    page.wait_for_selector(".scenario-explorer[data-ready=true]", timeout=20_000)
    settle(page)
    assert urlparse(page.url).path == f"/{SUB_PATH}/{EXPLORER}"
    name = next(
        n for n in sc.preset_names() if re.sub(r"[^a-z0-9]+", "-", n.lower()).strip("-") == slug
    )
    assert assert_page_matches_model(page) == sc.preset(name)


# --------------------------------------------------------------------------------- small screen
PAGE_WIDTH = "() => document.documentElement.scrollWidth"
# Elements that stick out of the viewport without a scrolling (or clipping) ancestor: the culprits.
STICKING_OUT = """width => {
  const clipped = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX !== 'visible' || s.position === 'fixed') return true; }
    return false; };
  return [...document.body.querySelectorAll('*')]
    .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > width + 1 && !clipped(e))
    .slice(0, 8).map(e => `${e.tagName.toLowerCase()}.${String(e.className).trim().replace(/\\s+/g, '.')}`
                          + ` (right edge ${Math.round(e.getBoundingClientRect().right)} px)`);
}"""


def sideways(page, viewport: dict) -> str | None:
    """What makes ``page`` wider than its viewport (the culprits), or None when it is not: the
    rule of the phone checks in tests/browser/test_phone_pages.py."""
    width = page.evaluate(PAGE_WIDTH)
    if width <= viewport["width"] + 1:
        return None
    return f"{width} px wide at {viewport['width']} px: {page.evaluate(STICKING_OUT, viewport['width'])}"


def test_on_a_phone_charts_scroll_inside_their_own_box(visit):
    page = visit(CHAPTER, viewport=PHONE).page
    boxes = page.eval_on_selector_all(
        ".vega-embed",
        "els => els.map(e => [getComputedStyle(e).overflowX, e.getBoundingClientRect().right])",
    )
    assert boxes
    for overflow, right in boxes:
        assert overflow in ("auto", "scroll") and right <= PHONE["width"] + 1, boxes


# ------------------------------------------------------------------------------------ keyboard
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const visible = c => !!c && c !== 'transparent' && !/rgba\\([^)]*,\\s*0(\\.0+)?\\)/.test(c);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && visible(s.outlineColor);
  const shadows = s.boxShadow === 'none' ? [] : s.boxShadow.split(/,(?![^(]*\\))/);
  const shadow = shadows.some(sh => visible((sh.match(/rgba?\\([^)]*\\)/) || [''])[0])
                                   && (sh.match(/-?[\\d.]+px/g) || []).some(v => parseFloat(v) !== 0));
  const again = e.dataset.tabSeen === '1';
  e.dataset.tabSeen = '1';
  const r = e.getBoundingClientRect();
  return {again, key: e.dataset.focusKey || '', tag: e.tagName.toLowerCase(), name: e.getAttribute('name') || '',
          text: (e.getAttribute('aria-label') || e.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 50),
          indicator: outline || shadow, top: r.top + window.scrollY, left: r.left};
}"""


def tab_through(page, presses: int = 250) -> list[dict]:
    """Press Tab from the top of the page until focus comes back to the start (or `presses`)."""
    page.evaluate(
        "() => { document.activeElement?.blur(); window.scrollTo(0, 0);"
        " document.querySelectorAll('[data-tab-seen]').forEach(e => delete e.dataset.tabSeen); }"
    )
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or focused["again"]:
            break
        seen.append(focused)
    return seen


def mark_focusable(page, selector: str) -> list[str]:
    """Give each element matched a data-focus-key; return the keys in document order."""
    return page.evaluate(
        """selector => [...document.querySelectorAll(selector)]
        .filter(e => e.getClientRects().length)
        .map(e => e.dataset.focusKey = e.dataset.focusKey
             || `k${window.__focusKeys = (window.__focusKeys || 0) + 1}-${e.tagName}-${e.name || ''}`)""",
        selector,
    )


def test_tab_reaches_every_explorer_control_in_reading_order_with_a_visible_focus(visit):
    page = visit(EXPLORER).page
    page.wait_for_selector(".scenario-explorer[data-ready=true]", timeout=20_000)
    controls = mark_focusable(
        page,
        ".scenario-explorer button, .scenario-explorer select,"
        " .scenario-explorer input, .scenario-explorer textarea",
    )
    names = page.eval_on_selector_all(
        ".scenario-explorer .vega-bind [name]", "els => els.map(e => e.name)"
    )
    assert len(page.locator(".scenario-explorer .explorer-preset").all()) == len(sc.preset_names())
    assert set(names) == set(sc.PARAMETERS), (
        "the explorer does not show a control for every parameter"
    )

    # the explorer's body has two columns on a wide page: its side (the controls and their
    # tools) is read first, top to bottom, then its main part (the charts and their tools)
    main = set(
        mark_focusable(page, ".explorer-main button, .explorer-main select, .explorer-main input")
    )
    # Where a control sits on the page, not where the sticky side has scrolled it to: the side
    # sticks under the header and scrolls inside itself, which moves its controls as Tab goes.
    page.add_style_tag(
        content=".explorer-side { position: static !important; max-height: none !important;"
        " overflow: visible !important; }"
    )
    reached = [f for f in tab_through(page) if f["key"] in controls]
    assert [f["key"] for f in reached] == controls, (
        "Tab skips a control or reaches them out of document order"
    )
    buttons = [f["text"] for f in reached if f["tag"] == "button" and f["key"] not in main]
    assert buttons[: len(sc.preset_names())] == sc.preset_names()
    assert {"Pin this scenario", "Reset", "Copy link", "Download CSV"} <= set(buttons), buttons
    no_indicator = [f"{f['tag']} {f['name'] or f['text']}" for f in reached if not f["indicator"]]
    assert no_indicator == [], f"focused with no visible outline or shadow: {no_indicator}"
    side = [f for f in reached if f["key"] not in main]
    assert reached[: len(side)] == side, "a control of the charts comes before the side's"
    # Reading order in each column: the same row further right, or a lower row.
    for column in (side, [f for f in reached if f["key"] in main]):
        for before, after in pairwise(column):
            same_row = abs(after["top"] - before["top"]) < 8
            assert (same_row and after["left"] > before["left"]) or (
                not same_row and after["top"] > before["top"]
            ), (
                f"Tab goes from {before['name'] or before['text']} to "
                f"{after['name'] or after['text']}, against the reading order"
            )


def test_tab_reaches_the_sidebar_links_and_the_search_on_a_chapter(visit):
    page = visit(CHAPTER).page
    sidebar = mark_focusable(page, ".bd-sidebar-primary nav a")
    search = mark_focusable(
        page, "button.search-button-field, .bd-sidebar-primary input[type=search]"
    )
    assert len(sidebar) >= 10 and search, (sidebar, search)
    reached = tab_through(page)
    keys = [f["key"] for f in reached]
    assert [k for k in keys if k in sidebar] == sidebar, (
        "Tab does not reach every sidebar link, in order"
    )
    assert set(search) & set(keys), "Tab never reaches the search"
    no_indicator = [
        f"{f['tag']} {f['text']}"
        for f in reached
        if f["key"] in sidebar + search and not f["indicator"]
    ]
    assert no_indicator == [], f"focused with no visible outline or shadow: {no_indicator}"


@pytest.mark.parametrize("relative", [CHAPTER, EXPLORER])
def test_everything_tab_reaches_shows_where_the_focus_is(visit, relative):
    page = visit(relative).page
    mark_focusable(page, "a[href], button, input, select, textarea, summary, [tabindex]")
    no_indicator = sorted(
        {f"{f['tag']} '{f['text']}'" for f in tab_through(page) if not f["indicator"]}
    )
    assert no_indicator == [], f"focused with no visible outline or shadow: {no_indicator}"


def test_the_search_can_be_used_from_the_keyboard(visit):
    page = visit(CHAPTER).page
    search = mark_focusable(page, "button.search-button-field")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.dataset.focusKey || ''") in search:
            break
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.matches('input[type=search]')")
    page.keyboard.type(SEARCH_WORDS)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\.html\?q=Mountain"))
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=10_000)
    assert any(
        href.endswith(CHAPTER.split("/")[-1])
        for href in results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    )


# -------------------------------------------------------------------------------------- search
def search_results(reading: Reading) -> list[str]:
    page = reading.page
    page.locator("#search-results .search-summary").wait_for(timeout=10_000)
    # Sphinx has fetched every result page for its snippet: wait until those requests are done
    # and each result whose page loaded shows its snippet (from the disk the fetches fail).
    wait_for_requests(page, reading.pending)
    failed = [u.rsplit(" (", 1)[0] for u in reading.failed_requests]
    page.wait_for_function(
        """failed => {
          const page = (url) => url.split('#')[0].split('?')[0];
          const lost = new Set(failed.map(page));
          return [...document.querySelectorAll('#search-results ul.search li')].every(li =>
            li.querySelector('p.context') || lost.has(page(li.querySelector('a').href)));
        }""",
        arg=failed,
        timeout=15_000,
    )
    return page.locator("#search-results ul.search li a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )


def test_search_works_offline(visit):
    reading = visit("search.html?q=" + SEARCH_WORDS.replace(" ", "+"))
    results = search_results(reading)
    assert CHAPTER in results, results
    snippets = reading.page.locator("#search-results ul.search li p.context")
    assert snippets.count() >= 1 and SEARCH_WORDS in snippets.first.inner_text()
    assert reading.problems() == [], reading.problems()


def test_search_finds_nothing_for_a_word_no_page_has(visit):
    reading = visit("search.html?q=zzqxjunkword")
    assert search_results(reading) == []
    assert reading.problems() == []


def test_search_works_from_the_disk(reader):
    reading = reader(file_url("search.html") + "?q=" + SEARCH_WORDS.replace(" ", "+"))
    results = search_results(reading)
    assert CHAPTER in results, results
    unexpected = [
        e
        for e in reading.console_errors
        if not any(p.search(e) for p in FILE_SEARCH_SNIPPET_ERRORS)
    ] + [
        e
        for e in reading.page_errors
        if not any(p.search(e) for p in FILE_SEARCH_SNIPPET_PAGE_ERRORS)
    ]
    assert unexpected == [], unexpected
    assert reading.blocked_requests == []
    assert all(re.match(r"file://.+\.html \(", u) for u in reading.failed_requests), (
        reading.failed_requests
    )
