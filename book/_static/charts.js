/* Terres rares: draws the site's charts with the Vega runtime.
 *
 * The build (book/_ext/terres_rares_charts.py) compiles each Altair chart to Vega and leaves
 *   <div id="altair-viz-…" class="vega-embed tr-chart"></div>
 *   <script type="application/json" class="tr-chart-spec" data-for="altair-viz-…">{Vega spec}</script>
 * This script (loaded with defer after vega.min.js and vega-tooltip.js, on pages with charts
 * only) draws a chart as SVG into its div when the chart comes near the viewport; the others are
 * drawn one at a time when the browser is idle, and all before printing. Inside the div Vega
 * puts the SVG (role graphics-document, the description as aria-label, each mark's datum in its
 * aria-label) and the chart's bound controls in <form class="vega-bindings">.
 *
 * Contract for page scripts (the scenario explorer relies on it): once a chart is drawn, its div
 * has data-drawn="true" and fires a bubbling "chartdrawn" event whose detail.view is the Vega
 * view. Its bound controls (.vega-bind inputs) exist from then on and react to dispatched
 * input/change events. A chart that fails shows a .error box and logs the error.
 */
(function () {
  "use strict";
  if (typeof document === "undefined") return;
  if (!window.vega || !window.vegaTooltip) {
    console.error("charts.js: the Vega runtime or vega-tooltip did not load");
    return;
  }
  if (document.documentElement.dataset.trCharts) return; // loaded twice
  document.documentElement.dataset.trCharts = "on";

  const charts = [];
  const idle = window.requestIdleCallback || ((callback) => setTimeout(callback, 50));

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
        view.tooltip(new vegaTooltip.Handler().call);
        view.initialize(chart.div);
        await view.runAsync();
        chart.div.dataset.drawn = "true";
        chart.div.dispatchEvent(new CustomEvent("chartdrawn", { bubbles: true, detail: { view } }));
      } catch (error) {
        fail(chart, error);
      }
    })();
    return chart.drawing;
  }

  function drawRestWhenIdle() {
    const next = charts.find((chart) => !chart.drawing);
    if (next) idle(() => draw(next).then(drawRestWhenIdle), { timeout: 1000 });
  }

  let observer = null;
  let started = false;
  function near(entries) {
    const visible = entries.filter((entry) => entry.isIntersecting)
      .map((entry) => charts.find((chart) => chart.div === entry.target));
    const drawn = Promise.all(visible.map(draw));
    if (!started) {
      started = true;
      drawn.then(drawRestWhenIdle);
    }
  }

  for (const script of document.querySelectorAll("script.tr-chart-spec")) {
    const div = document.getElementById(script.dataset.for);
    if (div) charts.push({ div, script, drawing: null });
    else console.error("charts.js: no container for", script.dataset.for);
  }
  if (!charts.length) return;
  if ("IntersectionObserver" in window) {
    observer = new IntersectionObserver(near, { rootMargin: "50% 0px" });
    charts.forEach((chart) => observer.observe(chart.div));
  } else {
    charts.forEach(draw);
  }
  window.addEventListener("beforeprint", () => charts.forEach(draw));
})();
