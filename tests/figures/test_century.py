"""The century chart: one preferred figure per year, gaps for withheld years, every export
control and key milestone marked, labels that never overlap."""

from __future__ import annotations

import pytest

from widgets import charts
from widgets.data import load_table
from widgets.figures import century

SOURCE_KEYS = set(load_table("sources")["source"])


def test_the_century_chart_marks_every_chinese_export_control_and_the_key_milestones():
    events = load_table("events")
    markers = century.world_production_events(1900, 2025)
    listed = " ".join(markers["events"])
    controls = events[
        (events["kind"] == "export control")
        & events["actors"].str.startswith("China")
        & (events["year"] <= 2025)
    ]
    assert len(controls) > 5
    for title in controls["title"]:
        assert title in listed, title
    for year, title in [(1973, "export"), (1975, "strateg"), (2012, "Mountain Pass")]:
        row = events[(events["year"] == year) & events["title"].str.contains(title)]
        assert not row.empty and row["title"].iloc[0] in listed


@pytest.mark.parametrize(
    ("plot_width", "row"), [(charts.PLOT_WIDTH, "row"), (charts.PHONE_PLOT_WIDTH, "phone_row")]
)
def test_event_labels_of_the_century_chart_never_overlap(plot_width, row):
    markers = century.world_production_events(1900, 2025)
    spans = {}
    for r in markers.itertuples():
        x = (r.year - 1900) / (2025 - 1900) * plot_width
        width = len(r.label) * century.LABEL_PX_PER_CHAR
        span = (x - width, x) if r.align == "right" else (x, x + width)
        line = getattr(r, row)
        for other in spans.get(line, []):
            assert span[1] < other[0] or span[0] > other[1], f"{r.label} overlaps on line {line}"
        spans.setdefault(line, []).append(span)


def test_world_production_series_takes_one_preferred_figure_per_year():
    series = century.world_production_series()
    world = series[series.country == "World"]
    assert world.year.is_unique
    table = load_table("world_production")
    revised = table[(table.year == 2024) & table.preferred]["world_t_reo"].iloc[0]
    superseded = table[(table.year == 2024) & ~table.preferred]["world_t_reo"].iloc[0]
    assert revised != superseded
    assert world.set_index("year").loc[2024, "tonnes"] == revised


def test_withheld_us_figures_are_gaps_not_zeros():
    series = century.world_production_series()
    table = load_table("world_production")
    withheld_years = set(table[table.us_status == "withheld"].year.astype(int))
    assert withheld_years, "the table should keep USGS's withheld (W) years"
    us_years = set(series[series.country == "United States"].year)
    assert not withheld_years & us_years
