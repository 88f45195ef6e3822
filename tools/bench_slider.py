"""Explorer: slider input to redrawn SVG and to the next frame, median and worst over 40 moves,
for `make bench`."""

from __future__ import annotations

import statistics

from tools.bench_first_chart import EXPLORER

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
