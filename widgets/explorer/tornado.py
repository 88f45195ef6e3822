"""The explorer's sensitivity (tornado) chart: which parameter moves the share of demand left
unmet most for the scenario on the controls. Vega re-runs the model
(:func:`widgets.scenario.vega_transforms`, one scenario per row) at the low and high end of
each parameter's plausible range; the ranges and the aggregation mirror
:func:`widgets.scenario.sensitivity`, and the browser tests compare the two bar for bar once
the ranking is up to date (the page sets ``data-ranking="current"`` on the explorer)."""

from __future__ import annotations

import pandas as pd

from widgets import charts
from widgets import scenario as sc
from widgets.explorer.controls import LABELS, combinations
from widgets.explorer.panels import WIDE


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


SETTLED = "settled_"  # prefix of the params the ranking reads (see :func:`settled_params`)


def settled(name: str) -> str:
    """The param that holds the settled copy of a field for the ranking."""
    return SETTLED + name


def settled_params(scenario: sc.Scenario) -> list[dict]:
    """Unbound copies of every field, read by the ranking only. The page script
    (``static.js``) copies the controls into them once the reader stops moving (a short
    pause after the last input), so a slider move re-runs the one scenario on the controls,
    not the sweep of 1 + 2 x 9 scenarios."""
    return [{"name": settled(name), "value": value} for name, value in scenario.values().items()]


NO_SWING = 0.05  # percentage points: below this a bar is too thin to see
# Every flow of the model (need, supplies, the stock in days of demand) is proportional to annual
# demand, so the share of demand left unmet does not depend on it: its bar is always empty.
NO_BAR = {"annual_demand_t": "same share at any demand"}
NO_BAR_OTHERWISE = "no change over its range"


def _no_bar() -> str:
    """The words beside a parameter that moves the share by less than :data:`NO_SWING`."""
    cases = "".join(f"datum.parameter == '{name}' ? '{text}' : " for name, text in NO_BAR.items())
    return f"datum.swing < {NO_SWING} ? ({cases}'{NO_BAR_OTHERWISE}') : ''"


def _no_bar_sides() -> list[dict]:
    """Transforms that put :func:`_no_bar`'s words on the side of the tick with room: the
    field ``no_bar_left`` (words left-aligned right of the tick) for ticks in the left half of
    the axis, ``no_bar_right`` for the others; empty elsewhere. Computed on the chart's one
    dataset, so that the layers keep one y domain and its sort."""
    return [
        {"joinaggregate": [{"op": "max", "field": "to", "as": "axis_end"}]},
        *(
            {
                "calculate": f"datum.no_bar && (datum.to <= datum.axis_end / 2) == {is_left}"
                " ? datum.no_bar : ''",
                "as": f"no_bar_{side}",
            }
            for side, is_left in (("left", "true"), ("right", "false"))
        ),
    ]


def _no_bar_words(side: str, y: dict) -> dict:
    """The text layer of ``no_bar_<side>`` (see :func:`_no_bar_sides`)."""
    return {
        "mark": {
            "type": "text",
            "align": "left" if side == "left" else "right",
            "baseline": "middle",
            "yOffset": 7,
            "dx": 6 if side == "left" else -6,
            "fontSize": 12,  # the ranking is drawn at 0.99 of its size on a phone: 11.9 px
            "fontStyle": "italic",
            "color": charts.TEXT_COLOUR,
            "aria": False,
        },
        "encoding": {
            "y": y,
            "x": {"field": "to", "type": "quantitative"},
            "text": {"field": f"no_bar_{side}"},
        },
    }


def _aria() -> str:
    """A bar's label for screen readers, in the chart's unit (% of demand unmet)."""

    def pct(field: str) -> str:
        return f"format(datum.{field}, '.1f') + ' %'"

    return (
        "datum.label + ': ' + "
        + pct("low")
        + " + ' at the low end, ' + "
        + pct("high")
        + " + ' at the high end; now ' + "
        + pct("unmet_base")
        + " + (datum.no_bar ? ' (' + datum.no_bar + ')' : '')"
    )


def tornado_view() -> dict:
    """The ranking as a Vega-Lite view over :func:`sensitivity_ranges`: each parameter's low and
    high end, one scenario per row, run by :func:`widgets.scenario.vega_transforms` on the
    settled copies of the controls (:func:`settled_params`); unmet demand over the horizon as a
    share of demand (percentage points), as :func:`widgets.scenario.sensitivity` ranks them."""
    horizon_clipped = set(sc.HORIZON_CLIPPED)
    horizon = settled("horizon_months")
    transforms: list[dict] = [
        {
            "filter": f"datum.importer == {settled('importer')}"
            f" && datum.element_group == {settled('element_group')}"
        },
    ]
    for name in sc.NUMERIC_PARAMETERS:
        level = f"min(datum.level, {horizon})" if name in horizon_clipped else "datum.level"
        transforms.append(
            {"calculate": f"datum.parameter == '{name}' ? {level} : {settled(name)}", "as": name}
        )
    transforms += [
        {"calculate": f"sequence(1, {horizon} + 1)", "as": "month"},
        {"flatten": ["month"]},
    ]
    transforms += sc.vega_transforms(parameters_from_rows=True, groupby=["parameter", "end"])
    transforms += [
        {
            "aggregate": [
                {"op": "sum", "field": "unmet_t", "as": "unmet_tonnes"},
                {"op": "sum", "field": "demand_t", "as": "demand_tonnes"},
            ],
            "groupby": ["parameter", "label", "end"],
        },
        {"calculate": "datum.unmet_tonnes / datum.demand_tonnes * 100", "as": "unmet"},
        {"calculate": "datum.parameter == '__base__' ? datum.unmet : null", "as": "base_candidate"},
        {"joinaggregate": [{"op": "max", "field": "base_candidate", "as": "unmet_base"}]},
        {"filter": "datum.parameter != '__base__'"},
        {"pivot": "end", "value": "unmet", "groupby": ["parameter", "label", "unmet_base"]},
        {"calculate": "abs(datum.high - datum.low)", "as": "swing"},
        {"calculate": "min(datum.low, datum.high)", "as": "from"},
        {"calculate": "max(datum.low, datum.high)", "as": "to"},
        {"calculate": _no_bar(), "as": "no_bar"},
        {"calculate": _aria(), "as": "aria"},
        *_no_bar_sides(),
    ]
    tooltip = [
        {"field": "label", "type": "nominal", "title": "Parameter"},
        {"field": "low", "type": "quantitative", "title": "Unmet at low end (%)", "format": ".1f"},
        {
            "field": "high",
            "type": "quantitative",
            "title": "Unmet at high end (%)",
            "format": ".1f",
        },
        {"field": "unmet_base", "type": "quantitative", "title": "Unmet now (%)", "format": ".1f"},
    ]
    # Each parameter's name on a line of its own above its bar, so that long names need no
    # room beside the bars and the chart keeps its width on a phone.
    y = {
        "field": "label",
        "type": "nominal",
        "title": None,
        "axis": None,
        "sort": {"field": "swing", "order": "descending"},
    }
    return {
        "data": {"values": sensitivity_ranges().to_dict(orient="records")},
        "transform": transforms,
        "width": WIDE,  # the panels' width: one width signal for the whole chart
        "height": {"step": 36},
        "title": {
            "text": "Which parameter matters most?",
            "subtitle": [
                "Demand left unmet over the horizon when one",
                "parameter moves to the low or high end of",
                "its range (red tick: the scenario now)",
            ],
        },
        "layer": [
            {
                "mark": {
                    "type": "text",
                    "align": "left",
                    "baseline": "bottom",
                    "yOffset": -1,
                    "fontSize": 12,
                    "color": charts.TEXT_COLOUR,
                },
                "encoding": {"y": y, "x": {"value": 0}, "text": {"field": "label"}},
            },
            {
                "mark": {"type": "bar", "color": charts.GREY, "height": 10, "yOffset": 7},
                "encoding": {
                    "y": y,
                    "x": {
                        "field": "from",
                        "type": "quantitative",
                        "title": "Demand left unmet over the horizon (%)",
                    },
                    "x2": {"field": "to"},
                    "tooltip": tooltip,
                    "description": {"field": "aria", "type": "nominal"},
                },
            },
            {
                # the scenario now: a short tick on each bar's line, so it never crosses a name
                "mark": {
                    "type": "tick",
                    "color": charts.colour_of("China"),
                    "thickness": 2,
                    "size": 14,
                    "yOffset": 7,
                    "aria": False,
                },
                "encoding": {"y": y, "x": {"field": "unmet_base", "type": "quantitative"}},
            },
            # a parameter whose range leaves the share unmoved has no bar: say so beside its
            # tick, on the side with room (right of it in the left half of the axis, else left)
            *(_no_bar_words(side, y) for side in ("left", "right")),
        ],
        "name": "tornado",
    }
