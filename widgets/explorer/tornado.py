"""The explorer's sensitivity (tornado) chart: which parameter moves unmet demand most for the
scenario on the controls. Vega re-runs the model (:func:`widgets.scenario.vega_transforms`,
one scenario per row) at the low and high end of each parameter's plausible range; the
ranges and the aggregation mirror :func:`widgets.scenario.sensitivity`, and the browser tests
compare the two bar for bar."""

from __future__ import annotations

import pandas as pd

from widgets import charts
from widgets import scenario as sc
from widgets.explorer.controls import LABELS, combinations


def sensitivity_ranges() -> pd.DataFrame:
    """Low and high end of each swept parameter, for every importer and element group (the
    ranges :func:`widgets.scenario.sensitivity` uses)."""
    rows = []
    for importer, group in combinations():
        table = sc.parameter_table(importer, group).set_index("parameter")
        for name in sc.SENSITIVITY_PARAMETERS:
            for end in ("low", "high"):
                rows.append(
                    {
                        "importer": importer,
                        "element_group": group,
                        "parameter": name,
                        "label": LABELS[name],
                        "end": end,
                        "level": sc.as_field_value(name, table.loc[name, end]),
                    }
                )
    rows += [
        {
            "importer": i,
            "element_group": g,
            "parameter": "__base__",
            "label": "",
            "end": "base",
            "level": 0,
        }
        for i, g in combinations()
    ]
    return pd.DataFrame(rows)


def tornado_view() -> dict:
    horizon_clipped = set(sc.HORIZON_CLIPPED)
    transforms: list[dict] = [
        {"filter": "datum.importer == importer && datum.element_group == element_group"},
    ]
    for name in sc.NUMERIC_PARAMETERS:
        level = "min(datum.level, horizon_months)" if name in horizon_clipped else "datum.level"
        transforms.append(
            {"calculate": f"datum.parameter == '{name}' ? {level} : {name}", "as": name}
        )
    transforms += [
        {"calculate": "sequence(1, horizon_months + 1)", "as": "month"},
        {"flatten": ["month"]},
    ]
    transforms += sc.vega_transforms(parameters_from_rows=True, groupby=["parameter", "end"])
    transforms += [
        {
            "aggregate": [{"op": "sum", "field": "unmet_t", "as": "unmet"}],
            "groupby": ["parameter", "label", "end"],
        },
        {"calculate": "datum.parameter == '__base__' ? datum.unmet : null", "as": "base_candidate"},
        {"joinaggregate": [{"op": "max", "field": "base_candidate", "as": "unmet_base"}]},
        {"filter": "datum.parameter != '__base__'"},
        {"pivot": "end", "value": "unmet", "groupby": ["parameter", "label", "unmet_base"]},
        {"calculate": "abs(datum.high - datum.low)", "as": "swing"},
        {"calculate": "min(datum.low, datum.high)", "as": "from"},
        {"calculate": "max(datum.low, datum.high)", "as": "to"},
        {
            "calculate": "datum.parameter + ': low ' + format(datum.low, '.6~g') + ' t; high ' + "
            "format(datum.high, '.6~g') + ' t; now ' + format(datum.unmet_base, '.6~g') + ' t'",
            "as": "aria",
        },
    ]
    tooltip = [
        {"field": "label", "type": "nominal", "title": "Parameter"},
        {"field": "low", "type": "quantitative", "title": "Unmet at low end (t)", "format": ",.1f"},
        {
            "field": "high",
            "type": "quantitative",
            "title": "Unmet at high end (t)",
            "format": ",.1f",
        },
        {"field": "unmet_base", "type": "quantitative", "title": "Unmet now (t)", "format": ",.1f"},
    ]
    # Labels on the right, so that this chart's long labels do not push the other views right.
    y = {
        "field": "label",
        "type": "nominal",
        "title": None,
        "axis": {"orient": "right"},
        "sort": {"field": "swing", "order": "descending"},
    }
    return {
        "data": {"values": sensitivity_ranges().to_dict(orient="records")},
        "transform": transforms,
        "width": 300,
        "height": {"step": 22},
        "title": {
            "text": "Which parameter matters most here?",
            "subtitle": "Unmet demand over the horizon when one parameter moves to the low or high end of its range",
        },
        "layer": [
            {
                "mark": {"type": "bar", "color": "#7b8794", "height": 14},
                "encoding": {
                    "y": y,
                    "x": {
                        "field": "from",
                        "type": "quantitative",
                        "title": "Unmet demand over the horizon (t of oxide)",
                    },
                    "x2": {"field": "to"},
                    "tooltip": tooltip,
                    "description": {"field": "aria", "type": "nominal"},
                },
            },
            {
                "mark": {"type": "rule", "color": charts.colour_of("China"), "strokeWidth": 2},
                "encoding": {
                    "x": {"field": "unmet_base", "type": "quantitative", "aggregate": "max"}
                },
            },
        ],
        "name": "tornado",
    }
