"""Tables for the explorer's chapter: the model's equations, each importer's defaults, the
numbers of each preset with their sources, and a list of links that open the presets."""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML

from widgets import scenario as sc
from widgets.explorer.controls import LABELS
from widgets.explorer.links import explorer_link

# An exercise threshold chosen for teaching (not a figure from a source).
EXERCISE_UNMET_TARGET = 0.05

_BASIS_WORDS = {
    "document": "from a document",
    "dataset": "from a dataset",
    "assumption": "ASSUMPTION",
}


def _table_html(frame) -> str:
    return frame.to_html(
        index=False, border=0, classes="table explorer-table", na_rep="", escape=True
    )


def equations_view():
    """The model's monthly equations (quantity, equals, meaning) as an HTML table."""
    return HTML(_table_html(sc.equations()))


def parameter_table_view(importer: str = "Japan", element_group: str = "light_ndpr"):
    """The default parameters of an importer and group, each with its basis (document, dataset
    or labelled assumption), range and source, as an HTML table for the chapter."""
    table = sc.parameter_table(importer, element_group)
    shown = pd.DataFrame(
        {
            "Parameter": table["parameter"].map(LABELS),
            "Default": table["value"],
            "Range (low-high)": table["low"].astype(str) + " – " + table["high"].astype(str),
            "Basis": table["basis"].map(_BASIS_WORDS),
            "Source": table["source"].fillna(""),
            "Why this value": table["note"],
        }
    )
    return HTML(
        f"<p><b>Defaults for {importer}, element group {element_group}</b></p>" + _table_html(shown)
    )


def preset_sources_view():
    """One collapsible block per preset: every number it uses, with its basis and source."""
    blocks = []
    for name in sc.preset_names():
        table = sc.preset_table(name)
        table = table[table["set_by"] == "preset"]
        shown = pd.DataFrame(
            {
                "Field": table["parameter"],
                "Value": table["value"],
                "Basis": table["basis"].map(_BASIS_WORDS),
                "Source": table["source"].fillna(""),
                "Why": table["note"],
            }
        )
        link = explorer_link(name)
        blocks.append(
            f'<details class="preset-sources"><summary>{html.escape(name)}</summary>'
            f'<p><a href="{link}">Open this preset in the explorer</a></p>{_table_html(shown)}</details>'
        )
    return HTML("".join(blocks))


def links_list(*presets: str):
    """A list of links that open the scenario explorer page on the given presets (as HTML, so
    that the static page needs no Sphinx cross-reference)."""
    items = [
        f'<li><a href="{html.escape(explorer_link(name))}">{html.escape(name)}</a></li>'
        for name in presets
    ]
    return HTML('<ul class="explorer-links">' + "".join(items) + "</ul>")
