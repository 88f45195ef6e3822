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
 *   .explorer-result (.explorer-sentence); it is never written here, nor is its rounding;
 * - the ranking (widgets/explorer/tornado.py) reads settled copies of the controls
 *   (config.settled_prefix + name): they are copied from the view config.settle_ms after the
 *   last input, so that a slider move re-runs one scenario, not the sweep. The explorer says
 *   data-ranking="pending" meanwhile and data-ranking="current" once the ranking is up to date;
 * - read-outs: each slider's value as a sentence speaks of it (50 %, 60 days), the rule of
 *   ParameterSpec.text in widgets/scenario/parameters.py (config.speaks).
 * - the layout: the controls are grouped by meaning (config.groups), each with its help (the
 *   documented range, basis, source and why this value, config.notes) and its documented range
 *   marked on the track; the chart takes the width the page gives it (view.width);
 * - pin and compare: "Pin this scenario" copies the controls into the pinned_* params, which the
 *   charts draw dashed (widgets/explorer/panels.py), and the result gives both sentences and
 *   the difference; reset, copy link and a CSV of the monthly rows of both scenarios, with the
 *   parameters and their sources in its header;
 * - what changed: once the reader pauses, a line says which controls moved and what it did;
 * - calendar months: a preset that fixes its first month labels the month axis with dates.
 * Called with the explorer's root element. */
(function (root) {
  if (!root) return;
  const config = JSON.parse(root.dataset.config);
  const spec = config.link;
  const status = root.querySelector(".explorer-status");
  const sentenceBox = root.querySelector(".explorer-sentence");
  const LOADING_LINK = "Loading the scenario of the link…";
  const pinnedBox = root.querySelector(".explorer-pinned");
  const differenceBox = root.querySelector(".explorer-difference");
  const changeBox = root.querySelector(".explorer-change");
  const numberSyntax = new RegExp(spec.number_syntax);
  const own = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
  let applying = false;
  let view = null;
  let activePreset = null; // slug of the preset on the controls, or null
  let startedFrom = null; // what the reader's own moves started from, in words
  let basePreset = null; // slug of the preset the controls started from (reset goes back to it)
  let pinned = null; // {name, values} of the pinned scenario, or null
  let settledState = null; // {values, row} when the reader last paused

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
    startFrom(slug);
    say(`Preset loaded: ${preset.name}.${calendarWords()}`);
    return true;
  }

  // A move of the reader's own (not one this script makes).
  function onReaderMove() {
    if (activePreset) markPreset(null);
    if (startedFrom === null) startedFrom = defaultsWords();
    readerMoved = true;
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
    // no preset but an importer or elements: start from that pair's defaults (links.py)
    let base = preset;
    if (!base && (own(values, "importer") || own(values, "element_group"))) {
      const importer = own(values, "importer") ? values.importer : control("importer").value;
      const group = own(values, "element_group") ? values.element_group : control("element_group").value;
      base = config.defaults[`${importer}|${group}`] || null;
    }
    applyValues(Object.assign({}, base || {}, values));
    // a preset is "on the controls" only if the link changes none of its values
    const exact = preset && Object.keys(values).every((k) => String(values[k]) === String(preset[k]));
    markPreset(exact ? slug : null);
    startFrom(slug);
    if (!preset) startedFrom = "the link";
    if (problems.length) {
      const listed = problems.slice(0, spec.max_problems).join("; ");
      const more = problems.length > spec.max_problems ? ` and ${problems.length - spec.max_problems} more` : "";
      say(`Part of the link was not used: ${listed}${more}.`);
    } else if (preset && exact) {
      say(`Preset loaded: ${preset.name}.${calendarWords()}`);
    } else if (preset && ownValues) {
      const changed = Object.keys(values).filter((k) => String(values[k]) !== String(preset[k]))
        .map((k) => `${config.labels[k]} ${spoken(k, values[k])}`);
      say(`Scenario loaded from the link: ${preset.name}, with ${changed.join(", ")}.${calendarWords()}`);
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
    startFrom(null);
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

  function summaryRow(name) {
    const mark = findMark(view.scenegraph().root, name);
    return mark && mark.items && mark.items[0] ? mark.items[0].datum : null;
  }

  function rowsOf(name) {
    const mark = findMark(view.scenegraph().root, name);
    return mark && mark.items ? mark.items.map((item) => item.datum).filter(Boolean) : [];
  }

  const shortWords = (row) =>
    row.first_shortage_month > 0 ? `month ${row.first_shortage_month}` : "never";

  // The pinned scenario beside the current one: its sentence, then the difference in the
  // numbers both sentences print (rounded by words.py's rule, in Vega, never here).
  function showComparison(row) {
    const pin = pinned && summaryRow(config.pinned_summary_marks);
    pinnedBox.hidden = differenceBox.hidden = !pin;
    if (!pin) return;
    setText(pinnedBox, `Pinned (${pinned.name}): ${pin.sentence}`);
    const points = row.unmet_percent - pin.unmet_percent;
    const unmet = points === 0 ? "the same share of demand unmet as the pinned scenario"
      : `${row.percent_words} of demand unmet against ${pin.percent_words} pinned `
        + `(${Math.abs(points)} ${Math.abs(points) === 1 ? "point" : "points"} ${points > 0 ? "more" : "less"})`;
    const first = row.first_shortage_month === pin.first_shortage_month
      ? (row.first_shortage_month > 0 ? `, the same first month short (month ${row.first_shortage_month})` : ", and neither runs short")
      : `; first month short: ${shortWords(row)} against ${shortWords(pin)} pinned`;
    setText(differenceBox, `Now: ${unmet}${first}.`);
  }

  const setText = (el, text) => { if (el.textContent !== text) el.textContent = text; };

  function showSentence() {
    const row = summaryRow(config.summary_marks);
    if (!row) return;
    setText(sentenceBox, row.sentence);
    showComparison(row);
    root.dataset.sentence = "current";
  }

  let sentenceQueued = false;
  function queueSentence() {
    if (sentenceQueued) return;
    sentenceQueued = true;
    root.dataset.sentence = "pending";
    view.runAfter(() => { sentenceQueued = false; showSentence(); });
  }

  // What the reader's moves since the last pause changed, in the sentence's own numbers.
  function noteChange() {
    const now = { values: currentValues(), row: summaryRow(config.summary_marks) };
    const before = settledState;
    settledState = now;
    if (!before || !now.row || !before.row || !readerMoved) return;
    readerMoved = false;
    const moved = spec.order.filter((name) => String(before.values[name]) !== String(now.values[name]));
    if (!moved.length) return;
    const what = moved.slice(0, 3).map((name) => spec.fields[name].kind === "choice"
      ? `${config.labels[name]} ${now.values[name]}`
      : `${config.labels[name]} ${spoken(name, before.values[name])} → ${spoken(name, now.values[name])}`);
    if (moved.length > 3) what.push(`and ${moved.length - 3} more`);
    const b = before.row, n = now.row;
    const effect = b.unmet_percent === n.unmet_percent && b.first_shortage_month === n.first_shortage_month
      ? "the result did not change"
      : `demand unmet ${b.percent_words} → ${n.percent_words}; first month short ${shortWords(b)} → ${shortWords(n)}`;
    changeBox.hidden = false;
    setText(changeBox, `Your last change (${what.join("; ")}): ${effect}.`);
  }
  let readerMoved = false;

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
    noteChange();
    for (const name of config.fields) view.signal(config.settled_prefix + name, view.signal(name));
    await view.runAsync();
    if (mine === generation) root.dataset.ranking = "current";
  }

  // ---------------------------------------------------------------- where the controls started
  // The preset (slug) or the defaults the controls now start from: reset goes back to it, the
  // month axis takes the preset's calendar, the help its sources.
  function startFrom(slug) {
    basePreset = slug && own(config.presets, slug) ? slug : null;
    startedFrom = basePreset ? config.presets[basePreset].name : defaultsWords();
    if (changeBox) changeBox.hidden = true;
    readerMoved = false;
    setCalendar();
    updateHelp();
  }

  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  function firstMonth() {
    const text = basePreset && config.first_months[basePreset];
    const match = text && /^(\d{4})-(\d{2})$/.exec(text);
    return match ? { year: Number(match[1]), month: Number(match[2]) - 1 } : null;
  }
  function setCalendar() {
    if (!view) return;
    const first = firstMonth();
    view.signal(config.calendar_start, first ? first.year * 12 + first.month : -1);
    view.runAsync();
  }
  function calendarWords() {
    const first = firstMonth();
    return first ? ` Month 1 is ${MONTHS[first.month]} ${first.year}.` : "";
  }

  // ---------------------------------------------------------------- layout and help
  function notesNow() {
    const key = `${control("importer").value}|${control("element_group").value}`;
    const base = config.notes[key] || {};
    const preset = basePreset ? config.preset_notes[basePreset] : {};
    return Object.assign({}, base, preset);
  }

  function helpText(name, note) {
    const parts = [];
    if (note.range_words) parts.push(`Documented range: ${note.range_words}.`);
    parts.push(`Basis: ${note.basis}${note.source ? ", " + note.source : ""}.`);
    if (note.why) parts.push(note.why);
    return parts.join(" ");
  }

  // Each control's help and documented range follow the importer, the elements and the preset.
  function updateHelp() {
    const notes = notesNow();
    for (const name of config.fields) {
      const el = control(name);
      const note = notes[name];
      if (!el || !note) continue;
      const help = root.querySelector(`.explorer-help[data-for="${name}"] .explorer-help-text`);
      if (help) setText(help, helpText(name, note));
      if (el.type === "range" && note.range) {
        const [min, max] = [Number(el.min), Number(el.max)];
        const at = (v) => `${(100 * (Math.min(Math.max(v, min), max) - min) / (max - min)).toFixed(2)}%`;
        el.style.setProperty("--range-from", at(note.range[0]));
        el.style.setProperty("--range-to", at(note.range[1]));
        el.classList.add("explorer-ranged");
      }
    }
  }

  function arrangeControls() {
    const form = root.querySelector(".vega-bindings");
    const place = root.querySelector(".explorer-controls");
    if (!form || !place) return;
    place.appendChild(form);
    // Enter in the number box would submit the form and reload the page
    form.addEventListener("submit", (event) => event.preventDefault());
    const bindOf = (name) => { const el = control(name); return el && el.closest(".vega-bind"); };
    config.groups.forEach((group, index) => {
      const set = document.createElement("fieldset");
      set.className = "explorer-group";
      const legend = document.createElement("legend");
      legend.textContent = group.title;
      set.appendChild(legend);
      for (const name of group.fields) {
        const bind = bindOf(name);
        if (!bind) continue;
        set.appendChild(bind);
        if (spec.fields[name].kind === "choice") continue; // the menus explain themselves
        const help = document.createElement("details");
        help.className = "explorer-help";
        help.dataset.for = name;
        const summary = document.createElement("summary");
        summary.textContent = "Why this value?";
        summary.setAttribute("aria-label", `Why this value? (${config.labels[name]})`);
        const text = document.createElement("p");
        text.className = "explorer-help-text";
        help.append(summary, text);
        bind.appendChild(help);
      }
      form.appendChild(set);
      if (index === 0) addDemandBox();
    });
  }

  // Demand spans 10 to 10,000 t a year: a number box beside its slider sets it to the tonne.
  function addDemandBox() {
    const slider = control("annual_demand_t");
    if (!slider) return;
    const box = document.createElement("input");
    box.type = "number";
    box.className = "explorer-number";
    box.min = slider.min; box.max = slider.max; box.step = slider.step;
    box.value = slider.value;
    box.setAttribute("aria-label", `${config.labels.annual_demand_t}, exact value`);
    slider.addEventListener("input", () => { if (document.activeElement !== box) box.value = slider.value; });
    box.addEventListener("change", () => {
      const value = Number(box.value);
      const problem = box.value === "" ? "is empty" : checkPart("annual_demand_t", box.value);
      if (problem) {
        say(`${config.labels.annual_demand_t}: ${box.value === "" ? "the box is empty" : problem}; the value stays ${spoken("annual_demand_t", slider.value)}.`);
        box.value = slider.value;
        return;
      }
      slider.value = String(value);
      slider.dispatchEvent(new Event("input", { bubbles: true }));
    });
    slider.closest("label").insertAdjacentElement("afterend", box);
  }

  // The chart takes the width the page gives it, so that a phone gets narrower panels with
  // text at its designed size, not a scaled-down drawing. The plot width is the box less the
  // y axis; whatever else the drawing needs (a long title) is taken off in a second pass.
  const AXIS_ROOM = 78; // the y axis, its title and the view's padding, in pixels
  let fitting = null;
  function fit() {
    if (!view || fitting) return;
    fitting = (async () => {
      const box = root.querySelector(".explorer-chart");
      const room = Math.floor(box.clientWidth);
      let width = Math.max(160, room - AXIS_ROOM);
      let previous = Infinity;
      for (let pass = 0; pass < 3; pass += 1) {
        if (Math.abs(view.width() - width) >= 1) {
          view.width(width);
          await view.runAsync();
        }
        const svg = box.querySelector("svg");
        const drawn = svg ? Number(svg.getAttribute("width")) : 0;
        if (drawn <= room || width <= 160 || drawn >= previous) break; // fits, or cannot
        previous = drawn;
        width = Math.max(160, width - (drawn - room));
      }
      root.dataset.width = String(view.width());
    })().finally(() => { fitting = null; });
  }

  // ---------------------------------------------------------------- tools
  const toolButton = (tool) => root.querySelector(`.explorer-tool[data-tool="${tool}"]`);

  function pin() {
    if (pinned) {
      pinned = null;
      view.signal(config.pinned_on, false);
      toolButton("pin").textContent = "Pin this scenario";
      toolButton("pin").setAttribute("aria-pressed", "false");
      root.dataset.pinned = "false";
      say("The pinned scenario was removed.");
    } else {
      const values = currentValues();
      const name = activePreset ? config.presets[activePreset].name : `your scenario, started from ${startedFrom}`;
      for (const field of config.fields) {
        const value = spec.fields[field].kind === "choice" ? values[field] : Number(values[field]);
        view.signal(config.pinned_prefix + field, value);
      }
      view.signal(config.pinned_on, true);
      pinned = { name, values };
      toolButton("pin").textContent = "Unpin";
      toolButton("pin").setAttribute("aria-pressed", "true");
      root.dataset.pinned = "true";
      say(`Pinned: ${name}. Move the controls: the charts draw the pinned scenario dashed, and the result compares the two.`);
    }
    view.runAsync().then(showSentence);
  }

  function reset() {
    if (basePreset) applyPreset(basePreset);
    else {
      const key = `${control("importer").value}|${control("element_group").value}`;
      applyValues(config.defaults[key]);
      markPreset(null);
      startFrom(null);
      say(`Reset to ${defaultsWords()}.`);
    }
    rankingPending();
  }

  function copyLink() {
    writeHash();
    const link = location.href;
    const done = () => say("Link copied: it opens the explorer on this scenario.");
    const fallback = () => {
      const field = document.createElement("input");
      field.value = link; field.readOnly = true; field.className = "explorer-link-field";
      field.setAttribute("aria-label", "Link to this scenario");
      toolButton("copy").insertAdjacentElement("afterend", field);
      field.select();
      say("Copy this link (it is selected): it opens the explorer on this scenario.");
    };
    if (navigator.clipboard && navigator.clipboard.writeText)
      navigator.clipboard.writeText(link).then(done, fallback);
    else fallback();
  }

  const csvCell = (value) => {
    const text = value === null || value === undefined ? "" : String(value);
    return /[",\n#]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };

  function csvText() {
    const values = currentValues();
    const notes = notesNow();
    const first = firstMonth();
    const lines = [
      "# Terres rares, scenario explorer: the model's monthly table (tonnes of oxide equivalent)",
      `# Link to this scenario: ${location.href}`,
      `# Current scenario: ${sentenceBox.textContent}`,
    ];
    if (pinned) lines.push(`# Pinned scenario (${pinned.name}): ${pinnedBox.textContent.replace(/^Pinned \([^)]*\): /, "")}`);
    if (first) lines.push(`# Month 1 is ${MONTHS[first.month]} ${first.year}.`);
    lines.push("# Parameters: current value" + (pinned ? " | pinned value" : "") + " | basis, source | why this value");
    for (const name of spec.order) {
      const now = spec.fields[name].kind === "choice" ? values[name] : spoken(name, values[name]);
      const then = pinned ? (spec.fields[name].kind === "choice" ? pinned.values[name] : spoken(name, pinned.values[name])) : null;
      const note = notes[name] || {};
      const source = [note.basis, note.source].filter(Boolean).join(", ");
      lines.push(`# ${config.labels[name]}: ${now}${pinned ? " | " + then : ""} | ${source}${note.why ? " | " + note.why.replace(/\s+/g, " ") : ""}`);
    }
    const columns = ["scenario", ...config.columns];
    if (first) columns.splice(2, 0, "calendar_month");
    lines.push(columns.join(","));
    const add = (label, rows) => {
      for (const row of rows.slice().sort((a, b) => a.month - b.month)) {
        const cells = [label, ...config.columns.map((c) => row[c])];
        if (first) {
          const index = first.year * 12 + first.month + row.month - 1;
          cells.splice(2, 0, `${Math.floor(index / 12)}-${String(index % 12 + 1).padStart(2, "0")}`);
        }
        lines.push(cells.map(csvCell).join(","));
      }
    };
    add("current", rowsOf(config.rows_marks));
    if (pinned) add("pinned", rowsOf(config.pinned_rows_marks));
    return lines.join("\n") + "\n";
  }

  async function downloadCsv() {
    await view.runAsync();
    const blob = new Blob([csvText()], { type: "text/csv;charset=utf-8" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "terres-rares-scenario.csv";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    say(pinned ? "CSV downloaded: the current and the pinned scenario, month by month." : "CSV downloaded: this scenario, month by month.");
  }

  // On a phone the controls and the result stick under the page header; this button folds the
  // controls so that the charts get the screen.
  function toggleControls() {
    const button = root.querySelector(".explorer-toggle");
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    button.textContent = open ? "Hide the controls" : "Show the controls";
    root.querySelector(".explorer-controls").hidden = !open;
  }

  // ---------------------------------------------------------------- start
  function start(drawnView) {
    try {
      view = drawnView;
      arrangeControls();
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
      root.addEventListener("input", (event) => { if (event.target.closest(".vega-bind")) moved(event); });
      root.addEventListener("change", (event) => { if (event.target.tagName === "SELECT") rankingPending(); });
      const tools = { pin, reset, copy: copyLink, csv: downloadCsv };
      root.querySelectorAll(".explorer-tool").forEach((button) =>
        button.addEventListener("click", () => tools[button.dataset.tool]()));
      toolButton("pin").setAttribute("aria-pressed", "false");
      const toggle = root.querySelector(".explorer-toggle");
      toggle.hidden = false;
      toggle.addEventListener("click", toggleControls);
      root.dataset.ranking = "current";
      root.dataset.pinned = "false";
      window.addEventListener("hashchange", readHash);
      startFrom(null);
      readHash();
      fit();
      if (window.ResizeObserver) new ResizeObserver(fit).observe(root.querySelector(".explorer-chart"));
      showSentence();
      view.runAsync().then(() => { settledState = { values: currentValues(), row: summaryRow(config.summary_marks) }; });
    } finally {
      root.dataset.ready = "true";
    }
  }

  // A link to a scenario: the build's picture of the chart (book/_ext/terres_rares_charts.py) and
  // Python's sentence are of the default scenario, not the linked one, so neither is shown until
  // the live chart has read the link.
  if (location.hash.replace(/^#/, "").includes("=")) {
    root.querySelector(".tr-chart-picture")?.remove();
    sentenceBox.textContent = LOADING_LINK;
  }
  root.addEventListener("chartdrawn", (event) => start(event.detail.view), { once: true });
})
