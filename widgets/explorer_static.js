/* Scenario explorer, static page: preset buttons, importer defaults, and the scenario in the URL.
 * The model itself runs in Vega (the chart's params and transforms); this script only moves the
 * chart's own controls, exactly as a reader would, by setting them and dispatching the event
 * Vega listens to. Called with the explorer's root element. */
(function (root) {
  if (!root) return;
  const config = JSON.parse(root.dataset.config);
  const status = root.querySelector(".explorer-status");
  const numeric = config.fields.filter((f) => f !== "importer" && f !== "element_group");
  let applying = false;

  const control = (name) => root.querySelector(`.vega-bind [name="${name}"]`);
  const say = (text) => { if (status) status.textContent = text; };

  function setControl(name, value) {
    const el = control(name);
    if (!el) return;
    el.value = String(value);
    el.dispatchEvent(new Event(el.tagName === "SELECT" ? "change" : "input", { bubbles: true }));
  }

  function applyValues(values) {
    applying = true;
    try {
      // importer and group first: they decide which defaults the other fields start from
      for (const name of ["importer", "element_group"]) if (name in values) setControl(name, values[name]);
      for (const name of numeric) if (name in values) setControl(name, values[name]);
    } finally {
      applying = false;
    }
    writeHash();
  }

  function currentValues() {
    const values = {};
    for (const name of config.fields) {
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
    const preset = config.presets[slug];
    if (!preset) {
      say(`Unknown preset "${slug}" in the link; known presets: ${Object.keys(config.presets).join(", ")}.`);
      return false;
    }
    applyValues(preset);
    say(`Preset loaded: ${preset.name}.`);
    return true;
  }

  function readHash() {
    const hash = decodeURIComponent(location.hash.replace(/^#/, ""));
    if (!hash) return;
    const query = new URLSearchParams(hash);
    const values = {};
    const problems = [];
    if (query.has("preset")) {
      const preset = config.presets[query.get("preset")];
      if (preset) Object.assign(values, preset);
      else problems.push(`unknown preset "${query.get("preset")}"`);
    }
    for (const [key, raw] of query.entries()) {
      if (key === "preset") continue;
      if (!config.fields.includes(key)) { problems.push(`unknown parameter "${key}"`); continue; }
      if (key === "importer" || key === "element_group") { values[key] = raw; continue; }
      const number = Number(raw);
      const [low, high] = config.ranges[key];
      if (raw === "" || !Number.isFinite(number)) problems.push(`${key} = "${raw}" is not a number`);
      else if (number < low || number > high) problems.push(`${key} = ${number} is outside ${low} to ${high}`);
      else values[key] = number;
    }
    applyValues(values);
    say(problems.length ? `Part of the link was not used: ${problems.join("; ")}.`
                        : (query.has("preset") ? `Preset loaded: ${values.name}.` : "Scenario loaded from the link."));
  }

  function loadDefaults() {
    const importer = control("importer").value;
    const group = control("element_group").value;
    const defaults = config.defaults[`${importer}|${group}`];
    if (defaults) {
      applyValues(defaults);
      say(`Defaults loaded for ${importer}, ${control("element_group").selectedOptions[0].textContent}.`);
    }
  }

  function start() {
    root.querySelectorAll(".explorer-preset").forEach((button) =>
      button.addEventListener("click", () => applyPreset(button.dataset.preset)));
    for (const name of ["importer", "element_group"])
      control(name).addEventListener("change", () => { if (!applying) loadDefaults(); });
    root.addEventListener("input", () => { if (!applying) writeHash(); });
    window.addEventListener("hashchange", readHash);
    readHash();
    root.dataset.ready = "true";
  }

  // vega-embed draws the controls asynchronously: wait for them.
  const began = Date.now();
  (function waitForControls() {
    if (control("horizon_months")) start();
    else if (Date.now() - began < 20000) setTimeout(waitForControls, 50);
    else say("The explorer's controls did not load.");
  })();
})
