"""Caremag's coverage from the scenario defaults and the plant's output; the company's claim."""

from __future__ import annotations

import json

import pytest

from widgets import scenario as sc
from widgets.data import load_table
from widgets.figures import caremag

SOURCE_KEYS = set(load_table("sources")["source"])


def test_caremag_coverage_uses_the_scenario_defaults_and_the_plant_output():
    plant = load_table("caremag_plant").set_index("id")
    frame = caremag.caremag_coverage_frame().set_index("importer")
    for importer in sc.IMPORTERS:
        scenario = sc.default_scenario(importer, "heavy_dytb")
        expected = plant.loc["dy_tb_oxides", "tonnes_per_year"] / scenario.annual_demand_t
        assert frame.loc[importer, "cover_all"] == pytest.approx(expected)
        assert frame.loc[importer, "demand_basis"] in ("document", "dataset", "assumption")


def test_caremag_claim_is_flagged_as_the_companys():
    plant = load_table("caremag_plant")
    claims = plant.dropna(subset=["claim_pct"])
    assert list(claims["id"]) == ["dy_tb_oxides"]
    assert "claim" in json.dumps(caremag.caremag_flows().to_dict()).lower()
