"""Navigation start to first chart drawn, cold cache, on loopback and with chromium's CPU slowed
4x (CDP Emulation.setCPUThrottlingRate), for `make bench`. Two figures a page:

* on screen: the frame in which a chart's first mark is first painted (the first animation frame
  after a mark is in a chart's div): the build's picture of the page's first chart, or a live
  chart if one comes first;
* live: charts.js has drawn a chart (its performance mark ``tr-chart-drawn``): tooltips,
  controls and the tool line work from then on.

The requests are not routed through Playwright (a route handler delays each of them and turns
the cache off, which no reader's browser does); chromium reaches no other host anyway
(``tools.site.CHROMIUM_ARGS``)."""

from __future__ import annotations

import statistics

CHAPTER = "book/01-what-are-rare-earths.html"
EXPLORER = "book/scenario-explorer.html"
NAV_RUNS = 3

FIRST_CHART = """() => {
  window.__firstChart = null;
  let seen = false;
  const mark = () => document.querySelector("div[id^='altair-viz-'] svg .role-mark");
  new MutationObserver((_, observer) => {
    if (!seen && mark()) {
      seen = true;
      observer.disconnect();
      requestAnimationFrame(() => { window.__firstChart = performance.now(); });
    }
  }).observe(document, {subtree: true, childList: true});
}"""
LIVE = "() => performance.getEntriesByName('tr-chart-drawn').length > 0"


def first_chart_times(browser, url: str, throttle: float = 1) -> dict[str, list[float]]:
    """Seconds from navigation start to the first chart on screen and to the first chart live,
    cold cache, over ``NAV_RUNS`` loads."""
    times: dict[str, list[float]] = {"on screen": [], "live": []}
    for _ in range(NAV_RUNS):
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        page = context.new_page()
        page.add_init_script(f"({FIRST_CHART})()")
        if throttle != 1:
            context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": throttle})
        page.goto(url, wait_until="commit")
        page.wait_for_function("window.__firstChart !== null", timeout=60_000)
        page.wait_for_function(LIVE, timeout=60_000)
        times["on screen"].append(page.evaluate("window.__firstChart") / 1000)
        live = page.evaluate("performance.getEntriesByName('tr-chart-drawn')[0].startTime")
        times["live"].append(live / 1000)
        context.close()
    return times


def navigation_figures(browser, base: str) -> dict:
    figures = {}
    for label, relative in (("chapter 1", CHAPTER), ("explorer", EXPLORER)):
        for throttle in (1, 4):
            for what, times in first_chart_times(browser, base + relative, throttle).items():
                figures[f"{label}, {what}, CPU x{throttle}"] = {
                    "median": statistics.median(times),
                    "worst": max(times),
                }
    return figures
