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
"""

from __future__ import annotations

import html
import json
import re

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
    return vl_convert.vegalite_to_vega(spec, vl_version=version)


def spec_script(chart_id: str, vega: dict) -> str:
    """The compiled spec as an inert JSON data block ('<' escaped, so no markup can end it)."""
    text = json.dumps(vega, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return (
        f'<script type="application/json" class="tr-chart-spec" '
        f'data-for="{html.escape(chart_id)}">{text}</script>'
    )


def compile_altair_outputs(body: str, where: str = "page") -> tuple[str, int]:
    """``body`` with every Altair chart as a container and its compiled Vega spec; the count."""
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
        return f'<div id="{chart_id}" class="vega-embed tr-chart"></div>\n' + spec_script(
            chart_id, vega
        )

    body = ALTAIR_OUTPUT.sub(replace, body)
    if "VEGA_DEBUG" in body or "cdn.jsdelivr.net/npm/vega" in body:
        raise ExtensionError(
            f"{where}: an Altair loader script was left uncompiled (its markup changed?)"
        )
    return body, count
