"""What the build adds for readers who take a chart or a chapter away (issue 12), tested on the
extensions' own functions rather than by a second build of the site:

* the sources named by a chart's source line, linked to their section of "About the sources";
* the Binder and Colab launch buttons, present when the public repository is given
  (``make site REPOSITORY_URL=…``), with Colab pointed at the published .ipynb copy; absent with
  one line saying why otherwise.
"""

from __future__ import annotations

import html
import json
import logging
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import altair as alt
import pytest
from sphinx.errors import ExtensionError

from widgets import charts, sources
from widgets.paths import BOOK, ROOT

sys.path.insert(0, str(BOOK / "_ext"))
import terres_rares_charts
import terres_rares_site

REPOSITORY = "https://github.com/owner/terres-rares"


def _finished_chart(keys: list[str]) -> str:
    chart = alt.Chart(alt.Data(values=[{"a": 1, "b": 2}])).mark_point().encode(x="a:Q", y="b:Q")
    finished = charts.finish(
        chart, title="A test chart", source=sources.credit(keys), description="A test chart."
    )
    bundle = finished._repr_mimebundle_()
    return (bundle[0] if isinstance(bundle, tuple) else bundle)["text/html"]


def test_a_charts_sources_are_linked_to_their_section_of_about_the_sources():
    body, count = terres_rares_charts.compile_altair_outputs(
        _finished_chart(["caremag2025", "usgs_mcs2026", "afp_caremag2025"]),
        sources_page="about-sources.html",
    )
    assert count == 1
    found = re.search(r'class="tr-chart-spec" data-for="[^"]+" data-sources="([^"]*)"', body)
    assert found, body[:300]
    assert json.loads(html.unescape(found[1])) == [
        [sources.short("caremag2025"), "about-sources.html#the-five-documents"],
        [sources.short("usgs_mcs2026"), "about-sources.html#public-datasets"],
        [sources.short("afp_caremag2025"), "about-sources.html#press-and-official-sources"],
    ]


def test_a_credit_inside_a_longer_one_is_not_a_second_source():
    # 'USGS MCS 2026 v1.3' is the short credit of usgs_mcs2026; no shorter credit is read in it
    line = "Source: " + sources.short("usgs_mcs2026") + "; " + sources.short("lepesant2025") + "."
    assert terres_rares_charts.named_sources(line) == [
        (sources.short("usgs_mcs2026"), "public-datasets"),
        (sources.short("lepesant2025"), "the-five-documents"),
    ]
    assert terres_rares_charts.named_sources("Source: this site's model.") == []


def test_a_chart_without_a_source_line_names_no_sources():
    assert terres_rares_charts.source_line({"title": {"text": "A title"}}) == ""
    assert terres_rares_charts.source_line({"title": {"text": ["a", "b"], "orient": "bottom"}}) == (
        "a b"
    )


def test_the_sections_the_sources_link_to_are_headings_of_about_the_sources():
    text = (BOOK / "about-sources.md").read_text(encoding="utf-8")
    headings = {
        re.sub(r"[^a-z0-9]+", "-", line[3:].strip().lower()).strip("-")
        for line in text.splitlines()
        if line.startswith("## ")
    }
    sections = set(terres_rares_charts.SECTION_OF_KIND.values())
    assert sections | {terres_rares_charts.OTHER_SOURCES_SECTION} <= headings


def test_launch_options_for_a_github_repository():
    options = terres_rares_site.launch_options(REPOSITORY + ".git")
    assert options["repository_url"] == REPOSITORY
    assert options["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
    assert options["launch_buttons"]["colab_url"] == "https://colab.research.google.com"
    assert terres_rares_site.launch_options("") == {}


@pytest.mark.parametrize("address", ["github.com/owner/repo", "https://gitlab.com/o/r", "x"])
def test_an_address_colab_cannot_open_is_an_error_that_names_it(address):
    with pytest.raises(ExtensionError, match=re.escape(repr(address))):
        terres_rares_site.launch_options(address)


def _config(theme: dict) -> SimpleNamespace:
    return SimpleNamespace(html_theme_options=theme)


def test_without_the_repository_the_build_says_in_one_line_why_there_are_no_buttons(
    monkeypatch, caplog
):
    monkeypatch.delenv(terres_rares_site.REPOSITORY_SETTING, raising=False)
    config = _config({"launch_buttons": {"binderhub_url": "x", "colab_url": "y"}})
    with caplog.at_level(logging.INFO):
        terres_rares_site._set_up_launch_buttons(None, config)
    said = [r.getMessage() for r in caplog.records if "launch buttons" in r.getMessage()]
    assert said == [terres_rares_site.NO_LAUNCH_BUTTONS]
    assert "REPOSITORY_URL=" in said[0]
    assert config.html_theme_options["launch_buttons"] == {"binderhub_url": "", "colab_url": ""}
    assert "repository_url" not in config.html_theme_options


def test_with_the_repository_the_theme_gets_binder_and_colab(monkeypatch):
    monkeypatch.setenv(terres_rares_site.REPOSITORY_SETTING, REPOSITORY)
    config = _config({"launch_buttons": {"notebook_interface": "jupyterlab", "thebe": False}})
    terres_rares_site._set_up_launch_buttons(None, config)
    theme = config.html_theme_options
    assert theme["repository_url"] == REPOSITORY and theme["path_to_docs"] == ""
    assert theme["launch_buttons"]["binderhub_url"] and theme["launch_buttons"]["colab_url"]
    assert theme["launch_buttons"]["thebe"] is False  # live code stays off


def test_colab_opens_the_published_notebook_not_the_myst_chapter():
    # the group of launch buttons as sphinx-book-theme 1.3.0 puts it in the page context
    colab = {"type": "link", "text": "Colab", "url": f"{REPOSITORY}/blob/main/book/01-x.md"}
    binder = {"type": "link", "text": "Binder", "url": "https://mybinder.org/v2/gh/o/r/main"}
    context = {"header_buttons": [{"type": "group", "buttons": [binder, colab]}]}
    app = SimpleNamespace(config=_config({"repository_url": REPOSITORY}))
    terres_rares_site._point_colab_at_the_notebook(app, "book/01-x", "page.html", context, None)
    assert colab["url"] == (
        "https://colab.research.google.com/github/owner/terres-rares/blob/"
        f"{terres_rares_site.PAGES_BRANCH}/_static/notebooks/01-x.ipynb"
    )
    assert binder["url"] == "https://mybinder.org/v2/gh/o/r/main"


def test_the_theme_still_builds_colab_links_the_way_this_extension_rewrites():
    # if sphinx-book-theme changes its launch buttons, the rewrite above may miss them
    import sphinx_book_theme.header_buttons.launch as launch

    source = Path(launch.__file__).read_text(encoding="utf-8")
    assert '"text": "Colab"' in source and '"buttons": launch_buttons_list' in source


def test_the_colab_setup_cell_is_valid_ipython_and_runs_only_on_colab(tmp_path):
    from IPython.core.inputtransformer2 import TransformerManager

    cell = terres_rares_site.colab_setup_cell(REPOSITORY)
    code = "".join(cell["source"])
    assert f"git clone --depth 1 {REPOSITORY} " in code
    python = TransformerManager().transform_cell(code)
    compile(python, "colab-setup", "exec")
    # outside Colab the cell does nothing (no clone, no install, no change of folder)
    script = tmp_path / "cell.py"
    script.write_text("get_ipython = None\n" + python + "\nimport os; print(os.getcwd())\n")
    ran = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == str(tmp_path)


def test_the_makefile_passes_the_setting_to_the_build():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    site = makefile.split("\nsite:", 1)[1].split("\n\n", 1)[0]
    assert f'{terres_rares_site.REPOSITORY_SETTING}="$(REPOSITORY_URL)"' in site
