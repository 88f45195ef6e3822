"""`make bench`: the speed and size figures of the site, printed (not asserted).

One run prints and saves (bench-results/bench.json):

- clean build time (no cache, no previous HTML) and unchanged-rebuild time;
- for every page, what a browser transfers from the local server: request count, raw bytes and
  gzip bytes. "gzip" is each response body compressed with gzip level 6 when it is text (HTML,
  JS, CSS, JSON, SVG, CSV), as a static host with compression serves it; fonts and images count
  as they are. Headers are not counted;
- the same figures for a stock Jupyter Book 1 page of the same stack with one Altair chart (a
  mini-book built here in a temporary folder, see `reference_page`);
- navigation start to first chart drawn (first mark in a chart's SVG), cold cache, on loopback
  and with chromium's CPU slowed 4x (CDP Emulation.setCPUThrottlingRate);
- explorer: slider input to redrawn SVG and to the next frame, median and worst over 40 moves;
- the scenario model's speed;
- with BENCH_TESTS=1, the test-suite time and its 10 slowest tests.

Environment: BENCH_BUILD=0 measures the site already in _build/html without building it;
BENCH_SITE=folder measures another built site (implies BENCH_BUILD=0); BENCH_TESTS=1 runs the
test suite too. Goals (issue 13): chapters <= 350 KB gzip, explorer <= 400 KB, first chart
<= 0.5 s on loopback, slider median <= 16 ms.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: the project root

from tools.site import site_pages
from widgets.paths import ROOT

VENV_BIN = Path(sys.executable).parent
BUILD_CMD = [
    str(VENV_BIN / "jupyter-book"),
    "build",
    ".",
    "--builder",
    "html",
    "-W",
    "-n",
    "--keep-going",
]
SITE = Path(os.environ.get("BENCH_SITE") or ROOT / "_build" / "html")
TEXT_TYPES = ("html", "javascript", "css", "json", "svg", "csv", "text/plain", "xml")
CHAPTER = "book/01-what-are-rare-earths.html"
EXPLORER = "book/scenario-explorer.html"
NAV_RUNS = 3


def timed(cmd: list[str], cwd: Path = ROOT) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def build_times() -> dict[str, float]:
    for folder in ("_build/html", "_build/.doctrees", "_build/.jupyter_cache"):
        shutil.rmtree(ROOT / folder, ignore_errors=True)
    clean = timed(BUILD_CMD)
    rebuild = timed(BUILD_CMD)
    return {"clean build (s)": clean, "unchanged rebuild (s)": rebuild}


# ------------------------------------------------------------------------------- page weights
def gzipped_size(body: bytes, content_type: str) -> int:
    if any(t in content_type for t in TEXT_TYPES):
        return len(gzip.compress(body, compresslevel=6, mtime=0))
    return len(body)


def transfer(browser, url: str, charts: bool = True) -> dict:
    """Requests, raw and gzip bytes of what the page at ``url`` loads from the local server
    (until the network is idle, and with ``charts`` until every chart is drawn); requests to
    other hosts are aborted and counted apart."""
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
    page.goto(url, wait_until="networkidle")
    if charts:
        # Charts are drawn lazily (near the viewport or when idle): wait for every chart so that
        # whatever they fetch is counted too.
        page.wait_for_function(
            """() => [...document.querySelectorAll("div[id^='altair-viz-']")]
            .every(d => d.querySelector('svg .role-mark, canvas, .error'))""",
            timeout=30_000,
        )
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


# ---------------------------------------------------------------------------- reference page
REFERENCE_NOTEBOOK = textwrap.dedent("""\
    ---
    jupytext:
      text_representation:
        format_name: myst
    kernelspec:
      display_name: Python 3
      language: python
      name: python3
    ---
    # One chart

    A stock Jupyter Book page with one Altair chart.

    ```{code-cell} ipython3
    import altair as alt
    import pandas as pd

    table = pd.DataFrame({"country": ["China", "United States", "Australia"], "tonnes": [240000, 43000, 21000]})
    alt.Chart(table).mark_bar().encode(x="tonnes:Q", y="country:N", tooltip=["country", "tonnes"])
    ```
    """)

# What Altair's default renderer loads from jsdelivr, counted with the same versions' files from
# node_modules (what the CDN serves for these URLs is the package's minified UMD build).
CDN_EQUIVALENTS = {
    "vega": "vega/build/vega.min.js",
    "vega-lite": "vega-lite/build/vega-lite.min.js",
    "vega-embed": "vega-embed/build/vega-embed.min.js",
}


def build_reference(folder: Path) -> Path:
    """A stock Jupyter Book 1 (same venv, default theme, default Altair renderer) with one page."""
    (folder / "_config.yml").write_text(
        textwrap.dedent("""\
        title: Reference
        execute:
          execute_notebooks: force
        """)
    )
    (folder / "_toc.yml").write_text("format: jb-book\nroot: index\n")
    (folder / "index.md").write_text(REFERENCE_NOTEBOOK)
    subprocess.run(
        [str(VENV_BIN / "jupyter-book"), "build", ".", "--builder", "html"],
        cwd=folder,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return folder / "_build" / "html"


def reference_page(browser) -> dict:
    """Figures of the stock page: what it loads from its own site (measured in chromium, other
    hosts aborted), plus the three CDN scripts of Altair's loader counted from node_modules (the
    loader requests vega, then vega-lite, then vega-embed; offline only the first request is
    made and fails, so they are added by hand)."""
    from tools.site import serve

    with tempfile.TemporaryDirectory(prefix="bench-reference-") as tmp:
        site = build_reference(Path(tmp))
        with serve(site) as base:
            row = transfer(
                browser, base + "index.html", charts=False
            )  # its chart cannot draw offline
    for path in CDN_EQUIVALENTS.values():
        body = (ROOT / "node_modules" / path).read_bytes()
        row["requests"] += 1
        row["raw"] += len(body)
        row["gzip"] += gzipped_size(body, "javascript")
    row["page"] = "stock Jupyter Book page, 1 Altair chart"
    return row


# ------------------------------------------------------------------------ first chart drawn
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


# --------------------------------------------------------------------------- explorer slider
LATENCY_SCRIPT = """async ([name, low, high, moves]) => {
  const root = document.querySelector('.scenario-explorer');
  const input = root.querySelector(`.vega-bind [name="${name}"]`);
  const svg = root.querySelector('svg');
  const toRender = [], toFrame = [];
  for (let i = 0; i < moves; i++) {
    const drawn = new Promise(resolve => {
      const observer = new MutationObserver(() => {
        observer.disconnect();
        const rendered = performance.now();
        requestAnimationFrame(() => resolve([rendered, performance.now()]));
      });
      observer.observe(svg, {subtree: true, childList: true, attributes: true, characterData: true});
    });
    const start = performance.now();
    input.value = String(low + (high - low) * ((i * 7) % 40) / 39);
    input.dispatchEvent(new Event('input', {bubbles: true}));
    const [rendered, frame] = await drawn;
    toRender.push(rendered - start);
    toFrame.push(frame - start);
  }
  return [toRender, toFrame];
}"""


def slider_latency(browser, base: str) -> dict:
    """Times (ms) from a slider's input event to Vega's first change of the SVG, and to the frame
    after it, over 40 moves to different values (headless chromium: frames every ~16.7 ms)."""
    page = browser.new_page()
    page.goto(base + EXPLORER)
    page.wait_for_selector(".scenario-explorer[data-ready=true]")
    page.wait_for_function("document.querySelector('.scenario-explorer svg .role-mark') !== null")
    to_render, to_frame = page.evaluate(LATENCY_SCRIPT, ["stockpile_days", 0, 180, 40])
    page.close()
    return {
        "input to SVG redrawn (ms)": {
            "median": statistics.median(to_render),
            "worst": max(to_render),
        },
        "input to next frame (ms; goal median <= 16)": {
            "median": statistics.median(to_frame),
            "worst": max(to_frame),
        },
    }


# ------------------------------------------------------------------------------- model, tests
def best_of(function, repeat: int = 7, number: int = 1) -> float:
    """Best wall time of ``number`` calls, over ``repeat`` tries (seconds per call)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            function()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def scenario_figures() -> dict[str, float]:
    import numpy as np

    from widgets import scenario as sc

    one = sc.default_scenario().with_changes(horizon_months=36)
    sweep_ranges = {
        "stockpile_days": np.linspace(0, 365, 100),
        "approval_rate": np.linspace(0, 1, 100),
    }
    sc.sweep(one, **sweep_ranges)  # warm up
    return {
        "simulate(), 36 months (ms; goal < 1)": best_of(lambda: sc.simulate(one), number=50) * 1e3,
        "sweep of 10 000 scenarios (ms; goal < 1000)": best_of(
            lambda: sc.sweep(one, **sweep_ranges), repeat=3
        )
        * 1e3,
    }


def test_suite() -> dict:
    start = time.perf_counter()
    result = subprocess.run(
        [
            str(VENV_BIN / "pytest"),
            "-q",
            "-p",
            "no:randomly",
            "--durations=10",
            "--nbval-lax",
            "tests",
            "book",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    slowest = re.findall(r"^(\d+\.\d+)s (call|setup|teardown)\s+(\S+)", result.stdout, re.M)
    return {
        "seconds": seconds,
        "exit code": result.returncode,
        "slowest": [f"{float(s):7.1f} s  {phase:<8} {name}" for s, phase, name in slowest[:10]],
    }


# -------------------------------------------------------------------------------------- main
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
        f"  {reference['page']:<40}{reference['requests']:9d}{kb(reference['raw']):>9}{kb(reference['gzip']):>9}"
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


def main() -> None:
    from tools.site import chromium, serve

    figures: dict = {
        "site": str(SITE.relative_to(ROOT)) if SITE.is_relative_to(ROOT) else SITE.name
    }
    if os.environ.get("BENCH_BUILD", "1") != "0" and "BENCH_SITE" not in os.environ:
        print("Building the site twice (clean, then unchanged)...", flush=True)
        figures["build"] = build_times()
        for name, seconds in figures["build"].items():
            print(f"  {name:<24} {seconds:6.1f}")
    with serve(SITE) as base, chromium() as browser:
        print("\nWhat a browser transfers per page (bodies; gzip level 6 for text):", flush=True)
        figures["pages"] = page_weights(browser, base, SITE)
        figures["reference"] = reference_page(browser)
        print_weights(figures["pages"], figures["reference"])
        print(
            "\nNavigation start to first chart drawn, cold cache (s), median / worst of "
            f"{NAV_RUNS} (goal <= 0.5 on loopback):",
            flush=True,
        )
        load = os.getloadavg()
        figures["first chart (s)"] = navigation_figures(browser, base)
        load = [max(a, b) for a, b in zip(load, os.getloadavg(), strict=True)]
        figures["load average"] = load
        print(
            f"  (load average 1/5/15 min, the higher of before and after: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f})"
        )
        for name, value in figures["first chart (s)"].items():
            print(f"  {name:<24} {value['median']:6.2f} / {value['worst']:.2f}")
        print("\nExplorer slider, 40 moves (ms), median / worst:", flush=True)
        figures["slider"] = slider_latency(browser, base)
        for name, value in figures["slider"].items():
            print(f"  {name:<46} {value['median']:7.1f} / {value['worst']:.1f}")
    print("\nScenario model:")
    figures["scenario"] = scenario_figures()
    for name, value in figures["scenario"].items():
        print(f"  {name:<46} {value:8.2f}")
    if os.environ.get("BENCH_TESTS") == "1":
        print("\nRunning the test suite (BENCH_TESTS=1)...", flush=True)
        figures["test suite"] = test_suite()
        print(
            f"  test suite: {figures['test suite']['seconds']:.0f} s (exit code {figures['test suite']['exit code']})"
        )
        print("  slowest 10:\n    " + "\n    ".join(figures["test suite"]["slowest"]))
    else:
        print(
            "\nTest suite not timed (set BENCH_TESTS=1 to time it and list the 10 slowest tests)."
        )
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    name = os.environ.get("BENCH_OUT", "bench.json")
    (out / name).write_text(json.dumps(figures, indent=2) + "\n")
    print(f"\nFigures saved in {out / name}")


if __name__ == "__main__":
    main()
