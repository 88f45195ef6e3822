"""Who uses which instrument: the matrix of actors by policy instruments (chapters 4 and 8)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from widgets import charts
from widgets.data import load_table
from widgets.sources import credit, notes, short, shorts
from widgets.text import column_or_empty

ACTORS = ("Japan", "South Korea", "India", "United States", "European Union", "France", "China")
INSTRUMENTS = (
    "stockpiles",
    "recycling",
    "state stakes in mines and plants",
    "laws, subsidies and tax credits",
    "price floors",
    "alliances and trade agreements",
    "diplomacy",
    "export controls and market access",
)
CELL_WIDTH = 62  # pixels per actor column of the matrix
PANEL_WIDTH = 640  # pixels of the detail panel under the matrix (the page column is about 690)
# the panel starts this far left of the matrix, under its row labels (shorter on a phone)
AXIS_GUTTER = 200
PHONE_GUTTER = 140
PHONE_CHARACTERS = 50  # what fits on a line of the panel on a phone (335 px at 11.5 px)


# --------------------------------------------------------------------------- the matrix
def instrument_cells() -> pd.DataFrame:
    """One row per actor and instrument (every pair, empty ones included): how many measures
    the documents report, the first three of them, and a header for the detail panel."""
    table = load_table("policy_instruments")
    records = []
    for actor in ACTORS:
        for instrument in INSTRUMENTS:
            rows = _cell_rows(table, actor, instrument)
            count = len(rows)
            record = {"actor": actor, "instrument": instrument, "count": count}
            for i in range(3):
                record[f"measure_{i + 1}"] = (
                    f"{rows.iloc[i]['when']}: {rows.iloc[i]['measure']}" if i < count else ""
                )
            record["more"] = f"{count - 3} more: click the cell" if count > 3 else ""
            reported = (
                f"{count} measure{'s' if count != 1 else ''} reported"
                if count
                else "nothing reported in the documents"
            )
            record["header"] = f"{actor} · {instrument}: {reported}"
            # on a phone's column, on two lines (the cell, then what it holds)
            record["header_lines"] = f"{actor} · {instrument}:\n{reported}"
            record["sources"] = "; ".join(shorts(rows["source"])) if count else ""
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
    parts = []
    for actor in ACTORS:
        for instrument in INSTRUMENTS:
            rows = _cell_rows(table, actor, instrument)
            if rows.empty:
                continue
            rows["row"] = range(len(rows))
            parts.append(rows)
    measures = pd.concat(parts, ignore_index=True)
    measures["figure"] = column_or_empty(measures["figure"])
    measures["note"] = notes(measures["note"])
    measures["source_short"] = measures["source"].map(short)
    measures["detail"] = [
        (f"{f} · " if f else "") + f"source: {s}"
        for f, s in zip(measures["figure"], measures["source_short"], strict=True)
    ]
    return measures.drop(columns=["sort_year"])


def _first_cell(actor: str) -> str:
    table = load_table("policy_instruments")
    for instrument in INSTRUMENTS:
        if ((table["actor"] == actor) & (table["instrument"] == instrument)).any():
            return instrument
    raise ValueError(f"no measure for {actor!r} in data/policy_instruments.csv")


# Cells of DARK_FROM or more measures are dark, with white counts; lighter cells have dark counts.
# The scale jumps between the two (PALE_BLUE to BLUE), because a continuous blue passes through
# mid tones on which neither white nor dark text reaches 4.5:1 (in light or dark mode).
DARK_FROM = 5


def count_scale(most: int) -> alt.Scale:
    """The cells' colour by number of measures: FAINT to PALE_BLUE below :data:`DARK_FROM`,
    BLUE to NAVY from it (in dark mode the counterparts, lighter as the count grows)."""
    if most < DARK_FROM:
        return alt.Scale(domain=[0, max(most, 1)], range=[charts.FAINT, charts.PALE_BLUE])
    return alt.Scale(
        domain=[0, DARK_FROM - 1, DARK_FROM, max(most, DARK_FROM + 1)],
        range=[charts.FAINT, charts.PALE_BLUE, charts.BLUE, charts.NAVY],
    )


def instrument_matrix(focus: str = "Japan") -> alt.VConcatChart:
    """Who uses which instrument: a matrix of actors by instruments (the number of measures the
    documents report in each cell). Hover a cell to read its first measures; click it to list
    them all, with their dates, figures and sources, under the matrix."""
    if focus not in ACTORS:
        raise ValueError(f"focus must be one of {', '.join(ACTORS)}, not {focus!r}")
    cells = instrument_cells()
    measures = instrument_measures()
    start = {"actor": focus, "instrument": _first_cell(focus)}
    cell = alt.selection_point(
        name="cell",
        fields=["actor", "instrument"],
        value=[start],
        on="click",
        clear=False,
        toggle=False,
    )
    colour = alt.Color("count:Q", legend=None, scale=count_scale(int(cells["count"].max())))
    x = alt.X(
        "actor:N",
        sort=list(ACTORS),
        title=None,
        # two-word names on two lines, lifted so that the second stays clear of the cells; on a phone's column the names stand upright on their narrower columns
        axis=alt.Axis(
            orient="top",
            labelFontSize=11,
            labelAngle=charts.on_a_phone(-90, 0),
            labelAlign=charts.on_a_phone("left", "center"),
            labelBaseline=charts.on_a_phone("middle", "alphabetic"),
            labelPadding=charts.on_a_phone(4, 17),  # a second line ends above the cells
            labelExpr=f"containerSize()[0] < {charts.NARROW} ? datum.label "
            ": split(datum.label, ' ')",
        ),
    )
    y = alt.Y(
        "instrument:N",
        sort=list(INSTRUMENTS),
        title=None,
        # on a phone's column, the longer names on two lines (a row is 30 px high)
        axis=alt.Axis(
            labelLimit=charts.label_limit(210, PHONE_GUTTER - 12),
            labelExpr=charts.lines_on_a_phone(INSTRUMENTS, 20),
        ),
    )
    tooltip = [
        alt.Tooltip("actor:N", title="Actor"),
        alt.Tooltip("instrument:N", title="Instrument"),
        alt.Tooltip("count:Q", title="Measures reported"),
        alt.Tooltip("measure_1:N", title="1"),
        alt.Tooltip("measure_2:N", title="2"),
        alt.Tooltip("measure_3:N", title="3"),
        alt.Tooltip("more:N", title="More"),
    ]
    grid = alt.Chart(cells).encode(x=x, y=y, tooltip=tooltip)
    rects = (
        grid.mark_rect(stroke="white", strokeWidth=2, cursor="pointer")
        .encode(
            color=colour,
            strokeOpacity=alt.value(1),
        )
        .add_params(cell)
    )
    outline = grid.mark_rect(
        fill=None, stroke=charts.TEXT_COLOUR, strokeWidth=2.5
    ).transform_filter(cell)
    counts = grid.mark_text(fontSize=12).encode(
        text=alt.Text("count:Q"),
        color=alt.when(f"datum.count >= {DARK_FROM}")
        .then(alt.value(charts.WHITE))
        .otherwise(alt.value(charts.TEXT_COLOUR)),
        opacity=alt.when("datum.count == 0").then(alt.value(0.45)).otherwise(alt.value(1)),
    )
    matrix = alt.layer(rects, outline, counts).properties(
        width=CELL_WIDTH * len(ACTORS), height=30 * len(INSTRUMENTS)
    )
    header = (
        alt.Chart(cells)
        .transform_filter(cell)
        .transform_calculate(shown=charts.phone_or_wide("header_lines", "header"))
        .mark_text(
            align="left",
            fontWeight="bold",
            fontSize=13,
            lineBreak="\n",
            limit=charts.on_a_phone(335, PANEL_WIDTH),
            x=charts.on_a_phone(-PHONE_GUTTER, -AXIS_GUTTER),
        )
        .encode(y=alt.value(8), text="shown:N")
        .properties(width=PANEL_WIDTH - AXIS_GUTTER, height=34)
    )
    # The panel's lines, laid out twice: on a laptop each measure takes two lines (what, then
    # its detail and source), on a phone's narrower column each is cut into lines that fit it
    # (PHONE_CHARACTERS) instead of being cut short at the column's edge. The panel is as tall
    # as the chosen cell's lines.
    lines = []
    for r in measures.itertuples(index=False):
        texts = [(f"{r.when} — {r.measure}", "measure"), (r.detail, "detail")]
        keys = {"actor": r.actor, "instrument": r.instrument, "note": r.note, "whole": ""}
        for text, style in texts:
            lines.append(
                {
                    **keys,
                    "layout": "wide",
                    "order": len(lines),
                    "text": text,
                    "style": style,
                    "whole": text,
                }
            )
            for part in charts.wrap_lines(text, PHONE_CHARACTERS):
                lines.append(
                    {
                        **keys,
                        "layout": "phone",
                        "order": len(lines),
                        "text": part,
                        "style": style,
                        "whole": text,
                    }
                )
    panel_data = pd.DataFrame(lines)
    panel = (
        alt.Chart(panel_data)
        .transform_filter(cell)
        .transform_filter(
            f"datum.layout == (containerSize()[0] < {charts.NARROW} ? 'phone' : 'wide')"
        )
        .mark_text(
            align="left",
            baseline="middle",
            limit=charts.on_a_phone(335, PANEL_WIDTH),
            fontSize=11.5,
            x=charts.on_a_phone(-PHONE_GUTTER, -AXIS_GUTTER),
        )
        .encode(
            y=alt.Y("order:O", axis=None),
            text="text:N",
            color=alt.when("datum.style == 'detail'")
            .then(alt.value(charts.MUTED_COLOUR))
            .otherwise(alt.value(charts.TEXT_COLOUR)),
            tooltip=[alt.Tooltip("whole:N", title="Line"), alt.Tooltip("note:N", title="Note")],
        )
        .properties(width=PANEL_WIDTH - AXIS_GUTTER, height=alt.Step(16))
    )
    chart = alt.vconcat(matrix, header, panel, spacing=6)
    busiest = cells.sort_values("count", ascending=False).iloc[0]
    empty = int((cells["count"] == 0).sum())
    return charts.finish(
        chart,
        title="Who uses which instrument?",
        subtitle=[
            "Measures the documents report, by actor and instrument (0: none reported)",
            "Hover or tap a cell for its first measures; click it to list them all below",
        ],
        source=credit(measures["source"]),
        description=(
            f"Matrix of {len(ACTORS)} actors by {len(INSTRUMENTS)} instruments, coloured by the number "
            f"of measures the documents report ({len(measures)} in all). The fullest cell is "
            f"{busiest['actor']}, {busiest['instrument']} ({int(busiest['count'])} measures); {empty} of "
            f"{len(cells)} cells are empty. Only China uses export controls. Clicking a cell lists its "
            f"measures with their dates, figures and sources; {focus} is selected first."
        ),
    )
