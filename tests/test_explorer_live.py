"""The live (ipywidgets) explorer drives the same simulate(): controls, presets, compare, export."""

from __future__ import annotations

import pandas as pd
import pytest

from widgets import scenario as sc
from widgets.explorer import LiveExplorer, explorer_link, preset_slug


def test_moving_a_control_reruns_the_model():
    live = LiveExplorer()
    live.controls["stockpile_days"].value = 0
    assert live.scenario.stockpile_days == 0
    pd.testing.assert_frame_equal(
        live.frame, sc.simulate(sc.default_scenario().with_changes(stockpile_days=0))
    )
    assert live.summary() in live.message.value


def test_choosing_a_preset_sets_every_control():
    live = LiveExplorer()
    name = sc.preset_names()[0]
    live.preset_menu.value = name
    assert live.scenario == sc.preset(name)


def test_changing_the_importer_loads_its_defaults():
    live = LiveExplorer()
    live.controls["importer"].value = "European Union"
    assert live.scenario == sc.default_scenario("European Union", "light_ndpr")


def test_pinning_shows_two_scenarios_side_by_side():
    live = LiveExplorer()
    pinned = live.pin()
    live.controls["approval_rate"].value = 0.0
    assert live.pinned == pinned != live.scenario
    spec = live.comparison_chart().to_dict()
    assert len(spec["hconcat"]) == 2
    assert "B (pinned)" in live.message.value


def test_exporting_writes_the_monthly_table(tmp_path):
    live = LiveExplorer()
    path = live.export_csv(tmp_path / "run.csv")
    written = pd.read_csv(path)
    expected = sc.simulate(live.scenario)
    assert list(written["month"]) == list(expected["month"])
    assert written["unmet_t"].sum() == pytest.approx(expected["unmet_t"].sum())
    assert (written["stockpile_days"] == live.scenario.stockpile_days).all()


def test_links_name_known_presets_and_refuse_unknown_ones():
    assert explorer_link("Busan suspension") == "scenario-explorer.html#preset=" + preset_slug(
        "Busan suspension"
    )
    with pytest.raises(ValueError, match="unknown preset"):
        explorer_link("The 1815 embargo")
    with pytest.raises(ValueError, match="stockpile_days"):
        explorer_link(stockpile_days=-5)
