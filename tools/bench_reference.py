"""The stock Jupyter Book 1 page of the same stack with one Altair chart: the reference that
`make bench` prints beside the site's page weights (built here, in a temporary folder, so that
the ratio is measured in one run)."""

from __future__ import annotations

import subprocess
import tempfile
import textwrap
from pathlib import Path

from tools.bench_build import VENV_BIN
from tools.bench_weights import gzipped_size, transfer
from tools.site import serve
from widgets.paths import ROOT

REFERENCE_NOTEBOOK = textwrap.dedent("""\
    ---
    jupytext:
      text_representation:
        format_name: myst
    kernelspec:
      display_name: Python 3
      language: python
      name: python3
    ---
    # One chart

    A stock Jupyter Book page with one Altair chart.

    ```{code-cell} ipython3
    import altair as alt
    import pandas as pd

    table = pd.DataFrame({"country": ["China", "United States", "Australia"], "tonnes": [240000, 43000, 21000]})
    alt.Chart(table).mark_bar().encode(x="tonnes:Q", y="country:N", tooltip=["country", "tonnes"])
    ```
    """)

# What Altair's default renderer loads from jsdelivr, counted with the same versions' files from
# node_modules (what the CDN serves for these URLs is the package's minified UMD build).
CDN_EQUIVALENTS = {
    "vega": "vega/build/vega.min.js",
    "vega-lite": "vega-lite/build/vega-lite.min.js",
    "vega-embed": "vega-embed/build/vega-embed.min.js",
}


def build_reference(folder: Path) -> Path:
    """A stock Jupyter Book 1 (same venv, default theme, default Altair renderer) with one page."""
    (folder / "_config.yml").write_text(
        textwrap.dedent("""\
        title: Reference
        execute:
          execute_notebooks: force
        """)
    )
    (folder / "_toc.yml").write_text("format: jb-book\nroot: index\n")
    (folder / "index.md").write_text(REFERENCE_NOTEBOOK)
    subprocess.run(
        [str(VENV_BIN / "jupyter-book"), "build", ".", "--builder", "html"],
        cwd=folder,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return folder / "_build" / "html"


def reference_page(browser) -> dict:
    """Figures of the stock page: what it loads from its own site (measured in chromium, other
    hosts aborted), plus the three CDN scripts of Altair's loader counted from node_modules (the
    loader requests vega, then vega-lite, then vega-embed; offline only the first request is
    made and fails, so they are added by hand)."""
    with tempfile.TemporaryDirectory(prefix="bench-reference-") as tmp:
        site = build_reference(Path(tmp))
        with serve(site) as base:
            row = transfer(
                browser, base + "index.html", charts=False
            )  # its chart cannot draw offline
    for path in CDN_EQUIVALENTS.values():
        body = (ROOT / "node_modules" / path).read_bytes()
        row["requests"] += 1
        row["raw"] += len(body)
        row["gzip"] += gzipped_size(body, "javascript")
    row["page"] = "stock Jupyter Book page, 1 Altair chart"
    return row
