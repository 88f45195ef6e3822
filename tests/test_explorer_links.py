"""The explorer's link protocol (widgets/explorer/links.py), checked without a browser: the
links Python writes pass the rules the page applies, and every kind of bad part is named in a
short message (reliability review, F2, F3, F10). tests/browser/test_explorer.py opens the same
links in the page."""

from __future__ import annotations

import pytest

from widgets import scenario as sc
from widgets.explorer import links

SPEC = links.link_spec()


@pytest.mark.parametrize("name", sc.preset_names())
def test_every_preset_link_passes_the_protocol(name):
    link = links.explorer_link(name)
    assert link == f"{links.EXPLORER_PAGE}#preset={sc.preset_slug(name)}"
    assert links.fragment_problems(link.partition("#")[2]) == []


def test_a_link_with_fields_passes_the_protocol_and_says_numbers_plainly():
    link = links.explorer_link("Busan suspension", stockpile_days=120.0, approval_rate=0.25)
    assert link.endswith("#preset=busan-suspension&stockpile_days=120&approval_rate=0.25")
    assert links.fragment_problems(link.partition("#")[2]) == []


def test_a_value_no_control_can_show_is_refused_when_the_link_is_written():
    with pytest.raises(ValueError, match="not a step of 5"):
        links.explorer_link(stockpile_days=62.5)


def test_the_spec_covers_every_field_and_keeps_the_model_order():
    assert set(SPEC["fields"]) == set(sc.PARAMETERS)
    assert SPEC["order"][:2] == list(sc.CHOICE_PARAMETERS)
    assert SPEC["presets"] == [sc.preset_slug(n) for n in sc.preset_names()]


# (fragment, what the message must name)
BAD = [
    ("approval_rate=50%", 'approval_rate = "50%" is not a plain number'),
    ("stockpile_days=%E0%A4%A", "stockpile_days ="),
    ("%", 'unknown parameter "%"'),
    ("importer=japan", 'importer = "japan" is not one of Japan, United States, European Union'),
    ("element_group=heavy", 'element_group = "heavy" is not one of light_ndpr'),
    ("preset=__proto__", 'unknown preset "__proto__"'),
    ("preset=constructor", 'unknown preset "constructor"'),
    ("preset=toString", 'unknown preset "toString"'),
    ("horizon_months=0x10", 'horizon_months = "0x10" is not a plain number'),
    ("horizon_months=1e2", 'horizon_months = "1e2" is not a plain number'),
    ("stockpile_days=%2B90", 'stockpile_days = "+90" is not a plain number'),
    ("stockpile_days=+90", 'stockpile_days = " 90" is not a plain number'),
    ("licence_delay_months=2.5", "licence_delay_months = 2.5 is not a step of 1 from 0"),
    ("annual_demand_t=15.5", "annual_demand_t = 15.5 is not a step of 1 from 10"),
    ("stockpile_days=90&stockpile_days=30", '"stockpile_days" is given more than once'),
    ("Stockpile_days=90", 'unknown parameter "Stockpile_days"'),
    ("stockpile_days=" + "9" * 400, "stockpile_days = 999"),
]


@pytest.mark.parametrize("fragment, named", BAD)
def test_every_bad_part_is_named(fragment, named):
    problems = links.fragment_problems(fragment)
    assert len(problems) == 1 and named in problems[0], problems


@pytest.mark.parametrize(
    "key, value",
    [("importer", "x" * 2_000_000), ("stockpile_days", "9" * 2_000_000), ("x" * 2_000_000, "1")],
)
def test_a_huge_part_is_cut_in_the_message(key, value):
    (problem,) = links.fragment_problems(f"{key}={value}")
    assert len(problem) < 120


def test_valid_parts_beside_bad_ones_are_not_reported():
    assert links.fragment_problems("stockpile_days=120&approval_rate=50%&importer=Japan") == [
        'approval_rate = "50%" is not a plain number'
    ]
