"""The book's catalogue pages: the data tables with their columns, units, sources and a
download link, and the register of sources. Generated from ``data/`` and its schemas, so the
pages can never disagree with the tables."""

from __future__ import annotations

import html
import re

import pandas as pd
from IPython.display import HTML

from widgets import paths, sources
from widgets.data import load_schema, load_table, table_names
from widgets.text import or_empty, when_text

# From a page in book/ to the copies the build publishes (paths.DOWNLOADS, paths.NOTEBOOKS).
DOWNLOAD_DIR = f"../{paths.DOWNLOADS}"
NOTEBOOK_DIR = f"../{paths.NOTEBOOKS}"


def _table(frame: pd.DataFrame) -> str:
    """A table of cells already written as HTML (escaped where they hold text)."""
    return frame.to_html(
        index=False, border=0, classes="table catalogue-table", na_rep="", escape=False
    )


KINDS = {
    "string": "text",
    "number": "number",
    "integer": "whole number",
    "boolean": "true or false",
    "date": "date",
}
FOREIGN = {
    "sources": "The source of the row: a source's short name, described (title, author, link, "
    "licence) under 'Sources cited' and in the register of sources at the end of this page.",
    "countries": "A country or group, by the name the table of countries and actors on this "
    "page gives it.",
}
IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\bdata/\w*")


def _words(text: str) -> str:
    """``text`` as HTML, with every name it quotes from the CSV set as code: a column's name, a
    value written in it (data/<table> too), a setting named in it."""
    return IDENTIFIER.sub(lambda m: f"<code>{m.group(0)}</code>", html.escape(text))


def _columns(schema: dict) -> str:
    """What each column of a downloaded CSV means, in words: name, meaning, unit and kind."""
    foreign = {}
    for key in schema.get("foreignKeys", []):
        for field in [key["fields"]] if isinstance(key["fields"], str) else key["fields"]:
            foreign[field] = key["reference"]["resource"]
    items = []
    for f in schema["fields"]:
        title = f.get("title", f["name"])
        kind = KINDS[f["type"]]
        unit = f" in {f['unit']}" if f.get("unit") else ""
        meaning = " ".join(
            part
            for part in (FOREIGN.get(foreign.get(f["name"]), ""), f.get("description", ""))
            if part
        )
        text = f"{title} ({kind}{unit})." + (f" {meaning}" if meaning else "")
        items.append(f"<dt><code>{html.escape(f['name'])}</code></dt><dd>{_words(text)}</dd>")
    return f'<dl class="csv-columns">{"".join(items)}</dl>'


def _licences(keys) -> pd.DataFrame:
    register = sources.register()
    rows = []
    for key in keys:
        row = register.loc[key]
        rows.append(
            {
                "Written in the CSV as": f"<code>{html.escape(key)}</code>",
                "Source": html.escape(row["short"]),
                "Licence or terms": html.escape(row["licence"]),
                "URL": html.escape(or_empty(row["url"])),
            }
        )
    return pd.DataFrame(rows)


def data_page() -> HTML:
    """A list of the tables, then one block per table: title, what it holds, a download link,
    what each column means and the sources cited."""
    blocks, contents = [], []
    for name in table_names():
        schema = load_schema(name)
        frame = load_table(name)
        title = html.escape(schema["title"])
        contents.append(f'<li><a href="#table-{name}">{title}</a></li>')
        cited = []
        if "source" in frame.columns:
            cited = list(dict.fromkeys(frame["source"].dropna()))
        parts = [
            f'<section class="catalogue-entry" id="table-{name}">',
            f"<h2>{title}</h2>",
            f"<p>{html.escape(schema['description'])}</p>",
            f'<p><a href="{DOWNLOAD_DIR}/{name}.csv" download>Download the table as {name}.csv</a> '
            f"({len(frame)} rows; opens in any spreadsheet) · "
            f'<a href="{DOWNLOAD_DIR}/schema/{name}.json" download>its columns for software '
            f"({name}.json, a Table Schema)</a></p>",
            f"<details><summary>What each column means ({len(schema['fields'])} columns)"
            f"</summary>{_columns(schema)}</details>",
        ]
        if cited:
            parts.append(
                f"<details><summary>Sources cited ({len(cited)})</summary>"
                f"{_table(_licences(cited))}</details>"
            )
        parts.append("</section>")
        blocks.append("".join(parts))
    outline = (
        '<nav class="catalogue-contents" aria-label="Tables on this page">'
        f"<p>The {len(contents)} tables on this page:</p><ul>{''.join(contents)}</ul></nav>"
    )
    return HTML(outline + "".join(blocks))


PRECISION = {4: "year", 7: "month", 10: "day"}  # length of an ISO date -> what it says
ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def published(value) -> str:
    """A publication date as the reader sees it: "2025", "Nov 2025", "2 Feb 2026", "not stated"."""
    text = or_empty(value)
    if not text:
        return "not stated"
    if not ISO_DATE.fullmatch(text):
        raise ValueError(f"published = {text!r} is not a date written YYYY, YYYY-MM or YYYY-MM-DD")
    return when_text(text, PRECISION[len(text)])


def _card(row) -> str:
    """One source as a card: its short name, then a definition list (no column to scroll)."""
    fields = [
        ("Title", html.escape(row["title"])),
        ("Author", html.escape(row["author"])),
        ("Published", html.escape(published(row["published"]))),
        ("Licence or terms", html.escape(row["licence"])),
    ]
    url = or_empty(row["url"])
    if url:
        fields.append(("Link", f'<a href="{html.escape(url)}">{html.escape(url)}</a>'))
    note = sources.readable(or_empty(row["note"]))
    if note:
        fields.append(("Note", html.escape(note)))
    items = "".join(f"<dt>{term}</dt><dd>{value}</dd>" for term, value in fields)
    return (
        f'<li class="source-card"><p class="source-card-name">{html.escape(row["short"])}</p>'
        f"<dl>{items}</dl></li>"
    )


def sources_table(kind: str | None = None) -> HTML:
    """The register of sources (optionally one kind: seed, dataset, press, official, company), one
    card per source: a table of seven columns does not fit a page column (long URLs, long notes)."""
    register = load_table("sources")
    if kind is not None:
        if kind not in set(register["kind"]):
            raise ValueError(
                f"kind = {kind!r} is not a kind of source: {sorted(set(register['kind']))}"
            )
        register = register[register["kind"] == kind]
    cards = "".join(_card(row) for _, row in register.iterrows())
    return HTML(f'<ul class="source-cards">{cards}</ul>')


def notebook_links() -> HTML:
    """Links to the executed .ipynb copy of every chapter (published in _static/notebooks/)."""
    items = []
    for page in paths.toc_pages()[1:]:  # not the landing page (its one chart is chapter 2's)
        path = paths.ROOT / f"{page}.md"
        if not path.is_file() or not paths.is_notebook(path):
            continue  # a generated page (the glossary) or a page without code
        name = path.stem
        items.append(f'<li><a href="{NOTEBOOK_DIR}/{name}.ipynb" download>{name}.ipynb</a></li>')
    return HTML("<p>Executed notebooks of the chapters:</p><ul>" + "".join(items) + "</ul>")
