"""The site theme, its one palette and the door every chart passes through: every chart has a
title, a source line and a description; China keeps its colour; no vega-embed action menu."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from widgets import charts


def test_the_site_theme_is_enabled_and_action_menus_are_off():
    assert alt.theme.active == charts.THEME_NAME
    assert alt.renderers.options.get("embed_options", {}).get("actions") is False


def test_the_theme_draws_with_the_palette():
    config = charts._theme()["config"]
    assert (
        config["axis"]["gridColor"] == charts.LAND and config["text"]["color"] == charts.TEXT_COLOUR
    )
    assert config["range"]["category"] == list(charts.COUNTRY_COLOURS.values())


def test_the_palette_names_each_colour_once_and_holds_every_country_colour():
    values = list(charts.PALETTE.values())
    assert len(set(values)) == len(values), "two names for one colour"
    assert set(charts.COUNTRY_COLOURS.values()) <= set(values)
    assert charts.PALETTE["HIGHLIGHT"] == charts.HIGHLIGHT


def test_china_keeps_its_colour_in_every_scale():
    scale = charts.country_scale(["United States", "China", "Atlantis"]).to_dict()
    colours = dict(zip(scale["domain"], scale["range"], strict=True))
    assert colours["China"] == charts.COUNTRY_COLOURS["China"]
    assert colours["Atlantis"] == charts.FALLBACK_COLOUR
    assert len(set(charts.COUNTRY_COLOURS.values())) == len(charts.COUNTRY_COLOURS), (
        "two countries share a colour"
    )


def test_finish_refuses_a_chart_without_source_or_description():
    chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_point()
    with pytest.raises(ValueError, match="source"):
        charts.finish(chart, title="T", source="", description="d")
    with pytest.raises(ValueError, match="description"):
        charts.finish(chart, title="T", source="Source: x", description="")


def test_finish_puts_the_source_under_the_chart_and_the_description_on_it():
    chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_point().encode(x="a:Q")
    spec = charts.finish(
        chart, title="My title", source="Source: USGS", description="A point."
    ).to_dict()
    assert spec["description"] == "A point."
    assert spec["title"]["text"] == "Source: USGS" and spec["title"]["orient"] == "bottom"
    assert spec["vconcat"][0]["title"]["text"] == "My title"


def test_charts_with_menus_put_them_under_the_chart_without_changing_the_spec():
    chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_point().encode(x="a:Q")
    wrapped = charts.controls_below(chart)
    assert wrapped.to_dict() == chart.to_dict()
    bundle = wrapped._repr_mimebundle_()
    html = (bundle[0] if isinstance(bundle, tuple) else bundle)["text/html"]
    assert "flex-direction: column" in html
