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
from widgets.explorer.tornado import tornado_view
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
    return params


def summary_expression() -> str:
    """The Vega expression of :func:`widgets.scenario.describe` (from the same templates)."""
    return words.to_vega()


def _model_data() -> tuple[dict, list[dict]]:
    data = sc.vega_month_sequence(LONGEST_HORIZON)
    transforms = [{"filter": "datum.month <= horizon_months"}] + sc.vega_transforms()
    return data, transforms


def _summary_view() -> dict:
    transforms = (
        sc.vega_summary_transforms()
        + words.vega_number_transforms()
        + [{"calculate": summary_expression(), "as": "sentence"}]
    )
    return {
        "transform": transforms,
        "width": 520,
        "height": 28,
        "mark": {
            "type": "text",
            "align": "left",
            "baseline": "middle",
            "fontSize": 14,
            "fontWeight": 600,
            "x": 0,
            "y": 14,
            "limit": 0,
        },
        "encoding": {
            "text": {"field": "sentence", "type": "nominal"},
            "description": {"field": "sentence", "type": "nominal"},
        },
        "name": "summary",
    }


def _supply_view() -> dict:
    order = list(SUPPLY_COMPONENTS)
    transforms = [
        {"fold": order, "as": ["component", "tonnes"]},
        {"calculate": "indexof(" + json.dumps(order) + ", datum.component)", "as": "stack_order"},
        {
            "calculate": "{"
            + ", ".join(f"'{k}': '{v[0]}'" for k, v in SUPPLY_COMPONENTS.items())
            + "}[datum.component]",
            "as": "source",
        },
        {
            "calculate": "'Month ' + datum.month + '; ' + datum.source + ': ' + format(datum.tonnes, '.6~g') + ' t'",
            "as": "aria",
        },
    ]
    colour = {
        "field": "source",
        "type": "nominal",
        "title": None,
        "scale": {
            "domain": [v[0] for v in SUPPLY_COMPONENTS.values()],
            "range": [v[1] for v in SUPPLY_COMPONENTS.values()],
        },
        "sort": [v[0] for v in SUPPLY_COMPONENTS.values()],
    }
    tooltip = [
        {"field": "month", "type": "quantitative", "title": "Month"},
        {"field": "source", "type": "nominal", "title": "Source"},
        {"field": "tonnes", "type": "quantitative", "title": "Tonnes", "format": ",.1f"},
    ]
    x = dict(MONTH_BANDS)
    y = {
        "field": "tonnes",
        "type": "quantitative",
        "stack": "zero",
        "title": "Supply each month (t of oxide)",
    }
    colour["legend"] = {"orient": "top", "columns": 5, "title": None}
    return {
        "transform": transforms,
        "width": 520,
        "height": 240,
        "title": {
            "text": "Supply by source against demand",
            "subtitle": "Each bar is one month's demand, split by where it is met",
        },
        "mark": {"type": "bar", "opacity": 0.95},
        "encoding": {
            "x": x,
            "y": y,
            "color": colour,
            "tooltip": tooltip,
            "description": {"field": "aria", "type": "nominal"},
            "order": {"field": "stack_order", "type": "quantitative"},
        },
        "name": "supply",
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
    x: dict,
) -> dict:
    """A small chart of one model column per month, each mark labelled for screen readers."""
    aria = f"'Month ' + datum.month + '; {what}: ' + format(datum.{column}, '.6~g') + ' t'"
    tooltip = [
        {"field": "month", "type": "quantitative", "title": "Month"},
        {"field": column, "type": "quantitative", "title": tooltip_title, "format": ",.1f"},
    ]
    return {
        "transform": [{"calculate": aria, "as": "aria"}],
        "width": 230,
        "height": 170,
        "title": title,
        "mark": mark,
        "encoding": {
            "x": x,
            "y": {"field": column, "type": "quantitative", "title": y_title},
            "tooltip": tooltip,
            "description": {"field": "aria", "type": "nominal"},
        },
        "name": name,
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
        x={
            "field": "month",
            "type": "quantitative",
            "title": "Month",
            "axis": {"format": "d", "tickMinStep": 1},
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
        x=dict(MONTH_BANDS),
    )


def model_views() -> dict:
    """The views of one scenario, sharing one evaluation of the model (data + transforms)."""
    data, transforms = _model_data()
    return {
        "data": data,
        "transform": transforms,
        "vconcat": [_summary_view(), _supply_view(), {"hconcat": [_stock_view(), _unmet_view()]}],
    }


def explorer_chart(scenario: sc.Scenario | None = None) -> alt.VConcatChart:
    """The explorer as one Vega-Lite chart with its controls bound to params."""
    scenario = scenario or sc.default_scenario()
    spec = {
        "$schema": alt.SCHEMA_URL,
        "params": _params(scenario),
        "description": (
            "Scenario explorer: a sentence summarising the shortage, a stacked chart of "
            "monthly supply by source (licensed Chinese supply, other supply, recycling, "
            "stock drawn, unmet demand), the stockpile left, the unmet demand per month, and a "
            "chart ranking the parameters by how much they move unmet demand."
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
        "config": {"axis": {"labelLimit": 280}},
    }
    return alt.VConcatChart.from_dict(spec)


def explorer_config() -> dict:
    """What the page script needs: every preset's full scenario and every default scenario."""
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
    }


def _as_values(scenario: sc.Scenario) -> dict:
    return scenario.values()


class StaticExplorer:
    """Displays the explorer: preset buttons, the chart with its controls, the page script."""

    def __init__(self, scenario: sc.Scenario | None = None):
        self.scenario = scenario or sc.default_scenario()
        self.chart = explorer_chart(self.scenario)

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.chart._repr_mimebundle_()
        chart_html = (bundle[0] if isinstance(bundle, tuple) else bundle)["text/html"]
        element_id = "scenario-explorer-" + uuid.uuid4().hex[:8]
        config = html.escape(json.dumps(explorer_config()), quote=True)
        buttons = "".join(
            f'<button type="button" class="explorer-preset" data-preset="{slug}">'
            f"{html.escape(p['name'])}</button>"
            for slug, p in explorer_config()["presets"].items()
        )
        page = (
            f'<div class="scenario-explorer" id="{element_id}" data-config="{config}">'
            f'<div class="explorer-presets" role="group" aria-label="Presets">'
            f'<span class="explorer-presets-label">Presets:</span>{buttons}</div>'
            f'<p class="explorer-status" role="status" aria-live="polite"></p>'
            f'<div class="explorer-chart">{chart_html}</div></div>'
            f"<script>{SCRIPT.read_text(encoding='utf-8')}"
            f'(document.getElementById("{element_id}"));</script>'
        )
        return {"text/html": page}
