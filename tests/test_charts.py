"""The site theme and the chart builders: every chart has a title, a source line, a description,
units in its axis titles and China's fixed colour; no vega-embed action menu."""
from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from widgets import charts, figures
from widgets.data import load_table


def _all_views(spec: dict):
    yield spec
    for key in ("vconcat", "hconcat", "concat", "layer"):
        for child in spec.get(key, []):
            yield from _all_views(child)


def test_the_site_theme_is_enabled_and_action_menus_are_off():
    assert alt.theme.active == charts.THEME_NAME
    assert alt.renderers.options.get("embed_options", {}).get("actions") is False


def test_china_keeps_its_colour_in_every_scale():
    scale = charts.country_scale(["United States", "China", "Atlantis"]).to_dict()
    colours = dict(zip(scale["domain"], scale["range"]))
    assert colours["China"] == charts.COUNTRY_COLOURS["China"]
    assert colours["Atlantis"] == charts.FALLBACK_COLOUR
    assert len(set(charts.COUNTRY_COLOURS.values())) == len(charts.COUNTRY_COLOURS), "two countries share a colour"


def test_finish_refuses_a_chart_without_source_or_description():
    chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_point()
    with pytest.raises(ValueError, match="source"):
        charts.finish(chart, title="T", source="", description="d")
    with pytest.raises(ValueError, match="description"):
        charts.finish(chart, title="T", source="Source: x", description="")


def test_finish_puts_the_source_under_the_chart_and_the_description_on_it():
    chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_point().encode(x="a:Q")
    spec = charts.finish(chart, title="My title", source="Source: USGS", description="A point.").to_dict()
    assert spec["description"] == "A point."
    assert spec["title"]["text"] == "Source: USGS" and spec["title"]["orient"] == "bottom"
    assert spec["vconcat"][0]["title"]["text"] == "My title"


@pytest.mark.parametrize("build", [figures.world_production], ids=lambda f: f.__name__)
def test_every_book_figure_is_complete(build):
    spec = build().to_dict()
    assert spec["title"]["text"].startswith("Source:")
    assert len(spec["description"]) > 60
    axis_titles = [enc[ch]["title"] for view in _all_views(spec)
                   for enc in [view.get("encoding", {})] for ch in ("x", "y")
                   if ch in enc and enc[ch].get("type") == "quantitative" and enc[ch].get("title")]
    assert any("(" in title for title in axis_titles), f"no unit in the axis titles {axis_titles}"


def test_world_production_series_takes_one_preferred_figure_per_year():
    series = figures.world_production_series()
    world = series[series.country == "World"]
    assert world.year.is_unique
    table = load_table("world_production")
    revised = table[(table.year == 2024) & table.preferred]["world_t_reo"].iloc[0]
    superseded = table[(table.year == 2024) & ~table.preferred]["world_t_reo"].iloc[0]
    assert revised != superseded
    assert world.set_index("year").loc[2024, "tonnes"] == revised


def test_withheld_us_figures_are_gaps_not_zeros():
    series = figures.world_production_series()
    table = load_table("world_production")
    withheld_years = set(table[table.us_status == "withheld"].year.astype(int))
    assert withheld_years, "the table should keep USGS's withheld (W) years"
    us_years = set(series[series.country == "United States"].year)
    assert not withheld_years & us_years


def test_year_ranges_merges_consecutive_years():
    assert figures.year_ranges([2016, 2001, 2002, 2003, 2017]) == "2001-2003 and 2016-2017"
    assert figures.year_ranges([1990]) == "1990"
