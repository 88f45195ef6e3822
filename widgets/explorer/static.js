/* Scenario explorer, static page: preset buttons, importer defaults, the scenario in the URL,
 * the result sentence as HTML and the ranking once the reader stops moving.
 *
 * The model itself runs in Vega (the chart's params and transforms); this script moves the
 * chart's own controls exactly as a reader would, by setting them and dispatching the event
 * Vega listens to. The link protocol (keys, kinds, valid values, limits of the message) comes
 * from the page's config, written by widgets/explorer/links.py; checkPart() follows
 * links.check_part() rule for rule.
 *
 * It starts when book/_static/charts.js has drawn the chart: the chart's div fires a bubbling
 * "chartdrawn" event whose detail.view is the Vega view. Then:
 * - the sentence: after each run of the model, the text Vega computed (the summary mark named
 *   config.summary_marks, from widgets/scenario/words.py) is copied into the live region
 *   .explorer-result; it is never written here;
 * - the ranking (widgets/explorer/tornado.py) reads settled copies of the controls
 *   (config.settled_prefix + name): they are copied from the view config.settle_ms after the
 *   last input, so that a slider move re-runs one scenario, not the sweep. The explorer says
 *   data-ranking="pending" meanwhile and data-ranking="current" once the ranking is up to date;
 * - read-outs: each slider's value as a sentence speaks of it (50 %, 60 days), the rule of
 *   ParameterSpec.text in widgets/scenario/parameters.py (config.speaks).
 * Called with the explorer's root element. */
(function (root) {
  if (!root) return;
  const config = JSON.parse(root.dataset.config);
  const spec = config.link;
  const status = root.querySelector(".explorer-status");
  const result = root.querySelector(".explorer-result");
  const numberSyntax = new RegExp(spec.number_syntax);
  const own = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
  let applying = false;
  let view = null;
  let activePreset = null; // slug of the preset on the controls, or null
  let startedFrom = null; // what the reader's own moves started from, in words

  const control = (name) => root.querySelector(`.vega-bind [name="${name}"]`);
  const say = (text) => { if (status && status.textContent !== text) status.textContent = text; };
  const text = (n) => String(n);
  const cut = (value) => {
    const s = String(value);
    return s.length <= spec.max_value_shown ? s : s.slice(0, spec.max_value_shown) + "…";
  };
  const shown = (value) => `"${cut(value)}"`;

  // ---------------------------------------------------------------- values as the text speaks
  const grouped = (n) => n.toLocaleString("en-US", { maximumFractionDigits: 6 });
  const trimmed = (n) => String(Number(n.toPrecision(12)));
  function spoken(name, raw) {
    const value = Number(raw);
    switch (config.speaks[name]) {
      case "percent": return `${trimmed(value * 100)} %`;
      case "days": return value === 1 ? "1 day" : `${trimmed(value)} days`;
      case "months": return value === 1 ? "1 month" : `${Math.trunc(value)} months`;
      case "tonnes": return `${grouped(value)} t/yr`;
      default: return String(raw);
    }
  }

  function showValue(el) {
    if (!el || el.type !== "range") return;
    const words = spoken(el.name, el.value);
    el.setAttribute("aria-valuetext", words);
    const out = el.parentElement.querySelector("output.explorer-value");
    if (out) out.textContent = words;
  }

  function addReadouts() {
    for (const el of root.querySelectorAll('.vega-bind input[type="range"]')) {
      const span = el.nextElementSibling;
      if (span && span.tagName === "SPAN") span.classList.add("explorer-raw-value");
      const out = document.createElement("output");
      out.className = "explorer-value";
      out.setAttribute("aria-hidden", "true"); // the slider's aria-valuetext says the same
      el.insertAdjacentElement("afterend", out);
      showValue(el);
    }
  }

  // ---------------------------------------------------------------- controls and the address
  function setControl(name, value) {
    const el = control(name);
    if (!el) return;
    el.value = String(value);
    el.dispatchEvent(new Event(el.tagName === "SELECT" ? "change" : "input", { bubbles: true }));
  }

  function applyValues(values) {
    applying = true;
    try {
      // choices first: they decide which defaults the other fields start from
      for (const name of spec.order) if (own(values, name)) setControl(name, values[name]);
    } finally {
      applying = false;
    }
    writeHash();
  }

  function currentValues() {
    const values = {};
    for (const name of spec.order) {
      const el = control(name);
      if (el) values[name] = el.value;
    }
    return values;
  }

  function writeHash() {
    clearTimeout(hashTimer);
    const query = new URLSearchParams(currentValues()).toString();
    history.replaceState(null, "", "#" + query);
  }

  function markPreset(slug) {
    activePreset = slug;
    root.querySelectorAll(".explorer-preset").forEach((button) =>
      button.setAttribute("aria-pressed", String(button.dataset.preset === slug)));
  }

  function groupLabel() {
    const menu = control("element_group");
    return menu && menu.selectedOptions[0] ? menu.selectedOptions[0].textContent : "";
  }

  function defaultsWords() {
    return `the defaults for ${control("importer").value}, ${groupLabel()}`;
  }

  function applyPreset(slug) {
    if (!own(config.presets, slug)) return false;
    const preset = config.presets[slug];
    applyValues(preset);
    markPreset(slug);
    startedFrom = preset.name;
    say(`Preset loaded: ${preset.name}.`);
    return true;
  }

  // A move of the reader's own (not one this script makes).
  function onReaderMove() {
    if (activePreset) markPreset(null);
    if (startedFrom === null) startedFrom = defaultsWords();
    say(`Custom scenario, started from ${startedFrom}.`);
    hashLater();
  }

  // The address follows the reader's moves once they pause (history.replaceState costs several
  // milliseconds a call in chromium: not on every input event).
  let hashTimer = null;
  function hashLater() {
    clearTimeout(hashTimer);
    hashTimer = setTimeout(writeHash, config.settle_ms);
  }

  // What is wrong with one key=value of a link, or null (links.check_part in Python).
  function checkPart(key, raw) {
    if (key === spec.preset_key)
      return spec.presets.includes(raw) && own(config.presets, raw) ? null : `unknown preset ${shown(raw)}`;
    if (!own(spec.fields, key)) return `unknown parameter ${shown(key)}`;
    const field = spec.fields[key];
    if (field.kind === "choice")
      return field.choices.includes(raw) ? null : `${key} = ${shown(raw)} is not one of ${field.choices.join(", ")}`;
    if (!numberSyntax.test(raw)) return `${key} = ${shown(raw)} is not a plain number`;
    const number = Number(raw);
    if (!(number >= field.min && number <= field.max))
      return `${key} = ${cut(raw)} is outside ${text(field.min)} to ${text(field.max)}`;
    const steps = (number - field.min) / field.step;
    if (Math.abs(steps - Math.round(steps)) > 1e-9)
      return `${key} = ${cut(raw)} is not a step of ${text(field.step)} from ${text(field.min)}`;
    return null;
  }

  function readHash() {
    const fragment = location.hash.replace(/^#/, "");
    if (!fragment.includes("=")) return; // empty, or an ordinary anchor of the page
    const query = new URLSearchParams(fragment); // decodes each part once; never throws
    const values = {};
    const problems = [];
    const seen = new Set();
    let preset = null;
    let slug = null;
    for (const [key, raw] of query) {
      if (seen.has(key)) { problems.push(`${shown(key)} is given more than once`); continue; }
      seen.add(key);
      const problem = checkPart(key, raw);
      if (problem) problems.push(problem);
      else if (key === spec.preset_key) { preset = config.presets[raw]; slug = raw; }
      else values[key] = spec.fields[key].kind === "choice" ? raw : Number(raw);
    }
    const ownValues = Object.keys(values).length > 0;
    applyValues(Object.assign({}, preset || {}, values));
    // a preset is "on the controls" only if the link changes none of its values
    const exact = preset && Object.keys(values).every((k) => String(values[k]) === String(preset[k]));
    markPreset(exact ? slug : null);
    startedFrom = preset ? preset.name : "the link";
    if (problems.length) {
      const listed = problems.slice(0, spec.max_problems).join("; ");
      const more = problems.length > spec.max_problems ? ` and ${problems.length - spec.max_problems} more` : "";
      say(`Part of the link was not used: ${listed}${more}.`);
    } else if (preset && exact) {
      say(`Preset loaded: ${preset.name}.`);
    } else if (preset && ownValues) {
      const changed = Object.keys(values).filter((k) => String(values[k]) !== String(preset[k]))
        .map((k) => `${config.labels[k]} ${spoken(k, values[k])}`);
      say(`Scenario loaded from the link: ${preset.name}, with ${changed.join(", ")}.`);
    } else {
      say("Scenario loaded from the link.");
    }
    // a scenario link: bring the explorer into view (an ordinary anchor returned above)
    root.scrollIntoView({ block: "start" });
    root.focus({ preventScroll: true });
  }

  function loadDefaults(changed) {
    const before = currentValues();
    const importer = control("importer").value;
    const group = control("element_group").value;
    const key = `${importer}|${group}`;
    if (!own(config.defaults, key)) return;
    applyValues(config.defaults[key]);
    markPreset(null);
    startedFrom = defaultsWords();
    const after = currentValues();
    const moved = spec.order.filter((name) => spec.fields[name].kind !== "choice"
      && Number(before[name]) !== Number(after[name]))
      .map((name) => `${config.labels[name]} ${spoken(name, before[name])} → ${spoken(name, after[name])}`);
    const what = changed === "importer" ? "Importer" : "Elements";
    say(moved.length
      ? `${what} changed: the sliders now hold ${defaultsWords()} (${moved.join("; ")}).`
      : `${what} changed: the sliders already hold ${defaultsWords()}.`);
  }

  // ---------------------------------------------------------------- the sentence, the ranking
  function findMark(node, name) {
    if (!node) return null;
    if (node.marktype && node.name === name) return node;
    for (const item of node.items || []) {
      const found = findMark(item, name);
      if (found) return found;
    }
    return null;
  }

  function showSentence() {
    const mark = findMark(view.scenegraph().root, config.summary_marks);
    const row = mark && mark.items && mark.items[0] && mark.items[0].datum;
    if (row && result && result.textContent !== row.sentence) result.textContent = row.sentence;
  }

  let sentenceQueued = false;
  function queueSentence() {
    if (sentenceQueued) return;
    sentenceQueued = true;
    view.runAfter(() => { sentenceQueued = false; showSentence(); });
  }

  let generation = 0;
  let settleTimer = null;
  function rankingPending() {
    generation += 1;
    root.dataset.ranking = "pending";
    clearTimeout(settleTimer);
    settleTimer = setTimeout(settleRanking, config.settle_ms);
  }

  async function settleRanking() {
    const mine = generation;
    await view.runAsync(); // the reader's last move has run
    if (mine !== generation) return;
    for (const name of config.fields) view.signal(config.settled_prefix + name, view.signal(name));
    await view.runAsync();
    if (mine === generation) root.dataset.ranking = "current";
  }

  // ---------------------------------------------------------------- start
  function start(drawnView) {
    try {
      view = drawnView;
      // the controls above the sentence, the sentence above the charts
      const form = root.querySelector(".vega-bindings");
      const place = root.querySelector(".explorer-controls");
      if (form && place) place.appendChild(form);
      addReadouts();
      for (const name of config.fields) view.addSignalListener(name, queueSentence);
      root.querySelectorAll(".explorer-preset").forEach((button) => {
        button.setAttribute("aria-pressed", "false");
        button.addEventListener("click", () => applyPreset(button.dataset.preset));
      });
      for (const [name, field] of Object.entries(spec.fields))
        if (field.kind === "choice")
          control(name).addEventListener("change", () => { if (!applying) loadDefaults(name); });
      const moved = (event) => {
        showValue(event.target);
        rankingPending();
        if (!applying && spec.fields[event.target.name] && spec.fields[event.target.name].kind !== "choice")
          onReaderMove();
      };
      root.addEventListener("input", moved);
      root.addEventListener("change", (event) => { if (event.target.tagName === "SELECT") rankingPending(); });
      root.dataset.ranking = "current";
      window.addEventListener("hashchange", readHash);
      readHash();
      showSentence();
    } finally {
      root.dataset.ready = "true";
    }
  }

  root.addEventListener("chartdrawn", (event) => start(event.detail.view), { once: true });
})
