/* Terres rares: draws the site's charts with the Vega runtime.
 *
 * The build (book/_ext/terres_rares_charts.py) compiles each Altair chart to Vega and leaves
 *   <div id="altair-viz-…" class="vega-embed tr-chart"></div>
 *   <script type="application/json" class="tr-chart-spec" data-for="altair-viz-…">{Vega spec}</script>
 * This script (loaded async beside vega.min.js, on pages with charts only) draws a chart as SVG into its div when the chart comes near the viewport; the others are
 * drawn one at a time when the browser is idle, and all before printing. It does not wait for
 * the whole page: a chart is taken up as soon as its spec has been parsed and the Vega runtime
 * has run, so the first chart on screen is drawn while the rest of the page is still parsed.
 * vega-tooltip (its URL in this script's data-tooltip) reads vega-util from window.vega, so it
 * is loaded once Vega has run; hover tooltips are attached to the charts when it has come.
 * Inside the div Vega puts the SVG (role graphics-document, the description as aria-label,
 * each mark's datum in its aria-label) and the chart's bound controls in <form class="vega-bindings">.
 *
 * Contract for page scripts (the scenario explorer relies on it): once a chart is drawn, its div
 * has data-drawn="true" and fires a bubbling "chartdrawn" event whose detail.view is the Vega
 * view. Its bound controls (.vega-bind inputs) exist from then on and react to dispatched
 * input/change events. A chart that fails shows a .error box and logs the error.
 * Timings for tools/bench.py: performance marks "tr-charts-start" and "tr-chart-drawn".
 */
(function () {
  "use strict";
  if (typeof document === "undefined") return;
  if (document.documentElement.dataset.trCharts) return; // loaded twice
  document.documentElement.dataset.trCharts = "on";

  const charts = [];
  const tooltipSource = document.currentScript && document.currentScript.dataset.tooltip;
  let tooltip = null;
  function showTooltip(handler, event, item, value) {
    if (tooltip) tooltip.call(this, handler, event, item, value);
  }
  const idle = window.requestIdleCallback || ((callback) => setTimeout(callback, 50));
  let observer = null;
  let started = false;

  function fail(chart, error) {
    const box = document.createElement("div");
    box.className = "error";
    box.textContent = "This chart could not be drawn: " + (error && error.message ? error.message : error);
    chart.div.replaceChildren(box);
    console.error("charts.js:", chart.div.id, error);
  }

  function draw(chart) {
    if (chart.drawing) return chart.drawing;
    if (observer) observer.unobserve(chart.div);
    chart.drawing = (async () => {
      try {
        const spec = JSON.parse(chart.script.textContent);
        const view = new vega.View(vega.parse(spec), { renderer: "svg", logLevel: vega.Warn, hover: false });
        view.tooltip(showTooltip); // set once: a later view.tooltip() would reset the renderer
        view.initialize(chart.div);
        await view.runAsync();
        chart.div.dataset.drawn = "true";
        if (!performance.getEntriesByName("tr-chart-drawn").length) performance.mark("tr-chart-drawn");
        chart.div.dispatchEvent(new CustomEvent("chartdrawn", { bubbles: true, detail: { view } }));
      } catch (error) {
        fail(chart, error);
      }
    })();
    return chart.drawing;
  }

  function drawRestWhenIdle() {
    if (document.readyState === "loading") return; // again once the page is parsed
    const next = charts.find((chart) => !chart.drawing);
    if (next) idle(() => draw(next).then(drawRestWhenIdle), { timeout: 1000 });
  }

  function near(entries) {
    const visible = entries.filter((entry) => entry.isIntersecting)
      .map((entry) => charts.find((chart) => chart.div === entry.target));
    const drawn = Promise.all(visible.map(draw));
    if (!started) {
      started = true;
      drawn.then(drawRestWhenIdle);
    }
  }

  // The charts whose spec the parser has closed (an element after it exists), not yet taken up.
  const taken = new Set();
  function takeUp() {
    const loading = document.readyState === "loading";
    for (const script of document.querySelectorAll("script.tr-chart-spec")) {
      if (taken.has(script) || (loading && !script.nextSibling)) continue;
      taken.add(script);
      const div = document.getElementById(script.dataset.for);
      if (!div) {
        console.error("charts.js: no container for", script.dataset.for);
        continue;
      }
      const chart = { div, script, drawing: null };
      charts.push(chart);
      if (observer) observer.observe(div);
      else draw(chart);
    }
  }

  function loadTooltips() {
    if (window.vegaTooltip) return attach();
    if (!tooltipSource) return console.error("charts.js: no data-tooltip on its script");
    const script = document.createElement("script");
    script.src = tooltipSource;
    script.addEventListener("load", attach);
    script.addEventListener("error", () => console.error("charts.js: vega-tooltip did not load"));
    document.head.append(script);
    function attach() {
      tooltip = new vegaTooltip.Handler().call;
    }
  }

  function start() {
    if (!window.vega) return false;
    performance.mark("tr-charts-start");
    loadTooltips();
    if ("IntersectionObserver" in window) observer = new IntersectionObserver(near, { rootMargin: "50% 0px" });
    takeUp();
    if (document.readyState === "loading") {
      const parsing = new MutationObserver(takeUp);
      parsing.observe(document.documentElement, { childList: true, subtree: true });
      document.addEventListener("DOMContentLoaded", () => {
        parsing.disconnect();
        takeUp();
        if (started || !observer) drawRestWhenIdle();
      });
    }
    window.addEventListener("beforeprint", () => charts.forEach(draw));
    return true;
  }

  // vega.min.js and this script load in parallel (async): start once Vega has run.
  if (!start()) {
    const libraries = [...document.querySelectorAll("script[src*='/vega/vega']")];
    let done = false;
    const retry = () => {
      if (!done && start()) done = true;
    };
    libraries.forEach((script) => script.addEventListener("load", retry));
    window.addEventListener("load", () => {
      retry();
      if (!done) console.error("charts.js: the Vega runtime did not load");
    });
  }
})();
