"""The static face of the scenario explorer: the model of :mod:`widgets.scenario` evaluated by
Vega in the reader's browser, with no kernel.

Every slider and dropdown is a Vega-Lite param; the model's equations come from
:func:`widgets.scenario.vega_transforms` (generated from the Python definition, never written
twice). A small script (``explorer_static.js``) adds preset buttons, loads each importer's
defaults when the importer or element group changes, and keeps the scenario in the page URL
(``#preset=…`` or ``#stockpile_days=90&…``) so that a link restores it.
"""
from __future__ import annotations

import html
import itertools
import json
import uuid
from pathlib import Path

import altair as alt
import pandas as pd

from widgets import charts
from widgets import scenario as sc

SCRIPT = Path(__file__).with_name("explorer_static.js")
LONGEST_HORIZON = int(sc.PARAMETERS["horizon_months"].high)
SHORTAGE_TOLERANCE_T = sc.TOLERANCE_T
SENSITIVITY_PARAMETERS = tuple(p for p in sc.NUMERIC_PARAMETERS
                               if p not in sc.DEFAULT_SENSITIVITY_EXCLUDED)

LABELS = {
    "annual_demand_t": "Annual demand (t/yr)",
    "china_share": "China's share of supply",
    "approval_rate": "Licence approval rate",
    "licence_delay_months": "Delay before licences flow (months)",
    "restriction_start_month": "Restriction starts after month",
    "restriction_length_months": "Restriction length (months)",
    "stockpile_days": "Stockpile (days of consumption)",
    "other_supply_growth": "Growth of non-Chinese supply (per year)",
    "recycling_share": "Recycling share of demand",
    "substitution": "Demand cut by substitution",
    "horizon_months": "Horizon (months)",
}
SOURCES = {  # stacked supply components, bottom to top, with their colour
    "licensed_china_t": ("Licensed Chinese supply", charts.colour_of("China")),
    "other_supply_t": ("Other supply", "#1f5fa8"),
    "recycling_t": ("Recycling", "#0f8a5f"),
    "stock_drawn_t": ("Drawn from stock", "#8e6c00"),
    "unmet_t": ("Unmet demand", "#1f2933"),
}
GROUP_LABELS = {
    "light_ndpr": "Light: Nd/Pr (magnets)",
    "heavy_dytb": "Heavy: Dy/Tb",
    "april2025_seven": "The 7 licensed in April 2025",
    "october2025_five": "The 5 of October 2025",
}


def _slider_range(name: str) -> tuple[float, float, float]:
    """(min, max, step) of a parameter's slider: the model's range, or for demand the span of
    every importer's assumption range."""
    spec = sc.PARAMETERS[name]
    if name == "annual_demand_t":
        table = pd.concat([sc.parameter_table(i, g) for i, g in _combinations()])
        rows = table[table.parameter == name]
        return 10.0, float(rows.high.max()), 10.0
    high = LONGEST_HORIZON if isinstance(spec.high, str) else float(spec.high)
    if spec.kind == "months":
        return float(spec.low), float(high), 1.0
    if name == "stockpile_days":
        return 0.0, high, 5.0
    return float(spec.low), high, 0.01


def _combinations():
    return itertools.product(sc.IMPORTERS, sc.ELEMENT_GROUPS)


def _params(scenario: sc.Scenario) -> list[dict]:
    params = [
        {"name": "importer", "value": scenario.importer,
         "bind": {"input": "select", "options": list(sc.IMPORTERS), "name": "Importer "}},
        {"name": "element_group", "value": scenario.element_group,
         "bind": {"input": "select", "options": list(sc.ELEMENT_GROUPS),
                  "labels": [GROUP_LABELS[g] for g in sc.ELEMENT_GROUPS], "name": "Elements "}},
    ]
    for name, value in scenario.parameters().items():
        low, high, step = _slider_range(name)
        params.append({"name": name, "value": value,
                       "bind": {"input": "range", "min": low, "max": high, "step": step,
                                "name": LABELS[name] + " "}})
    return params


def _months_text(expr: str) -> str:
    return f"(({expr}) == 1 ? '1 month' : ({expr}) + ' months')"


def summary_expression() -> str:
    """The Vega expression of :func:`widgets.scenario.describe` (same words, same rounding)."""
    subject = "importer"
    for key, words in sc._SUBJECT.items():
        subject = f"(importer == '{key}' ? '{words}' : {subject})"
    horizon = _months_text("horizon_months")
    covered = _months_text("datum.covered")
    share = "datum.unmet / datum.demand"
    percent = f"(({share}) > 0 && ({share}) < 0.005 ? 'less than 1 %' : round(({share}) * 100) + ' %')"
    never = (f"{subject} + ' never runs short over ' + {horizon} + "
             f"(datum.covered > 0 ? ': stocks cover the gap in ' + {covered} + '.' : '.')")
    short = (f"{subject} + ' runs short in month ' + datum.first + '; ' + "
             f"(datum.covered > 0 ? 'stocks cover ' + {covered} : 'there is no stock to draw on') + "
             f"'; ' + {percent} + ' of demand unmet over ' + {horizon} + '.'")
    return f"isValid(datum.first) ? {short} : {never}"


def _model_data() -> tuple[dict, list[dict]]:
    data = {"sequence": {"start": 1, "stop": LONGEST_HORIZON + 1, "as": "month"}}
    transforms = [{"filter": "datum.month <= horizon_months"}] + sc.vega_transforms()
    return data, transforms


def _summary_view() -> dict:
    tol = SHORTAGE_TOLERANCE_T
    transforms = [
        {"calculate": f"datum.unmet_t > {tol} ? datum.month : null", "as": "short_month"},
        {"calculate": f"datum.stock_drawn_t > {tol} ? 1 : 0", "as": "drew"},
        {"aggregate": [{"op": "sum", "field": "unmet_t", "as": "unmet"},
                       {"op": "sum", "field": "demand_t", "as": "demand"},
                       {"op": "min", "field": "short_month", "as": "first"},
                       {"op": "sum", "field": "drew", "as": "covered"}]},
        {"calculate": summary_expression(), "as": "sentence"},
    ]
    return {
        "transform": transforms, "width": 520, "height": 28,
        "mark": {"type": "text", "align": "left", "baseline": "middle", "fontSize": 14,
                 "fontWeight": 600, "x": 0, "y": 14, "limit": 0},
        "encoding": {"text": {"field": "sentence", "type": "nominal"},
                     "description": {"field": "sentence", "type": "nominal"}},
        "name": "summary",
    }


def _supply_view() -> dict:
    order = list(SOURCES)
    transforms = [
        {"fold": order, "as": ["component", "tonnes"]},
        {"calculate": "indexof(" + json.dumps(order) + ", datum.component)", "as": "stack_order"},
        {"calculate": "{" + ", ".join(f"'{k}': '{v[0]}'" for k, v in SOURCES.items())
                      + "}[datum.component]", "as": "source"},
        {"calculate": "'Month ' + datum.month + '; ' + datum.source + ': ' + format(datum.tonnes, '.6~g') + ' t'",
         "as": "aria"},
    ]
    colour = {"field": "source", "type": "nominal", "title": None,
              "scale": {"domain": [v[0] for v in SOURCES.values()],
                        "range": [v[1] for v in SOURCES.values()]},
              "sort": [v[0] for v in SOURCES.values()]}
    tooltip = [{"field": "month", "type": "quantitative", "title": "Month"},
               {"field": "source", "type": "nominal", "title": "Source"},
               {"field": "tonnes", "type": "quantitative", "title": "Tonnes", "format": ",.1f"}]
    x = {"field": "month", "type": "ordinal", "title": "Month",
         "axis": {"labelExpr": "datum.value % 6 == 0 || datum.value == 1 ? datum.label : ''",
                  "labelAngle": 0}}
    y = {"field": "tonnes", "type": "quantitative", "stack": "zero",
         "title": "Supply each month (t of oxide)"}
    colour["legend"] = {"orient": "top", "columns": 5, "title": None}
    return {
        "transform": transforms, "width": 520, "height": 240,
        "title": {"text": "Supply by source against demand",
                  "subtitle": "Each bar is one month's demand, split by where it is met"},
        "mark": {"type": "bar", "opacity": 0.95},
        "encoding": {"x": x, "y": y, "color": colour, "tooltip": tooltip,
                     "description": {"field": "aria", "type": "nominal"},
                     "order": {"field": "stack_order", "type": "quantitative"}},
        "name": "supply",
    }


def _stock_view() -> dict:
    transforms = [{"calculate": "'Month ' + datum.month + '; stock left: ' + "
                                             "format(datum.stock_left_t, '.6~g') + ' t'", "as": "aria"}]
    x = {"field": "month", "type": "quantitative", "title": "Month", "axis": {"format": "d", "tickMinStep": 1}}
    tooltip = [{"field": "month", "type": "quantitative", "title": "Month"},
               {"field": "stock_left_t", "type": "quantitative", "title": "Stock left (t)", "format": ",.1f"}]
    return {
        "transform": transforms, "width": 230, "height": 170,
        "title": {"text": "Stockpile left", "subtitle": "at the end of each month"},
        "mark": {"type": "line", "color": SOURCES["stock_drawn_t"][1],
                 "point": {"filled": True, "size": 30, "opacity": 0}},
        "encoding": {"x": x, "y": {"field": "stock_left_t", "type": "quantitative",
                                   "title": "Stock (t of oxide)"},
                     "tooltip": tooltip, "description": {"field": "aria", "type": "nominal"}},
        "name": "stock",
    }


def _unmet_view() -> dict:
    transforms = [{"calculate": "'Month ' + datum.month + '; unmet demand: ' + "
                                             "format(datum.unmet_t, '.6~g') + ' t'", "as": "aria"}]
    x = {"field": "month", "type": "ordinal", "title": "Month",
         "axis": {"labelExpr": "datum.value % 6 == 0 || datum.value == 1 ? datum.label : ''",
                  "labelAngle": 0}}
    tooltip = [{"field": "month", "type": "quantitative", "title": "Month"},
               {"field": "unmet_t", "type": "quantitative", "title": "Unmet demand (t)", "format": ",.1f"}]
    return {
        "transform": transforms, "width": 230, "height": 170,
        "title": {"text": "Unmet demand", "subtitle": "what neither supply nor stock covers"},
        "mark": {"type": "bar", "color": SOURCES["unmet_t"][1]},
        "encoding": {"x": x, "y": {"field": "unmet_t", "type": "quantitative",
                                   "title": "Unmet (t of oxide)"},
                     "tooltip": tooltip, "description": {"field": "aria", "type": "nominal"}},
        "name": "unmet",
    }


def model_views() -> dict:
    """The views of one scenario, sharing one evaluation of the model (data + transforms)."""
    data, transforms = _model_data()
    return {"data": data, "transform": transforms,
            "vconcat": [_summary_view(), _supply_view(), {"hconcat": [_stock_view(), _unmet_view()]}]}


def sensitivity_ranges() -> pd.DataFrame:
    """Low and high end of each swept parameter, for every importer and element group (the
    ranges :func:`widgets.scenario.sensitivity` uses)."""
    rows = []
    for importer, group in _combinations():
        table = sc.parameter_table(importer, group).set_index("parameter")
        for name in SENSITIVITY_PARAMETERS:
            for end in ("low", "high"):
                rows.append({"importer": importer, "element_group": group, "parameter": name,
                             "label": LABELS[name], "end": end,
                             "level": sc._as_field_value(name, table.loc[name, end])})
    rows += [{"importer": i, "element_group": g, "parameter": "__base__", "label": "",
              "end": "base", "level": 0} for i, g in _combinations()]
    return pd.DataFrame(rows)


def _tornado_view() -> dict:
    horizon_clipped = set(sc.HORIZON_CLIPPED)
    transforms: list[dict] = [
        {"filter": "datum.importer == importer && datum.element_group == element_group"},
    ]
    for name in sc.NUMERIC_PARAMETERS:
        level = "min(datum.level, horizon_months)" if name in horizon_clipped else "datum.level"
        transforms.append({"calculate": f"datum.parameter == '{name}' ? {level} : {name}", "as": name})
    transforms += [
        {"calculate": "sequence(1, horizon_months + 1)", "as": "month"},
        {"flatten": ["month"]},
    ]
    transforms += sc.vega_transforms(parameters_from_rows=True, groupby=["parameter", "end"])
    transforms += [
        {"aggregate": [{"op": "sum", "field": "unmet_t", "as": "unmet"}],
         "groupby": ["parameter", "label", "end"]},
        {"calculate": "datum.parameter == '__base__' ? datum.unmet : null", "as": "base_candidate"},
        {"joinaggregate": [{"op": "max", "field": "base_candidate", "as": "unmet_base"}]},
        {"filter": "datum.parameter != '__base__'"},
        {"pivot": "end", "value": "unmet", "groupby": ["parameter", "label", "unmet_base"]},
        {"calculate": "abs(datum.high - datum.low)", "as": "swing"},
        {"calculate": "min(datum.low, datum.high)", "as": "from"},
        {"calculate": "max(datum.low, datum.high)", "as": "to"},
        {"calculate": "datum.parameter + ': low ' + format(datum.low, '.6~g') + ' t; high ' + "
                      "format(datum.high, '.6~g') + ' t; now ' + format(datum.unmet_base, '.6~g') + ' t'",
         "as": "aria"},
    ]
    tooltip = [{"field": "label", "type": "nominal", "title": "Parameter"},
               {"field": "low", "type": "quantitative", "title": "Unmet at low end (t)", "format": ",.1f"},
               {"field": "high", "type": "quantitative", "title": "Unmet at high end (t)", "format": ",.1f"},
               {"field": "unmet_base", "type": "quantitative", "title": "Unmet now (t)", "format": ",.1f"}]
    # Labels on the right, so that this chart's long labels do not push the other views right.
    y = {"field": "label", "type": "nominal", "title": None, "axis": {"orient": "right"},
         "sort": {"field": "swing", "order": "descending"}}
    return {
        "data": {"values": sensitivity_ranges().to_dict(orient="records")},
        "transform": transforms, "width": 300, "height": {"step": 22},
        "title": {"text": "Which parameter matters most here?",
                  "subtitle": "Unmet demand over the horizon when one parameter moves to the low or high end of its range"},
        "layer": [
            {"mark": {"type": "bar", "color": "#7b8794", "height": 14},
             "encoding": {"y": y, "x": {"field": "from", "type": "quantitative",
                                         "title": "Unmet demand over the horizon (t of oxide)"},
                          "x2": {"field": "to"}, "tooltip": tooltip,
                          "description": {"field": "aria", "type": "nominal"}}},
            {"mark": {"type": "rule", "color": charts.colour_of("China"), "strokeWidth": 2},
             "encoding": {"x": {"field": "unmet_base", "type": "quantitative", "aggregate": "max"}}},
        ],
        "name": "tornado",
    }


def explorer_chart(scenario: sc.Scenario | None = None) -> alt.VConcatChart:
    """The explorer as one Vega-Lite chart with its controls bound to params."""
    scenario = scenario or sc.default_scenario()
    spec = {
        "$schema": alt.SCHEMA_URL,
        "params": _params(scenario),
        "description": ("Scenario explorer: a sentence summarising the shortage, a stacked chart of "
                        "monthly supply by source (licensed Chinese supply, other supply, recycling, "
                        "stock drawn, unmet demand), the stockpile left, the unmet demand per month, and a "
                        "chart ranking the parameters by how much they move unmet demand."),
        "vconcat": [model_views(), _tornado_view()],
        "title": {"text": ["Model: widgets/scenario.py. Parameters: data/scenario_parameters.csv and",
                           "data/scenario_presets.csv (sources and assumptions in the tables above)."],
                  "orient": "bottom", "anchor": "start", "fontSize": 11, "fontWeight": "normal",
                  "color": charts.MUTED_COLOUR},
        "config": {"axis": {"labelLimit": 280}},
    }
    return alt.VConcatChart.from_dict(spec)


def explorer_config() -> dict:
    """What the page script needs: every preset's full scenario and every default scenario."""
    from widgets.explorer import preset_slug

    presets = {preset_slug(name): {"name": name, **_as_values(sc.preset(name))}
               for name in sc.preset_names()}
    defaults = {f"{i}|{g}": _as_values(sc.default_scenario(i, g)) for i, g in _combinations()}
    ranges = {name: _slider_range(name) for name in sc.NUMERIC_PARAMETERS}
    return {"presets": presets, "defaults": defaults, "ranges": ranges,
            "fields": list(sc.PARAMETERS)}


def _as_values(scenario: sc.Scenario) -> dict:
    return {"importer": scenario.importer, "element_group": scenario.element_group,
            **scenario.parameters()}


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
            for slug, p in explorer_config()["presets"].items())
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
