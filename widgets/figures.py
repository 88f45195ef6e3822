"""The book's charts: each function picks its table in ``data/`` and calls a builder of
:mod:`widgets.charts`. A chapter shows a chart with one call, e.g. ``figures.world_production()``.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from widgets import charts
from widgets.data import load_table, source_of


def world_production_series() -> pd.DataFrame:
    """World and US mine production per year (preferred USGS vintage), long format."""
    table = load_table("world_production")
    table = table[table["preferred"]].sort_values("year")
    long = table.melt(id_vars=["year", "source", "note"], value_vars=["world_t_reo", "us_t_reo"],
                      var_name="series", value_name="tonnes")
    long["country"] = long["series"].map({"world_t_reo": "World", "us_t_reo": "United States"})
    long = long.dropna(subset=["tonnes"])
    long["tonnes"] = long["tonnes"].astype(float)
    long["year"] = long["year"].astype(int)
    long["note"] = long["note"].fillna("")
    return long[["year", "country", "tonnes", "source", "note"]].reset_index(drop=True)


def year_ranges(years) -> str:
    """'2001-2011 and 2016-2017' from a list of years (consecutive years are merged)."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    parts = [f"{a}" if a == b else f"{a}-{b}" for a, b in runs]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def world_production() -> alt.VConcatChart:
    """Line chart: world and US rare-earth mine production, 1900-2025 (t REO)."""
    series = world_production_series()
    first, last = series["year"].min(), series["year"].max()
    chart = charts.time_series(
        series, x="year", y="tonnes", series="country",
        x_title="Year", y_title="Mine production (tonnes of rare-earth oxide)",
        tooltip=[alt.Tooltip("country:N", title="Series"), alt.Tooltip("year:Q", title="Year", format="d"),
                 alt.Tooltip("tonnes:Q", title="Tonnes REO", format=","),
                 alt.Tooltip("note:N", title="Note")],
    )
    world = series[series.country == "World"].set_index("year")["tonnes"]
    us = series[series.country == "United States"].set_index("year")["tonnes"]
    us_peak_year = int(us.idxmax())
    us_zero = [int(y) for y in us[us == 0].index]
    return charts.finish(
        chart,
        title=f"World rare-earth mine production, {first}-{last}",
        subtitle="World total and United States; hover a line for the figure and its caveats",
        source=source_of("world_production") + ". Figures after 2022 are rounded estimates.",
        description=(
            f"Line chart of world and US rare-earth mine production from {first} to {last}, in "
            f"tonnes of rare-earth oxide. World output stays under {world.loc[:1960].max():,.0f} "
            f"tonnes until 1960 and reaches about {world.loc[last]:,.0f} tonnes in {last}. "
            f"US output peaks at {us.loc[us_peak_year]:,.0f} tonnes in {us_peak_year} and is zero in "
            f"{year_ranges(us_zero)}."
        ),
    )
