"""Tables for the explorer's chapter: the model's equations, each importer's defaults, the
numbers of each preset with their sources, and a list of links that open the presets."""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML

from widgets import scenario as sc
from widgets import sources
from widgets.explorer.controls import LABELS
from widgets.explorer.links import explorer_link

# An exercise threshold chosen for teaching (not a figure from a source).
EXERCISE_UNMET_TARGET = 0.05

BASIS_WORDS = {
    "document": "from a document",
    "dataset": "from a dataset",
    "assumption": "ASSUMPTION",
}


def _table_html(frame, classes: str = "", escape: bool = True) -> str:
    return frame.to_html(
        index=False,
        border=0,
        classes=f"table explorer-table {classes}".strip(),
        na_rep="",
        escape=escape,
    )


def _code(text: str) -> str:
    return f"<code>{html.escape(str(text))}</code>"


def equations_view():
    """The model's monthly equations as an HTML table, in the order the computer runs them: what
    each quantity is first (the reader's column), then its formula as the model writes it. The
    names and formulas are code (class ``model-formulas``): the one place where the reader
    meets the model's own names, each explained beside it."""
    table = sc.equations()
    shown = pd.DataFrame(
        {
            "Quantity": table["quantity"].map(_code),
            "What it is": table["meaning"].map(lambda text: html.escape(str(text))),
            "Formula (as the model computes it)": table["equals"].map(_code),
        }
    )
    return HTML(_table_html(shown, "model-formulas", escape=False))


def value_text(parameter: str, value) -> str:
    """A value as the text speaks of it: "50 %", "60 days", "5,000 t/yr", a group by its label."""
    if parameter == "element_group":
        return sc.GROUP_LABELS.get(value, value)
    spec = sc.PARAMETERS.get(parameter)
    if spec is None or spec.kind == "choice":
        return str(value)
    return spec.text(float(value))


def _source_names(keys: pd.Series) -> pd.Series:
    """Keys of data/sources.csv as their short credits ("Lepesant (2025)"); empty stays empty."""
    return keys.map(lambda key: sources.short(key) if isinstance(key, str) and key else "")


def parameter_table_view(importer: str = "Japan", element_group: str = "light_ndpr"):
    """The default parameters of an importer and group, each with its basis (document, dataset
    or labelled assumption), range and source, as an HTML table for the chapter."""
    table = sc.parameter_table(importer, element_group)
    shown = pd.DataFrame(
        {
            "Parameter": table["parameter"].map(LABELS),
            "Default": [
                value_text(p, v) for p, v in zip(table["parameter"], table["value"], strict=True)
            ],
            "Plausible range": [
                f"{value_text(p, lo)} – {value_text(p, hi)}"
                for p, lo, hi in zip(table["parameter"], table["low"], table["high"], strict=True)
            ],
            "Basis": table["basis"].map(BASIS_WORDS),
            "Source": _source_names(table["source"]),
            "Why this value": table["note"].map(sources.readable),
        }
    )
    group = sc.GROUP_LABELS.get(element_group, element_group)
    title = f"Defaults for {html.escape(importer)}: {html.escape(group)}"
    return HTML(f"<p><b>{title}</b></p>" + _table_html(shown))


def preset_sources_view():
    """One collapsible block per preset: every number it uses, with its basis and source."""
    blocks = []
    for name in sc.preset_names():
        table = sc.preset_table(name)
        table = table[table["set_by"] == "preset"]
        shown = pd.DataFrame(
            {
                "Setting": table["parameter"].map(LABELS),
                "Value": [
                    value_text(p, v)
                    for p, v in zip(table["parameter"], table["value"], strict=True)
                ],
                "Basis": table["basis"].map(BASIS_WORDS),
                "Source": _source_names(table["source"]),
                "Why": table["note"].map(sources.readable),
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
