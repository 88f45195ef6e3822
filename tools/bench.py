"""`make bench`: the speed and size figures of the site, printed (not asserted).

- clean build time (no cache, no previous HTML) and unchanged-rebuild time;
- for every page, the bytes a browser loads: HTML, JS, CSS, fonts, data, other, total
  (measured in Debian's chromium from the responses of the local server);
- the test-suite time (`pytest --nbval-lax tests book`).
Goals kept by later chapters: clean build under 45 s on 2 cores, unchanged rebuild under 10 s.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent
BUILD_CMD = [str(VENV_BIN / "jupyter-book"), "build", ".", "--builder", "html", "-W", "-n", "--keep-going"]


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def build_times() -> dict[str, float]:
    for folder in ("_build/html", "_build/.doctrees", "_build/.jupyter_cache"):
        shutil.rmtree(ROOT / folder, ignore_errors=True)
    clean = timed(BUILD_CMD)
    rebuild = timed(BUILD_CMD)
    return {"clean build (s)": clean, "unchanged rebuild (s)": rebuild}


def kind_of(url: str, content_type: str) -> str:
    path = urlparse(url).path
    if "html" in content_type or path.endswith(".html"):
        return "html"
    if "javascript" in content_type or path.endswith(".js"):
        return "js"
    if "css" in content_type or path.endswith(".css"):
        return "css"
    if "font" in content_type or path.endswith((".woff", ".woff2", ".ttf")):
        return "fonts"
    if "json" in content_type or path.endswith((".json", ".csv")):
        return "data"
    return "other"


def page_weights() -> list[dict]:
    from tools.site import site_pages
    from tools.site import chromium, serve

    rows = []
    with serve() as base, chromium() as browser:
        for relative in site_pages():
            context = browser.new_context()
            page = context.new_page()
            sizes: dict[str, int] = defaultdict(int)

            def on_response(response, sizes=sizes):
                if urlparse(response.url).hostname != "127.0.0.1":
                    return
                try:
                    body = response.body()
                except Exception:  # redirects have no body
                    return
                sizes[kind_of(response.url, response.headers.get("content-type", ""))] += len(body)

            page.on("response", on_response)
            page.route("**/*", lambda r: r.continue_() if urlparse(r.request.url).hostname == "127.0.0.1" else r.abort())
            page.goto(base + relative, wait_until="networkidle")
            row = {"page": relative, **{k: sizes.get(k, 0) for k in ("html", "js", "css", "fonts", "data", "other")}}
            row["total"] = sum(sizes.values())
            rows.append(row)
            context.close()
    return rows


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
    sweep_ranges = {"stockpile_days": np.linspace(0, 365, 100), "approval_rate": np.linspace(0, 1, 100)}
    sc.sweep(one, **sweep_ranges)  # warm up
    return {
        "simulate(), 36 months (ms; goal < 1)": best_of(lambda: sc.simulate(one), number=50) * 1e3,
        "sweep of 10 000 scenarios (ms; goal < 1000)": best_of(lambda: sc.sweep(one, **sweep_ranges), repeat=3) * 1e3,
    }


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
    input.value = String(i % 2 ? low : high);
    input.dispatchEvent(new Event('input', {bubbles: true}));
    const [rendered, frame] = await drawn;
    toRender.push(rendered - start);
    toFrame.push(frame - start);
  }
  const median = xs => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return [median(toRender), median(toFrame)];
}"""


def slider_latency() -> tuple[float, float]:
    """Median times (ms) from a slider's input event to Vega's first change of the SVG, and to
    the frame after it (headless chromium, so frames come at most every ~16.7 ms)."""
    from tools.site import chromium, serve

    with serve() as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base + "book/scenario-explorer.html")
        page.wait_for_selector(".scenario-explorer[data-ready=true]")
        return tuple(page.evaluate(LATENCY_SCRIPT, ["stockpile_days", 0, 120, 40]))


def test_time() -> float:
    return timed([str(VENV_BIN / "pytest"), "-q", "--nbval-lax", "tests", "book"])


def main() -> None:
    figures: dict = {}
    print("Building the site twice (clean, then unchanged)...", flush=True)
    figures["build"] = build_times()
    for name, seconds in figures["build"].items():
        print(f"  {name:<24} {seconds:6.1f}")
    print("\nBytes a browser loads per page (KB):")
    figures["pages"] = page_weights()
    header = f"  {'page':<40}" + "".join(f"{k:>9}" for k in ("html", "js", "css", "fonts", "data", "other", "total"))
    print(header)
    for row in figures["pages"]:
        print(f"  {row['page']:<40}" + "".join(f"{row[k] / 1024:9.0f}" for k in ("html", "js", "css", "fonts", "data", "other", "total")))
    print("\nScenario model:")
    figures["scenario"] = scenario_figures()
    to_render, to_frame = slider_latency()
    figures["scenario"]["slider input to SVG redrawn, median (ms)"] = to_render
    figures["scenario"]["slider input to next frame, median (ms; goal < 16)"] = to_frame
    for name, value in figures["scenario"].items():
        print(f"  {name:<40} {value:8.2f}")
    print("\nRunning the test suite...", flush=True)
    figures["test suite (s)"] = test_time()
    print(f"  test suite (s)           {figures['test suite (s)']:6.1f}")
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "bench.json").write_text(json.dumps(figures, indent=2))
    print(f"\nFigures saved in {out / 'bench.json'}")


if __name__ == "__main__":
    main()
