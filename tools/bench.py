"""`make bench`: the speed and size figures of the site, printed (not asserted).

One run prints and saves (bench-results/bench.json), each figure measured by the module named:

- clean build time and unchanged-rebuild time (``bench_build``);
- for every page, what a browser transfers from the local server: requests, raw and gzip bytes
  (``bench_weights``), beside a stock Jupyter Book 1 page of the same stack with one Altair
  chart, built here (``bench_reference``);
- navigation start to first chart on screen (the build's picture of it) and to first chart live
  (drawn by charts.js), cold cache, on loopback and with the CPU slowed 4x (``bench_first_chart``);
- explorer: slider input to redrawn SVG and to the next frame, median and worst of 40 moves
  (``bench_slider``);
- the scenario model's speed (``bench_model``);
- the test suite's time and its 10 slowest tests (``bench_suite``): the last `make test`'s
  record, with its date, or measured now with BENCH_TESTS=1.

Environment: BENCH_BUILD=0 measures the site already in _build/html without building it;
BENCH_SITE=folder measures another built site (implies BENCH_BUILD=0); BENCH_TESTS=1 runs the
test suite too; BENCH_OUT=name.json saves under another name. Goals (issue 13): chapters
<= 350 KB gzip, explorer <= 400 KB, first chart <= 0.5 s on loopback, slider median <= 16 ms,
`make test` <= 5 min.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from tools import bench_suite
from tools.bench_build import build_times
from tools.bench_first_chart import NAV_RUNS, navigation_figures
from tools.bench_model import scenario_figures
from tools.bench_reference import reference_page
from tools.bench_slider import slider_latency
from tools.bench_weights import page_weights, print_weights
from tools.site import chromium, serve
from widgets.paths import ROOT

SITE = Path(os.environ.get("BENCH_SITE") or ROOT / "_build" / "html")


def browser_figures(figures: dict) -> None:
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
            "  (load average 1/5/15 min, the higher of before and after: "
            f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f})"
        )
        for name, value in figures["first chart (s)"].items():
            print(f"  {name:<34} {value['median']:6.2f} / {value['worst']:.2f}")
        print("\nExplorer slider, 40 moves (ms), median / worst:", flush=True)
        figures["slider"] = slider_latency(browser, base)
        for name, value in figures["slider"].items():
            print(f"  {name:<46} {value['median']:7.1f} / {value['worst']:.1f}")


def main() -> None:
    figures: dict = {
        "site": str(SITE.relative_to(ROOT)) if SITE.is_relative_to(ROOT) else SITE.name
    }
    if os.environ.get("BENCH_BUILD", "1") != "0" and "BENCH_SITE" not in os.environ:
        print("Building the site twice (clean, then unchanged)...", flush=True)
        figures["build"] = build_times()
        for name, seconds in figures["build"].items():
            print(f"  {name:<24} {seconds:6.1f}")
    browser_figures(figures)
    print("\nScenario model:")
    figures["scenario"] = scenario_figures()
    for name, value in figures["scenario"].items():
        print(f"  {name:<46} {value:8.2f}")
    fresh = os.environ.get("BENCH_TESTS") == "1"
    if fresh:
        print("\nRunning the test suite (BENCH_TESTS=1), as make test runs it...", flush=True)
        record = bench_suite.run_suite()
    else:
        record = bench_suite.last_record()
    print("\nTest suite:")
    print("  " + "\n  ".join(bench_suite.describe(record, fresh)))
    figures["test suite"] = record
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    name = os.environ.get("BENCH_OUT", "bench.json")
    (out / name).write_text(json.dumps(figures, indent=2) + "\n")
    print(f"\nFigures saved in {out / name}")


if __name__ == "__main__":
    main()
