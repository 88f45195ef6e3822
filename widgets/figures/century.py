"""A century of rare-earth mine production, world and United States, with the events that shaped
it marked above (chapter 2)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from widgets import charts
from widgets.data import load_table
from widgets.sources import credit, notes, shorts
from widgets.text import when_text, year_ranges


def world_production_series() -> pd.DataFrame:
    """World and US mine production per year (preferred USGS vintage), long format."""
    table = load_table("world_production")
    table = table[table["preferred"]].sort_values("year")
    long = table.melt(
        id_vars=["year", "source", "note"],
        value_vars=["world_t_reo", "us_t_reo"],
        var_name="series",
        value_name="tonnes",
    )
    long["country"] = long["series"].map({"world_t_reo": "World", "us_t_reo": "United States"})
    long = long.dropna(subset=["tonnes"])
    long["tonnes"] = long["tonnes"].astype(float)
    long["year"] = long["year"].astype(int)
    long["note"] = notes(long["note"])
    return long[["year", "country", "tonnes", "source", "note"]].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Chapter 2: a century of production, with the events that shaped it
# --------------------------------------------------------------------------------------------

MILESTONE_KINDS = ("industry", "policy", "production")
MILESTONES_UNTIL = 2012  # later industry news is left to the chapters; controls are all marked
RECENT_CONTROLS_FROM = 2023  # the export controls from this year on share one marker
LABEL_PX_PER_CHAR = 6.3  # width of an 11 px label character, to keep labels from overlapping


def world_production_events(first_year: int, last_year: int) -> pd.DataFrame:
    """The events marked on the century chart, one row per marker.

    From data/events.csv: China's and the United States' industry, policy and production
    milestones up to MILESTONES_UNTIL, and every Chinese export control up to ``last_year``. The
    controls from RECENT_CONTROLS_FROM on form one marker; other events of one year share one.
    Columns: year, label, when, events, sources, row (the label's line, so labels never overlap).
    """
    events = load_table("events")
    first_actor = events["actors"].str.split("; ").str[0]
    milestone = (
        events["kind"].isin(MILESTONE_KINDS)
        & first_actor.isin(["China", "United States"])
        & (events["year"] <= MILESTONES_UNTIL)
    )
    control = (events["kind"] == "export control") & (first_actor == "China")
    chosen = events[(milestone | control) & events["year"].between(first_year, last_year)].copy()
    chosen = chosen.sort_values(["date"])
    recent = (chosen["kind"] == "export control") & (chosen["year"] >= RECENT_CONTROLS_FROM)
    chosen["group"] = chosen["year"].astype(int).astype(str).where(~recent, "recent")
    markers = []
    for _, rows in chosen.groupby("group", sort=False):
        years = sorted(set(rows["year"].astype(int)))
        if len(years) > 1:
            label = f"{years[0]}-{years[-1]}: {len(rows)} export controls"
            when = f"{years[0]}-{years[-1]}"
        else:
            first = rows.iloc[0]
            precision = "decade" if first["date_precision"] == "decade" else "year"
            when = when_text(str(first["date"]), precision)
            label = f"{when}: {first['title']}"
        markers.append(
            {
                "year": years[-1] if len(years) > 1 else years[0],
                "years": years,
                "label": label,
                "when": when,
                "events": " · ".join(
                    f"{when_text(str(r.date), str(r.date_precision))}: {r.title}"
                    for r in rows.itertuples()
                ),
                "sources": "; ".join(shorts(rows["source"])),
            }
        )
    frame = pd.DataFrame(markers)
    # one layout of the labels for a laptop's plot, one for a phone's (more lines: the labels
    # are as long and the plot half as wide)
    frame["row"] = _label_rows(frame, first_year, last_year, charts.PLOT_WIDTH)
    frame["phone_row"] = _label_rows(frame, first_year, last_year, charts.PHONE_PLOT_WIDTH)
    frame["align"] = [_align(y, first_year, last_year) for y in frame["year"]]
    return frame


def _align(year: float, first: float, last: float) -> str:
    return "right" if (year - first) / (last - first) > 0.5 else "left"


def _label_rows(frame: pd.DataFrame, first: float, last: float, width: float) -> list[int]:
    """Greedy layout on a plot ``width`` px wide: each label goes on the first line where it
    overlaps no other label."""
    taken: list[list[tuple[float, float]]] = []
    rows = []
    for year, label in zip(frame["year"], frame["label"], strict=True):
        x = (year - first) / (last - first) * width
        width = len(label) * LABEL_PX_PER_CHAR + 12
        span = (x - width, x) if _align(year, first, last) == "right" else (x, x + width)
        for i, spans in enumerate(taken):
            if all(span[1] < a or span[0] > b for a, b in spans):
                spans.append(span)
                rows.append(i)
                break
        else:
            taken.append([span])
            rows.append(len(taken) - 1)
    return rows


def world_production() -> alt.VConcatChart:
    """Line chart: world and US rare-earth mine production, 1900-2025 (t REO), with the events
    that shaped it marked above (details on hover)."""
    series = world_production_series()
    first, last = int(series["year"].min()), int(series["year"].max())
    line = charts.time_series(
        series,
        x="year",
        y="tonnes",
        series="country",
        x_title="Year",
        y_title="Mine production (tonnes of rare-earth oxide)",
        tooltip=[
            alt.Tooltip("country:N", title="Series"),
            alt.Tooltip("year:Q", title="Year", format="d"),
            alt.Tooltip("tonnes:Q", title="Tonnes REO", format=","),
            alt.Tooltip("note:N", title="Note"),
        ],
    )
    line.encoding.x.scale = alt.Scale(domain=[first, last], nice=False)
    markers = world_production_events(first, last)
    rule_years = markers.explode("years")[["years", "when", "events", "sources"]].rename(
        columns={"years": "year"}
    )
    detail = [
        alt.Tooltip("when:N", title="When"),
        alt.Tooltip("events:N", title="Events"),
        alt.Tooltip("sources:N", title="Sources"),
    ]
    rules = (
        alt.Chart(rule_years)
        .mark_rule(color=charts.MUTED_COLOUR, strokeDash=[3, 3], strokeWidth=1.5)
        .encode(x="year:Q", tooltip=detail)
    )
    x_shared = alt.X("year:Q", axis=None, scale=alt.Scale(domain=[first, last], nice=False))
    base = (
        alt.Chart(markers)
        .transform_calculate(line=charts.phone_or_wide("phone_row", "row"))
        .encode(x=x_shared, y=alt.Y("line:O", axis=None), tooltip=detail)
    )
    dots = base.mark_point(filled=True, size=45, color=charts.TEXT_COLOUR)
    left = (
        base.transform_filter("datum.align == 'left'")
        .mark_text(align="left", dx=6, fontSize=11, color=charts.TEXT_COLOUR)
        .encode(text="label:N")
    )
    right = (
        base.transform_filter("datum.align == 'right'")
        .mark_text(align="right", dx=-6, fontSize=11, color=charts.TEXT_COLOUR)
        .encode(text="label:N")
    )
    strip = (dots + left + right).properties(height=alt.Step(15))
    # Rules under the line, so that hovering a year on the line still shows its figure.
    chart = alt.vconcat(strip, rules + line, spacing=2).resolve_scale(x="shared")
    world = series[series.country == "World"].set_index("year")["tonnes"]
    us = series[series.country == "United States"].set_index("year")["tonnes"]
    us_peak_year = int(us.idxmax())
    us_zero = [int(y) for y in us[us == 0].index]
    return charts.finish(
        chart,
        title=f"World rare-earth mine production, {first}-{last}",
        subtitle=[
            "World total and United States; dots and dashed lines mark events (hover or tap for details).",
            "Figures after 2022 are rounded estimates.",
        ],
        source=credit(
            series["source"],
            "Events: the timeline of the Data page (each with its source: hover or tap).",
            width=110,
        ),
        description=(
            f"Line chart of world and US rare-earth mine production from {first} to {last}, in "
            f"tonnes of rare-earth oxide. World output stays under {world.loc[:1960].max():,.0f} "
            f"tonnes until 1960 and reaches about {world.loc[last]:,.0f} tonnes in {last}. "
            f"US output peaks at {us.loc[us_peak_year]:,.0f} tonnes in {us_peak_year} and is zero in "
            f"{year_ranges(us_zero)}. Marked events: " + "; ".join(markers["label"]) + "."
        ),
    )
