"""The static explorer's spec, checked without a browser: its controls can show every default
and preset exactly, its summary sentence is describe()'s, and Vega (vl-convert) computes the
model's numbers from the generated transforms."""
from __future__ import annotations

import json
import math

import pytest
import vl_convert

from widgets import scenario as sc
from widgets import explorer_static as ex


def _all_scenarios():
    for importer, group in ex._combinations():
        yield f"default {importer}/{group}", sc.default_scenario(importer, group)
    for name in sc.preset_names():
        yield name, sc.preset(name)


@pytest.mark.parametrize("label, scenario", list(_all_scenarios()), ids=lambda x: x if isinstance(x, str) else "")
def test_every_default_and_preset_sits_on_its_sliders_grid(label, scenario):
    for name, value in scenario.parameters().items():
        low, high, step = ex._slider_range(name)
        assert low <= value <= high, f"{label}: {name} = {value} is outside the slider {low}-{high}"
        steps = (value - low) / step
        assert math.isclose(steps, round(steps), abs_tol=1e-9), f"{label}: {name} = {value} is off the slider's step {step}"


def test_every_control_has_a_readable_label():
    params = ex._params(sc.default_scenario())
    assert {p["name"] for p in params} == set(sc.PARAMETERS)
    assert all(p["bind"]["name"].strip() for p in params)


def _render_texts(spec: dict) -> list[str]:
    svg = vl_convert.vegalite_to_svg(spec)
    import re
    return re.findall(r'aria-label="([^"]*)"', svg)


@pytest.mark.parametrize("name", sc.preset_names())
def test_vega_computes_the_summary_sentence_of_describe(name):
    scenario = sc.preset(name)
    spec = ex.explorer_chart(scenario).to_dict()
    data, transforms = ex._model_data()
    summary = {"$schema": spec["$schema"], "params": spec["params"], "data": data,
               "transform": transforms, "vconcat": [ex._summary_view()]}
    labels = _render_texts(summary)
    assert sc.describe(sc.summarize(scenario), scenario) in [l.replace("&#39;", "'") for l in labels]


def test_the_sensitivity_ranges_are_those_of_the_python_sweep():
    ranges = ex.sensitivity_ranges()
    base = sc.default_scenario("European Union", "heavy_dytb")
    python = sc.sensitivity(base).set_index("parameter")
    mine = ranges[(ranges.importer == base.importer) & (ranges.element_group == base.element_group)]
    for name in python.index:
        low = mine[(mine.parameter == name) & (mine.end == "low")].level.iloc[0]
        high = mine[(mine.parameter == name) & (mine.end == "high")].level.iloc[0]
        assert (min(low, base.horizon_months) if name in sc.HORIZON_CLIPPED else low) == python.loc[name, "low"]
        assert (min(high, base.horizon_months) if name in sc.HORIZON_CLIPPED else high) == python.loc[name, "high"]


def test_the_page_config_holds_every_preset_and_default():
    config = ex.explorer_config()
    assert len(config["presets"]) == len(sc.preset_names())
    assert len(config["defaults"]) == len(sc.IMPORTERS) * len(sc.ELEMENT_GROUPS)
    json.dumps(config)  # it is embedded in the page as JSON
