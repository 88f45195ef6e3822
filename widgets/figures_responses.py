"""Charts of chapters 4-8: how Japan, South Korea, India, the United States, the EU and France
answer China's grip on rare earths, and what each answer buys.

Each public function reads its tables in ``data/`` (through :func:`widgets.data.load_table`),
builds one chart with the builders and theme of :mod:`widgets.charts`, and returns it with a
title, a source line and a description for screen readers (:func:`widgets.charts.finish`);
charts with menus or sliders come wrapped by :func:`widgets.charts.controls_below`, which puts
the inputs under the chart (``.to_dict()`` and the rest work as on the chart itself).
A chapter shows a chart with one call, e.g. ``figures_responses.japan_import_share()``.
The functions whose name ends in ``_table`` or ``_frame`` return the numbers behind a chart,
for the tests and for readers who want them.
"""
from __future__ import annotations

import html
import textwrap
from typing import Iterable

import altair as alt
import pandas as pd

from widgets import charts
from widgets import scenario as sc
from widgets.data import load_table
from widgets.explorer import explorer_link

ACTORS = ("Japan", "South Korea", "India", "United States", "European Union", "France", "China")
INSTRUMENTS = (
    "stockpiles", "recycling", "state stakes in mines and plants", "laws, subsidies and tax credits",
    "price floors", "alliances and trade agreements", "diplomacy", "export controls and market access",
)
MAP_ACTORS = ACTORS + ("Australia", "Russia")
ALL = "All"
# Names of the site (data/countries.csv) that the world outline spells differently.
ATLAS_NAMES = {"United States": "United States of America", "Burma (Myanmar)": "Myanmar",
               "Democratic Republic of the Congo": "Dem. Rep. Congo", "Türkiye": "Turkey"}
GREY_LAND = "#e4e7eb"
SOURCE_WIDTH = 95  # characters per line of a source line under a chart
CELL_WIDTH = 62  # pixels per actor column of the instrument matrix
PANEL_WIDTH = 640  # pixels of the detail panel under the matrix (the page column is about 690)
AXIS_GUTTER = 200  # the panel starts this far left of the matrix, under its row labels
COVERAGE_GUTTER = 190  # the same for the notes under the Caremag coverage bars
SHADE_ALL = "#7b8794"


# --------------------------------------------------------------------------- helpers
def sources_line(keys: Iterable[str], extra: str = "", width: int = SOURCE_WIDTH) -> list[str]:
    """'Source: A; B' for the source keys used by a chart, in order of first use, cut into
    lines of at most ``width`` characters (a chart title accepts a list of lines)."""
    register = load_table("sources").set_index("source")
    shorts = [str(register.loc[k, "short"]) for k in dict.fromkeys(k for k in keys if k)]
    return wrap("Source: " + "; ".join(shorts) + (f". {extra}" if extra else ""), width)


def wrap(text: str, width: int = SOURCE_WIDTH) -> list[str]:
    """``text`` cut into lines of at most ``width`` characters, at spaces."""
    return textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)


def _text(value) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def _pct(value: float) -> str:
    return f"{value:g} %"


def _bound_label(row) -> str:
    symbol = {"more than": "> ", "less than": "< ", "about": "≈ ", "exactly": "", "range": ""}[row.bound]
    if row.bound == "range":
        return f"{row.value_pct:g}–{row.value_high_pct:g} %"
    return f"{symbol}{row.value_pct:g} %"


# --------------------------------------------------------------------------- chapter 4: Japan
def label_offsets(x_px: list[float], y_px: list[float], widths: list[float], height: float = 13,
                  gap: float = 9) -> list[tuple[float, float]]:
    """Pixel offsets (dx, dy) that keep point labels from overlapping each other or the points.

    Each label is tried to the right of its point, then above, below, further above ... (in
    that order) until its box overlaps no label placed before it. Points are taken in order.
    """
    placed: list[tuple[float, float, float, float]] = []
    points = [(x - 6, y - 6, x + 6, y + 6) for x, y in zip(x_px, y_px)]
    offsets = []
    tries = [(gap, 0)] + [(gap, sign * step * height) for step in range(1, 8) for sign in (-1, 1)]
    for x, y, w in zip(x_px, y_px, widths):
        for dx, dy in tries:
            box = (x + dx, y + dy - height / 2, x + dx + w, y + dy + height / 2)
            clash = any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
                        for b in placed + points)
            if not clash:
                break
        placed.append(box)
        offsets.append((dx, dy))
    return offsets


def japan_share_frame() -> pd.DataFrame:
    """The estimates of China's share of Japan's rare-earth imports, with a label per point."""
    table = load_table("japan_china_share").sort_values("year").reset_index(drop=True)
    table["label"] = [_bound_label(r) for r in table.itertuples()]
    table["note"] = table["note"].fillna("")
    sources = load_table("sources").set_index("source")
    table["source_short"] = [str(sources.loc[k, "short"]) for k in table["source"]]
    table["kind"] = table["scope"].map(SCOPE_LABELS)
    return table


SCOPE_LABELS = {"year": "share over a year", "trend statement": "'from … to …' statement",
                "single month": "one month only"}


def japan_import_share() -> charts.ControlsBelow:
    """China's share of Japan's rare-earth imports, 2009-2026: every published estimate with its
    definition, Japan's targets as reference lines; click the legend to pick one kind of figure."""
    table = japan_share_frame()
    targets = load_table("policy_targets").set_index("id")
    single = targets.loc["jp_single_supplier"]
    self_suff = targets.loc["jp_self_sufficiency"]
    first, last = float(table["year"].min()), float(table["year"].max())
    x_scale = alt.Scale(domain=[int(first) - 1, int(self_suff["deadline_year"]) + 1], nice=False)
    y_scale = alt.Scale(domain=[0, 100])
    kinds = [SCOPE_LABELS[k] for k in ("year", "trend statement", "single month")]
    # A menu rather than a click on the legend: legend binding does not reach a layer whose
    # legend is merged with other layers'.
    scope = alt.selection_point(fields=["kind"], name="scope_pick", bind=alt.binding_radio(
        options=[None] + kinds, labels=["all"] + kinds, name="Show: "))
    scope_colours = alt.Scale(domain=[SCOPE_LABELS[k] for k in ("year", "trend statement", "single month")],
                              range=[charts.colour_of("China"), "#8c4a00", charts.MUTED_COLOUR])
    shapes = alt.Scale(domain=["more than", "about", "exactly", "less than"],
                       range=["triangle-up", "circle", "square", "triangle-down"])
    tooltip = [alt.Tooltip("value_text:N", title="As written"),
               alt.Tooltip("when_text:N", title="When"),
               alt.Tooltip("measure:N", title="What is measured"),
               alt.Tooltip("kind:N", title="Kind of figure"),
               alt.Tooltip("source_short:N", title="Source"),
               alt.Tooltip("note:N", title="Caveat")]
    base = alt.Chart(table).encode(
        x=alt.X("year:Q", title="Year", scale=x_scale, axis=alt.Axis(format="d", tickMinStep=1)),
        y=alt.Y("value_pct:Q", title="China's share of Japan's rare-earth imports (%)", scale=y_scale),
        opacity=alt.when(scope).then(alt.value(1)).otherwise(alt.value(0.2)),
        tooltip=tooltip,
    )
    seed = table[table["source"] == "japan2026"]
    story = alt.Chart(seed).mark_line(strokeDash=[6, 4], color=charts.colour_of("China"),
                                      strokeWidth=1.5).encode(x="year:Q", y="value_pct:Q")
    ranges = base.transform_filter("datum.bound == 'range'").mark_rule(strokeWidth=4).encode(
        y2="value_high_pct:Q",
        color=alt.Color("kind:N", scale=scope_colours, title="Kind of figure"))
    points = base.transform_filter("datum.bound != 'range'").mark_point(
        size=140, filled=True).encode(
        color=alt.Color("kind:N", scale=scope_colours, title="Kind of figure",
                        legend=alt.Legend(columns=1, titleLimit=300)),
        shape=alt.Shape("bound:N", scale=shapes, title="Stated as", legend=alt.Legend(columns=2))
    ).add_params(scope)
    width, height = 560, 330
    lo, hi = x_scale.domain
    x_px = [(v - lo) / (hi - lo) * width for v in table["year"]]
    y_px = [(1 - v / 100) * height for v in table["value_pct"]]
    offsets = label_offsets(x_px, y_px, [6.5 * len(t) for t in table["label"]])
    # Label positions in data units (offset channels do not apply to continuous axes).
    table["label_x"] = [v + dx * (hi - lo) / width for v, (dx, _) in zip(table["year"], offsets)]
    table["label_y"] = [v - dy * 100 / height for v, (_, dy) in zip(table["value_pct"], offsets)]
    labels = alt.Chart(table).mark_text(align="left", baseline="middle", fontSize=11).encode(
        x=alt.X("label_x:Q", scale=x_scale), y=alt.Y("label_y:Q", scale=y_scale),
        text="label:N", opacity=alt.when(scope).then(alt.value(1)).otherwise(alt.value(0.2)),
        tooltip=tooltip)
    target_line = pd.DataFrame([{
        "value": float(single["value"]),
        "text": f"Japan's target: under {single['value']:g} % from any single supplier ({single['deadline_text']})",
    }])
    rule_50 = alt.Chart(target_line).mark_rule(strokeDash=[4, 3], color=charts.colour_of("Japan")).encode(
        y=alt.Y("value:Q", scale=y_scale))
    text_50 = alt.Chart(target_line).mark_text(
        align="right", dy=-7, fontSize=11, color=charts.colour_of("Japan")).encode(
        x=alt.value(width * (2028 - lo) / (hi - lo)), y=alt.Y("value:Q", scale=y_scale), text="text:N")
    deadline = pd.DataFrame([{
        "year": int(self_suff["deadline_year"]),
        "line1": f"{int(self_suff['deadline_year'])}: {self_suff['value']:g} % self-sufficiency",
        "line2": "for some metals (another measure)",
    }])
    rule_2030 = alt.Chart(deadline).mark_rule(strokeDash=[4, 3], color=charts.colour_of("Japan")).encode(
        x=alt.X("year:Q", scale=x_scale))
    text_2030a = alt.Chart(deadline).mark_text(
        align="right", dx=-4, fontSize=11, color=charts.colour_of("Japan")).encode(
        x=alt.X("year:Q", scale=x_scale), y=alt.value(12), text="line1:N")
    text_2030b = alt.Chart(deadline).mark_text(
        align="right", dx=-4, fontSize=11, color=charts.colour_of("Japan")).encode(
        x=alt.X("year:Q", scale=x_scale), y=alt.value(26), text="line2:N")
    chart = alt.layer(rule_50, text_50, rule_2030, text_2030a, text_2030b, story, ranges, points,
                      labels).properties(width=width, height=height)
    lowest = table[table["scope"] == "single month"].iloc[0]
    jogmec = table[table["id"] == "jogmec_2024"].iloc[0]
    return charts.controls_below(charts.finish(
        chart,
        title="How much of Japan's rare earths comes from China?",
        subtitle=["Every published estimate, as stated; a vertical bar is a range",
                  "Dashed line: the 2026 news piece's 'from about 90 % to 60 %'",
                  "Pick a kind of figure under the chart to keep only those; hover a point to read it"],
        source=sources_line(list(table["source"]) + ["lepesant2025"],
                            "Several figures are second-hand; see each point's caveat."),
        description=(
            f"Scatter chart of {len(table)} estimates of China's share of Japan's rare-earth imports, "
            f"from {int(first)} to {int(last)}. They fall from more than 90 % around 2009-2010 to "
            f"about 60 % in 2025-2026; JOGMEC puts 2024 at about {jogmec['value_pct']:g} %, and a "
            f"single month, June 2012, shows {lowest['value_pct']:g} %. A dashed line marks Japan's "
            f"target of under {single['value']:g} % from any single supplier, and a vertical line "
            f"the {int(self_suff['deadline_year'])} deadline of its self-sufficiency target."
        ),
    ))


# --------------------------------------------------------------------------- the matrix
def instrument_cells() -> pd.DataFrame:
    """One row per actor and instrument (every pair, empty ones included): how many measures
    the documents report, the first three of them, and a header for the detail panel."""
    table = load_table("policy_instruments")
    sources = load_table("sources").set_index("source")
    records = []
    for actor in ACTORS:
        for instrument in INSTRUMENTS:
            rows = _cell_rows(table, actor, instrument)
            count = len(rows)
            record = {"actor": actor, "instrument": instrument, "count": count}
            for i in range(3):
                record[f"measure_{i + 1}"] = (f"{rows.iloc[i]['when']}: {rows.iloc[i]['measure']}"
                                              if i < count else "")
            record["more"] = f"{count - 3} more: click the cell" if count > 3 else ""
            record["header"] = (
                f"{actor} · {instrument}: {count} measure{'s' if count != 1 else ''} reported" if count
                else f"{actor} · {instrument}: nothing reported in the documents")
            record["sources"] = "; ".join(
                dict.fromkeys(str(sources.loc[k, "short"]) for k in rows["source"])) if count else ""
            records.append(record)
    return pd.DataFrame(records)


def _cell_rows(table: pd.DataFrame, actor: str, instrument: str) -> pd.DataFrame:
    rows = table[(table["actor"] == actor) & (table["instrument"] == instrument)].copy()
    rows["sort_year"] = rows["year"].astype("Float64").fillna(0)
    return rows.sort_values(["sort_year", "id"], kind="stable").reset_index(drop=True)


def instrument_measures() -> pd.DataFrame:
    """Every measure of data/policy_instruments.csv with its line number inside its cell and the
    texts the detail panel shows (when, measure, figure and source)."""
    table = load_table("policy_instruments")
    sources = load_table("sources").set_index("source")
    parts = []
    for actor in ACTORS:
        for instrument in INSTRUMENTS:
            rows = _cell_rows(table, actor, instrument)
            if rows.empty:
                continue
            rows["row"] = range(len(rows))
            parts.append(rows)
    measures = pd.concat(parts, ignore_index=True)
    measures["figure"] = measures["figure"].fillna("")
    measures["note"] = measures["note"].fillna("")
    measures["source_short"] = [str(sources.loc[k, "short"]) for k in measures["source"]]
    measures["detail"] = [
        (f"{f} · " if f else "") + f"source: {s}" for f, s in zip(measures["figure"], measures["source_short"])]
    return measures.drop(columns=["sort_year"])


def _first_cell(actor: str) -> str:
    table = load_table("policy_instruments")
    for instrument in INSTRUMENTS:
        if ((table["actor"] == actor) & (table["instrument"] == instrument)).any():
            return instrument
    raise ValueError(f"no measure for {actor!r} in data/policy_instruments.csv")


def instrument_matrix(focus: str = "Japan") -> alt.VConcatChart:
    """Who uses which instrument: a matrix of actors by instruments (the number of measures the
    documents report in each cell). Hover a cell to read its first measures; click it to list
    them all, with their dates, figures and sources, under the matrix."""
    if focus not in ACTORS:
        raise ValueError(f"focus must be one of {', '.join(ACTORS)}, not {focus!r}")
    cells = instrument_cells()
    measures = instrument_measures()
    start = {"actor": focus, "instrument": _first_cell(focus)}
    cell = alt.selection_point(name="cell", fields=["actor", "instrument"], value=[start],
                               on="click", clear=False, toggle=False)
    most = int(cells["count"].max())
    colour = alt.Color("count:Q", legend=None,
                       scale=alt.Scale(domain=[0, most], range=["#f5f7fa", "#1f5fa8"]))
    x = alt.X("actor:N", sort=list(ACTORS), title=None,
              axis=alt.Axis(orient="top", labelAngle=0, labelFontSize=11, labelExpr="split(datum.label, ' ')"))
    y = alt.Y("instrument:N", sort=list(INSTRUMENTS), title=None, axis=alt.Axis(labelLimit=210))
    tooltip = [alt.Tooltip("actor:N", title="Actor"), alt.Tooltip("instrument:N", title="Instrument"),
               alt.Tooltip("count:Q", title="Measures reported"),
               alt.Tooltip("measure_1:N", title="1"), alt.Tooltip("measure_2:N", title="2"),
               alt.Tooltip("measure_3:N", title="3"), alt.Tooltip("more:N", title="More")]
    grid = alt.Chart(cells).encode(x=x, y=y, tooltip=tooltip)
    rects = grid.mark_rect(stroke="white", strokeWidth=2, cursor="pointer").encode(
        color=colour,
        strokeOpacity=alt.value(1),
    ).add_params(cell)
    outline = grid.mark_rect(fill=None, stroke=charts.TEXT_COLOUR, strokeWidth=2.5).transform_filter(cell)
    counts = grid.mark_text(fontSize=12).encode(
        text=alt.Text("count:Q"),
        color=alt.when("datum.count > 4").then(alt.value("white")).otherwise(alt.value(charts.TEXT_COLOUR)),
        opacity=alt.when("datum.count == 0").then(alt.value(0.45)).otherwise(alt.value(1)),
    )
    matrix = alt.layer(rects, outline, counts).properties(width=CELL_WIDTH * len(ACTORS), height=30 * len(INSTRUMENTS))
    header = alt.Chart(cells).transform_filter(cell).mark_text(
        align="left", fontWeight="bold", fontSize=13, limit=PANEL_WIDTH).encode(
        x=alt.value(-AXIS_GUTTER), y=alt.value(8), text="header:N").properties(width=PANEL_WIDTH - AXIS_GUTTER, height=18)
    panel_data = pd.DataFrame([
        line
        for r in measures.itertuples(index=False)
        for line in (
            {"actor": r.actor, "instrument": r.instrument, "line": 2 * r.row,
             "text": f"{r.when} — {r.measure}", "style": "measure", "note": r.note},
            {"actor": r.actor, "instrument": r.instrument, "line": 2 * r.row + 1,
             "text": r.detail, "style": "detail", "note": r.note},
        )
    ])
    lines = int(panel_data["line"].max()) + 1
    panel = alt.Chart(panel_data).transform_filter(cell).mark_text(
        align="left", baseline="middle", limit=PANEL_WIDTH, fontSize=11.5).encode(
        x=alt.value(-AXIS_GUTTER),
        y=alt.Y("line:O", axis=None, scale=alt.Scale(domain=list(range(lines)))),
        text="text:N",
        color=alt.when("datum.style == 'detail'").then(alt.value(charts.MUTED_COLOUR))
                 .otherwise(alt.value(charts.TEXT_COLOUR)),
        tooltip=[alt.Tooltip("text:N", title="Line"), alt.Tooltip("note:N", title="Note")],
    ).properties(width=PANEL_WIDTH - AXIS_GUTTER, height=lines * 16)
    chart = alt.vconcat(matrix, header, panel, spacing=6)
    busiest = cells.sort_values("count", ascending=False).iloc[0]
    empty = int((cells["count"] == 0).sum())
    return charts.finish(
        chart,
        title="Who uses which instrument?",
        subtitle=["Measures the documents report, by actor and instrument (0: none reported)",
                  "Hover a cell for its first measures; click it to list them all below"],
        source=sources_line(measures["source"]),
        description=(
            f"Matrix of {len(ACTORS)} actors by {len(INSTRUMENTS)} instruments, coloured by the number "
            f"of measures the documents report ({len(measures)} in all). The fullest cell is "
            f"{busiest['actor']}, {busiest['instrument']} ({int(busiest['count'])} measures); {empty} of "
            f"{len(cells)} cells are empty. Only China uses export controls. Clicking a cell lists its "
            f"measures with their dates, figures and sources; {focus} is selected first."
        ),
    )


# --------------------------------------------------------------------------- chapter 5: money
def us_money_frame() -> pd.DataFrame:
    """The sums in dollars of data/financing.csv (US measures, private lenders, and China's
    investment in Kazakhstan for scale), largest first, with a label that shows 'of which'."""
    table = load_table("financing")
    table = table[table["currency"] == "USD"].copy()
    table["part_of"] = table["part_of"].astype(object).where(table["part_of"].notna(), None)
    amounts = dict(zip(table["id"], table["amount_million"]))
    table["shown_label"] = table["label"]
    # Largest first, each part right under the sum it belongs to.
    table["group_amount"] = [amounts.get(p, a) if p else a for p, a in zip(table["part_of"], table["amount_million"])]
    table["is_part"] = table["part_of"].notna()
    table["billion"] = table["amount_million"] / 1000
    table["amount_label"] = [_money_text(a, t) for a, t in zip(table["amount_million"], table["amount_text"])]
    table["note"] = table["note"].fillna("")
    sources = load_table("sources").set_index("source")
    table["source_short"] = [str(sources.loc[k, "short"]) for k in table["source"]]
    table = table.sort_values(["group_amount", "is_part", "amount_million"], ascending=[False, True, False])
    return table.reset_index(drop=True)


def _money_text(million: float, written: str) -> str:
    """'about 550 billion dollars' from 550000 and the text as written ('environ …')."""
    about = "about " if "environ" in written.lower() or "about" in written.lower() else ""
    if million >= 1000:
        return f"{about}{million / 1000:g} billion dollars"
    return f"{about}{million:g} million dollars"


def us_money() -> charts.ControlsBelow:
    """Dot chart on a logarithmic axis: the dollar sums named for US rare-earth and critical-
    mineral measures, from 150 million to 550 billion; click a scope in the legend."""
    table = us_money_frame()
    scopes = ["rare earths", "critical minerals", "one plant or company", "whole economic relationship"]
    scope = alt.selection_point(fields=["scope"], name="scope_pick", bind=alt.binding_radio(
        options=[None] + scopes, labels=["all"] + scopes, name="Show: "))
    colours = alt.Scale(domain=scopes, range=[charts.colour_of("United States"), "#0f8a5f", "#8c4a00",
                                              charts.MUTED_COLOUR])
    order = list(table["shown_label"])
    base = alt.Chart(table).encode(
        y=alt.Y("shown_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=230)),
        x=alt.X("billion:Q", title="Billion US dollars (log scale: each step is ten times more)",
                scale=alt.Scale(type="log", domain=[0.1, 10000]), axis=alt.Axis(format="~g")),
        opacity=alt.when(scope).then(alt.value(1)).otherwise(alt.value(0.2)),
        tooltip=[alt.Tooltip("label:N", title="Sum"), alt.Tooltip("amount_text:N", title="As written"),
                 alt.Tooltip("what:N", title="What for"), alt.Tooltip("kind:N", title="Kind"),
                 alt.Tooltip("scope:N", title="Scope"), alt.Tooltip("when:N", title="When"),
                 alt.Tooltip("source_short:N", title="Source"), alt.Tooltip("note:N", title="Caveat")],
    )
    colour = alt.Color("scope:N", scale=colours, title="What the sum covers",
                       legend=alt.Legend(columns=2, labelLimit=220))
    stems = base.mark_rule(strokeWidth=1.5).encode(x2=alt.datum(0.1), color=colour)
    dots = base.mark_circle(size=130).encode(color=colour).add_params(scope)
    text = base.mark_text(align="left", dx=9, fontSize=11).encode(text=alt.Text("amount_label:N"))
    chart = alt.layer(stems, dots, text).properties(width=330, height=28 * len(table))
    biggest = table.loc[table["amount_million"].idxmax()]
    smallest = table.loc[table["amount_million"].idxmin()]
    return charts.controls_below(charts.finish(
        chart,
        title="Dollars on the table: what the sums really cover",
        subtitle=["Sums named for US measures (and, for scale, Chinese investment in Kazakhstan)",
                  "Pick what the sums cover under the chart, to compare like with like"],
        source=sources_line(table["source"], "A sum labelled 'of which' is part of the sum above it: do not add them up."),
        description=(
            f"Dot chart on a logarithmic axis of {len(table)} sums in US dollars, from "
            f"{smallest['amount_label']} ({smallest['label']}) to {biggest['amount_label']} "
            f"({biggest['label']}), coloured by what they cover: rare earths, all critical minerals, "
            f"one company, or a whole economic relationship. The largest sum is not a rare-earth budget."
        ),
    ))


def price_floor_frame() -> pd.DataFrame:
    """NdPr oxide prices by year with the MP Materials floor and the top-up per kg it implies."""
    prices = load_table("magnet_oxide_prices")
    floors = load_table("price_floors").set_index("id")
    ndpr = prices[prices["product"] == "NdPr oxide"].sort_values("year").reset_index(drop=True)
    ndpr["year"] = ndpr["year"].astype(int)
    ndpr["floor"] = float(floors.loc["ndpr_mp", "level_usd_per_kg"])
    ndpr["top_up"] = (ndpr["floor"] - ndpr["price_usd_per_kg"]).clip(lower=0)
    return ndpr


def price_floor() -> charts.ControlsBelow:
    """NdPr oxide prices 2021-2025 against the 110 USD/kg floor of the MP Materials deal, with a
    slider to move the floor; next to it, dysprosium prices, the product lepesant2025 names."""
    ndpr = price_floor_frame()
    prices = load_table("magnet_oxide_prices")
    floors = load_table("price_floors").set_index("id")
    dysprosium = prices[prices["product"] == "Dysprosium oxide"].sort_values("year").copy()
    dysprosium["year"] = dysprosium["year"].astype(int)
    level = float(floors.loc["ndpr_mp", "level_usd_per_kg"])
    top = float(max(ndpr["price_usd_per_kg"].max(), level)) * 1.25
    floor = alt.param(name="floor", value=level, bind=alt.binding_range(
        min=0, max=round(top / 10) * 10, step=5, name="Move the floor (US dollars per kg): "))
    y_scale = alt.Scale(domain=[0, top])
    x = alt.X("year:O", title="Year", axis=alt.Axis(labelAngle=0))
    base = alt.Chart(ndpr).encode(x=x)
    topup = base.transform_calculate(top_up="max(0, floor - datum.price_usd_per_kg)").mark_bar(
        color="#f2c38b", opacity=0.9, size=34).encode(
        y=alt.Y("price_usd_per_kg:Q", scale=y_scale,
                title="NdPr oxide, average price (US dollars per kg)"),
        y2="floor_now:Q",
        tooltip=[alt.Tooltip("year:O", title="Year"),
                 alt.Tooltip("price_usd_per_kg:Q", title="Market price (USD/kg)"),
                 alt.Tooltip("floor_now:Q", title="Floor (USD/kg)", format=".0f"),
                 alt.Tooltip("top_up:Q", title="Top-up per kg (USD)", format=".0f")],
    ).transform_calculate(floor_now="max(floor, datum.price_usd_per_kg)")
    line = base.mark_line(point=alt.OverlayMarkDef(size=70, filled=True), color=charts.colour_of("United States")).encode(
        y=alt.Y("price_usd_per_kg:Q", scale=y_scale),
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("price_usd_per_kg:Q", title="Market price (USD/kg)"),
                 alt.Tooltip("note:N", title="Note")])
    values = base.mark_text(dy=-12, fontSize=11).encode(
        y=alt.Y("price_usd_per_kg:Q", scale=y_scale), text=alt.Text("price_usd_per_kg:Q", format=".0f"))
    rule = alt.Chart(pd.DataFrame([{"k": 1}])).mark_rule(strokeDash=[6, 3], strokeWidth=2,
                                                         color=charts.TEXT_COLOUR).encode(
        y=alt.Y("floor_value:Q", scale=y_scale)).transform_calculate(floor_value="floor")
    rule_text = alt.Chart(pd.DataFrame([{"k": 1}])).mark_text(align="right", dy=-7, fontSize=11).encode(
        x=alt.value(296), y=alt.Y("floor_value:Q", scale=y_scale), text="label:N").transform_calculate(
        floor_value="floor", label="'Floor: ' + format(floor, '.0f') + ' USD/kg'")
    summary = alt.Chart(ndpr).transform_calculate(
        top_up="max(0, floor - datum.price_usd_per_kg)").transform_filter(
        f"datum.year == {int(ndpr['year'].max())}").mark_text(
        align="left", fontSize=12, fontWeight="bold").encode(
        x=alt.value(0), y=alt.value(-12),
        text=alt.Text("sentence:N")).transform_calculate(
        sentence="'In ' + datum.year + ' the floor adds ' + format(datum.top_up, '.0f') + ' USD per kg'")
    left = alt.layer(topup, line, values, rule, rule_text, summary).add_params(floor).properties(
        width=300, height=300, title=alt.Title("NdPr oxide: market price and floor",
                                               subtitle="orange: what the floor tops up", fontSize=13))
    dy_chart = alt.Chart(dysprosium).encode(x=x)
    dy_line = dy_chart.mark_line(point=alt.OverlayMarkDef(size=70, filled=True), color="#8c4a00").encode(
        y=alt.Y("price_usd_per_kg:Q", title="Dysprosium oxide, average price (US dollars per kg)",
                scale=alt.Scale(domain=[0, float(dysprosium["price_usd_per_kg"].max()) * 1.25])),
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("price_usd_per_kg:Q", title="Market price (USD/kg)"),
                 alt.Tooltip("note:N", title="Note")])
    dy_text = dy_chart.mark_text(dy=-12, fontSize=11).encode(
        y=alt.Y("price_usd_per_kg:Q"), text=alt.Text("price_usd_per_kg:Q", format=".0f"))
    dy_note = alt.Chart(pd.DataFrame([{"t": "Floor: level not given (lepesant2025)"}])).mark_text(
        align="left", fontSize=11, fontStyle="italic", color=charts.MUTED_COLOUR).encode(
        x=alt.value(4), y=alt.value(10), text="t:N")
    right = alt.layer(dy_line, dy_text, dy_note).properties(
        width=200, height=300, title=alt.Title("Dysprosium oxide", subtitle="the floor lepesant2025 names",
                                               fontSize=13))
    chart = alt.hconcat(left, right, spacing=20).resolve_scale(y="independent")
    last = ndpr.iloc[-1]
    return charts.controls_below(charts.finish(
        chart,
        title="What does a price floor guarantee?",
        subtitle=["If the market pays less than the floor, the government pays the difference",
                  "Move the floor with the slider under the chart",
                  "Sources disagree on the product: NdPr oxide (MP deal) or dysprosium (lepesant2025)"],
        source=sources_line(["usgs_mcs2026", "usgs_mcs2026_heavy", "defence_mp2025", "lepesant2025"],
                            "Prices: USGS (Argus Media; Asian Metal for dysprosium); 2025 estimated. "
                            "The floor started in July 2025: earlier years show what it would have paid."),
        description=(
            f"Two line charts of yearly average prices, {int(ndpr['year'].min())} to {int(ndpr['year'].max())}. "
            f"NdPr oxide ranges from {ndpr['price_usd_per_kg'].min():.0f} to {ndpr['price_usd_per_kg'].max():.0f} "
            f"US dollars per kg against a floor of {level:.0f}; in {int(last['year'])} the floor would add "
            f"{last['top_up']:.0f} dollars per kg. Dysprosium oxide falls from "
            f"{dysprosium['price_usd_per_kg'].iloc[0]:.0f} to {dysprosium['price_usd_per_kg'].iloc[-1]:.0f} "
            f"dollars per kg; its floor has no published level."
        ),
    ))


# --------------------------------------------------------------------------- the map
def map_relations_frame() -> pd.DataFrame:
    """One row per country of the world outline tied to at least one actor: its atlas id and,
    per actor, the ties the documents name (empty when none), plus an 'All' summary."""
    relations = load_table("relations")
    ids = charts.atlas_country_ids()
    records = {}
    for row in relations.itertuples(index=False):
        atlas_name = ATLAS_NAMES.get(row.partner, row.partner)
        if atlas_name not in ids:
            raise ValueError(f"data/relations.csv: {row.partner!r} is not a country of the world outline")
        rec = records.setdefault(ids[atlas_name], {"atlas_id": ids[atlas_name], "country": row.partner})
        text = f"{row.what} ({row.when})"
        rec[row.actor] = f"{rec[row.actor]}; {text}" if row.actor in rec else text
    frame = pd.DataFrame(list(records.values()))
    for actor in MAP_ACTORS:
        if actor not in frame:
            frame[actor] = None
    frame[ALL] = [", ".join(a for a in ACTORS if isinstance(r[a], str)) for _, r in frame.iterrows()]
    frame[ALL] = "Tied to: " + frame[ALL]
    return frame.astype(object).where(frame.notna(), None)


def map_places_frame() -> pd.DataFrame:
    """The places of data/places.csv with the texts the map shows."""
    places = load_table("places").copy()
    places["note"] = places["note"].fillna("")
    places["precision_text"] = places["precision"].map({
        "site": "the site itself (approximate)", "town": "the town (approximate)",
        "region": "a whole region, drawn at its capital"})
    sources = load_table("sources").set_index("source")
    places["source_short"] = [str(sources.loc[k, "short"]) for k in places["source"]]
    places["route_order"] = places["route_order"].astype("Float64")
    return places


def partners_map(actor: str = ALL) -> charts.ControlsBelow:
    """World map of the places and partnerships the documents name, with a menu to show one
    actor's places (symbols) and the countries it is tied to (shaded)."""
    if actor not in (ALL,) + MAP_ACTORS:
        raise ValueError(f"actor must be {ALL!r} or one of {', '.join(MAP_ACTORS)}, not {actor!r}")
    places = map_places_frame()
    relations = map_relations_frame()
    lookup_fields = [ALL] + list(MAP_ACTORS)
    chosen = alt.param(name="actor", value=actor, bind=alt.binding_select(
        options=[ALL] + list(MAP_ACTORS), name="Show the places and ties of: "))
    projection = "equalEarth"
    world = alt.Chart(charts.world_countries_data()).transform_filter(
        "datum.id != '010'"  # Antarctica: no place of the documents, much space
    ).transform_lookup(
        lookup="id", from_=alt.LookupData(data=alt.InlineData(values=relations.to_dict("records")),
                                          key="atlas_id", fields=lookup_fields),
    ).transform_calculate(
        tie="datum[actor]", shade="actor",
        tie_text="isValid(datum[actor]) ? datum[actor] : 'No tie named in the documents'",
    ).mark_geoshape(stroke="white", strokeWidth=0.5).encode(
        color=alt.when("isValid(datum.tie)").then(
            alt.Color("shade:N", legend=None, scale=alt.Scale(
                domain=[ALL] + list(MAP_ACTORS),
                range=[SHADE_ALL] + [charts.colour_of(a) for a in MAP_ACTORS]))
        ).otherwise(alt.value(GREY_LAND)),
        opacity=alt.when("isValid(datum.tie)").then(alt.value(0.55)).otherwise(alt.value(1)),
        tooltip=[alt.Tooltip("properties.name:N", title="Country"), alt.Tooltip("tie_text:N", title="Ties")],
    ).project(type=projection)
    visible = "actor == 'All' || indexof(split(datum.actors, '; '), actor) >= 0"
    corridor = alt.Chart(places).transform_filter("isValid(datum.route_order)").transform_filter(
        visible).mark_line(strokeDash=[5, 3], strokeWidth=2.5, color=charts.colour_of("European Union"),
                           # no ARIA role: the line is empty for most actors, and an empty
                           # graphics-symbol without a label is an accessibility error; the
                           # chart's description and the corridor stops say where it runs.
                           aria=False).encode(
        longitude="longitude:Q", latitude="latitude:Q", order="route_order:Q").project(type=projection)
    kinds = ["mine or deposit", "refinery", "recycling and refining plant", "company base", "meeting", "corridor stop"]
    symbols = alt.Chart(places).transform_filter(visible).mark_point(
        filled=True, size=95, stroke="white", strokeWidth=1, opacity=0.95).encode(
        longitude="longitude:Q", latitude="latitude:Q",
        shape=alt.Shape("kind:N", title="Kind of place", scale=alt.Scale(
            domain=kinds, range=["triangle-up", "square", "diamond", "cross", "circle", "circle"])),
        color=alt.Color("kind:N", title="Kind of place", scale=alt.Scale(
            domain=kinds, range=["#8c4a00", "#1f2933", "#0f8a5f", "#52606d", "#b0417f", "#2f4b9c"])),
        tooltip=[alt.Tooltip("place:N", title="Place"), alt.Tooltip("what:N", title="What"),
                 alt.Tooltip("actors:N", title="Whose strategy"),
                 alt.Tooltip("precision_text:N", title="The point marks"),
                 alt.Tooltip("source_short:N", title="Source"), alt.Tooltip("note:N", title="Note")],
    ).project(type=projection)
    chart = alt.layer(world, corridor, symbols).add_params(chosen).resolve_scale(
        color="independent", shape="independent").properties(width=610, height=330)
    shown = places if actor == ALL else places[places["actors"].str.split("; ").apply(lambda a: actor in a)]
    keys = list(places["source"]) + list(places["location_source"]) + list(load_table("relations")["source"])
    return charts.controls_below(charts.finish(
        chart,
        title="Where the answers to China take place",
        subtitle=["Symbols: mines, refineries, plants and meetings named in the documents",
                  "Shaded: the countries tied to the chosen actor",
                  "Pick an actor in the menu under the map; hover a symbol or a country for details"],
        source=sources_line(keys, "Locations approximate; Texas, Goiás and Murmansk oblast are drawn at their "
                                  "capitals; the Middle Corridor line is schematic. World outline: world-atlas "
                                  "(Natural Earth)."),
        description=(
            f"World map with {len(places)} places named in the documents and {len(relations)} countries "
            f"tied to one of the actors. Showing {actor if actor != ALL else 'all actors'}: "
            f"{len(shown)} places, for example {', '.join(shown['place'].head(4))}. A menu chooses the actor; "
            f"the dashed line is the Middle Corridor from Kazakhstan to Türkiye."
        ),
    ))


# --------------------------------------------------------------------------- chapter 6: the EU
def eu_targets_frame() -> pd.DataFrame:
    """The EU's 2030 targets by stage, with the situation the documents describe."""
    targets = load_table("policy_targets")
    targets = targets[targets["actor"] == "European Union"][["stage", "value", "deadline_text", "applies_to", "source"]]
    situation = load_table("eu_situation")
    frame = targets.merge(situation, on="stage", suffixes=("_target", "_situation"))
    frame["situation_label"] = [
        "\n".join(textwrap.wrap(
            f"Today: {v:g} % ({'derived: ' if d else ''}{s[0].lower() + s[1:]})" if pd.notna(v)
            else f"Today: no figure. {s}", width=58))
        for v, s, d in zip(frame["share_pct"], frame["situation"], frame["derived"])]
    frame["target_label"] = [f"{v:g} % by 2030" for v in frame["value"]]
    frame["note"] = frame["note"].fillna("")
    order = {"extraction": 0, "refining": 1, "recycling": 2}
    return frame.sort_values("stage", key=lambda s: s.map(order)).reset_index(drop=True)


def eu_targets() -> alt.VConcatChart:
    """The EU's 2030 targets (extracted, refined, recycled) against the situation the documents
    describe; click a stage to light up the projects that could serve it on the timeline."""
    frame = eu_targets_frame()
    milestones = _milestones_frame()
    eu = milestones[milestones["actor"].isin(["European Union", "France"])].copy()
    stage_pick = alt.selection_point(fields=["stage"], name="stage_pick", on="click")
    stages = list(frame["stage"])
    y = alt.Y("stage:N", sort=stages, title=None, axis=alt.Axis(labelFontSize=13, labelFontWeight="bold"))
    x_scale = alt.Scale(domain=[0, 50])
    base = alt.Chart(frame).encode(y=y)
    target = base.mark_bar(size=22, color="#c9d3e6", cursor="pointer", yOffset=-8).encode(
        x=alt.X("value:Q", title="Share of the EU's needs (%)", scale=x_scale),
        opacity=alt.when(stage_pick).then(alt.value(1)).otherwise(alt.value(0.35)),
        tooltip=[alt.Tooltip("stage:N", title="Stage"), alt.Tooltip("target_label:N", title="Target"),
                 alt.Tooltip("applies_to:N", title="Scope of the target"),
                 alt.Tooltip("situation:N", title="Today"), alt.Tooltip("note:N", title="Note")],
    ).add_params(stage_pick)
    target_text = base.mark_text(align="left", dx=4, fontSize=11, dy=-8).encode(
        x=alt.X("value:Q", scale=x_scale), text="target_label:N")
    known = base.transform_filter("isValid(datum.share_pct)").mark_point(
        shape="diamond", size=160, filled=True, color=charts.colour_of("European Union"), yOffset=-8).encode(
        x=alt.X("share_pct:Q", scale=x_scale))
    situation = base.mark_text(align="left", baseline="top", dx=2, dy=16, fontSize=10.5, fontStyle="italic",
                               lineBreak="\n", color=charts.MUTED_COLOUR).encode(
        x=alt.value(0), text="situation_label:N")
    left = alt.layer(target, target_text, known, situation).properties(
        width=400, height=320, title=alt.Title("Targets for 2030 and the situation today", fontSize=13,
                                               subtitle="bar: target; diamond: today's share where known"))
    eu["span_end"] = eu["end_year"].fillna(eu["start_year"])
    # A milestone that serves two stages is drawn twice, once per stage, on the same spot, so
    # that clicking either stage lights it up; 'policy' milestones concern every stage.
    second = eu[eu["other_stage"].notna()].assign(stage=lambda f: f["other_stage"])
    eu_rows = pd.concat([eu, second], ignore_index=True)
    lit = ("datum.stage == 'policy' || !length(data('stage_pick_store')) "
           "|| vlSelectionTest('stage_pick_store', datum)")
    tl = alt.Chart(eu_rows).encode(
        y=alt.Y("label:N", sort=list(eu.sort_values("start_year")["label"]), title=None,
                axis=alt.Axis(labelLimit=260)),
        opacity=alt.when(lit).then(alt.value(1)).otherwise(alt.value(0.2)),
        tooltip=[alt.Tooltip("label:N", title="Milestone"), alt.Tooltip("date_text:N", title="When"),
                 alt.Tooltip("stage:N", title="Stage"), alt.Tooltip("certainty:N", title="Kind of date"),
                 alt.Tooltip("source_short:N", title="Source"), alt.Tooltip("note:N", title="Note")],
    )
    x_time = alt.X("start_year:Q", title="Year", scale=alt.Scale(domain=[2024, 2041]),
                   axis=alt.Axis(format="d"))
    spans = tl.mark_bar(size=10, color=charts.colour_of("European Union")).encode(x=x_time, x2="span_end:Q")
    dots = tl.mark_point(size=90, filled=True).encode(
        x=x_time, color=alt.Color("certainty:N", title="Kind of date", scale=_CERTAINTY_SCALE))
    deadline_year = float(milestones.loc[milestones["id"] == "eu_2030", "start_year"].iloc[0])
    deadline = alt.Chart(pd.DataFrame([{"year": deadline_year}])).mark_rule(strokeDash=[4, 3]).encode(
        x=alt.X("year:Q"))
    right = alt.layer(spans, dots, deadline).properties(
        width=400, height=170, title=alt.Title("When the projects could deliver", fontSize=13,
                                               subtitle="dashed: the 2030 deadline"))
    chart = alt.vconcat(left, right, spacing=24)
    targets_text = ", ".join(f"{r.value:g} % {r.stage}" for r in frame.itertuples())
    return charts.finish(
        chart,
        title="The EU's 2030 targets against today's situation",
        subtitle=["Click a stage (extraction, refining, recycling) to light up its projects"],
        source=sources_line(list(frame["source_target"]) + list(eu["source"]),
                            "The targets cover strategic raw materials in general, not rare earths alone."),
        description=(
            f"Bar chart of the EU's 2030 targets ({targets_text}) with today's situation: no rare-earth "
            f"mine in the EU (0 % extracted), refining mostly at one plant in Narva, recycling at Caremag (under "
            f"construction) and at another project, La Rochelle, whose state the documents do not give. A timeline of {len(eu)} EU and French milestones runs from "
            f"{int(eu['start_year'].min())} to {int(eu['span_end'].max())}; Swedish mines could open only "
            f"after the 2030 deadline."
        ),
    )


# --------------------------------------------------------------------------- milestones
_CERTAINTY_SCALE = alt.Scale(domain=["done", "scheduled", "planned", "target", "claim"],
                             range=["#1f2933", "#52606d", "#0f8a5f", "#1f5fa8", "#c0392b"])


def _year_position(text: str) -> float:
    """'2026-11' -> 2026.875 (mid-month); '2027' -> 2027.5 (mid-year)."""
    if len(text) == 4:
        return int(text) + 0.5
    year, month = text.split("-")
    return int(year) + (int(month) - 0.5) / 12


def _month_text(position: float) -> str:
    """2027.79 -> 'October 2027' (the inverse of :func:`_year_position` for a month)."""
    year = int(position)
    month = min(11, int((position - year) * 12))
    return pd.Timestamp(year=year, month=month + 1, day=1).strftime("%B %Y")


def _milestones_frame() -> pd.DataFrame:
    table = load_table("milestones").copy()
    table["start_year"] = table["start"].map(_year_position)
    table["end_year"] = table["end"].map(lambda t: _year_position(t) if isinstance(t, str) else None).astype("Float64")
    table["note"] = table["note"].fillna("")
    sources = load_table("sources").set_index("source")
    table["source_short"] = [str(sources.loc[k, "short"]) for k in table["source"]]
    return table


MONTHS_EXPR = ("['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', "
               "'October', 'November', 'December'][min(11, floor((check - floor(check)) * 12))] + ' ' + floor(check)")


def milestones_frame() -> pd.DataFrame:
    """data/milestones.csv with positions on a time axis (mid-month or mid-year)."""
    return _milestones_frame()


def bessent_timeline() -> charts.ControlsBelow:
    """Timeline of the plants, deadlines and claims the documents date, with a slider that
    moves a 'check date' (first set to the end of Bessent's 24 months): what is due by then?"""
    table = _milestones_frame()
    claim = table[table["id"] == "bessent_claim"].iloc[0]
    check = alt.param(name="check", value=float(claim["end_year"]), bind=alt.binding_range(
        min=2025, max=2041, step=0.25, name="Check date (year): "))
    table["span_end"] = table["end_year"].fillna(table["start_year"])
    order = list(table.sort_values(["start_year", "label"])["label"])
    x = alt.X("start_year:Q", title="Year", scale=alt.Scale(domain=[2024, 2041]), axis=alt.Axis(format="d"))
    base = alt.Chart(table).encode(
        y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=290)),
        opacity=alt.when("datum.start_year <= check").then(alt.value(1)).otherwise(alt.value(0.3)),
        tooltip=[alt.Tooltip("label:N", title="Milestone"), alt.Tooltip("actor:N", title="Actor"),
                 alt.Tooltip("date_text:N", title="When"), alt.Tooltip("certainty:N", title="Kind of date"),
                 alt.Tooltip("source_short:N", title="Source"), alt.Tooltip("note:N", title="Note")],
    )
    spans = base.transform_filter("isValid(datum.end_year)").mark_bar(size=9).encode(
        x=x, x2="span_end:Q", color=alt.Color("certainty:N", scale=_CERTAINTY_SCALE, legend=None))
    dots = base.mark_point(size=95, filled=True).encode(
        x=x, color=alt.Color("certainty:N", title="Kind of date", scale=_CERTAINTY_SCALE))
    rule = alt.Chart(pd.DataFrame([{"k": 1}])).transform_calculate(year="check").mark_rule(
        color=charts.colour_of("China"), strokeWidth=2).encode(x=alt.X("year:Q"))
    count = alt.Chart(table).transform_filter("datum.start_year <= check").transform_aggregate(
        due="count()").transform_calculate(
        text=f"'By ' + {MONTHS_EXPR} + ': ' + datum.due + ' of {len(table)} due'").mark_text(align="left", fontWeight="bold", fontSize=12).encode(
        x=alt.value(0), y=alt.value(-10), text="text:N")
    chart = alt.layer(spans, dots, rule, count).add_params(check).properties(width=300, height=22 * len(table))
    done = int((table["certainty"] == "done").sum())
    due = int((table["start_year"] <= claim["end_year"]).sum())
    return charts.controls_below(charts.finish(
        chart,
        title="Less than 24 months? The calendar of the alternatives",
        subtitle=["Dated plants, deadlines and claims; the red line is the check date",
                  f"It starts at the end of Bessent's 24 months ({_month_text(float(claim['end_year']))})",
                  "Move the slider: milestones due by the check date are solid, later ones faded"],
        source=sources_line(table["source"], "Several dates are plans or claims; hover for the kind of date."),
        description=(
            f"Timeline of {len(table)} milestones from {int(table['start_year'].min())} to "
            f"{int(table['span_end'].max())}: {done} have happened, the rest are plans, targets, "
            f"scheduled dates or claims. By the end of the 24 months that Treasury Secretary Bessent "
            f"gave China's leverage (October 2027), {due} of them are due; the 2030 targets, MP Materials' "
            f"new magnet plant and the Swedish mines come later."
        ),
    ))


# --------------------------------------------------------------------------- chapter 7: Caremag
def caremag_frame() -> pd.DataFrame:
    """data/caremag_plant.csv with chart labels (the 15 % marked as the company's claim)."""
    plant = load_table("caremag_plant").copy()
    plant["side_label"] = plant["side"].map({"input": "Goes in (t/yr)", "output": "Comes out (t/yr)"})
    plant["claim_label"] = [
        f"company's claim: about {c:g} % of world production" if pd.notna(c) else ""
        for c in plant["claim_pct"]]
    plant["note"] = plant["note"].fillna("")
    return plant


def caremag_money_frame() -> pd.DataFrame:
    """The Caremag rows of data/financing.csv."""
    table = load_table("financing")
    table = table[(table["currency"] == "EUR")].copy()
    table["note"] = table["note"].fillna("")
    sources = load_table("sources").set_index("source")
    table["source_short"] = [str(sources.loc[k, "short"]) for k in table["source"]]
    return table.reset_index(drop=True)


def caremag_flows() -> alt.VConcatChart:
    """Caremag at a glance: what goes in and comes out each year (company figures), and who
    pays: Japan through JOGMEC and the French state, as two flows into the plant."""
    plant = caremag_frame()
    money = caremag_money_frame()
    side_order = ["Goes in (t/yr)", "Comes out (t/yr)"]
    materials = alt.Chart(plant).encode(
        y=alt.Y("item:N", sort=list(plant["item"]), title=None, axis=alt.Axis(labelLimit=230)),
        x=alt.X("tonnes_per_year:Q", title="Tonnes per year (company figures)",
                scale=alt.Scale(domain=[0, float(plant["tonnes_per_year"].max()) * 1.35])),
        tooltip=[alt.Tooltip("item:N", title="Item"), alt.Tooltip("tonnes_per_year:Q", title="t/yr", format=","),
                 alt.Tooltip("basis:N", title="Basis"), alt.Tooltip("claim_label:N", title="Claim"),
                 alt.Tooltip("note:N", title="Note")],
    )
    bars = materials.mark_bar(size=20).encode(
        color=alt.Color("side_label:N", title=None, sort=side_order,
                        scale=alt.Scale(domain=side_order, range=["#7b8794", charts.colour_of("France")])))
    values = materials.mark_text(align="left", dx=4, fontSize=11).encode(
        text=alt.Text("tonnes_per_year:Q", format=","))
    claim = materials.transform_filter("isValid(datum.claim_pct)").mark_text(
        align="left", dx=4, dy=13, fontSize=10.5, fontStyle="italic", color="#8c4a00").encode(
        text="claim_label:N")
    left = alt.layer(bars, values, claim).properties(
        width=360, height=180, title=alt.Title("Materials (t/yr)", fontSize=13,
                                               subtitle="in: magnets and ore; out: separated oxides"))
    paid = money[money["source"] == "caremag2025"].copy()
    afp = money[money["id"] == "jp_partners_caremag"].iloc[0]
    paid["y"] = range(len(paid))
    paid["x0"], paid["x1"] = 0.0, 1.0
    node = pd.DataFrame([{"name": "Caremag (Lacq)", "x": 1.0, "y": (len(paid) - 1) / 2},
                         {"name": "Japan (long-term offtake)", "x": 2.0, "y": (len(paid) - 1) / 2}])
    max_amount = float(paid["amount_million"].max())
    paid["width"] = paid["amount_million"] / max_amount * 14
    paid["text"] = [f"{lab.split(': ')[-1]}: about {a:g} M€ ({kind})"
                    for lab, a, kind in zip(paid["label"], paid["amount_million"], paid["kind"])]
    # Labels above the upper flow and below the lower one, away from the lines.
    paid["label_y"] = [y + (0.32 if y > (len(paid) - 1) / 2 else -0.32) for y in paid["y"]]
    x = alt.X("x0:Q", axis=None, scale=alt.Scale(domain=[-0.05, 3.1]))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[-0.8, len(paid) - 0.2]))
    flows = alt.Chart(paid).mark_rule(color="#0f8a5f", opacity=0.8).encode(
        x=x, x2="x1:Q", y=y, y2="y_mid:Q", strokeWidth=alt.StrokeWidth("width:Q", scale=None),
        tooltip=[alt.Tooltip("label:N", title="Who"), alt.Tooltip("amount_text:N", title="Amount"),
                 alt.Tooltip("what:N", title="What"), alt.Tooltip("source_short:N", title="Source"),
                 alt.Tooltip("note:N", title="Caveat")],
    ).transform_calculate(y_mid=f"{(len(paid) - 1) / 2}")
    flow_text = alt.Chart(paid).mark_text(align="left", fontSize=11).encode(
        x=alt.X("x0:Q", scale=alt.Scale(domain=[-0.05, 3.1])),
        y=alt.Y("label_y:Q", axis=None, scale=alt.Scale(domain=[-0.8, len(paid) - 0.2])), text="text:N")
    offtake = alt.Chart(pd.DataFrame([{"x0": 1.0, "x1": 2.0, "y": (len(paid) - 1) / 2,
                                       "t": "heavy rare-earth oxides (volume not disclosed)"}])).mark_rule(
        strokeDash=[5, 3], strokeWidth=3, color=charts.colour_of("Japan")).encode(
        x=alt.X("x0:Q", scale=alt.Scale(domain=[-0.05, 3.1])), x2="x1:Q", y=y)
    offtake_text = alt.Chart(pd.DataFrame([{"x": 1.5, "y": (len(paid) - 1) / 2,
                                            "t": "oxides, volume not disclosed"}])).mark_text(
        dy=12, fontSize=10.5, fontStyle="italic", color=charts.colour_of("Japan")).encode(
        x=alt.X("x:Q", scale=alt.Scale(domain=[-0.05, 3.1])), y=y, text="t:N")
    nodes = alt.Chart(node).mark_text(fontWeight="bold", fontSize=12, align="left", dx=4, dy=-10).encode(
        x=alt.X("x:Q", scale=alt.Scale(domain=[-0.05, 3.1])), y=y, text="name:N")
    node_dots = alt.Chart(node).mark_point(size=160, filled=True, color=charts.TEXT_COLOUR).encode(
        x=alt.X("x:Q", scale=alt.Scale(domain=[-0.05, 3.1])), y=y)
    afp_note = alt.Chart(pd.DataFrame([{"t": f"AFP: {afp['amount_text']} from Japanese partners (JOGMEC and Iwatani)"}])).mark_text(
        align="left", fontSize=10.5, fontStyle="italic", color=charts.MUTED_COLOUR).encode(
        x=alt.value(0), y=alt.value(172), text="t:N")
    right = alt.layer(flows, flow_text, offtake, offtake_text, node_dots, nodes, afp_note).properties(
        width=400, height=180, title=alt.Title("Money in, oxides out", fontSize=13,
                                               subtitle="line width: amount in millions of euros"))
    chart = alt.vconcat(left, right, spacing=24)
    dy = plant[plant["id"] == "dy_tb_oxides"].iloc[0]
    totals = plant.groupby("side")["tonnes_per_year"].sum()
    return charts.finish(
        chart,
        title="Caremag: from magnets and ore to heavy rare-earth oxides",
        subtitle=["Company figures for the plant planned at Lacq; the 15 % is the company's own claim"],
        source=sources_line(list(plant["source"]) + list(money["source"]),
                            "Inputs and outputs are different materials: the tonnes do not add up."),
        description=(
            f"Bar chart and flow diagram of the Caremag plant. Each year it would take in "
            f"{totals['input']:,.0f} t ({', '.join(f'{r.tonnes_per_year:,.0f} t of {r.item.lower()}' for r in plant[plant.side == 'input'].itertuples())}) "
            f"and put out {totals['output']:,.0f} t of separated oxides, including {dy['tonnes_per_year']:,.0f} t of "
            f"dysprosium and terbium oxides, which the company says is about {dy['claim_pct']:g} % of world "
            f"production. Money in: "
            f"{'; '.join(f'{r.label.split(chr(58))[-1].strip()}, about {r.amount_million:g} million euros' for r in paid.itertuples())}; "
            f"Japan buys heavy rare-earth oxides in return."
        ),
    )


def caremag_coverage_frame() -> pd.DataFrame:
    """For each importer of the scenario model: its default yearly Dy/Tb need and China's share
    (with their basis), Caremag's Dy/Tb output, and the share of the need it would cover if
    all of it went to that importer."""
    plant = load_table("caremag_plant").set_index("id")
    output = float(plant.loc["dy_tb_oxides", "tonnes_per_year"])
    records = []
    for importer in sc.IMPORTERS:
        scenario = sc.default_scenario(importer, "heavy_dytb")
        params = sc.parameter_table(importer, "heavy_dytb").set_index("parameter")
        records.append({
            "importer": importer,
            "demand_t": scenario.annual_demand_t,
            "demand_basis": params.loc["annual_demand_t", "basis"],
            "china_share": scenario.china_share,
            "china_basis": params.loc["china_share", "basis"],
            "caremag_t": output,
            "cover_all": output / scenario.annual_demand_t,
            "cover_china_all": output / (scenario.annual_demand_t * scenario.china_share),
        })
    return pd.DataFrame(records)


def caremag_coverage() -> charts.ControlsBelow:
    """How much of an importer's dysprosium and terbium need could Caremag cover? Pick the
    importer, the share of Caremag's output it gets and how hard the plant runs."""
    frame = caremag_coverage_frame()
    importer = alt.param(name="importer", value="Japan", bind=alt.binding_radio(
        options=list(sc.IMPORTERS), name="Importer: "))
    sent = alt.param(name="sent_pct", value=100, bind=alt.binding_range(
        min=0, max=100, step=5, name="Share of Caremag's Dy/Tb oxides it gets (%): "))
    running = alt.param(name="running_pct", value=100, bind=alt.binding_range(
        min=0, max=100, step=5, name="Plant running at (% of capacity): "))
    long = frame.melt(id_vars=["importer", "demand_t", "demand_basis", "china_share", "china_basis", "caremag_t"],
                      value_vars=["cover_all", "cover_china_all"], var_name="measure", value_name="unused")
    long["measure_label"] = long["measure"].map({
        "cover_all": "of its whole Dy/Tb need", "cover_china_all": "of what it now gets from China"})
    long["denominator"] = [d if m == "cover_all" else d * c
                           for d, c, m in zip(long["demand_t"], long["china_share"], long["measure"])]
    base = alt.Chart(long).transform_filter("datum.importer == importer").transform_calculate(
        supplied="datum.caremag_t * sent_pct / 100 * running_pct / 100",
        cover="datum.supplied / datum.denominator",
        shown="min(datum.cover, 1)",
        text="datum.cover > 1 ? format(datum.cover, '.1f') + ' times as much' : format(datum.cover, '.0%')",
    ).encode(y=alt.Y("measure_label:N", title=None, sort=["of its whole Dy/Tb need", "of what it now gets from China"],
                     axis=alt.Axis(labelLimit=220, labelFontSize=12)))
    back = alt.Chart(long).transform_filter("datum.importer == importer").mark_bar(
        size=24, color="#eef0f3").encode(
        y=alt.Y("measure_label:N", sort=["of its whole Dy/Tb need", "of what it now gets from China"]),
        x=alt.datum(1))
    bars = base.mark_bar(size=24, color=charts.colour_of("France")).encode(
        x=alt.X("shown:Q", title="Share covered by Caremag", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%")),
        tooltip=[alt.Tooltip("importer:N", title="Importer"),
                 alt.Tooltip("supplied:Q", title="Caremag oxides sent (t/yr)", format=",.0f"),
                 alt.Tooltip("denominator:Q", title="Need counted (t/yr)", format=",.0f"),
                 alt.Tooltip("cover:Q", title="Covered", format=".0%")])
    text = base.mark_text(align="left", dx=6, fontSize=12, fontWeight="bold").encode(
        x=alt.X("shown:Q", scale=alt.Scale(domain=[0, 1])), text="text:N")
    facts = alt.Chart(frame).transform_filter("datum.importer == importer").transform_calculate(
        line1="'Need assumed: ' + format(datum.demand_t, ',.0f') + ' t/yr of Dy and Tb (' + datum.demand_basis + "
              "', scenario model default)'",
        line2="'China\\'s share of its supply: ' + format(datum.china_share, '.0%') + ' (' + datum.china_basis + ')'",
        line3="'Caremag output: ' + format(datum.caremag_t, ',.0f') + ' t/yr of Dy and Tb oxides (company figure); "
              "the two sliders are your assumptions'",
    )
    fact_lines = [facts.mark_text(align="left", fontSize=11, color=charts.MUTED_COLOUR).encode(
        x=alt.value(-COVERAGE_GUTTER), y=alt.value(12 + 16 * i), text=f"line{i + 1}:N") for i in range(3)]
    chart = alt.vconcat(
        alt.layer(back, bars, text).add_params(importer, sent, running).properties(width=300, height=90),
        alt.layer(*fact_lines).properties(width=300, height=52), spacing=4)
    japan = frame[frame["importer"] == "Japan"].iloc[0]
    return charts.controls_below(charts.finish(
        chart,
        title="Could Caremag cover an importer's heavy rare-earth needs?",
        subtitle=["Pick an importer and move the sliders under the chart",
                  "The need is the scenario model's default: an assumption where no source gives it"],
        source=sources_line(["caremag2025", "usgs_mcs2026_heavy", "lepesant2025", "japan2026"],
                            "Needs and shares: data/scenario_parameters.csv (basis in brackets)."),
        description=(
            f"Bar chart of the share of an importer's yearly dysprosium and terbium need that Caremag's "
            f"{japan['caremag_t']:,.0f} t of oxides would cover. With all of it going to Japan at full capacity, "
            f"against an assumed need of {japan['demand_t']:,.0f} t, it would cover "
            f"{japan['cover_all']:.1f} times the need; a radio button picks the United States or the EU and two "
            f"sliders set the share sent and the running rate."
        ),
    ))


# --------------------------------------------------------------------------- chapter 8: scoreboard
SCOREBOARD_PRESETS = ("Expiry in November 2026", "April 2025 licences", "2010 halt of shipments to Japan")
LEVERS = (
    ("Stockpiles", "stockpile_days"),
    ("Recycling", "recycling_share"),
    ("Substitutes", "substitution"),
    ("Alliances and new supply", "other_supply_growth"),
)
NO_LEVER = "No lever (the preset as it is)"
ALL_LEVERS = "All four together"


def _lever_value_text(field: str, value: float, unit: str) -> str:
    if field == "stockpile_days":
        return f"stocks of {value:g} days"
    if field == "other_supply_growth":
        return f"non-Chinese supply +{value * 100:g} % a year"
    return f"{value * 100:g} % of demand"


def _score_sentence(scenario: sc.Scenario, summary: dict, base_demand: float) -> str:
    """Like :func:`widgets.scenario.describe`, but the unmet share is measured against the
    demand without any lever, as in the scoreboard chart."""
    who = {"Japan": "Japan", "United States": "The United States",
           "European Union": "The European Union"}[scenario.importer]
    horizon = summary["horizon_months"]
    covered = summary["months_covered_by_stock"]
    first = summary["first_shortage_month"]
    stocks = f"stocks cover {covered} month{'s' if covered != 1 else ''}" if covered else "no stock to draw on"
    if first is None:
        return f"{who} never runs short over {horizon} months; {stocks}."
    share = summary["unmet_tonnes"] / base_demand
    shown = "less than 1 %" if 0 < share < 0.005 else f"{round(share * 100)} %"
    return (f"{who} runs short in month {first}; {stocks}; unmet demand over {horizon} months: "
            f"{shown} of the demand without any lever.")


def scoreboard_frame(presets: Iterable[str] = SCOREBOARD_PRESETS) -> pd.DataFrame:
    """For each preset and each answer (lever), the unmet demand the scenario model gives when
    that lever is set to the high end of its range (data/scenario_parameters.csv), the others
    staying at the preset's values; plus 'no lever' and 'all four together'. Unmet demand is
    shown as a share of the preset's demand without any lever (substitution lowers demand
    itself, so its own unmet share would not compare)."""
    records = []
    for name in presets:
        base = sc.preset(name)
        params = sc.parameter_table(base.importer, base.element_group).set_index("parameter")
        base_summary = sc.summarize(base)
        demand = base_summary["demand_tonnes"]
        settings = {}
        rows = [(NO_LEVER, {}, "")]
        for label, field in LEVERS:
            value = sc._as_field_value(field, params.loc[field, "high"])
            settings[field] = value
            basis = f"{params.loc[field, 'basis']}: {params.loc[field, 'note']}"
            rows.append((label, {field: value}, basis))
        rows.append((ALL_LEVERS, dict(settings), "each lever at the high end of its range"))
        for label, changes, basis in rows:
            scenario = base.with_changes(**changes) if changes else base
            summary = sc.summarize(scenario)
            field = next(iter(changes)) if len(changes) == 1 else ""
            records.append({
                "preset": name, "lever": label, "field": field,
                "setting": (_lever_value_text(field, changes[field], params.loc[field, "unit"]) if field
                            else "; ".join(_lever_value_text(f, v, "") for f, v in changes.items()) or
                            f"stocks of {base.stockpile_days:g} days; recycling {base.recycling_share * 100:g} %; "
                            f"substitution {base.substitution * 100:g} %; supply growth {base.other_supply_growth * 100:g} %"),
                "preset_value": (getattr(base, field) if field else None),
                "basis": basis,
                "unmet_tonnes": summary["unmet_tonnes"],
                "unmet_share_of_base": summary["unmet_tonnes"] / demand,
                "first_shortage_month": summary["first_shortage_month"],
                "months_covered_by_stock": summary["months_covered_by_stock"],
                "sentence": _score_sentence(scenario, summary, demand),
                "link": explorer_link(name, **changes),
            })
    frame = pd.DataFrame(records)
    frame["first_shortage_month"] = frame["first_shortage_month"].astype("Int64")
    return frame


def scoreboard(preset: str = SCOREBOARD_PRESETS[0]) -> charts.ControlsBelow:
    """What each answer buys: unmet demand in the scenario model under a restriction, without a
    lever and with each of stockpiles, recycling, substitutes and new supply pushed to the high
    end of its range. A menu picks the restriction; clicking a bar opens the explorer there."""
    frame = scoreboard_frame()
    if preset not in SCOREBOARD_PRESETS:
        raise ValueError(f"preset must be one of {', '.join(SCOREBOARD_PRESETS)}, not {preset!r}")
    frame["percent_text"] = [f"{v:.0%}" if v >= 0.005 or v == 0 else "< 1 %" for v in frame["unmet_share_of_base"]]
    frame["first_text"] = [f"month {int(m)}" if pd.notna(m) else "never" for m in frame["first_shortage_month"]]
    chosen = alt.param(name="restriction", value=preset, bind=alt.binding_select(
        options=list(SCOREBOARD_PRESETS), name="Restriction: "))
    order = [NO_LEVER] + [label for label, _ in LEVERS] + [ALL_LEVERS]
    colours = alt.Scale(domain=order, range=["#7b8794", "#7b3fa0", "#0f8a5f", "#c2a200", "#1f5fa8", "#1f2933"])
    base = alt.Chart(frame).transform_filter("datum.preset == restriction").encode(
        y=alt.Y("lever:N", sort=order, title=None, axis=alt.Axis(labelLimit=220, labelFontSize=12)))
    top = float(frame["unmet_share_of_base"].max())
    bars = base.mark_bar(size=22, cursor="pointer").encode(
        x=alt.X("unmet_share_of_base:Q", title="Unmet demand over the horizon (% of demand without any lever)",
                axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, max(top * 1.2, 0.05)])),
        color=alt.Color("lever:N", scale=colours, legend=None),
        href="link:N",
        tooltip=[alt.Tooltip("lever:N", title="Answer"), alt.Tooltip("setting:N", title="Setting"),
                 alt.Tooltip("sentence:N", title="Result"),
                 alt.Tooltip("first_text:N", title="First shortage"),
                 alt.Tooltip("basis:N", title="Basis of the setting"),
                 alt.Tooltip("link:N", title="Click to open")],
    )
    text = base.mark_text(align="left", dx=5, fontSize=12).encode(
        x=alt.X("unmet_share_of_base:Q"), text="percent_text:N")
    chart = alt.layer(bars, text).add_params(chosen).properties(width=430, height=230)
    shown = frame[frame["preset"] == preset].set_index("lever")
    best = shown.drop(index=[NO_LEVER, ALL_LEVERS])["unmet_tonnes"].idxmin()
    return charts.controls_below(charts.finish(
        chart,
        title="What does each answer buy?",
        subtitle=["Unmet demand in the scenario model under one restriction",
                  "Each answer is pushed to the high end of its range, one at a time",
                  "Pick the restriction in the menu; click a bar to open the explorer with that setting"],
        source=wrap("Source: the scenario model (widgets/scenario.py) with its defaults and presets, "
                    "data/scenario_parameters.csv and data/scenario_presets.csv; most settings are assumptions."),
        description=(
            f"Bar chart of unmet demand under the restriction '{preset}': {shown.loc[NO_LEVER, 'percent_text']} "
            f"without a lever, and with each answer at the high end of its range: "
            + "; ".join(f"{label.lower()} {shown.loc[label, 'percent_text']}" for label, _ in LEVERS)
            + f"; all four together {shown.loc[ALL_LEVERS, 'percent_text']}. The single answer that buys most "
            f"here is {best.lower()}. A menu switches to {len(SCOREBOARD_PRESETS) - 1} other restrictions."
        ),
    ))


def scoreboard_table(preset: str = SCOREBOARD_PRESETS[0]):
    """The scoreboard as an HTML table, one row per answer, each with a link that opens the
    scenario explorer on the preset with that answer applied."""
    from IPython.display import HTML

    frame = scoreboard_frame([preset])
    rows = []
    for r in frame.itertuples(index=False):
        rows.append(
            "<tr>"
            f"<td>{html.escape(r.lever)}</td><td>{html.escape(r.setting)}</td>"
            f"<td>{html.escape(r.sentence)}</td>"
            f"<td><a href=\"{html.escape(r.link)}\">open in the explorer</a></td>"
            "</tr>")
    table = (
        f"<table class=\"scoreboard\"><caption>Scenario '{html.escape(preset)}': each answer at the high end "
        "of its range</caption><thead><tr><th scope=\"col\">Answer</th><th scope=\"col\">Setting</th>"
        "<th scope=\"col\">Result in the model</th><th scope=\"col\">Explore</th></tr></thead><tbody>"
        + "".join(rows) + "</tbody></table>")
    return HTML(table)


def figure_functions() -> dict:
    """Every chart function of this module (for tests and the instructor guide)."""
    return {
        "japan_import_share": japan_import_share,
        "instrument_matrix": instrument_matrix,
        "us_money": us_money,
        "price_floor": price_floor,
        "partners_map": partners_map,
        "eu_targets": eu_targets,
        "bessent_timeline": bessent_timeline,
        "caremag_flows": caremag_flows,
        "caremag_coverage": caremag_coverage,
        "scoreboard": scoreboard,
    }
