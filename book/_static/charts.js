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
 * The first chart of a page comes with a picture of it (.tr-chart-picture, an SVG the build drew
 * with the same spec) that stands in the div until the live chart replaces it.
 * Inside the div Vega puts the SVG (role graphics-document, the description as aria-label,
 * each mark's datum in its aria-label) and the chart's bound controls in <form class="vega-bindings">.
 *
 * Contract for page scripts (the scenario explorer relies on it): once a chart is drawn, its div
 * has data-drawn="true" and fires a bubbling "chartdrawn" event whose detail.view is the Vega
 * view. Its bound controls (.vega-bind inputs) exist from then on and react to dispatched
 * input/change events. A chart that fails shows a .error box and logs the error.
 * Timings for tools/bench.py: performance marks "tr-charts-start" and "tr-chart-drawn".
 *
 * Under every chart (issue 12), once it is drawn: the SVG gets role="img" and the spec's
 * description as its name; a tool line (.tr-chart-tools) gives a "Table" of the figures the
 * tooltips show (the keyboard equivalent of hovering), its sources (data-sources of the spec
 * script, linked to "About the sources"), the drawn rows as CSV, PNG and SVG images, and, for a
 * chart with bound controls outside the explorer, a "Link to this view": #chart-N?name=value…
 * (N the chart's place on the page), restored when the page opens. A tap or click on a mark
 * shows its tooltip's content in a panel under the chart (.tr-chart-detail), for touch screens.
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
        const view = new vega.View(vega.parse(themed(spec, chart.div)), { renderer: "svg", logLevel: vega.Warn, hover: false });
        view.tooltip(showTooltip); // set once: a later view.tooltip() would reset the renderer
        view.initialize(chart.div); // Vega's SVG goes first in the div, before the build's picture
        await view.runAsync();
        chart.div.querySelector(":scope > .tr-chart-picture")?.remove(); // if Vega has not already
        await equip(chart, view, spec);
        chart.view = view;
        await follow(chart); // the mode may have changed while it was drawn
        chart.div.dataset.drawn = "true";
        if (!performance.getEntriesByName("tr-chart-drawn").length) performance.mark("tr-chart-drawn");
        chart.div.dispatchEvent(new CustomEvent("chartdrawn", { bubbles: true, detail: { view } }));
      } catch (error) {
        fail(chart, error);
      }
    })();
    return chart.drawing;
  }

  // ---- Dark mode (issue 12): the chart theme follows the page's mode ----
  // data-dark: "light:dark ..." for each colour of the page's charts (widgets/charts.py). Each
  // colour of a spec becomes an expression of signal tr_dark, so a mode switch re-draws the same
  // view (controls, explorer state kept); dark: transparent background, white = tr_ground (the
  // colour behind the chart); div[data-mode] says the mode drawn. Downloads follow the mode.
  const darkPairs = new Map((document.currentScript && document.currentScript.dataset.dark || "")
    .split(" ").filter(Boolean).map((pair) => pair.split(":")));
  const GROUND = darkPairs.get("white");
  const COLOUR = /^(#[0-9a-f]{6}|white|black)$/i;
  const dark = () => document.documentElement.dataset.theme === "dark";

  function both(colour) { // the expression of a colour in either mode, or null if it has none
    const counterpart = typeof colour === "string" && COLOUR.test(colour) && darkPairs.get(colour.toLowerCase());
    if (!counterpart) return null;
    return "(tr_dark?" + (counterpart === GROUND ? "tr_ground" : "'" + counterpart + "'") + ":'" + colour + "')";
  }

  // The first opaque background from the chart's container up: what a reader sees behind it.
  function ground(div) {
    for (let at = div; at && at.nodeType === 1; at = at.parentElement) {
      const colour = getComputedStyle(at).backgroundColor;
      if (colour && !/^transparent$|rgba\(.*,\s*0\)$/.test(colour)) return colour;
    }
    return GROUND || "transparent";
  }

  function themed(spec, div) {
    if (!darkPairs.size) return spec;
    (function walk(node) {
      for (const [key, value] of Object.entries(node)) {
        const expression = both(value);
        if (expression && key === "value") { // a mark's or guide's value: {value} → {signal}
          delete node.value;
          node.signal = expression;
        } else if (expression) node[key] = { signal: key === "background" ? "tr_dark?(tr_export?tr_ground:'transparent'):'" + value + "'" : expression };
        else if (Array.isArray(value) && value.length && value.every(both)) node[key] = { signal: "[" + value.map(both).join(",") + "]" };
        else if (value && typeof value === "object") walk(value);
      }
    })(spec);
    spec.signals = (spec.signals || []).concat({ name: "tr_dark", value: dark() }, { name: "tr_ground", value: ground(div) }, { name: "tr_export", value: false });
    return spec;
  }

  async function follow(chart) { // the chart in the page's present mode
    const view = chart.view, mode = dark() ? "dark" : "light";
    if (darkPairs.size && view.signal("tr_dark") !== (mode === "dark")) {
      view.signal("tr_dark", mode === "dark").signal("tr_ground", ground(chart.div));
      await view.runAsync();
    }
    chart.div.dataset.mode = mode;
    const legend = chart.div.closest(".scenario-explorer"); // the explorer's legend, in HTML
    for (const swatch of legend ? legend.querySelectorAll(".explorer-swatch[style*=background]") : []) {
      swatch.dataset.light = swatch.dataset.light || swatch.style.backgroundColor;
      const hex = "#" + swatch.dataset.light.match(/\d+/g).map((c) => Number(c).toString(16).padStart(2, "0")).join("");
      swatch.style.backgroundColor = (mode === "dark" && darkPairs.get(hex)) || swatch.dataset.light;
    }
  }

  async function image(view, type, scale) { // a download as the reader sees the chart
    if (!darkPairs.size) return view.toImageURL(type, scale);
    view.signal("tr_export", true); // on the colour behind the chart, not transparent
    try { return await view.toImageURL(type, scale); } finally { view.signal("tr_export", false).runAsync(); }
  }

  new MutationObserver(() => charts.forEach((chart) => chart.view && follow(chart)))
    .observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });

  // ---- Under every chart: accessible name, tool line, table, tap details ----
  const LINK = /^#chart-(\d+)\?(.*)$/;

  function element(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    node.append(...children);
    return node;
  }

  // What a mark tells the reader: its tooltip (as formatted by the spec) or, for a chart without
  // tooltips, the description Vega-Lite gives each mark ("Field: value; …", its aria-label).
  function detail(item, describe) {
    if (item.tooltip != null) return item.tooltip;
    if (!describe || !item.description || !item.mark || item.mark.role !== "mark") return null;
    const parts = item.description.split("; ").map((part) => part.split(": "));
    return parts.every((part) => part.length === 2) ? Object.fromEntries(parts) : item.description;
  }

  // The marks a reader can hover, in drawing order, with their detail and their datum (the row
  // drawn), without repeats.
  function tipped(view) {
    const found = [], seen = new Set();
    for (const describe of [false, true]) {
      (function walk(node) {
        for (const child of node.items || []) {
          const shown = child.mark && child.datum ? detail(child, describe) : null;
          const key = shown == null ? null : JSON.stringify(shown);
          if (key !== null && !seen.has(key)) {
            seen.add(key);
            found.push({ datum: child.datum, shown });
          }
          walk(child);
        }
      })(view.scenegraph().root);
      if (found.length) break;
    }
    return found;
  }

  function tipFields(tooltip) {
    if (tooltip !== null && typeof tooltip === "object") return Object.entries(tooltip).map(([k, v]) => [k, String(v)]);
    return [["Detail", String(tooltip)]];
  }

  function columns(rows) {
    const names = [];
    for (const row of rows) for (const [name] of row) if (!names.includes(name)) names.push(name);
    return names;
  }

  function plain(value) {
    if (value instanceof Date) return value.toISOString().replace("T00:00:00.000Z", "");
    return value === null || typeof value !== "object" ? value : undefined;
  }

  // The rows the chart draws: each hovered mark's datum (a map's feature by its properties).
  function drawnRows(view) {
    const rows = [], seen = new Set();
    for (const item of tipped(view)) {
      if (seen.has(item.datum)) continue;
      seen.add(item.datum);
      const datum = item.datum.properties && item.datum.geometry ? item.datum.properties : item.datum;
      // Vega-Lite's helper fields (sort indexes, stack ends) are not the table's
      const own = (k) => !k.startsWith("_") && !k.endsWith("_sort_index") && !(/_(start|end)$/.test(k) && k.replace(/_(start|end)$/, "") in datum);
      rows.push(Object.entries(datum).filter(([k]) => own(k)).map(([k, v]) => [k, plain(v)]).filter(([, v]) => v !== undefined));
    }
    return rows;
  }

  function csv(rows) {
    const names = columns(rows);
    const cell = (v) => (v == null ? "" : /[",\n]/.test(String(v)) ? '"' + String(v).replace(/"/g, '""') + '"' : String(v));
    return [names.map(cell).join(",")]
      .concat(rows.map((row) => { const m = new Map(row); return names.map((n) => cell(m.get(n))).join(","); }))
      .join("\n") + "\n";
  }

  function download(url, name) {
    const a = element("a", { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
  }

  function fillTable(holder, view) {
    const rows = tipped(view).map((item) => tipFields(item.shown));
    const names = columns(rows);
    if (!rows.length) return holder.replaceChildren(element("p", {}, "This chart has no figures to list."));
    const head = element("tr", {}, ...names.map((n) => element("th", { scope: "col" }, n)));
    const body = rows.map((row) => { const m = new Map(row); return element("tr", {}, ...names.map((n) => element("td", {}, m.get(n) || ""))); });
    holder.replaceChildren(element("table", {}, element("thead", {}, head), element("tbody", {}, ...body)));
  }

  function showDetail(panel, shown) {
    const list = element("dl", {});
    for (const [name, value] of tipFields(shown)) list.append(element("dt", {}, name), element("dd", {}, value));
    const close = element("button", { type: "button", class: "tr-chart-close", "aria-label": "Close the details" }, "×");
    close.addEventListener("click", () => { panel.hidden = true; panel.replaceChildren(); });
    panel.replaceChildren(close, list);
    panel.hidden = false;
  }

  function encode(value) {
    if (typeof value === "string") {
      try { JSON.parse(value); } catch (error) { return value; } // a plain word stays readable
    }
    return JSON.stringify(value);
  }
  function decode(text) {
    try { return JSON.parse(text); } catch (error) { return text; }
  }

  // A value a link may give a bound control: one of its options, or a number inside its range.
  function allowed(bind, value) {
    if (bind.options) return bind.options.some((option) => option === value);
    if (bind.input === "range") return typeof value === "number" && value >= bind.min && value <= bind.max;
    if (bind.input === "checkbox") return typeof value === "boolean";
    return true;
  }

  async function restore(view, bound, query, panel) {
    const problems = [];
    for (const [name, text] of new URLSearchParams(query)) {
      const signal = bound.find((s) => s.name === name);
      const value = decode(text);
      if (!signal) problems.push(`"${name}" is not a control of this chart`);
      else if (!allowed(signal.bind, value)) problems.push(`${text} is not a value of "${name}"`);
      else view.signal(name, value);
    }
    await view.runAsync();
    if (problems.length) {
      panel.replaceChildren(element("p", {}, "This link could not be followed in full: " + problems.join("; ") + "."));
      panel.hidden = false;
    }
  }

  async function equip(chart, view, spec) {
    const number = [...document.querySelectorAll("div.tr-chart")].indexOf(chart.div) + 1;
    const name = (location.pathname.split("/").pop().replace(/\.html?$/, "") || "page") + "-chart-" + number;
    const description = spec.description || "Chart " + number;
    const svg = chart.div.querySelector("svg");
    if (svg) {
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", description);
    }
    const explorer = chart.div.closest(".scenario-explorer, .explorer"); // it keeps its own link
    const controls = (spec.signals || []).filter((s) => s.bind && s.bind.input);
    const bound = explorer ? [] : controls;
    const panel = element("div", { class: "tr-chart-detail", role: "status", hidden: "" });
    const table = element("div", { class: "tr-chart-table-body", role: "region", tabindex: "0", "aria-label": "Table of chart " + number });
    const tableBox = element("details", { class: "tr-chart-table" }, element("summary", {}, "Table"), table);
    const button = (label, title, act) => {
      const b = element("button", { type: "button", title }, label);
      b.addEventListener("click", act);
      return b;
    };
    const line = element("div", { class: "tr-chart-tools", role: "group", "aria-label": "Chart " + number + ": table, sources and downloads" }, tableBox);
    const links = JSON.parse(chart.script.dataset.sources || "[]");
    if (links.length) {
      const list = element("ul", {}, ...links.map(([text, href]) => element("li", {}, element("a", { href }, text))));
      line.append(element("details", { class: "tr-chart-sources" }, element("summary", {}, `Sources (${links.length})`), list));
    }
    line.append(
      button("Data (CSV)", "Download the rows this chart draws, as CSV", () => {
        const url = URL.createObjectURL(new Blob([csv(drawnRows(view))], { type: "text/csv" }));
        download(url, name + ".csv");
        setTimeout(() => URL.revokeObjectURL(url), 1000);
      }),
      button("PNG", "Download the chart as a PNG image", async () => download(await image(view, "png", 2), name + ".png")),
      button("SVG", "Download the chart as an SVG image", async () => download(await image(view, "svg"), name + ".svg")),
    );
    let viewLink = null;
    if (bound.length) {
      viewLink = element("a", { class: "tr-chart-link", href: "#" }, "Link to this view");
      line.append(viewLink);
      const update = () => {
        const query = bound.map((s) => encodeURIComponent(s.name) + "=" + encodeURIComponent(encode(view.signal(s.name)))).join("&");
        viewLink.href = "#chart-" + number + "?" + query;
      };
      bound.forEach((s) => view.addSignalListener(s.name, update));
      const follow = async () => {
        const asked = LINK.exec(location.hash);
        if (!asked || Number(asked[1]) !== number || asked[0] === viewLink.getAttribute("href")) return;
        await restore(view, bound, asked[2], panel);
        requestAnimationFrame(() => chart.div.scrollIntoView({ block: "start" }));
      };
      await follow();
      window.addEventListener("hashchange", follow); // a view link pasted on the same page
      update();
    }
    tableBox.addEventListener("toggle", () => tableBox.open && fillTable(table, view));
    const refresh = () => tableBox.open && view.runAfter(() => fillTable(table, view));
    controls.forEach((s) => view.addSignalListener(s.name, refresh)); // the explorer's too
    view.addEventListener("click", (event, item) => {
      const shown = item && detail(item, true);
      if (shown != null) showDetail(panel, shown);
      if (tableBox.open) view.runAsync().then(() => fillTable(table, view));
    });
    chart.script.after(panel, line); // the details of a tapped mark right under the chart
  }

  function drawRestWhenIdle() {
    if (document.readyState === "loading") return; // again once the page is parsed
    const next = charts.find((chart) => !chart.drawing);
    if (next) idle(() => draw(next).then(drawRestWhenIdle), { timeout: 1000 });
  }

  function near(entries) {
    const visible = entries.filter((entry) => entry.isIntersecting)
      .map((entry) => charts.find((chart) => chart.div === entry.target));
    // One after another in reading order, with a task between them so that the browser can paint:
    // the first chart on screen is shown before the next one is even parsed (weight, issue 13).
    const pause = () => new Promise((resolve) => setTimeout(resolve));
    const drawn = visible.reduce((before, chart) => before.then(() => draw(chart)).then(pause), Promise.resolve());
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
