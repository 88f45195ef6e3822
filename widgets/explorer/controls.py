"""The explorer's controls and what the supply chart stacks: one slider per numeric field with
its range and step from :class:`widgets.scenario.ParameterSpec` (no special case by name)."""

from __future__ import annotations

import itertools

from widgets import charts
from widgets import scenario as sc

LONGEST_HORIZON = int(sc.PARAMETERS["horizon_months"].high)
# Stacked supply components of a month's demand, bottom to top, with their colour.
SUPPLY_COMPONENTS = {
    "licensed_china_t": ("Licensed Chinese supply", charts.colour_of("China")),
    "other_supply_t": ("Other supply", "#1f5fa8"),
    "recycling_t": ("Recycling", "#0f8a5f"),
    "stock_drawn_t": ("Drawn from stock", "#8e6c00"),
    "unmet_t": ("Unmet demand", "#1f2933"),
}
LABELS = {name: spec.label for name, spec in sc.PARAMETERS.items()}


def slider_range(name: str) -> tuple[float, float, float]:
    """(min, max, step) of a parameter's slider: the model's range unless the parameter's spec
    names a slider range; a high end bounded by another field uses that field's high end."""
    spec = sc.PARAMETERS[name]
    low = spec.low if spec.slider_low is None else spec.slider_low
    high = spec.high if spec.slider_high is None else spec.slider_high
    if high == sc.PLAUSIBLE:
        high = sc.plausible_high(name)
    elif isinstance(high, str):
        high = sc.PARAMETERS[high].high
    return float(low), float(high), float(spec.step)


def combinations():
    """Every (importer, element group) pair."""
    return itertools.product(sc.IMPORTERS, sc.ELEMENT_GROUPS)


# A plain month axis of bars, labelled at month 1 and every sixth month (the classroom's small
# charts; the explorer's panels use widgets.explorer.panels.month_axis, which follows the page).
MONTH_BANDS = {
    "field": "month",
    "type": "ordinal",
    "title": "Month",
    "axis": {
        "labelExpr": "datum.value % 6 == 0 || datum.value == 1 ? datum.label : ''",
        "labelAngle": 0,
    },
}
