"""The build's own guarantees: vendored JavaScript matches Altair, the offline check catches a
remote script, and the notebook collector really executes the chapters."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import altair as alt
import pytest

from widgets.paths import BOOK, ROOT

sys.path.insert(0, str(BOOK / "_ext"))
import terres_rares_site


def test_vendored_vega_lite_is_the_version_of_altairs_schema():
    versions = terres_rares_site.vendored_versions()
    assert "v" + versions["vega-lite"]["version"] == alt.SCHEMA_VERSION
    assert versions["vega"]["version"].split(".")[0] == alt.VEGA_VERSION.split(".")[0]
    assert versions["vega-embed"]["version"].split(".")[0] == alt.VEGAEMBED_VERSION.split(".")[0]


def test_every_vendored_package_ships_its_licence():
    vendor = terres_rares_site.VENDOR_DIR
    for name, info in terres_rares_site.vendored_versions().items():
        assert (vendor / name / info["licence"]).is_file(), name


def test_altair_cdn_urls_become_page_relative_local_files():
    bundle = alt.Chart(alt.Data(values=[{"a": 1}])).mark_point()._repr_mimebundle_()
    html = (bundle[0] if isinstance(bundle, tuple) else bundle)[
        "text/html"
    ]  # what a notebook cell shows
    assert "cdn.jsdelivr.net" in html
    localised = terres_rares_site._localise(html, lambda target, _: "../" + target)
    assert "cdn.jsdelivr.net" not in localised
    assert '"vega-lite": "../_static/vendor/vega-lite/vega-lite.min.js?noext"' in localised


@pytest.mark.parametrize(
    "markup, remote",
    [
        ('<script src="https://cdn.example.org/x.js"></script>', True),
        ('<script src="//cdn.example.org/x.js"></script>', True),
        ('<link rel="stylesheet" href="https://fonts.example.org/a.css">', True),
        ('<img src="https://example.org/a.png">', True),
        ('paths = {"vega": "https://cdn.jsdelivr.net/npm/vega@6?noext"}', False),
        ("var x = {src: 'https://cdn.example.org/lib.js'}", True),
        ('<a href="https://www.usgs.gov/">USGS</a>', False),
        ('<script src="../_static/vendor/vega/vega.min.js"></script>', False),
    ],
)
def test_the_offline_check_flags_resources_loaded_from_another_host(markup, remote):
    assert bool(terres_rares_site.EXTERNAL_LOAD.search(markup)) is remote


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
