"""The element tiles: licence lists from export_controls, and the menu of views."""

from __future__ import annotations

import re

import pytest

from tests import specs
from widgets.data import load_table
from widgets.figures import elements

SOURCE_KEYS = set(load_table("sources")["source"])


def test_the_licence_lists_of_the_element_chart_come_from_export_controls():
    controls = load_table("export_controls")
    lists = elements.licensed_element_lists()
    assert len(lists) >= 2
    for item in lists:
        row = controls[
            (controls["announced"] == item["date"]) & (controls["element_group"] == "rare earths")
        ]
        for symbol in item["symbols"]:
            assert re.search(rf"\b{symbol}\b", " ".join(row["elements"])), symbol
    # The reference data say the October 2025 measures bring the controlled rare earths to "12 of 17".
    note = " ".join(controls["note"].dropna())
    controlled, total = map(int, re.search(r"(\d+) of (\d+)", note).groups())
    assert len(set().union(*(i["symbols"] for i in lists))) == controlled
    assert len(load_table("rare_earth_elements")) == total
    october = (
        load_table("quoted_figures").set_index("id").loc["october_2025_licensed_elements", "value"]
    )
    assert len(lists[-1]["symbols"]) == october


def test_the_element_chart_menu_offers_every_view_and_refuses_an_unknown_one():
    spec = elements.rare_earth_elements().to_dict()
    param = next(p for p in specs.params(spec) if p["name"] == "element_view")
    assert param["bind"]["options"] == [key for key, _ in elements.element_views()]
    table = elements.elements_table()
    for key, _ in elements.element_views():
        assert table[key].dtype == bool and table[key].any()
    with pytest.raises(ValueError):
        elements.rare_earth_elements(start="no such view")
