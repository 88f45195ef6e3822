"""Charts of the built pages: Altair's Vega-Lite output compiled to Vega at build time.

A chapter cell that shows an Altair chart leaves in the page Altair's HTML: a ``<style>``, an
empty ``<div id="altair-viz-…">`` and a loader script that fetches Vega, Vega-Lite and
Vega-Embed one after another, compiles the Vega-Lite spec in the browser and draws it. Here the
loader script is replaced by the compiled Vega spec, as data::

    <div id="altair-viz-…" class="vega-embed tr-chart"></div>
    <script type="application/json" class="tr-chart-spec" data-for="altair-viz-…">{Vega}</script>

and the page loads, in parallel and async, the Vega runtime and ``_static/charts.js``, which
draws each chart when it comes near the viewport (or when the browser is idle, or before
printing) and then loads vega-tooltip. Vega-Lite is compiled by vl-convert (the same compiler,
in Python), with the Vega-Lite version of Altair's schema, so pages need neither the Vega-Lite
compiler nor its compile time. The page contract for scripts: see book/_static/charts.js.

A map's outline (inline TopoJSON, quantized) is put on a coarser grid before it is written
(``coarser_topology``): the world atlas's 100 000 steps per axis are far finer than the pixels of
a chart, and the outline was a third of the weight of the two chapters with the map.

The first chart of a page also comes drawn, as a picture (``picture``): vl-convert renders its
Vega spec to SVG at build time, with the same Vega, and the picture sits in the chart's div
(``.tr-chart-picture``, hidden from screen readers and in dark mode, whose colours it does not
have) until charts.js draws the live chart in its place. A reader sees the first chart as soon
as the page's HTML has come, before the Vega runtime has been fetched and has run (issue 13: the
first chart drawn within 0.5 s of navigation); its tooltips, controls and tool line come with
the live chart, whose div then says data-drawn="true", as before.

The spec script also carries ``data-sources``: the sources its source line names (the bottom
title "Source: A; B. …" that widgets.charts.finish gives every chart), each with the link of its
entry on the "About the sources" page, for the tool line that charts.js draws under the chart.
"""

from __future__ import annotations

import html
import json
import re
from itertools import pairwise

from sphinx.errors import ExtensionError

# Altair 6's HTML output for one chart (text/html of the cell), loader included.
ALTAIR_OUTPUT = re.compile(
    r'<div id="(?P<id>altair-viz-[0-9a-f]{32})"></div>\s*'
    r'<script type="text/javascript">\s*var VEGA_DEBUG = .*?\}\)\((?P<args>\{.*?)\);\s*</script>',
    re.S,
)
# The embed options Altair may pass and what this site does with them.
KNOWN_OPTIONS = {"mode": "vega-lite", "actions": False}
SCRIPTS = ["_static/vendor/vega/vega.min.js", "_static/charts.js"]
# vega-tooltip reads vega-util from window.vega as it runs, so charts.js loads it once Vega has
# run (the charts are drawn without waiting for it; hover tooltips are attached when it comes).
TOOLTIP = "_static/vendor/vega-tooltip/vega-tooltip.js"


def _arguments(text: str) -> tuple[dict, dict]:
    """The spec and the embed options of the loader's call ``(function(spec, embedOpt){…})(…)``."""
    decoder = json.JSONDecoder()
    spec, end = decoder.raw_decode(text)
    rest = text[end:].lstrip()
    if not rest.startswith(","):
        raise ValueError("the Altair loader's call has no embed options after the spec")
    options, end = decoder.raw_decode(rest[1:].lstrip())
    return spec, options


def vega_lite_version(spec: dict) -> str:
    """'6.4' for a spec whose $schema is …/vega-lite/v6.4.1.json (vl-convert's version key)."""
    found = re.search(r"/vega-lite/v(\d+)\.(\d+)", spec.get("$schema", ""))
    if not found:
        raise ValueError(f"not a Vega-Lite spec: $schema is {spec.get('$schema')!r}")
    return f"{found[1]}.{found[2]}"


def compile_spec(spec: dict) -> dict:
    import vl_convert

    version = vega_lite_version(spec)
    if version not in vl_convert.get_vegalite_versions():
        raise ValueError(
            f"vl-convert {vl_convert.__version__} cannot compile Vega-Lite {version} "
            f"(it knows {', '.join(vl_convert.get_vegalite_versions())})"
        )
    vega = vl_convert.vegalite_to_vega(spec, vl_version=version)
    for data in vega.get("data", []):
        if data.get("format", {}).get("type") == "topojson" and isinstance(
            data.get("values"), dict
        ):
            data["values"] = coarser_topology(used_objects(data["values"], data["format"]))
    return vega


def used_objects(topology: dict, data_format: dict) -> dict:
    """The topology with only the object its data reads (format "feature" or "mesh"); the world
    atlas also carries "land", which no chart draws. As it is if the format names none."""
    name = data_format.get("feature") or data_format.get("mesh")
    objects = topology.get("objects", {})
    if not name:
        return topology
    if name not in objects:
        raise ValueError(f"the map's data reads object {name!r}, not in its topology")
    return {**topology, "objects": {name: objects[name]}}


# A map is drawn at most ~1 400 px wide (a PNG export at twice the page column's 690 px): a grid
# of 4 096 steps across the outline's box puts every point within a third of a pixel of its place.
MAP_GRID = 4096


def coarser_topology(topology: dict, grid: int = MAP_GRID) -> dict:
    """A quantized TopoJSON topology on a grid of ``grid`` steps per axis: the same arcs, still
    delta-encoded, each point moved to the nearest node of the coarser grid, and a point that
    repeats the one before it dropped. Every arc keeps its two ends, so the borders two countries
    share still meet. A topology that is not quantized (no transform), or already as coarse, is
    returned as it is."""
    transform = topology.get("transform")
    if not transform or not topology.get("arcs"):
        return topology
    absolute = []
    for arc in topology["arcs"]:
        x = y = 0
        absolute.append([(x := x + dx, y := y + dy) for dx, dy in arc])
    steps = 1 + max(max(max(x, y) for x, y in points) for points in absolute if points)
    if steps <= grid:
        return topology
    factor = (grid - 1) / (steps - 1)
    arcs = []
    for points in absolute:
        moved = [(round(x * factor), round(y * factor)) for x, y in points]
        kept = moved[:1]
        for point in moved[1:-1]:
            if point != kept[-1]:
                kept.append(point)
        if len(moved) > 1 and (len(kept) == 1 or moved[-1] != kept[-1]):
            kept.append(moved[-1])
        arcs.append([[x - px, y - py] for (px, py), (x, y) in pairwise([(0, 0), *kept])])
    scale = [s / factor for s in transform["scale"]]
    return {**topology, "arcs": arcs, "transform": {**transform, "scale": scale}}


# The section of book/about-sources.md that lists each kind of source of data/sources.csv.
SOURCES_PAGE = "book/about-sources"
SECTION_OF_KIND = {"seed": "the-five-documents", "dataset": "public-datasets"}
OTHER_SOURCES_SECTION = "press-and-official-sources"


def source_line(spec: dict) -> str:
    """The text of a chart's source line (its bottom title), lines joined; '' if it has none."""
    title = spec.get("title")
    if not isinstance(title, dict) or title.get("orient") != "bottom":
        return ""
    text = title.get("text", "")
    return " ".join(text) if isinstance(text, list) else str(text)


def named_sources(line: str) -> list[tuple[str, str]]:
    """(short credit, section of the About-the-sources page) of every source of
    data/sources.csv that ``line`` names, in the order the line names them."""
    if not line:
        return []
    from widgets import sources

    found = []
    for row in sources.register().itertuples():
        at = line.find(row.short)
        if at >= 0:
            found.append((at, row.short, SECTION_OF_KIND.get(row.kind, OTHER_SOURCES_SECTION)))
    # a credit inside a longer one ('USGS MCS 2026' in 'USGS MCS 2026 v1.3') is not a source
    kept = [
        f
        for f in found
        if not any(o is not f and o[0] <= f[0] and f[1] in o[1] and o[1] != f[1] for o in found)
    ]
    return [(name, section) for _, name, section in sorted(kept)]


def spec_script(chart_id: str, vega: dict, sources: list[tuple[str, str]] = ()) -> str:
    """The compiled spec as an inert JSON data block ('<' escaped, so no markup can end it),
    with the links of its sources as [[name, href], …] in data-sources."""
    text = json.dumps(vega, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    links = (
        f' data-sources="{html.escape(json.dumps(list(sources), ensure_ascii=False))}"'
        if sources
        else ""
    )
    return (
        f'<script type="application/json" class="tr-chart-spec" '
        f'data-for="{html.escape(chart_id)}"{links}>{text}</script>'
    )


# What the picture of a chart leaves out of vl-convert's SVG, none of it seen: the marks'
# accessible names and roles (the picture is aria-hidden; the live chart has them); the texts
# Vega hides (opacity 0: labels that would overlap) and empty ones; attributes that say the
# default (opacity 1, no move) or matter only to a live chart (pointer events, class names but
# the marks' "role-mark"); the font of every text (site.css gives the picture one); empty
# background paths; and the digits of coordinates beyond the first decimal (a tenth of a
# pixel), in the attributes that place and shape marks only.
PICTURE_NAMES = re.compile(r'\s(?:aria-[a-z]+|role)="[^"]*"')
PICTURE_UNSEEN = re.compile(
    r'<text\b[^>]*\sopacity="0"[^>]*(?:/>|>.*?</text>)|<text\b[^>]*/>'
    r'|<path class="background" d="M0,0h0v0h0Z"[^>]*/>'
    r'|\s(?:font-family="[^"]*"|opacity="1"|pointer-events="none"|transform="translate\(0,0\)")',
    re.S,
)
CLASS_NAMES = re.compile(r'\sclass="([^"]*)"')
PICTURE_GEOMETRY = re.compile(r'(\s(?:d|transform|x|y|x1|x2|y1|y2|cx|cy|r|width|height)=")([^"]*)"')
LONG_DECIMAL = re.compile(r"(\d\.\d)\d+")
SVG_ID = re.compile(r'\bid="([^"]+)"')


# The two layouts a chart has (widgets.charts.on_a_phone: a phone's below a column of NARROW px),
# each drawn for the column it is drawn in: a 375 px phone's (343 px) and a laptop's (757 px at
# 1366 px; 736-816 px from tablets to wide screens). site.css shows the one that fits.
PHONE_COLUMN = 343
LAPTOP_COLUMN = 757
CONTAINER_SIZE = "containerSize()"


def _svg(vega: dict, prefix: str) -> str:
    import vl_convert

    svg = vl_convert.vega_to_svg(vega)
    if not svg.lstrip().startswith("<svg"):
        raise ValueError("vl-convert did not render the chart as an SVG")
    svg = PICTURE_UNSEEN.sub("", PICTURE_NAMES.sub("", svg))
    svg = CLASS_NAMES.sub(
        lambda m: ' class="role-mark"' if "role-mark" in m[1].split() else "", svg
    )
    svg = PICTURE_GEOMETRY.sub(lambda m: m[1] + LONG_DECIMAL.sub(r"\1", m[2]) + '"', svg)
    for name in sorted(set(SVG_ID.findall(svg))):
        svg = svg.replace(f'id="{name}"', f'id="{prefix}-{name}"')
        svg = svg.replace(f"url(#{name})", f"url(#{prefix}-{name})")
    return svg


def _in_column(vega: dict, width: int) -> dict:
    """The spec as drawn in a container ``width`` px wide (vl-convert draws it in none)."""
    return json.loads(json.dumps(vega).replace(CONTAINER_SIZE, f"[{width},0]"))


def picture(vega: dict, chart_id: str) -> str:
    """The chart drawn at build time, as the SVG pictures that stand in its div until charts.js
    draws it (see the module's docstring): its laptop layout, and its phone layout where it
    differs. Their ids (clip paths) take the chart's id as prefix, so that they never answer the
    live chart's references. vl-convert measures texts with Arial's widths (Liberation Sans
    here); site.css draws the pictures' texts in it."""
    wide = _svg(_in_column(vega, LAPTOP_COLUMN), chart_id + "-wide")
    phone = _svg(_in_column(vega, PHONE_COLUMN), chart_id + "-phone")
    drawn = f'<div class="tr-picture-wide">{wide}</div>'
    if phone.replace(f"{chart_id}-phone-", f"{chart_id}-wide-") != wide:
        drawn = f'<div class="tr-picture-phone">{phone}</div>' + drawn
    return f'<div class="tr-chart-picture" aria-hidden="true">{drawn}</div>'


# A colour in a compiled spec: hex, or a name Vega-Lite passes through ("white" strokes).
SPEC_COLOUR = re.compile(r'(?<=")(?:#[0-9a-fA-F]{6}|white|black)(?=")')
SPEC_SCRIPT = re.compile(
    r'<script type="application/json" class="tr-chart-spec"[^>]*>(.*?)</script>', re.S
)


def dark_palette(body: str) -> str:
    """Every colour the charts of ``body`` use and its dark counterpart, "light:dark" pairs
    separated by spaces ("#1f2933:#e4e7eb white:#14181e"): charts.js (its script's data-dark)
    swaps them when the page is dark (widgets.charts.dark_palette)."""
    from widgets import charts

    used = {c.lower() for spec in SPEC_SCRIPT.findall(body) for c in SPEC_COLOUR.findall(spec)}
    return " ".join(f"{light}:{dark}" for light, dark in charts.dark_palette(used).items())


def compile_altair_outputs(
    body: str, where: str = "page", sources_page: str = "about-sources.html"
) -> tuple[str, int]:
    """``body`` with every Altair chart as a container and its compiled Vega spec; the count.
    ``sources_page`` is the URL of the About-the-sources page from this page."""
    count = 0

    def replace(match: re.Match) -> str:
        nonlocal count
        chart_id = match["id"]
        try:
            spec, options = _arguments(match["args"])
            unknown = {k: v for k, v in options.items() if KNOWN_OPTIONS.get(k, object()) != v}
            if unknown:
                raise ValueError(f"embed options this site does not handle: {unknown}")
            vega = compile_spec(spec)
        except ValueError as error:
            raise ExtensionError(f"{where}: chart {chart_id}: {error}") from error
        count += 1
        sources = [
            (name, f"{sources_page}#{section}")
            for name, section in named_sources(source_line(spec))
        ]
        try:
            drawn = picture(vega, chart_id) if count == 1 else ""
        except ValueError as error:
            raise ExtensionError(f"{where}: chart {chart_id}: {error}") from error
        return f'<div id="{chart_id}" class="vega-embed tr-chart">{drawn}</div>\n' + spec_script(
            chart_id, vega, sources
        )

    body = ALTAIR_OUTPUT.sub(replace, body)
    if "VEGA_DEBUG" in body or "cdn.jsdelivr.net/npm/vega" in body:
        raise ExtensionError(
            f"{where}: an Altair loader script was left uncompiled (its markup changed?)"
        )
    return body, count
