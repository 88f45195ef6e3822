"""The instrument matrix: every actor and instrument, with the counts and sources of the table."""

from __future__ import annotations

import json

import pytest

from widgets.data import load_table
from widgets.figures import instruments

SOURCE_KEYS = set(load_table("sources")["source"])


def test_matrix_has_every_actor_and_instrument_pair_with_the_table_counts():
    table = load_table("policy_instruments")
    cells = instruments.instrument_cells()
    assert len(cells) == len(instruments.ACTORS) * len(instruments.INSTRUMENTS)
    expected = table.groupby(["actor", "instrument"]).size()
    for row in cells.itertuples():
        assert row.count == expected.get((row.actor, row.instrument), 0), (
            row.actor,
            row.instrument,
        )
    assert cells["count"].sum() == len(table)


def test_every_matrix_measure_cites_a_registered_source():
    table = load_table("policy_instruments")
    assert table["source"].notna().all()
    assert set(table["source"]) <= SOURCE_KEYS
    assert set(table["actor"]) == set(instruments.ACTORS)
    assert set(table["instrument"]) <= set(instruments.INSTRUMENTS)


def test_matrix_panel_lists_every_measure_with_its_source():
    measures = instruments.instrument_measures()
    assert len(measures) == len(load_table("policy_instruments"))
    sources = load_table("sources").set_index("source")
    for row in measures.itertuples():
        assert f"source: {sources.loc[row.source, 'short']}" in row.detail


def test_only_china_uses_export_controls():
    cells = instruments.instrument_cells()
    controls = cells[
        (cells["instrument"] == "export controls and market access") & (cells["count"] > 0)
    ]
    assert list(controls["actor"]) == ["China"]


def test_matrix_opens_on_the_focus_actor():
    spec = instruments.instrument_matrix(focus="South Korea").to_dict()
    params = list(json.dumps(spec).split('"name": "cell"'))
    assert len(params) > 1
    assert '"actor": "South Korea"' in json.dumps(spec)
    with pytest.raises(ValueError):
        instruments.instrument_matrix(focus="Atlantis")
