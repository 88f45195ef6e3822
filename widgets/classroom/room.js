/* Licence room: each round's console (widgets/classroom/room.py) is one chart whose sliders are
 * the teams' levers; Vega evaluates the model for the three importers. After every move this
 * script copies the scoreboard Vega computed (the marks named "score_marks") into the round's
 * table, and rewrites each importer's explorer link from the sliders (the link protocol of
 * widgets/explorer/links.py: the round's preset, then the importer's fields), so that a
 * projector and every device open the same state. A round gets data-ready="true" once its
 * console runs, and data-score (JSON) after each update. */
(function () {
  "use strict";
  const findMark = window.trFindMark;
  document.addEventListener("chartdrawn", (event) => {
    const round = event.target.closest(".room-round");
    if (!round || round.dataset.ready) return;
    const config = JSON.parse(round.dataset.round);
    const view = event.detail.view;
    // the teams' sliders above the charts, laid out for a projector and a phone
    const form = event.target.querySelector(".vega-bindings");
    const place = round.querySelector(".room-levers");
    if (form && place) {
      place.appendChild(form);
      window.trReadouts(form, (name) => config.readouts[config.param_levers[name]] || null);
    }
    function update() {
      const mark = findMark(view.scenegraph().root, "score_marks");
      const rows = mark ? mark.items.map((item) => item.datum) : [];
      const score = {};
      for (const row of rows) {
        score[row.importer] = { first_shortage_month: row.first_shortage_month, unmet_share: row.unmet_share };
        const tr = round.querySelector(`tr[data-importer="${row.importer}"]`);
        if (!tr) continue;
        tr.querySelector(".room-first").textContent = row.first_shortage_month ? `month ${row.first_shortage_month}` : "none";
        tr.querySelector(".room-unmet").textContent = `${(row.unmet_share * 100).toFixed(1)} %`;
        const fields = new URLSearchParams(config.links[row.importer]);
        for (const name of config.shared_levers) fields.set(name, String(view.signal(name)));
        for (const [lever, param] of Object.entries(config.importer_levers[row.importer]))
          fields.set(lever, String(view.signal(param)));
        tr.querySelector(".room-link").href = `${config.page}#${fields.toString()}`;
      }
      round.dataset.score = JSON.stringify(score);
    }
    const names = config.shared_levers.concat(...Object.values(config.importer_levers).map(Object.values));
    for (const name of names) view.addSignalListener(name, () => view.runAfter(update));
    update();
    round.dataset.ready = "true";
  });
})();
