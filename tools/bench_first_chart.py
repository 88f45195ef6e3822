"""Navigation start to first chart drawn (first mark in a chart's SVG), cold cache, on loopback
and with chromium's CPU slowed 4x (CDP Emulation.setCPUThrottlingRate), for `make bench`."""

from __future__ import annotations

import statistics
from urllib.parse import urlparse

CHAPTER = "book/01-what-are-rare-earths.html"
EXPLORER = "book/scenario-explorer.html"
NAV_RUNS = 3

FIRST_CHART = """() => {
  window.__firstChart = null;
  const seen = () => document.querySelector("div[id^='altair-viz-'] svg .role-mark");
  new MutationObserver((_, observer) => {
    if (window.__firstChart === null && seen()) {
      window.__firstChart = performance.now();
      observer.disconnect();
    }
  }).observe(document, {subtree: true, childList: true});
}"""


def first_chart_times(browser, url: str, throttle: float = 1) -> list[float]:
    """Seconds from navigation start to the first mark of a chart in the SVG, cold cache."""
    times = []
    for _ in range(NAV_RUNS):
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        page = context.new_page()
        page.route(
            "**/*",
            lambda r: (
                r.continue_() if urlparse(r.request.url).hostname == "127.0.0.1" else r.abort()
            ),
        )
        page.add_init_script(f"({FIRST_CHART})()")
        if throttle != 1:
            context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": throttle})
        page.goto(url, wait_until="commit")
        page.wait_for_function("window.__firstChart !== null", timeout=60_000)
        times.append(page.evaluate("window.__firstChart") / 1000)
        context.close()
    return times


def navigation_figures(browser, base: str) -> dict:
    figures = {}
    for label, relative in (("chapter 1", CHAPTER), ("explorer", EXPLORER)):
        for throttle in (1, 4):
            times = first_chart_times(browser, base + relative, throttle)
            figures[f"{label}, CPU x{throttle}"] = {
                "median": statistics.median(times),
                "worst": max(times),
            }
    return figures
