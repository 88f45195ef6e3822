"""Rules every chart of the book obeys, whatever its topic: a title, a source line that names
only registered sources, a description for screen readers, units on quantitative axes, tooltips
that read real columns, colours from the site's palette, and a width that fits the page column."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd
import pytest
import vl_convert

from tests import specs
from widgets import charts, figures, paths, sources
from widgets.data import load_table

NAMES = sorted(figures.FIGURES)
# Charts whose quantitative axes are all years or dates (no unit to state) or that have no axis.
NO_UNIT_AXIS = {
    "rare_earth_elements",
    "export_controls_timeline",
    "measures_in_force",
    "truce_timeline",
    "partners_map",
    "bessent_timeline",
    "caremag_flows",
    "instrument_matrix",
}
# Source lines that credit the scenario model itself rather than rows of the register.
MODEL_CREDIT = "Source: this site's scenario model"


@pytest.fixture(scope="module", params=NAMES)
def built(request) -> tuple[str, dict]:
    return request.param, figures.FIGURES[request.param]().to_dict()


def test_the_face_exports_every_chart_function_of_the_topic_modules():
    import importlib
    import inspect

    for module_file in sorted((paths.ROOT / "widgets" / "figures").glob("*.py")):
        if module_file.stem == "__init__":
            continue
        module = importlib.import_module(f"widgets.figures.{module_file.stem}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            returns = str(inspect.signature(function).return_annotation)
            if "Chart" in returns or "ControlsBelow" in returns:
                assert figures.FIGURES.get(name) is function, f"figures.{name} is not on the face"


def test_every_figure_has_a_title_a_source_line_and_a_description(built):
    name, spec = built
    assert specs.source_line(spec).startswith("Source:"), name
    assert spec["title"]["orient"] == "bottom"
    assert len(spec["description"]) > 80, "the description says what the chart shows"
    heading = spec["vconcat"][0]["title"]["text"]  # one line, lines, or an expression
    heading = " ".join(heading) if isinstance(heading, list) else heading
    heading = heading["expr"] if isinstance(heading, dict) else heading
    assert heading and "Source" not in heading, heading


def test_every_figure_names_only_registered_sources(built):
    name, spec = built
    line = specs.source_line(spec)
    if line.startswith(MODEL_CREDIT):
        return
    rest = line.removeprefix("Source: ")
    register = sorted(set(sources.register()["short"]), key=len, reverse=True)
    named = []
    while True:
        short = next((s for s in register if rest.startswith(s)), None)
        assert short, f"{name}: {rest[:40]!r}... does not start with a registered source"
        named.append(short)
        rest = rest[len(short) :]
        if not rest.startswith("; "):
            break
        rest = rest[2:]
    assert rest in ("", ".") or rest.startswith(". "), f"{name}: {rest[:40]!r} after the sources"


def test_the_source_line_check_catches_an_unregistered_source():
    with pytest.raises(KeyError, match="not a key of data/sources.csv"):
        sources.credit(["lepesant2025", "no_such_source"])


def test_quantities_on_axes_carry_their_unit(built):
    name, spec = built
    # a long title is drawn on several lines (a list): read it as one
    titles = [
        " ".join(t) if isinstance(t, list) else t for t in specs.quantitative_axis_titles(spec)
    ]
    titles = [t for t in titles if t not in ("Year", "Date")]
    if name not in NO_UNIT_AXIS:
        assert titles, f"{name}: no quantitative axis with a title"
    for title in titles:
        assert "(" in title, f"{name}: axis title without a unit: {title!r}"


def test_every_figure_can_be_read_by_hovering(built):
    name, spec = built
    assert specs.tooltips(spec), f"{name}: nothing to read on hover"
    assert specs.tooltip_problems(spec) == [], name


def test_the_tooltip_check_catches_a_field_the_data_lacks():
    chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_point().encode(x="a:Q", tooltip=["nope:N"])
    assert specs.tooltip_problems(chart.to_dict()) != []


def test_every_colour_of_a_figure_is_a_colour_of_the_palette(built):
    name, spec = built
    palette = {c.lower() for c in charts.PALETTE.values()}
    assert specs.colours(spec) <= palette, f"{name}: {specs.colours(spec) - palette}"


def test_no_figure_module_writes_a_colour_of_its_own():
    for module in sorted((paths.ROOT / "widgets" / "figures").glob("*.py")):
        found = specs.HEX.findall(module.read_text(encoding="utf-8"))
        assert not found, f"{module.name}: {found} belong in the palette of widgets/charts.py"


def test_every_figure_fits_the_page_column(built):
    name, spec = built
    svg = vl_convert.vegalite_to_svg(spec)
    width = float(re.search(r'width="([\d.]+)"', svg).group(1))
    assert width <= 690, f"{name} is {width:.0f} px wide; the page column is about 690 px"


def test_every_table_behind_a_chart_cites_registered_sources():
    keys = set(load_table("sources")["source"])
    for name in ("japan_china_share", "policy_instruments", "places", "financing", "milestones"):
        assert set(load_table(name)["source"]) <= keys, name
