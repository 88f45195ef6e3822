/* Scenario explorer, static page: preset buttons, importer defaults, and the scenario in the URL.
 * The model itself runs in Vega (the chart's params and transforms); this script only moves the
 * chart's own controls, exactly as a reader would, by setting them and dispatching the event
 * Vega listens to. The link protocol (keys, kinds, valid values, limits of the message) comes
 * from the page's config, written by widgets/explorer/links.py; checkPart() follows
 * links.check_part() rule for rule. Called with the explorer's root element. */
(function (root) {
  if (!root) return;
  const config = JSON.parse(root.dataset.config);
  const spec = config.link;
  const status = root.querySelector(".explorer-status");
  const numberSyntax = new RegExp(spec.number_syntax);
  const own = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
  let applying = false;

  const control = (name) => root.querySelector(`.vega-bind [name="${name}"]`);
  const say = (text) => { if (status) status.textContent = text; };
  const text = (n) => String(n);
  const cut = (value) => {
    const s = String(value);
    return s.length <= spec.max_value_shown ? s : s.slice(0, spec.max_value_shown) + "…";
  };
  const shown = (value) => `"${cut(value)}"`;

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
    const query = new URLSearchParams(currentValues()).toString();
    history.replaceState(null, "", "#" + query);
  }

  function applyPreset(slug) {
    if (!own(config.presets, slug)) return false;
    const preset = config.presets[slug];
    applyValues(preset);
    say(`Preset loaded: ${preset.name}.`);
    return true;
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
    for (const [key, raw] of query) {
      if (seen.has(key)) { problems.push(`${shown(key)} is given more than once`); continue; }
      seen.add(key);
      const problem = checkPart(key, raw);
      if (problem) problems.push(problem);
      else if (key === spec.preset_key) preset = config.presets[raw];
      else values[key] = spec.fields[key].kind === "choice" ? raw : Number(raw);
    }
    applyValues(Object.assign({}, preset || {}, values));
    if (problems.length) {
      const listed = problems.slice(0, spec.max_problems).join("; ");
      const more = problems.length > spec.max_problems ? ` and ${problems.length - spec.max_problems} more` : "";
      say(`Part of the link was not used: ${listed}${more}.`);
    } else {
      say(preset ? `Preset loaded: ${preset.name}.` : "Scenario loaded from the link.");
    }
  }

  function loadDefaults() {
    const importer = control("importer").value;
    const group = control("element_group").value;
    const key = `${importer}|${group}`;
    if (own(config.defaults, key)) {
      applyValues(config.defaults[key]);
      say(`Defaults loaded for ${importer}, ${control("element_group").selectedOptions[0].textContent}.`);
    }
  }

  function start() {
    try {
      root.querySelectorAll(".explorer-preset").forEach((button) =>
        button.addEventListener("click", () => applyPreset(button.dataset.preset)));
      for (const [name, field] of Object.entries(spec.fields))
        if (field.kind === "choice")
          control(name).addEventListener("change", () => { if (!applying) loadDefaults(); });
      root.addEventListener("input", () => { if (!applying) writeHash(); });
      window.addEventListener("hashchange", readHash);
      readHash();
    } finally {
      root.dataset.ready = "true";
    }
  }

  // vega-embed draws the controls asynchronously: wait for them.
  const began = Date.now();
  (function waitForControls() {
    if (spec.order.every((name) => control(name))) start();
    else if (Date.now() - began < 20000) setTimeout(waitForControls, 50);
    else say("The explorer's controls did not load.");
  })();
})
