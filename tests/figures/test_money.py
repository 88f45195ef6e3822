"""The US sums (parts under their sum) and the price floor's top-up."""

from __future__ import annotations

import pandas as pd

from widgets.data import load_table
from widgets.figures import money

SOURCE_KEYS = set(load_table("sources")["source"])


def test_parts_of_a_sum_point_to_it_and_do_not_exceed_it():
    money = load_table("financing").set_index("id")
    parts = money.dropna(subset=["part_of"])
    assert len(parts) >= 3
    for parent, group in parts.groupby("part_of"):
        assert parent in money.index
        assert group["amount_million"].sum() <= money.loc[parent, "amount_million"]


def test_money_chart_keeps_each_part_right_under_its_sum():
    frame = money.us_money_frame()
    for i, row in frame.iterrows():
        if row["part_of"]:
            above = frame.loc[: i - 1]
            parent_position = above.index[above["id"] == row["part_of"]]
            assert len(parent_position) == 1, row["id"]
            between = frame.loc[parent_position[0] + 1 : i - 1]
            assert between["part_of"].eq(row["part_of"]).all(), row["id"]


def test_price_floor_top_up_is_the_gap_below_the_floor():
    frame = money.price_floor_frame()
    floor = load_table("price_floors").set_index("id").loc["ndpr_mp", "level_usd_per_kg"]
    prices = load_table("magnet_oxide_prices")
    prices = prices[prices["product"] == "NdPr oxide"].set_index("year")["price_usd_per_kg"]
    for row in frame.itertuples():
        assert row.top_up == max(0.0, floor - prices.loc[row.year])


def test_both_versions_of_the_price_floor_are_kept():
    floors = load_table("price_floors").set_index("id")
    assert (
        floors.loc["ndpr_mp", "product"] == "NdPr oxide"
        and floors.loc["ndpr_mp", "source"] == "defence_mp2025"
    )
    assert floors.loc["dysprosium_lepesant", "product"] == "Dysprosium oxide"
    assert pd.isna(floors.loc["dysprosium_lepesant", "level_usd_per_kg"])
