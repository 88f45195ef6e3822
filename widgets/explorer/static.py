"""The static face of the scenario explorer: the model of :mod:`widgets.scenario` evaluated by
Vega in the reader's browser, with no kernel.

Every slider and dropdown is a Vega-Lite param (:func:`widgets.scenario.vega_params`, bound to
the controls of :mod:`widgets.explorer.controls`); the model's equations, its summary and the
result sentence come from :mod:`widgets.scenario` (generated from the Python definitions,
never written twice). A small script (``static.js``) adds preset buttons, loads each
importer's defaults when the importer or element group changes, and keeps the scenario in the
page URL by the protocol of :mod:`widgets.explorer.links`, so that a link restores it.
"""

from __future__ import annotations

import html
import json
import uuid
from pathlib import Path

import altair as alt

from widgets import scenario as sc
from widgets.explorer import notes, panels
from widgets.explorer.controls import (
    LABELS,
    combinations,
    slider_range,
)
from widgets.explorer.links import link_spec
from widgets.explorer.tornado import SETTLED, settled_params, tornado_view
from widgets.scenario import words

SCRIPT = Path(__file__).with_name("static.js")


def _params(scenario: sc.Scenario) -> list[dict]:
    """The controls (bound params), the ranking's settled copies, the pinned scenario's copies
    and the calendar anchor of month 1 (unbound: the page script sets them)."""
    params = []
    for name in sc.CHOICE_PARAMETERS:
        spec = sc.PARAMETERS[name]
        bind = {"input": "select", "options": list(spec.choices), "name": spec.label + " "}
        if name == "element_group":
            bind["labels"] = [sc.GROUP_LABELS[g] for g in spec.choices]
        params.append({"name": name, "value": getattr(scenario, name), "bind": bind})
    for param in sc.vega_params(scenario):
        low, high, step = slider_range(param["name"])
        params.append(
            {
                **param,
                "bind": {
                    "input": "range",
                    "min": low,
                    "max": high,
                    "step": step,
                    "name": LABELS[param["name"]] + " ",
                },
            }
        )
    pinned = [
        {"name": panels.PINNED + name, "value": value} for name, value in scenario.values().items()
    ]
    return (
        params
        + settled_params(scenario)
        + pinned
        + [{"name": panels.PINNED_ON, "value": False}, {"name": panels.CALENDAR_START, "value": -1}]
    )


def summary_expression() -> str:
    """The Vega expression of :func:`widgets.scenario.describe` (from the same templates)."""
    return words.to_vega()


def explorer_chart(scenario: sc.Scenario | None = None) -> alt.VConcatChart:
    """The explorer as one Vega-Lite chart with its controls bound to params."""
    scenario = scenario or sc.default_scenario()
    spec = {
        "$schema": alt.SCHEMA_URL,
        "params": _params(scenario),
        "description": (
            "Scenario explorer: a stacked chart of monthly supply by source (licensed Chinese "
            "supply, other supply, recycling, stock drawn, unmet demand), the stockpile left, "
            "the unmet demand per month (each with the pinned scenario dashed, if one is "
            "pinned), and a chart ranking the parameters by how much they move the share of "
            "demand left unmet."
        ),
        "vconcat": [panels.model_views(), tornado_view()],
        "spacing": 28,
        "config": {"axis": {"labelLimit": 280}},
    }
    return alt.VConcatChart.from_dict(spec)


SETTLE_MS = 250  # the ranking is recomputed this long after the reader's last move
MODEL_COLUMNS = ["month", *(step.name for step in sc.MODEL)]


def explorer_config() -> dict:
    """What the page script needs: every preset's full scenario (its first calendar month and
    the sources of its own numbers) and every default scenario, the link protocol, each
    field's label, how a sentence speaks of its value, its group, documented range and note,
    the names of the marks and signals it reads and sets, and the columns of the CSV."""
    presets = {}
    for name in sc.preset_names():
        presets[sc.preset_slug(name)] = {"name": name, **sc.preset(name).values()}
    defaults = {f"{i}|{g}": sc.default_scenario(i, g).values() for i, g in combinations()}
    return {
        "presets": presets,
        "first_months": {sc.preset_slug(n): sc.preset_first_month(n) for n in sc.preset_names()},
        "preset_notes": {sc.preset_slug(n): notes.preset_notes(n) for n in sc.preset_names()},
        "defaults": defaults,
        "notes": notes.default_notes(),
        "groups": notes.group_list(),
        "link": link_spec(),
        "fields": list(sc.PARAMETERS),
        "labels": {name: spec.label for name, spec in sc.PARAMETERS.items()},
        "speaks": {name: spec.speaks for name, spec in sc.PARAMETERS.items()},
        "group_labels": dict(sc.GROUP_LABELS),
        "summary_marks": panels.SUMMARY_MARKS,
        "pinned_summary_marks": panels.PINNED_SUMMARY_MARKS,
        "rows_marks": panels.ROWS_MARKS,
        "pinned_rows_marks": panels.PINNED_ROWS_MARKS,
        "pinned_prefix": panels.PINNED,
        "pinned_on": panels.PINNED_ON,
        "calendar_start": panels.CALENDAR_START,
        "columns": MODEL_COLUMNS,
        "settled_prefix": SETTLED,
        "settle_ms": SETTLE_MS,
    }


def _legend() -> str:
    items = "".join(
        f'<li><span class="explorer-swatch" style="background:{colour}"></span>'
        f"{html.escape(label)}</li>"
        for label, colour in panels.supply_legend()
    )
    ghost = '<li><span class="explorer-swatch explorer-swatch-pinned"></span>Pinned scenario</li>'
    return (
        f'<ul class="explorer-legend" aria-label="Colours of the supply chart">{items}{ghost}</ul>'
    )


TOOLS = (
    ("pin", "Pin this scenario", "Keep this scenario as a baseline: the charts draw it dashed"),
    ("reset", "Reset", "Back to the preset or defaults these controls started from"),
    ("copy", "Copy link", "Copy a link that opens the explorer on this scenario"),
    ("csv", "Download CSV", "The monthly table of this scenario (and the pinned one)"),
)


class StaticExplorer:
    """Displays the explorer: preset buttons, the status line, the result (a live region,
    filled by the page script from Vega's summaries), the grouped controls with their tools,
    the chart, and the page script."""

    def __init__(self, scenario: sc.Scenario | None = None):
        self.scenario = scenario or sc.default_scenario()
        self.chart = explorer_chart(self.scenario)

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.chart._repr_mimebundle_()
        chart_html = (bundle[0] if isinstance(bundle, tuple) else bundle)["text/html"]
        element_id = "scenario-explorer-" + uuid.uuid4().hex[:8]
        settings = explorer_config()
        config = html.escape(json.dumps(settings), quote=True)
        buttons = "".join(
            f'<button type="button" class="explorer-preset" data-preset="{slug}">'
            f"{html.escape(p['name'])}</button>"
            for slug, p in settings["presets"].items()
        )
        tools = "".join(
            f'<button type="button" class="explorer-tool" data-tool="{tool}" '
            f'title="{html.escape(help_text)}">{html.escape(label)}</button>'
            for tool, label, help_text in TOOLS
        )
        # Before the script runs (or without it) the sentence is Python's, word for word.
        sentence = sc.describe(sc.summarize(self.scenario), self.scenario)
        page = (
            f'<div class="scenario-explorer" id="{element_id}" tabindex="-1" '
            f'aria-label="Scenario explorer" role="region" data-config="{config}">'
            f'<div class="explorer-presets" role="group" aria-label="Presets">'
            f'<span class="explorer-presets-label">Presets:</span>{buttons}</div>'
            f'<p class="explorer-status" role="status" aria-live="polite"></p>'
            f'<div class="explorer-body"><div class="explorer-side">'
            f'<div class="explorer-result" role="status" aria-live="polite">'
            f'<p class="explorer-sentence">{html.escape(sentence)}</p>'
            f'<p class="explorer-pinned" hidden></p><p class="explorer-difference" hidden></p>'
            f'<p class="explorer-change" hidden></p></div>'
            f'<button type="button" class="explorer-toggle" aria-expanded="true" hidden>'
            f"Hide the controls</button>"
            f'<div class="explorer-controls"></div>'
            f'<div class="explorer-tools" role="group" aria-label="Scenario tools">{tools}</div>'
            f"</div>"
            f'<div class="explorer-main">{_legend()}'
            f'<div class="explorer-chart">{chart_html}</div>'
            f'<p class="explorer-credit">The model and its parameters are described in the sections '
            f"below: every number's source is in the tables of defaults and presets.</p>"
            f"</div></div></div>"
            f"<script>{SCRIPT.read_text(encoding='utf-8')}"
            f'(document.getElementById("{element_id}"));</script>'
        )
        return {"text/html": page}
