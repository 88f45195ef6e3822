"""The dark counterparts of the palette (widgets/charts.py): one for every colour, readable on
the theme's dark page, faint where the light palette is faint, and countries still told apart."""

from __future__ import annotations

import sys

import altair as alt
import pandas as pd
import pytest

from widgets import charts
from widgets.paths import BOOK

sys.path.insert(0, str(BOOK / "_ext"))
import terres_rares_charts


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted([luminance(a), luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_colour_of_the_palette_has_a_dark_counterpart():
    assert set(charts.DARK_COUNTERPARTS) == set(charts.PALETTE)
    assert set(charts.dark_palette()) >= {c.lower() for c in charts.PALETTE.values()}


@pytest.mark.parametrize("name", sorted(set(charts.PALETTE) - set(charts.FAINT_IN_BOTH_MODES)))
def test_text_and_data_colours_read_on_the_dark_page(name):
    assert contrast(charts.DARK_COUNTERPARTS[name], charts.DARK_GROUND) >= 4.5, name


@pytest.mark.parametrize("name", charts.FAINT_IN_BOTH_MODES)
def test_pale_colours_stay_pale_and_text_on_them_reads_in_both_modes(name):
    light, dark = charts.PALETTE[name], charts.DARK_COUNTERPARTS[name]
    assert contrast(light, charts.WHITE) < 3 and contrast(dark, charts.DARK_GROUND) < 4.5, name
    assert contrast(charts.TEXT_COLOUR, light) >= 4.5, name
    assert contrast(charts.DARK_COUNTERPARTS["TEXT_COLOUR"], dark) >= 4.5, name


def test_white_becomes_the_page_so_labels_inside_bars_keep_their_contrast():
    assert charts.DARK_COUNTERPARTS["WHITE"] == charts.DARK_GROUND
    assert charts.dark_palette(["white"]) == {"white": charts.DARK_GROUND}


def test_countries_keep_different_colours_in_dark_mode():
    dark = [charts.dark_palette([c.lower()])[c.lower()] for c in charts.COUNTRY_COLOURS.values()]
    assert len(set(dark)) == len(dark)
    china = charts.dark_palette([charts.CHINA_RED])[charts.CHINA_RED]
    assert china == charts.DARK_COUNTERPARTS["CHINA_RED"]


def test_a_colour_outside_the_palette_has_no_counterpart_and_says_so():
    with pytest.raises(ValueError, match="#123456"):
        charts.dark_palette(["#1f2933", "#123456"])


def test_a_page_lists_the_colours_of_its_charts_with_their_counterparts():
    chart = alt.Chart(pd.DataFrame({"x": [1]})).mark_bar(color=charts.CHINA_RED, stroke="white")
    bundle = alt.vconcat(chart).properties(title="t")._repr_mimebundle_()
    html = (bundle[0] if isinstance(bundle, tuple) else bundle)["text/html"]
    body, _ = terres_rares_charts.compile_altair_outputs(html)
    pairs = dict(pair.split(":") for pair in terres_rares_charts.dark_palette(body).split())
    assert pairs[charts.CHINA_RED] == charts.DARK_COUNTERPARTS["CHINA_RED"]
    assert pairs["white"] == charts.DARK_GROUND
    assert set(pairs) <= set(charts.dark_palette())
