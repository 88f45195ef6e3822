"""Reserves against production, China's share by stage of the value chain, and the market."""

from __future__ import annotations

import pandas as pd

from tests import specs
from widgets.data import load_table
from widgets.figures import reserves as reserve_charts

SOURCE_KEYS = set(load_table("sources")["source"])


def test_reserves_chart_holds_the_quoted_and_the_latest_reserves():
    reserves = load_table("reserves")
    frame = reserve_charts.reserves_and_production_table()
    seed = frame[frame.edition == reserve_charts.EDITION_SEED].set_index("country")
    for row in reserves[reserves["vintage"] == reserve_charts.SEED_VINTAGE].itertuples():
        assert seed.loc[row.country, "reserves_t"] == row.reserves_t_reo
    latest = frame[frame.edition == reserve_charts.EDITION_LATEST].set_index("country")
    for row in reserves[reserves["preferred"] & (reserves["country"] != "World")].itertuples():
        value = latest.loc[row.country, "reserves_t"]
        assert (pd.isna(value) and pd.isna(row.reserves_t_reo)) or value == row.reserves_t_reo
    # Where caremag2025 gives no 2019 production, the USGS figure is shown and says so.
    borrowed = seed[seed["production_source"].str.contains("gives no figure")]
    assert not borrowed.empty and (borrowed["production_key"] != "caremag2025").all()
    assert not any(s.startswith("Caremag") for s in borrowed["production_source"])


def test_the_china_share_chart_contains_every_row_of_china_share_claims():
    claims = load_table("china_share_claims")
    spec = reserve_charts.china_share_by_stage().to_dict()
    rows = [r for data in specs.datasets(spec) for r in data]
    shown = {(r["id"], r["value_pct"], r["stage"]) for r in rows}
    expected = {(r.id, r.value_pct, r.stage) for r in claims.itertuples()}
    assert shown == expected
    assert set(reserve_charts.STAGES) >= set(claims["stage"])


def test_market_chart_shows_the_ifri_figures_and_the_latest_usgs_tonnage():
    market = load_table("market_figures")
    frame = reserve_charts.market_table()
    for row in market[market["comparison"].isin(["tonnage", "value"])].itertuples():
        assert row.value in set(frame["value"])
    world = load_table("world_production")
    latest = world[world["preferred"]].sort_values("year").iloc[-1]
    assert float(latest.world_t_reo) in set(frame["value"])
