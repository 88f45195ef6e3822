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

from widgets import charts
from widgets import scenario as sc
from widgets.explorer.controls import (
    LABELS,
    LONGEST_HORIZON,
    SUPPLY_COMPONENTS,
    combinations,
    slider_range,
)
from widgets.explorer.links import link_spec
from widgets.explorer.tornado import SETTLED, settled_params, tornado_view
from widgets.scenario import words

SCRIPT = Path(__file__).with_name("static.js")
# A month axis of bars, labelled at month 1 and every sixth month.
MONTH_BANDS = {
    "field": "month",
    "type": "ordinal",
    "title": "Month",
    "axis": {
        "labelExpr": "datum.value % 6 == 0 || datum.value == 1 ? datum.label : ''",
        "labelAngle": 0,
    },
}


def _params(scenario: sc.Scenario) -> list[dict]:
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
    return params + settled_params(scenario)


def summary_expression() -> str:
    """The Vega expression of :func:`widgets.scenario.describe` (from the same templates)."""
    return words.to_vega()


def _model_data() -> tuple[dict, list[dict]]:
    data = sc.vega_month_sequence(LONGEST_HORIZON)
    transforms = [{"filter": "datum.month <= horizon_months"}] + sc.vega_transforms()
    return data, transforms


# The summary row (one datum: the summary of :data:`widgets.scenario.SUMMARY` and the
# sentence) is a mark of its own that draws nothing; the page script reads it from the Vega
# view by this name (Vega-Lite names a view's mark "<name>_marks") and writes the sentence
# into the page as HTML, where it wraps at any width and a screen reader hears it.
SUMMARY_VIEW = "summary"
SUMMARY_MARKS = SUMMARY_VIEW + "_marks"


def _summary_layer() -> dict:
    transforms = (
        sc.vega_summary_transforms()
        + words.vega_number_transforms()
        + [{"calculate": summary_expression(), "as": "sentence"}]
    )
    return {
        "transform": transforms,
        "mark": {"type": "text", "text": "", "x": 0, "y": 0, "aria": False},
        "name": SUMMARY_VIEW,
    }


def _supply_layer(index: int, column: str) -> dict:
    """One source of the stacked supply chart: a bar per month from the sources below it to
    itself. Stacked by ``calculate`` rather than a fold (which makes new rows, so new SVG
    elements, on every move): the rows of the model are updated in place, and so are the bars.
    Field names are the source's own, because the layers share the model's rows."""
    below = list(SUPPLY_COMPONENTS)[:index]
    label = SUPPLY_COMPONENTS[column][0]
    start = " + ".join(f"datum.{c}" for c in below) if below else "0"
    return {
        "transform": [
            {"calculate": start, "as": f"{column}_from"},
            {"calculate": json.dumps(label), "as": f"{column}_source"},
            {"calculate": f"datum.{column}_from + datum.{column}", "as": f"{column}_to"},
            {
                "calculate": f"'Month ' + datum.month + '; {label}: ' + "
                f"format(datum.{column}, '.6~g') + ' t'",
                "as": f"{column}_aria",
            },
        ],
        "mark": {"type": "bar", "opacity": 0.95},
        "encoding": {
            "x": dict(MONTH_BANDS),
            "y": {
                "field": f"{column}_from",
                "type": "quantitative",
                "title": "Supply each month (t of oxide)",
            },
            "y2": {"field": f"{column}_to"},
            "color": {
                "field": f"{column}_source",
                "type": "nominal",
                "title": None,
                "scale": {
                    "domain": [v[0] for v in SUPPLY_COMPONENTS.values()],
                    "range": [v[1] for v in SUPPLY_COMPONENTS.values()],
                },
            },
            "tooltip": [
                {"field": "month", "type": "quantitative", "title": "Month"},
                {
                    "field": column,
                    "type": "quantitative",
                    "title": f"{label} (t)",
                    "format": ",.1f",
                },
            ],
            "description": {"field": f"{column}_aria", "type": "nominal"},
        },
        "name": f"supply_{column}",
    }


def _supply_view() -> dict:
    layers = [_supply_layer(i, column) for i, column in enumerate(SUPPLY_COMPONENTS)]
    return {
        "width": 520,
        "height": 240,
        "title": {
            "text": "Supply by source against demand",
            "subtitle": "Each bar is one month's demand, split by where it is met",
        },
        "layer": [*layers, _summary_layer()],
        "name": "supply_panel",
    }


def _month_view(
    name: str,
    column: str,
    *,
    what: str,
    tooltip_title: str,
    y_title: str,
    title: dict,
    mark: dict,
    layers: tuple[dict, ...] = (),
) -> dict:
    """A small chart of one model column per month, each mark labelled for screen readers, on
    the month axis the supply chart uses (:data:`MONTH_BANDS`)."""
    aria = f"'Month ' + datum.month + '; {what}: ' + format(datum.{column}, '.6~g') + ' t'"
    aria_field = f"{name}_aria"  # the panels share the model's rows: a field of its own
    tooltip = [
        {"field": "month", "type": "quantitative", "title": "Month"},
        {"field": column, "type": "quantitative", "title": tooltip_title, "format": ",.1f"},
    ]
    main = {
        "transform": [{"calculate": aria, "as": aria_field}],
        "mark": mark,
        "encoding": {
            "x": dict(MONTH_BANDS),
            "y": {
                "field": column,
                "type": "quantitative",
                "title": y_title,
                # a run of zeros draws a 0-1 t axis, not a lone 0 halfway up
                "scale": {"domain": {"unionWith": [0, 1]}},
            },
            "tooltip": tooltip,
            "description": {"field": aria_field, "type": "nominal"},
        },
        "name": name,
    }
    return {
        "width": 230,
        "height": 170,
        "title": title,
        "layer": [main, *layers],
        "name": name + "_panel",
    }


NO_SHORTAGE = "No unmet demand in this scenario"


def _no_shortage_note() -> dict:
    """A note in the unmet-demand panel when the summary counts no month short (the test of
    the result sentence), instead of an empty frame."""
    return {
        "transform": sc.vega_summary_transforms() + [{"filter": "datum.first_shortage_month == 0"}],
        "mark": {
            "type": "text",
            "text": NO_SHORTAGE,
            "x": {"expr": "width / 2"},
            "y": {"expr": "height / 2"},
            "align": "center",
            "baseline": "middle",
            "fontSize": 12,
            "color": charts.MUTED_COLOUR,
        },
        "name": "no_shortage",
    }


def _stock_view() -> dict:
    return _month_view(
        "stock",
        "stock_left_t",
        what="stock left",
        tooltip_title="Stock left (t)",
        y_title="Stock (t of oxide)",
        title={"text": "Stockpile left", "subtitle": "at the end of each month"},
        mark={
            "type": "line",
            "color": SUPPLY_COMPONENTS["stock_drawn_t"][1],
            "point": {"filled": True, "size": 30, "opacity": 0},
        },
    )


def _unmet_view() -> dict:
    return _month_view(
        "unmet",
        "unmet_t",
        what="unmet demand",
        tooltip_title="Unmet demand (t)",
        y_title="Unmet (t of oxide)",
        title={"text": "Unmet demand", "subtitle": "what neither supply nor stock covers"},
        mark={"type": "bar", "color": SUPPLY_COMPONENTS["unmet_t"][1]},
        layers=(_no_shortage_note(),),
    )


def model_views() -> dict:
    """The views of one scenario, sharing one evaluation of the model (data + transforms)."""
    data, transforms = _model_data()
    return {
        "data": data,
        "transform": transforms,
        "vconcat": [_supply_view(), {"hconcat": [_stock_view(), _unmet_view()]}],
    }


def explorer_chart(scenario: sc.Scenario | None = None) -> alt.VConcatChart:
    """The explorer as one Vega-Lite chart with its controls bound to params."""
    scenario = scenario or sc.default_scenario()
    spec = {
        "$schema": alt.SCHEMA_URL,
        "params": _params(scenario),
        "description": (
            "Scenario explorer: a stacked chart of monthly supply by source (licensed Chinese "
            "supply, other supply, recycling, stock drawn, unmet demand), the stockpile left, "
            "the unmet demand per month, and a chart ranking the parameters by how much they "
            "move the share of demand left unmet."
        ),
        "vconcat": [model_views(), tornado_view()],
        "title": {
            "text": [
                "Model: widgets/scenario/. Parameters: data/scenario_parameters.csv and",
                "data/scenario_presets.csv (sources and assumptions in the tables above).",
            ],
            "orient": "bottom",
            "anchor": "start",
            "fontSize": 11,
            "fontWeight": "normal",
            "color": charts.MUTED_COLOUR,
        },
        # the one legend is the supply chart's (its sources), above it
        "config": {"axis": {"labelLimit": 280}, "legend": {"orient": "top", "columns": 5}},
    }
    return alt.VConcatChart.from_dict(spec)


SETTLE_MS = 250  # the ranking is recomputed this long after the reader's last move


def explorer_config() -> dict:
    """What the page script needs: every preset's full scenario and every default scenario,
    the link protocol, each field's label and how a sentence speaks of its value, and the
    names of the summary mark and of the ranking's settled params."""
    presets = {
        sc.preset_slug(name): {"name": name, **_as_values(sc.preset(name))}
        for name in sc.preset_names()
    }
    defaults = {f"{i}|{g}": _as_values(sc.default_scenario(i, g)) for i, g in combinations()}
    return {
        "presets": presets,
        "defaults": defaults,
        "link": link_spec(),
        "fields": list(sc.PARAMETERS),
        "labels": {name: spec.label for name, spec in sc.PARAMETERS.items()},
        "speaks": {name: spec.speaks for name, spec in sc.PARAMETERS.items()},
        "summary_marks": SUMMARY_MARKS,
        "settled_prefix": SETTLED,
        "settle_ms": SETTLE_MS,
    }


def _as_values(scenario: sc.Scenario) -> dict:
    return scenario.values()


class StaticExplorer:
    """Displays the explorer: preset buttons, the status line, the controls, the result
    sentence (a live region, filled by the page script from Vega's summary), the chart, and
    the page script."""

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
        # Before the script runs (or without it) the sentence is Python's, word for word.
        sentence = sc.describe(sc.summarize(self.scenario), self.scenario)
        page = (
            f'<div class="scenario-explorer" id="{element_id}" tabindex="-1" '
            f'aria-label="Scenario explorer" role="region" data-config="{config}">'
            f'<div class="explorer-presets" role="group" aria-label="Presets">'
            f'<span class="explorer-presets-label">Presets:</span>{buttons}</div>'
            f'<p class="explorer-status" role="status" aria-live="polite"></p>'
            f'<div class="explorer-controls"></div>'
            f'<p class="explorer-result" role="status" aria-live="polite" aria-atomic="true">'
            f"{html.escape(sentence)}</p>"
            f'<div class="explorer-chart">{chart_html}</div></div>'
            f"<script>{SCRIPT.read_text(encoding='utf-8')}"
            f'(document.getElementById("{element_id}"));</script>'
        )
        return {"text/html": page}
