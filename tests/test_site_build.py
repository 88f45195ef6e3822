"""The build's own guarantees: charts are compiled for the vendored Vega, the offline check
catches a remote script (in an attribute or named in an inline script), and the notebook
collector really executes the chapters."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

import altair as alt
import pytest

from widgets.paths import BOOK, ROOT

sys.path.insert(0, str(BOOK / "_ext"))
import terres_rares_charts
import terres_rares_site
from sphinx.errors import ExtensionError


def test_charts_are_compiled_for_the_vendored_vega_with_altairs_vega_lite():
    import vl_convert

    versions = terres_rares_site.vendored_versions()
    assert versions["vega"]["version"].split(".")[0] == alt.VEGA_VERSION.split(".")[0]
    assert vl_convert.get_vega_version().split(".")[0] == alt.VEGA_VERSION.split(".")[0]
    vega_lite = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]  # v6.4.1 -> 6.4
    assert vega_lite in vl_convert.get_vegalite_versions()
    assert "vega-lite" not in versions and "vega-embed" not in versions  # pages need neither


def test_every_vendored_package_ships_its_licence():
    vendor = terres_rares_site.VENDOR_DIR
    for name, info in terres_rares_site.vendored_versions().items():
        assert (vendor / name / info["licence"]).is_file(), name
    assert (
        "CC BY 4.0" in (vendor / "fontawesome" / "icons.css").read_text()
    )  # the icons' attribution


def _altair_html(chart) -> str:
    bundle = chart._repr_mimebundle_()
    return (bundle[0] if isinstance(bundle, tuple) else bundle)[
        "text/html"
    ]  # what a notebook cell shows


def test_an_altair_chart_becomes_its_vega_spec_and_loads_nothing_remote():
    chart = (
        alt.Chart(alt.Data(values=[{"a": 1, "b": "</script><b>"}]))
        .mark_point()
        .encode(x="a:Q", tooltip="b:N")
    )
    html = _altair_html(chart)
    assert "cdn.jsdelivr.net" in html
    body, count = terres_rares_charts.compile_altair_outputs(
        "<p>before</p>" + html + "<p>after</p>"
    )
    assert count == 1 and "<p>before</p>" in body and "<p>after</p>" in body
    assert "cdn.jsdelivr.net" not in body and "VEGA_DEBUG" not in body
    chart_id = re.search(r'<div id="(altair-viz-[0-9a-f]{32})" class="vega-embed tr-chart">', body)[
        1
    ]
    data = re.search(
        rf'<script type="application/json" class="tr-chart-spec" data-for="{chart_id}">(.*?)</script>',
        body,
        re.S,
    )[1]
    assert "</script>" not in data  # the datum's markup cannot end the data block
    spec = json.loads(data)
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega/v")
    assert {"values": [{"a": 1, "b": "</script><b>"}]}.items() <= spec["data"][0].items()
    assert terres_rares_site.remote_loads(body) == []


def test_a_chart_with_embed_options_the_site_does_not_handle_fails_the_build():
    chart = alt.Chart(alt.Data(values=[{"a": 1}])).mark_point()
    with alt.renderers.set_embed_options(actions=False, renderer="canvas"):
        html = _altair_html(chart)
    with pytest.raises(ExtensionError, match="renderer"):
        terres_rares_charts.compile_altair_outputs(html)


@pytest.mark.parametrize(
    "markup, remote",
    [
        ('<script src="https://cdn.example.org/x.js"></script>', True),
        ('<script src="//cdn.example.org/x.js"></script>', True),
        ('<link rel="stylesheet" href="https://fonts.example.org/a.css">', True),
        ('<img src="https://example.org/a.png">', True),
        ("var x = {src: 'https://cdn.example.org/lib.js'}", True),
        # a script URL named in inline code or configuration, even if nothing loads it yet
        (
            '<script>const paths = {"vega": "https://cdn.jsdelivr.net/npm/vega@6?noext"};</script>',
            True,
        ),
        (
            '<script>const THEBE_JS_URL = "https://unpkg.com/thebe@0.8.2/lib/index.js"</script>',
            True,
        ),
        (
            '<script type="text/x-thebe-config">{binderOptions: {binderUrl: "https://mybinder.org"}}</script>',
            True,
        ),
        ("<script>import('//esm.sh/lodash')</script>", True),
        # what the pages do hold: links, local scripts, chart specs with their schema URL and links
        ('<a href="https://www.usgs.gov/">USGS</a>', False),
        ('<script src="../_static/vendor/vega/vega.min.js"></script>', False),
        (
            '<script type="application/json" class="tr-chart-spec">{"$schema": "https://vega.github.io/schema/vega/v6.json",'
            ' "title": "Source: https://www.usgs.gov/centers/nmic"}</script>',
            False,
        ),
        ('<p>const x = "https://unpkg.com/a.js" is prose outside a script</p>', False),
    ],
)
def test_the_offline_check_flags_resources_loaded_from_another_host(markup, remote):
    assert bool(terres_rares_site.remote_loads(markup)) is remote


def test_a_chapter_whose_cell_fails_fails_the_notebook_tests(tmp_path):
    chapter = tmp_path / "broken.md"
    chapter.write_text(
        textwrap.dedent("""\
        ---
        jupytext:
          text_representation:
            format_name: myst
        kernelspec:
          display_name: Python 3
          language: python
          name: python3
        ---
        # A broken chapter

        ```{code-cell} ipython3
        x = 1
        ```

        ```{code-cell} ipython3
        raise ValueError("this cell fails")
        ```
        """)
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "conftest",
            "--rootdir",
            str(ROOT),
            "-c",
            str(ROOT / "pyproject.toml"),
            str(chapter),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert "1 failed, 1 passed" in result.stdout, result.stdout[-2000:]


def _positions(topology: dict) -> list[list[tuple[float, float]]]:
    """Every arc of a quantized topology as (longitude, latitude) points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((tx + x * sx, ty + y * sy))
        arcs.append(points)
    return arcs


def test_a_maps_outline_is_written_on_a_coarser_grid_whose_borders_still_meet():
    steps = 100_000  # the world atlas's quantization
    transform = {"scale": [360 / (steps - 1), 170 / (steps - 1)], "translate": [-180, -85]}
    # two countries share the border arc 0; arc 1 closes the first; arc 2 has repeated points
    arcs = [[[10_000, 20_000], [3, 4], [30_000, 0]], [[40_003, 20_004], [-30_003, -4]]]
    arcs.append([[99_999, 99_999], [-1, 0], [-1, 0], [-20_000, -1]])
    topology = {
        "type": "Topology",
        "transform": transform,
        "arcs": arcs,
        "objects": {"land": {"type": "GeometryCollection", "geometries": []}},
    }
    coarse = terres_rares_charts.coarser_topology(topology)
    assert coarse["objects"] == topology["objects"] and topology["arcs"] == arcs  # a copy
    before, after = _positions(topology), _positions(coarse)
    step = 360 / (terres_rares_charts.MAP_GRID - 1)
    for old, new in zip(before, after, strict=True):
        assert old[0] == pytest.approx(new[0], abs=step) and old[-1] == pytest.approx(
            new[-1], abs=step
        )
        for point in new:
            assert min(abs(point[0] - o[0]) + abs(point[1] - o[1]) for o in old) < 2 * step
    assert after[0][-1] == after[1][0] and after[1][-1] == after[0][0]  # shared ends still meet
    assert len(coarse["arcs"][0]) == 2  # the point 3 steps from the start merged with it
    assert len(coarse["arcs"][2]) == 2  # repeats dropped, both ends kept
    assert terres_rares_charts.coarser_topology(coarse) is coarse  # already coarse enough
    plain = {"type": "Topology", "arcs": [[[0.5, 1.5], [2.5, 3.5]]], "objects": {}}
    assert terres_rares_charts.coarser_topology(plain) is plain  # not quantized: untouched


def test_a_chart_with_an_inline_topology_is_compiled_with_the_coarser_outline():
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.0036, 0.0017], "translate": [-180, -85]},
        "arcs": [[[0, 0], [99_999, 0], [0, 99_999], [-99_999, -99_999]]],
        "objects": {
            "land": {
                "type": "GeometryCollection",
                "geometries": [{"type": "Polygon", "arcs": [[0]]}],
            }
        },
    }
    chart = alt.Chart(
        alt.InlineData(values=topology, format=alt.DataFormat(type="topojson", feature="land"))
    ).mark_geoshape()
    body, _ = terres_rares_charts.compile_altair_outputs(_altair_html(chart))
    spec = json.loads(re.search(r'class="tr-chart-spec"[^>]*>(.*?)</script>', body, re.S)[1])
    (outline,) = [d["values"] for d in spec["data"] if isinstance(d.get("values"), dict)]
    assert outline["arcs"] == [[[0, 0], [4095, 0], [0, 4095], [-4095, -4095]]]
    assert outline["transform"]["scale"][0] == pytest.approx(0.0036 * 99_999 / 4095)


def test_the_topology_keeps_only_the_object_its_data_reads():
    topology = {"type": "Topology", "arcs": [], "objects": {"countries": {}, "land": {}}}
    kept = terres_rares_charts.used_objects(topology, {"type": "topojson", "feature": "countries"})
    assert kept["objects"] == {"countries": {}} and topology["objects"].keys() == {
        "countries",
        "land",
    }
    assert terres_rares_charts.used_objects(topology, {"type": "topojson"}) is topology
    with pytest.raises(ValueError, match="'lakes'"):
        terres_rares_charts.used_objects(topology, {"type": "topojson", "mesh": "lakes"})


# --------------------------------------------------------------------------- the first chart's picture


def _chart_divs(body: str) -> list[str]:
    """The inside of each chart's div (up to its spec script)."""
    return re.findall(
        r'<div id="altair-viz-[0-9a-f]{32}" class="vega-embed tr-chart">(.*?)</div>\n<script',
        body,
        re.S,
    )


def test_the_first_chart_of_a_page_comes_drawn_as_a_picture_and_no_other():
    import widgets.charts  # noqa: F401  (the site's theme, as the chapters draw with it)

    rows = [
        {"year": 2020, "t": 2.345, "label": "2.345 kt"},
        {"year": 2021, "t": 3.5, "label": "3.5 kt"},
    ]
    bars = (
        alt.Chart(alt.Data(values=rows)).mark_bar().encode(x="year:O", y="t:Q", tooltip="label:N")
    )
    labels = bars.mark_text(dy=-5).encode(text="label:N")
    first = (bars + labels).properties(title="First")
    body, count = terres_rares_charts.compile_altair_outputs(
        _altair_html(first) + _altair_html(bars.properties(title="Second"))
    )
    assert count == 2
    picture, second = _chart_divs(body)
    assert second == ""  # drawn by charts.js only
    assert picture.startswith('<div class="tr-chart-picture" aria-hidden="true">')
    assert picture.count("<svg") == 1 and "tr-picture-wide" in picture  # one layout: one picture
    assert 'class="role-mark"' in picture and "<path" in picture  # the bars, drawn
    assert ">2.345 kt</text>" in picture and ">First</text>" in picture  # texts exact
    assert "aria-label" not in picture and "font-family" not in picture
    assert not re.search(r"\d\.\d\d", "".join(re.findall(r' d="([^"]*)"', picture)))
    for name in re.findall(r'\bid="([^"]+)"', picture):  # clip paths: the chart's own ids
        assert name.startswith("altair-viz-")


def test_a_chart_with_a_phone_layout_comes_as_two_pictures():
    from widgets import charts

    chart = alt.Chart(alt.Data(values=[{"t": 1}])).mark_text(
        text=charts.on_a_phone("laid out for a phone", "laid out for a laptop")
    )
    body, _ = terres_rares_charts.compile_altair_outputs(_altair_html(chart))
    (picture,) = _chart_divs(body)
    drawn = dict(re.findall(r'<div class="tr-picture-(phone|wide)">(<svg.*?</svg>)</div>', picture))
    assert list(drawn) == ["phone", "wide"]  # the phone's first: site.css shows one of them
    assert ">laid out for a phone<" in drawn["phone"] and "laptop" not in drawn["phone"]
    assert ">laid out for a laptop<" in drawn["wide"] and "phone" not in drawn["wide"]


# --------------------------------------------------------------------------- served without comments
def test_the_sites_own_files_are_served_without_their_comments_and_nothing_else_is_lost():
    js = textwrap.dedent(
        """\
        a();
          // a comment line
        /* a block */ b();
        const url = "http://example.org/*not a comment*/";
        /** a doc block
         * over lines */
        c();
        """
    )
    assert terres_rares_site.without_comments("x.js", js) == (
        'a();\n/* a block */ b();\nconst url = "http://example.org/*not a comment*/";\nc();\n'
    )
    css = 'a { b: 1; } /* a note\n over lines */\n\n.x::before { content: attr(x) / ""; }\n/*! kept */'
    assert terres_rares_site.without_comments("x.css", css) == (
        'a { b: 1; } \n.x::before { content: attr(x) / ""; }\n/*! kept */'
    )


def test_the_built_copies_of_the_sites_files_are_their_sources_without_comments():
    from widgets.paths import SITE

    for name in terres_rares_site.OWN_STATIC:
        source = (BOOK / "_static" / name).read_text(encoding="utf-8")
        built = (SITE / "_static" / name).read_text(encoding="utf-8")
        assert built == terres_rares_site.without_comments(name, source), name
        assert len(built) < len(source), name
        if name.endswith(".js"):
            check = subprocess.run(["node", "--check", str(SITE / "_static" / name)])
            assert check.returncode == 0, f"{name} no longer parses without its comments"
