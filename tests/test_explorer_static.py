"""The static explorer's spec, checked without a browser: its controls can show every default
and preset exactly, its summary sentence is describe()'s, and Vega (vl-convert) computes the
model's numbers from the generated transforms."""

from __future__ import annotations

import html
import json
import math
import re

import altair as alt
import pytest
import vl_convert

from widgets import paths
from widgets import scenario as sc
from widgets.explorer import controls, exercises, notes, panels, tornado
from widgets.explorer import static as ex


def _all_scenarios():
    for importer, group in controls.combinations():
        yield f"default {importer}/{group}", sc.default_scenario(importer, group)
    for name in sc.preset_names():
        yield name, sc.preset(name)


@pytest.mark.parametrize(
    "label, scenario", list(_all_scenarios()), ids=lambda x: x if isinstance(x, str) else ""
)
def test_every_default_and_preset_sits_on_its_sliders_grid(label, scenario):
    for name, value in scenario.parameters().items():
        low, high, step = controls.slider_range(name)
        assert low <= value <= high, f"{label}: {name} = {value} is outside the slider {low}-{high}"
        steps = (value - low) / step
        assert math.isclose(steps, round(steps), abs_tol=1e-9), (
            f"{label}: {name} = {value} is off the slider's step {step}"
        )


def test_every_control_has_a_readable_label():
    params = [p for p in ex._params(sc.default_scenario()) if "bind" in p]
    assert {p["name"] for p in params} == set(sc.PARAMETERS)
    assert all(p["bind"]["name"].strip() for p in params)


def test_the_ranking_reads_settled_copies_of_every_control_not_the_controls():
    scenario = sc.preset(sc.preset_names()[0])
    unbound = {p["name"]: p["value"] for p in ex._params(scenario) if "bind" not in p}
    settled = {k: v for k, v in unbound.items() if k.startswith(tornado.SETTLED)}
    assert settled == {tornado.settled(n): v for n, v in scenario.values().items()}
    pinned = {k: v for k, v in unbound.items() if k.startswith(panels.PINNED)}
    assert pinned == {panels.PINNED + n: v for n, v in scenario.values().items()} | {
        panels.PINNED_ON: False
    }
    assert set(unbound) == set(settled) | set(pinned) | {panels.CALENDAR_START}
    expressions = json.dumps(tornado.tornado_view()["transform"])
    for name in sc.PARAMETERS:
        assert tornado.settled(name) in expressions, name
    bare = re.findall(r"(?<![\w.])(" + "|".join(sc.PARAMETERS) + r")(?!\w)", expressions)
    assert not [b for b in bare if f"'{b}'" not in expressions], "the ranking reads a control"


def _render_texts(spec: dict) -> list[str]:
    svg = vl_convert.vegalite_to_svg(spec)
    return [html.unescape(label) for label in re.findall(r'aria-label="([^"]*)"', svg)]


def _page_sentence(scenario: sc.Scenario, pinned: sc.Scenario | None = None) -> list[str]:
    """The sentence Vega (vl-convert) writes for a scenario, as the page's summary view does;
    with ``pinned``, the sentence of the pinned summary, with the pinned params set to it."""
    # the params explorer_chart() gives the page (building the whole chart only to read them
    # took most of this module's time)
    params = ex._params(scenario)
    if pinned is None:
        data, transforms = panels.model_data()
        layer = panels.summary_layer()  # the page's summary row, drawn here as a visible text
    else:
        values = {panels.PINNED + k: v for k, v in pinned.values().items()}
        params = [{**p, "value": values.get(p["name"], p["value"])} for p in params]
        layer = panels.summary_layer(pinned=True)
        data, transforms = layer["data"], []
    summary = {
        "$schema": alt.SCHEMA_URL,
        "params": params,
        "data": data,
        "transform": transforms + layer["transform"],
        "mark": "text",
        "encoding": {
            "text": {"field": "sentence", "type": "nominal"},
            "description": {"field": "sentence", "type": "nominal"},
        },
    }
    return [t for t in _render_texts(summary) if "runs short" in t]


@pytest.mark.parametrize("name", sc.preset_names())
def test_vega_computes_the_summary_sentence_of_describe(name):
    scenario = sc.preset(name)
    assert _page_sentence(scenario) == [sc.describe(sc.summarize(scenario), scenario)]


# Exact half-percent ties of clean teaching examples (reliability review, F1): China supplies a
# share of everything, an embargo of k months in n; and shares below 1 % and above 99 %.
TIES = [
    (1.0, 1, 8),
    (1.0, 3, 24),
    (1.0, 2, 16),
    (1.0, 1, 40),
    (0.5, 1, 100),
    (0.5, 4, 16),
    (0.5, 1, 20),
    (1.0, 1, 120),
    (0.25, 1, 50),
    (0.01, 1, 120),
    (1.0, 119, 120),
]


@pytest.mark.parametrize("share, months, horizon", TIES)
def test_python_and_vega_write_the_same_sentence_on_ties(share, months, horizon):
    scenario = sc.Scenario(
        importer="European Union",
        element_group="light_ndpr",
        annual_demand_t=3840.0,
        china_share=share,
        approval_rate=0.0,
        licence_delay_months=0,
        restriction_start_month=0,
        restriction_length_months=months,
        stockpile_days=0.0,
        other_supply_growth=0.0,
        recycling_share=0.0,
        substitution=0.0,
        horizon_months=horizon,
    )
    python = sc.describe(sc.summarize(scenario), scenario)
    assert _page_sentence(scenario) == [python]
    assert " 0\u00a0%" not in python and "100\u00a0%" not in python


def test_the_sensitivity_ranges_are_those_of_the_python_sweep():
    ranges = tornado.sensitivity_ranges()
    base = sc.default_scenario("European Union", "heavy_dytb")
    python = sc.sensitivity(base).set_index("parameter")
    mine = ranges[(ranges.importer == base.importer) & (ranges.element_group == base.element_group)]
    for name in python.index:
        low = mine[(mine.parameter == name) & (mine.end == "low")].level.iloc[0]
        high = mine[(mine.parameter == name) & (mine.end == "high")].level.iloc[0]
        assert (min(low, base.horizon_months) if name in sc.HORIZON_CLIPPED else low) == python.loc[
            name, "low"
        ]
        assert (
            min(high, base.horizon_months) if name in sc.HORIZON_CLIPPED else high
        ) == python.loc[name, "high"]


def test_the_page_config_holds_every_preset_and_default():
    config = ex.explorer_config()
    assert len(config["presets"]) == len(sc.preset_names())
    assert len(config["defaults"]) == len(sc.IMPORTERS) * len(sc.ELEMENT_GROUPS)
    assert json.loads(json.dumps(config)) == config  # it is embedded in the page as JSON
    for slug, preset in config["presets"].items():
        assert sc.Scenario(**{k: v for k, v in preset.items() if k != "name"}) == sc.preset(
            preset["name"]
        ), slug


@pytest.mark.parametrize("name", sc.preset_names()[:3])
def test_vega_computes_the_pinned_sentence_from_the_pinned_params_only(name):
    pinned = sc.preset(name)
    current = sc.default_scenario("European Union", "heavy_dytb")
    assert _page_sentence(current, pinned) == [sc.describe(sc.summarize(pinned), pinned)]


def _groups_of(node, found):
    for mark in node.get("marks", []):
        if mark.get("type") == "group":
            found[mark["name"]] = mark.get("encode", {}).get("update", {}).get("width")
            _groups_of(mark, found)
    return found


def test_every_panel_and_the_ranking_take_the_one_width_the_page_sets():
    import sys

    sys.path.insert(0, str(paths.BOOK / "_ext"))
    from terres_rares_charts import compile_spec

    spec = ex.explorer_chart().to_dict()
    # the page's params are _params() (which _page_sentence reads without building the chart)
    assert spec["params"] == ex._params(sc.default_scenario())
    vega = compile_spec(spec)
    widths = _groups_of(vega, {})
    for name in (*panels.PANELS, "tornado"):
        assert widths[name + "_group"] == {"signal": "width"}, (name, widths)
    assert vega["width"] == panels.WIDE


def test_the_groups_hold_every_control_once():
    listed = [name for _, names in notes.GROUPS for name in names]
    assert sorted(listed) == sorted(sc.PARAMETERS) and len(listed) == len(set(listed))


def test_every_control_has_a_note_for_every_importer_and_group():
    for key, by_name in notes.default_notes().items():
        assert set(by_name) == set(sc.NUMERIC_PARAMETERS), key
        for name, note in by_name.items():
            assert note["basis"] and note["why"], (key, name)
            if name in sc.NUMERIC_PARAMETERS:
                assert note["range"][0] <= note["range"][1], (key, name)


def test_exercise_answers_are_found_on_the_sliders_grid():
    halt = sc.preset("2010 halt of shipments to Japan")
    exact = sc.stockpile_needed_days(halt)
    on_slider = exercises.first_on_slider(halt, "stockpile_days", exercises.no_shortage)
    step = controls.slider_range("stockpile_days")[2]
    assert on_slider - step < exact <= on_slider
    assert sc.summarize(halt.with_changes(stockpile_days=on_slider))["first_shortage_month"] is None
    eu = sc.default_scenario("European Union", "light_ndpr")
    works = exercises.printed_unmet_at_most(0.05)
    rate = exercises.first_on_slider(eu, "approval_rate", works)
    assert works(eu.with_changes(approval_rate=rate))
    assert not works(eu.with_changes(approval_rate=round(rate - 0.01, 2)))
