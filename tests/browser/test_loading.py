"""How a chapter loads: nothing but the page's own settings blocks the parser, the first chart is
on the page as a picture before any script has run, and the charts draw whatever order the Vega
runtime and charts.js arrive in (both load async, in parallel, so charts.js may run before the
library it draws with, or mid-parse); vega-tooltip, which needs Vega to have run, comes after
and only adds the hover tooltips."""

from __future__ import annotations

import re

import pytest

from tools.site import wait_for_charts
from widgets import scenario as sc
from widgets.explorer import preset_slug

from .pages import CH1, CH2

# The one file script allowed to block the parser in <head>: the settings the inline scripts
# after it extend (book/_ext/terres_rares_site.py, RUN_IN_PLACE).
RUN_IN_PLACE = ("documentation_options.js",)
CHART_SCRIPTS = ("vendor/vega/vega.min.js", "charts.js")


def head_scripts(page) -> list[dict]:
    return page.evaluate(
        """() => [...document.head.querySelectorAll('script[src]')].map(s => ({
             src: s.getAttribute('src'), async: s.async, defer: s.defer, priority: s.fetchPriority}))"""
    )


@pytest.mark.parametrize("relative", [CH1, CH2, "book/index.html"])
def test_only_the_documentation_options_block_the_parser(shared_visit, relative):
    page = shared_visit(relative).page
    blocking = [
        s["src"]
        for s in head_scripts(page)
        if not (s["async"] or s["defer"]) and not s["src"].split("?")[0].endswith(RUN_IN_PLACE)
    ]
    assert blocking == []


def test_chart_scripts_load_async_and_in_parallel(shared_visit):
    page = shared_visit(CH1).page  # read only: the page the test above opened
    scripts = {s["src"].split("_static/")[-1].split("?")[0]: s for s in head_scripts(page)}
    for name in CHART_SCRIPTS:
        assert name in scripts, f"{name} is not loaded by {CH1}"
        assert scripts[name]["async"], f"{name} is not async"
        # fetched before the theme's deferred and preloaded scripts, which the charts do not need
        assert scripts[name]["priority"] == "high", f"{name} is not fetched first"


def _hold(page, pattern: str) -> list:
    """Requests matching ``pattern`` wait in the returned list until the test lets them go."""
    held = []
    page.route(re.compile(pattern), lambda route: held.append(route))
    return held


def _open_holding(browser, site_url, pattern: str, relative: str = CH1):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    held = _hold(page, pattern)
    page.goto(site_url + relative, wait_until="domcontentloaded")
    return context, page, held, errors


def test_charts_draw_when_vega_arrives_after_charts_js(browser, site_url):
    context, page, held, errors = _open_holding(browser, site_url, r"/vendor/vega/vega\.min\.js")
    try:
        # charts.js has run (it marks the page) while Vega is still held back.
        page.wait_for_function("document.documentElement.dataset.trCharts === 'on'")
        assert len(held) == 1
        charts = page.locator("div[id^='altair-viz-']")
        assert page.locator("div[id^='altair-viz-'][data-drawn]").count() == 0
        # meanwhile the reader sees the first chart: the build's picture of it, and of no other
        assert charts.first.locator(":scope > .tr-chart-picture svg g.role-mark > *").count() > 0
        assert page.locator(".tr-chart-picture").count() == 1
        assert charts.first.locator(":scope > svg").count() == 0
        held[0].continue_()
        assert wait_for_charts(page) > 0
        assert page.locator("div[id^='altair-viz-'] .error").count() == 0
        # the live chart has taken the picture's place: one SVG, with the marks' names
        assert page.locator(".tr-chart-picture").count() == 0
        assert (
            charts.first.locator("svg").count() == charts.first.locator(":scope > svg").count() == 1
        )
        assert charts.first.locator("svg g.role-mark path[aria-label]").count() > 0
        assert errors == []
    finally:
        context.close()


@pytest.mark.parametrize(
    "fragment", ["", "#the-explorer", "#preset=" + preset_slug(sc.preset_names()[0])]
)
def test_the_explorers_picture_shows_only_the_scenario_the_page_opens_on(
    browser, site_url, fragment
):
    """The picture and the sentence the page is built with are of the default scenario: they stand
    in for the live explorer on the page itself and after an ordinary anchor, not on a link to
    another scenario, which says it is loading until the live chart has read it."""
    explorer = "book/scenario-explorer.html" + fragment
    context, page, held, errors = _open_holding(
        browser, site_url, r"/vendor/vega/vega\.min\.js", explorer
    )
    try:
        page.wait_for_function("document.documentElement.dataset.trCharts === 'on'")
        page.locator(".scenario-explorer").wait_for(state="attached")
        pictures = page.locator(".scenario-explorer .tr-chart-picture").count()
        sentence = page.locator(".scenario-explorer .explorer-sentence").text_content()
        default = sc.default_scenario()
        if "=" in fragment:  # neither the picture nor Python's sentence: both are of the default
            assert pictures == 0 and sentence == "Loading the scenario of the link…"
        else:
            assert pictures == 1 and sentence == sc.describe(sc.summarize(default), default)
        held[0].continue_()
        page.wait_for_selector(".scenario-explorer[data-ready=true]")
        shown = page.locator(".scenario-explorer .explorer-sentence").text_content()
        assert shown != "Loading the scenario of the link…"
        assert errors == []
    finally:
        context.close()


def test_charts_draw_without_waiting_for_tooltips_which_come_after(browser, site_url):
    context, page, held, errors = _open_holding(browser, site_url, r"/vega-tooltip/", CH2)
    try:
        assert wait_for_charts(page) > 0  # drawn while vega-tooltip is held back
        assert len(held) == 1
        held[0].continue_()
        page.wait_for_function("!!window.vegaTooltip")
        world_2010 = "svg g.role-mark path[aria-label^='Year: 2010;'][aria-label*='Series: World;']"
        page.locator(world_2010).first.hover(force=True)
        page.locator("#vg-tooltip-element").wait_for(state="visible", timeout=5000)
        assert errors == []
    finally:
        context.close()


def test_the_browser_reaches_no_other_host_and_the_visit_records_the_attempt(visit):
    """What the offline claims of the other tests rest on: a request to another host (named or
    by address) fails in the tests' chromium and is recorded on the visit, the page's own do not."""
    seen = visit(CH1)
    assert seen.blocked_requests == []
    outcome = seen.page.evaluate(
        """async (urls) => Promise.all(urls.map((url) => fetch(url, {mode: 'no-cors'})
             .then(() => 'answered', () => 'failed')))""",
        ["https://example.org/vega.js", "http://93.184.215.14/"],
    )
    assert outcome == ["failed", "failed"]
    assert seen.blocked_requests == ["https://example.org/vega.js", "http://93.184.215.14/"]
    assert seen.page.evaluate("fetch('../_static/site.css').then(r => r.status)") == 200


def test_a_page_opens_no_web_page_of_the_browser_window_beside_it(browser, site_url):
    """The browser window's own pages (the address bar's popups) are not loaded beside each
    page opened (tools/site.py BROWSER_UI_FEATURES): the browser holds the page and its tab."""
    context = browser.new_context()
    try:
        context.new_page().goto(site_url + CH1, wait_until="load")
        session = browser.new_browser_cdp_session()
        targets = session.send("Target.getTargets", {"filter": [{}]})["targetInfos"]
        session.detach()
        assert [t["url"] for t in targets if t["url"].startswith("chrome:")] == []
        assert {t["type"] for t in targets} >= {"page"}
    finally:
        context.close()
