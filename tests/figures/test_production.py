"""Production by country and China's share, and the two editions of 2019:
every number is recomputed from the tables, never copied from a chart."""

from __future__ import annotations

import pandas as pd
import pytest

from widgets.data import load_table
from widgets.figures import production

SOURCE_KEYS = set(load_table("sources")["source"])


def test_production_groups_add_up_to_every_preferred_country_figure():
    table = load_table("production_by_country")
    table = table[table["preferred"] & (table["country"] != "World")]
    expected = table.groupby("year")["production_t_reo"].sum()
    expected.index = expected.index.astype(int)
    groups = production.production_groups().groupby("year")["tonnes"].sum()
    pd.testing.assert_series_equal(
        groups.sort_index(),
        expected.astype(float).rename("tonnes").sort_index(),
        check_names=False,
        check_index_type=False,
    )


def test_china_share_shown_each_year_is_computed_from_the_edition_of_that_years_world_total():
    table = load_table("production_by_country")
    world = table[table["preferred"] & (table["country"] == "World")].set_index("year")
    china = table[table["preferred"] & (table["country"] == "China")].set_index("year")
    shares = production.china_share_by_year().set_index("year")
    assert set(shares.index) == {int(y) for y in world.index}
    for year in shares.index:
        ratio = 100 * china.loc[year, "production_t_reo"] / world.loc[year, "production_t_reo"]
        assert shares.loc[year, "value_pct"] == pytest.approx(ratio, abs=0.05), year


def test_the_2019_chart_sets_every_figure_of_caremag2025_beside_the_revised_usgs_one():
    table = load_table("production_by_country")
    seed = table[table["vintage"] == production.SEED_VINTAGE]
    frame = production.production_2019_editions()
    for row in seed.itertuples():
        shown = frame[(frame.country == row.country) & (frame.source == "caremag2025")]
        assert shown["production_t_reo"].iloc[0] == row.production_t_reo
        revised = table[(table.year == 2019) & table.preferred & (table.country == row.country)]
        usgs = frame[(frame.country == row.country) & (frame.source != "caremag2025")]
        assert usgs["production_t_reo"].iloc[0] == revised["production_t_reo"].iloc[0]
