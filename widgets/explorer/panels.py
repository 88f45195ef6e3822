"""The explorer's month panels: supply by source, the stockpile left and the unmet demand, one
above the other on one month axis, for the scenario on the controls and, once the reader pins
one, for the pinned scenario beside it (a dashed line or an outline: its "ghost").

Both scenarios are runs of the one model of :mod:`widgets.scenario`: the current one on the
controls' params (:func:`widgets.scenario.vega_transforms`), the pinned one on unbound copies
of every field named ``pinned_<field>`` (the same transforms with the prefix ``pinned_``), set
by the page script when the reader pins. ``pinned_on`` says whether a scenario is pinned.

Widths are the page's: every panel (and the ranking below them) has the one width
:data:`WIDE`, so Vega-Lite sizes them all by the view's ``width`` signal, which the page script
sets to the width the page gives the chart (``view.width(...)``): at 375 px the panels are
narrower, not scaled down. The month axis is the same in every panel:
months 1 to the longer horizon of the two scenarios, labelled as calendar months
(``calendar_start``: the month before month 1, counted as year * 12 + month index, or -1) when
a preset fixes the first month.
"""

from __future__ import annotations

from widgets import charts
from widgets import scenario as sc
from widgets.explorer.controls import LONGEST_HORIZON, SUPPLY_COMPONENTS
from widgets.scenario import words

PINNED = "pinned_"  # prefix of the pinned scenario's params
PINNED_ON = "pinned_on"
CALENDAR_START = "calendar_start"
PANELS = ("supply_panel", "stock_panel", "unmet_panel")
WIDE = 520  # the width of every panel and of the ranking before the page sets it

# The summary rows (one datum each: the summary of widgets.scenario.SUMMARY and the sentence)
# are marks of their own that draw nothing; the page script reads them from the Vega view by
# these names (Vega-Lite names a view's mark "<name>_marks") and writes the sentences into the
# page as HTML, where they wrap at any width and a screen reader hears them.
SUMMARY_VIEW = "summary"
SUMMARY_MARKS = SUMMARY_VIEW + "_marks"
PINNED_SUMMARY_VIEW = "pinned_summary"
PINNED_SUMMARY_MARKS = PINNED_SUMMARY_VIEW + "_marks"
# The marks whose rows are the scenarios' monthly tables (the CSV the page offers).
ROWS_MARKS = "supply_licensed_china_t_marks"
PINNED_ROWS_MARKS = "stock_pinned_marks"
NO_SHORTAGE = "No unmet demand in this scenario"

LONGER_HORIZON = f"max(horizon_months, {PINNED_ON} ? {PINNED}horizon_months : 0)"


def _calendar(value: str) -> str:
    month = f"({CALENDAR_START} + {value} - 1)"
    return f"timeFormat(datetime(floor({month} / 12), {month} % 12, 1), '%b %Y')"


def month_axis() -> dict:
    """The month encoding of every panel: a band per month from 1 to the longer horizon, a
    label at month 1 and every 3, 6 or 12 months (twice as far apart on a narrow panel)."""
    every = (
        f"(({LONGER_HORIZON}) <= 12 ? 3 : ({LONGER_HORIZON}) <= 36 ? 6 : 12)"
        f" * (width < 400 ? 2 : 1)"
    )
    shown = f"datum.value == 1 || datum.value % ({every}) == 0"
    label = f"{CALENDAR_START} >= 0 ? {_calendar('datum.value')} : datum.label"
    return {
        "field": "month",
        "type": "ordinal",
        "title": "Month",
        "scale": {"domain": {"expr": f"sequence(1, ({LONGER_HORIZON}) + 1)"}},
        "axis": {"labelExpr": f"({shown}) ? ({label}) : ''", "labelAngle": 0},
    }


def model_data(prefix: str = "") -> tuple[dict, list[dict]]:
    """One row per month up to the scenario's horizon, run through the model."""
    data = sc.vega_month_sequence(LONGEST_HORIZON)
    transforms = [{"filter": f"datum.month <= {prefix}horizon_months"}]
    return data, transforms + sc.vega_transforms(prefix)


def _pinned_rows(column: str) -> dict:
    """A layer's own data: the pinned scenario's rows, with ``column`` copied as
    ``<column>_ghost``. While nothing is pinned there is one row, at 0 and hidden (no row at all
    would leave the panel's y scale an empty extent, which Vega warns about)."""
    data = sc.vega_month_sequence(LONGEST_HORIZON)
    transforms = [{"filter": f"datum.month <= ({PINNED_ON} ? {PINNED}horizon_months : 1)"}]
    transforms += sc.vega_transforms(PINNED)
    transforms.append({"calculate": f"{PINNED_ON} ? datum.{column} : 0", "as": f"{column}_ghost"})
    return {"data": data, "transform": transforms}


# A ghost mark is seen only while a scenario is pinned; meanwhile its one hidden row says so
# (every mark keeps a label: a graphics symbol without one is an accessibility error).
SHOWN_IF_PINNED = {"opacity": {"expr": f"{PINNED_ON} ? 1 : 0"}}
NOTHING_PINNED = "No scenario pinned"


def _ghost_label(words_expr: str) -> str:
    return f"{PINNED_ON} ? {words_expr} : {NOTHING_PINNED!r}"


def summary_layer(pinned: bool = False) -> dict:
    """The summary row of a scenario, with its sentence and its share unmet in words."""
    if pinned:
        data, transforms = model_data(PINNED)
        names = [
            {"calculate": f"{PINNED}importer", "as": "importer"},
            {"calculate": f"{PINNED}horizon_months", "as": "horizon_months"},
        ]
        parameters: tuple[str, ...] = ()
    else:
        data, transforms, names = None, [], []
        parameters = ("importer", "horizon_months")
    transforms = (
        transforms
        + sc.vega_summary_transforms()
        + names
        + words.vega_number_transforms(parameters)
        + [
            {"calculate": words.to_vega("sentence", parameters), "as": "sentence"},
            {"calculate": words.to_vega("percent", parameters), "as": "percent_words"},
        ]
    )
    layer = {
        "transform": transforms,
        "mark": {"type": "text", "text": "", "x": 0, "y": 0, "aria": False},
        "name": PINNED_SUMMARY_VIEW if pinned else SUMMARY_VIEW,
    }
    return {"data": data, **layer} if data else layer


def _tonnes(column: str) -> str:
    """A tonnage as the tooltip shows it (one decimal, thousands separated)."""
    return f"format(datum.{column}, ',.1f') + ' t'"


def _month_words() -> str:
    return (
        f"'Month ' + datum.month + ({CALENDAR_START} >= 0 ? ' (' + "
        f"{_calendar('datum.month')} + ')' : '')"
    )


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
            {"calculate": f"datum.{column}_from + datum.{column}", "as": f"{column}_to"},
            {
                "calculate": f"{_month_words()} + '; {label}: ' + {_tonnes(column)}",
                "as": f"{column}_aria",
            },
        ],
        "mark": {"type": "bar", "opacity": 0.95, "color": SUPPLY_COMPONENTS[column][1]},
        "encoding": {
            "x": month_axis(),
            "y": {
                "field": f"{column}_from",
                "type": "quantitative",
                "title": "t of oxide",
            },
            "y2": {"field": f"{column}_to"},
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


GHOST = {"color": charts.TEXT_COLOUR, "strokeDash": [5, 3]}  # the pinned scenario: dashed ink


def _supply_ghost() -> dict:
    """The pinned scenario's demand met each month (demand less unmet), as a dashed step."""
    rows = _pinned_rows("met_t")
    rows["transform"].insert(-1, {"calculate": "datum.demand_t - datum.unmet_t", "as": "met_t"})
    aria = _ghost_label(f"{_month_words()} + '; pinned, demand met: ' + {_tonnes('met_t')}")
    return {
        **rows,
        "transform": rows["transform"] + [{"calculate": aria, "as": "met_aria"}],
        "mark": {
            "type": "line",
            "interpolate": "step",
            "strokeWidth": 2,
            **GHOST,
            **SHOWN_IF_PINNED,
        },
        "encoding": {
            "x": month_axis(),
            "y": {"field": "met_t_ghost", "type": "quantitative"},
            "tooltip": [
                {"field": "month", "type": "quantitative", "title": "Month"},
                {
                    "field": "met_t",
                    "type": "quantitative",
                    "title": "Pinned: demand met (t)",
                    "format": ",.1f",
                },
            ],
            "description": {"field": "met_aria", "type": "nominal"},
        },
        "name": "supply_pinned",
    }


def supply_view() -> dict:
    layers = [_supply_layer(i, column) for i, column in enumerate(SUPPLY_COMPONENTS)]
    return {
        "width": WIDE,
        "height": 200,
        "title": {
            "text": "Supply by source against demand",
            "subtitle": "Each bar: one month's demand, by source",
        },
        "layer": [*layers, _supply_ghost(), summary_layer(), summary_layer(pinned=True)],
        "name": "supply_panel",
    }


def _month_panel(
    name: str,
    column: str,
    *,
    what: str,
    title: dict,
    mark: dict,
    ghost: dict,
    layers: tuple[dict, ...] = (),
) -> dict:
    """A small chart of one model column per month for the current scenario and, dashed or
    outlined, the pinned one; each mark labelled for screen readers as the tooltip rounds it."""

    def layer(rows: dict, suffix: str, mark: dict, who: str, plotted: str) -> dict:
        aria = f"{name}_{suffix}_aria"  # the panels share the model's rows: a field of its own
        label = _ghost_label if suffix == "pinned" else (lambda text: text)
        return {
            **rows,
            "transform": rows.get("transform", [])
            + [
                {
                    "calculate": label(f"{_month_words()} + '; {who}{what}: ' + {_tonnes(column)}"),
                    "as": aria,
                }
            ],
            "mark": mark,
            "encoding": {
                "x": month_axis(),
                "y": {
                    "field": plotted,
                    "type": "quantitative",
                    "title": "t of oxide",
                    # a run of zeros draws a 0-1 t axis, not a lone 0 halfway up
                    "scale": {"domain": {"unionWith": [0, 1]}},
                },
                "tooltip": [
                    {"field": "month", "type": "quantitative", "title": "Month"},
                    {
                        "field": column,
                        "type": "quantitative",
                        "title": f"{who.capitalize()}{what} (t)",
                        "format": ",.1f",
                    },
                ],
                "description": {"field": aria, "type": "nominal"},
            },
            "name": f"{name}_{suffix}",
        }

    return {
        "width": WIDE,
        "height": 110,
        "title": title,
        "layer": [
            layer({}, "now", mark, "", column),
            layer(
                _pinned_rows(column),
                "pinned",
                {**ghost, **SHOWN_IF_PINNED},
                "pinned, ",
                f"{column}_ghost",
            ),
            *layers,
        ],
        "name": name + "_panel",
    }


def _no_shortage_note() -> dict:
    """A note in the unmet-demand panel when the current scenario has no month short (the test
    of the result sentence), instead of an empty frame."""
    return {
        "transform": sc.vega_summary_transforms() + [{"filter": "datum.first_shortage_month == 0"}],
        "mark": {
            "type": "text",
            "text": NO_SHORTAGE,
            "x": {"expr": "width / 2"},
            "y": {"expr": "unmet_panel_height / 2"},
            "align": "center",
            "baseline": "middle",
            "fontSize": 12,
            "color": charts.MUTED_COLOUR,
        },
        "name": "no_shortage",
    }


def stock_view() -> dict:
    colour = SUPPLY_COMPONENTS["stock_drawn_t"][1]
    return _month_panel(
        "stock",
        "stock_left_t",
        what="stock left",
        title={"text": "Stockpile left", "subtitle": "at the end of each month"},
        mark={
            "type": "line",
            "color": colour,
            "point": {"filled": True, "size": 30, "opacity": 0, "color": colour},
        },
        # a point a month, so that each month of the pinned stock has its label
        ghost={
            "type": "line",
            "strokeWidth": 2,
            **GHOST,
            "point": {"filled": True, "size": 16, "color": GHOST["color"], **SHOWN_IF_PINNED},
        },
    )


def unmet_view() -> dict:
    colour = SUPPLY_COMPONENTS["unmet_t"][1]
    return _month_panel(
        "unmet",
        "unmet_t",
        what="unmet demand",
        title={"text": "Unmet demand", "subtitle": "what neither supply nor stock covers"},
        mark={"type": "bar", "color": colour},
        ghost={"type": "bar", "filled": False, "strokeWidth": 1.5, **GHOST},
        layers=(_no_shortage_note(),),
    )


def model_views() -> dict:
    """The three panels, one above the other, sharing one evaluation of the current scenario
    (data + transforms) and one of the pinned one."""
    data, transforms = model_data()
    return {
        "data": data,
        "transform": transforms,
        "vconcat": [supply_view(), stock_view(), unmet_view()],
        "spacing": 18,
    }


def supply_legend() -> list[tuple[str, str]]:
    """What the supply chart stacks, bottom to top, with its colour (the page draws the legend
    in HTML, where it wraps at any width)."""
    return [(label, colour) for label, colour in SUPPLY_COMPONENTS.values()]
