/* Classroom missions: predict, run, explain (widgets/classroom/page.py writes the markup).
 *
 * Each .mission section holds its settings in data-mission (JSON, written by Python: the
 * kind of prediction, the choices and the first-shortage bins they stand for, the unit, the
 * answer the Python model computed at build time, the words of each month) and a chart drawn
 * by book/_static/charts.js. The model runs in that chart (Vega); this script never computes
 * it: it reads the summary row Vega computed (the mark named "summary_marks") and shows it
 * beside the prediction.
 * - The run button stays disabled until the student has made a prediction.
 * - A goal mission binds one lever to a slider; the page says when the goal is reached (no
 *   shortage, at the smallest value of the slider that has none: the build-time answer).
 * - Progress is kept in localStorage (key in #classroom's data-storage) and never leaves the
 *   browser; the export panel downloads it as Markdown or prints the page.
 * Signals for tests: a section gets data-state="ran" once its result is shown, and
 * data-result (JSON: the value the browser computed); a goal gets data-goal="reached". */
(function () {
  "use strict";
  const views = new Map(); // chart div -> Vega view, from charts.js's "chartdrawn" event
  const waiting = new Map();
  document.addEventListener("chartdrawn", (event) => {
    views.set(event.target, event.detail.view);
    const resolve = waiting.get(event.target);
    if (resolve) resolve(event.detail.view);
  });

  function viewOf(div) {
    if (views.has(div)) return Promise.resolve(views.get(div));
    return new Promise((resolve) => waiting.set(div, resolve));
  }

  const findMark = window.trFindMark;

  function summaryOf(view) {
    const mark = findMark(view.scenegraph().root, "summary_marks");
    return mark && mark.items && mark.items[0] ? mark.items[0].datum : null;
  }

  const round1 = (x) => Math.round(x * 10) / 10;

  function start(root) {
    const key = root.dataset.storage;
    let store;
    try { store = JSON.parse(localStorage.getItem(key)) || {}; } catch (e) { store = {}; }
    if (!store.missions) store.missions = {};
    const save = () => { try { localStorage.setItem(key, JSON.stringify(store)); } catch (e) { /* private mode */ } };
    const sections = [...root.querySelectorAll(".mission")];
    const progress = root.querySelector(".classroom-progress");
    function showProgress() {
      const done = sections.filter((s) => s.dataset.state === "ran").length;
      progress.textContent = `Missions run: ${done} of ${sections.length}.`;
    }

    for (const section of sections) setup(section);
    showProgress();

    function setup(section) {
      const m = JSON.parse(section.dataset.mission);
      const saved = store.missions[m.id] || (store.missions[m.id] = {});
      const form = section.querySelector(".mission-predict");
      const button = form.querySelector(".mission-run");
      const hint = form.querySelector(".mission-hint");
      const why = form.querySelector(".mission-why");
      const number = form.querySelector('input[type="number"]');
      const box = section.querySelector(".mission-result");
      const outcome = section.querySelector(".mission-outcome");
      const explain = section.querySelector(".mission-explain");
      const goal = section.querySelector(".mission-goal");
      const chart = section.querySelector(".mission-chart .tr-chart, .mission-chart div[id^='altair-viz-']");

      function prediction() {
        if (m.kind === "choice") {
          const picked = form.querySelector("input[type=radio]:checked");
          return picked ? Number(picked.value) : null;
        }
        const value = number.value.trim() === "" ? NaN : Number(number.value);
        return Number.isFinite(value) ? value : null;
      }
      const predictionText = (p) => (m.kind === "choice" ? `\u201c${m.choices[p]}\u201d` : `${p} ${m.unit}`);

      function onInput() {
        const p = prediction();
        button.disabled = p === null;
        hint.textContent = p === null ? "Make your prediction first." : "";
        saved.prediction = p;
        saved.why = why.value;
        save();
      }
      form.addEventListener("input", onInput);
      form.addEventListener("change", onInput);

      // restore what this browser kept
      if (saved.prediction !== undefined && saved.prediction !== null) {
        if (m.kind === "choice") {
          const radio = form.querySelector(`input[type=radio][value="${saved.prediction}"]`);
          if (radio) radio.checked = true;
        } else number.value = String(saved.prediction);
      }
      if (saved.why) why.value = saved.why;
      button.disabled = prediction() === null;
      if (!button.disabled) hint.textContent = "";

      function measured(row) {
        if (m.measure === "first_shortage_month") return row.first_shortage_month;
        if (m.measure === "unmet_share") return row.unmet_share * 100;
        return row.months_covered_by_stock;
      }
      function binOf(month) {
        return m.bins.findIndex((b) => (b === null ? month === 0 : month >= b[0] && month <= b[1]));
      }
      const monthWords = (month) => (month === 0 ? "no shortage" : `a first shortage in ${m.months[month - 1]}`);

      function showResult(view) {
        const row = summaryOf(view);
        if (!row) return;
        const p = prediction();
        let text;
        let verdict;
        if (m.kind === "choice") {
          const month = measured(row);
          const right = binOf(month);
          verdict = p === right ? "right" : "wrong";
          text = `You predicted ${predictionText(p)}. The model says \u201c${m.choices[right]}\u201d: ${monthWords(month)}. `
            + (verdict === "right" ? "Well predicted." : "Not what you expected: read why below.");
          section.dataset.result = JSON.stringify({ value: month, choice: right });
          saved.result = `${m.choices[right]} (${monthWords(month)})`;
        } else if (m.kind === "number") {
          const value = measured(row);
          const shown = m.measure === "unmet_share" ? round1(value) : value;
          const off = Math.abs(p - value);
          verdict = off <= m.tolerance ? "close" : "far";
          text = `You predicted ${p} ${m.unit}. The model says ${shown} ${m.unit}. `
            + (verdict === "close" ? `Close: within ${m.tolerance} ${m.unit === "%" ? "points" : m.unit}.`
              : `Off by ${round1(off)} ${m.unit === "%" ? "points" : m.unit}: read why below.`);
          section.dataset.result = JSON.stringify({ value });
          saved.result = `${shown} ${m.unit}`;
        } else {
          text = `Your guess: ${p} ${m.unit}. Now move the slider above the chart until the page says the goal is reached.`;
          verdict = "guessed";
          checkGoal(view);
        }
        outcome.textContent = text;
        saved.verdict = verdict;
        if (m.kind !== "goal") explain.hidden = false;
        section.dataset.state = "ran";
        saved.ran = true;
        save();
        showProgress();
      }

      // ------------------------------------------------------------ goal missions
      const lever = m.lever;
      const leverText = (value) => lever.texts[Math.round((value - lever.low) / lever.step)] || String(value);
      function checkGoal(view) {
        const row = summaryOf(view);
        if (!row) return;
        const value = view.signal(lever.name);
        const month = row.first_shortage_month;
        section.dataset.result = JSON.stringify({ value, first_shortage_month: month });
        saved.lever = value;
        let text;
        if (month !== 0) {
          text = `${lever.label} ${leverText(value)}: ${monthWords(month)}. Not yet: keep moving the slider.`;
          delete section.dataset.goal;
        } else if (value > m.answer.value + 1e-9) {
          text = `${lever.label} ${leverText(value)}: no shortage. Can you do it with less?`;
          section.dataset.goal = "above";
        } else {
          text = `Goal reached: ${leverText(value)} is the smallest ${lever.label.toLowerCase()} on the slider with no shortage (your guess was ${prediction()} ${m.unit}).`;
          section.dataset.goal = "reached";
          saved.reached = true;
          saved.result = `${leverText(value)} (goal reached)`;
          explain.hidden = false;
        }
        goal.textContent = text;
        save();
      }

      let listening = false;
      async function run() {
        box.hidden = false;
        outcome.textContent = "Running the model in your browser…";
        const view = await viewOf(chart);
        await view.runAsync();
        const form = chart.querySelector(".vega-bindings");
        const place = section.querySelector(".mission-lever");
        if (form && place) {
          place.appendChild(form); // the lever above the chart, full width
          window.trReadouts(form, (name) => (name === lever.name ? lever : null));
        }
        if (lever && !listening) {
          listening = true;
          view.addSignalListener(lever.name, () => view.runAfter(() => checkGoal(view)));
          if (saved.lever !== undefined && saved.lever !== view.signal(lever.name)) {
            const input = section.querySelector(`.vega-bind input[name="${lever.name}"]`);
            if (input) {
              input.value = String(saved.lever);
              input.dispatchEvent(new Event("input", { bubbles: true }));
              await view.runAsync();
            }
          }
        }
        showResult(view);
      }

      form.addEventListener("submit", (event) => {
        event.preventDefault();
        if (prediction() === null) return;
        saved.prediction = prediction();
        saved.why = why.value;
        save();
        run();
      });
      const giveUp = section.querySelector(".mission-give-up");
      if (giveUp) giveUp.addEventListener("click", () => {
        explain.hidden = false;
        saved.result = saved.result || `gave up (the answer: ${m.answer.text})`;
        save();
      });
      if (saved.ran && prediction() !== null) run();
      section._record = () => ({ m, saved });
    }

    // ---------------------------------------------------------------- export
    const name = root.querySelector(".classroom-name");
    name.value = store.name || "";
    name.addEventListener("input", () => { store.name = name.value; save(); });

    function markdown() {
      const lines = ["# Terres rares: my missions", ""];
      if (store.name) lines.push(`Name: ${store.name}`);
      lines.push(`Date: ${new Date().toISOString().slice(0, 10)}`, "");
      for (const section of sections) {
        const { m, saved } = section._record();
        lines.push(`## Mission ${m.number}: ${m.title}`, "");
        const p = saved.prediction;
        const said = p === undefined || p === null ? "(none)"
          : m.kind === "choice" ? m.choices[p] : `${p} ${m.unit}`;
        lines.push(`- My prediction: ${said}`);
        lines.push(`- The model: ${saved.result || "(not run yet)"}`);
        lines.push(`- My explanation: ${saved.why ? saved.why.replace(/\s+/g, " ") : "(none)"}`, "");
      }
      return lines.join("\n");
    }
    root.querySelector(".classroom-download").addEventListener("click", () => {
      const blob = new Blob([markdown()], { type: "text/markdown" });
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = "terres-rares-missions.md";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 0);
    });
    root.querySelector(".classroom-print").addEventListener("click", () => window.print());
    root.querySelector(".classroom-clear").addEventListener("click", () => {
      if (!window.confirm("Clear your predictions and explanations from this browser?")) return;
      try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
      location.reload();
    });
    root.dataset.ready = "true";
  }

  function begin() {
    const root = document.getElementById("classroom");
    if (root && !root.dataset.ready) start(root);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", begin);
  else begin();
})();
