"""Local Sphinx extension: the book's tables read on a phone (issue 12).

Each ``<table>`` of a page's body (Markdown tables and the HTML tables that code cells print)
is sorted, as built, into one of two kinds, and the stylesheet (``book/_static/site.css``,
section "tables") lays each out below a phone's width:

* **prose tables**, where some cell holds a phrase (more than ``PROSE_CHARACTERS`` characters):
  on a phone every row becomes a card, every cell under its column's header; where every first
  cell is short (a name, a date, a question: the row's key), that cell is the card's heading.
  Each body cell gets its header as ``data-label``: the stylesheet prints it, hidden from
  screen readers, which still read the table's own header row. No ARIA roles are added: they
  would repeat what a table's elements say (the HTML checker refuses them), and recent
  browsers keep a table's semantics under ``display: block``. Wide screens: as before.
* **short-celled tables** (figures, years, names) stay tables, in a box that scrolls sideways
  when the table is wider than the column; the box shows a "scroll" hint and edge shadows only
  then (a scroll-state container query, pure CSS), and can be scrolled from the keyboard.

A table with merged cells (colspan, rowspan) or without a header row is left as it is.
"""

from __future__ import annotations

import html
import re

from sphinx.application import Sphinx

PROSE_CHARACTERS = 40
TABLE = re.compile(r"<table\b(?P<attrs>[^>]*)>(?P<body>.*?)</table>", re.S)
THEAD = re.compile(r"<thead\b[^>]*>(?P<rows>.*?)</thead>", re.S)
TBODY = re.compile(r"<tbody\b[^>]*>(?P<rows>.*?)</tbody>", re.S)
ROW = re.compile(r"<tr\b(?P<attrs>[^>]*)>(?P<cells>.*?)</tr>", re.S)
CELL = re.compile(r"<(?P<tag>td|th)\b(?P<attrs>[^>]*)>(?P<content>.*?)</(?P=tag)>", re.S)
TAG = re.compile(r"<[^>]+>")
CLASS = re.compile(r'\bclass="(?P<names>[^"]*)"')
HINT = '<span class="tr-scroll-hint" aria-hidden="true">scroll sideways →</span>'


def text_of(markup: str) -> str:
    """The words of a piece of HTML, as a reader reads them."""
    return " ".join(html.unescape(TAG.sub(" ", markup)).split())


def add_class(attrs: str, name: str) -> str:
    found = CLASS.search(attrs)
    if found is None:
        return f'{attrs} class="{name}"'
    return attrs[: found.start("names")] + f"{found['names']} {name}" + attrs[found.end("names") :]


def _cells(row: str) -> list[re.Match]:
    return list(CELL.finditer(row))


def _labelled_body(rows: str, headers: list[str]) -> str:
    def row(match: re.Match) -> str:
        cells = _cells(match["cells"])
        out, last = [], 0
        for index, cell in enumerate(cells):
            label = html.escape(headers[index], quote=True)
            out.append(match["cells"][last : cell.start()])
            out.append(
                f'<{cell["tag"]}{cell["attrs"]} data-label="{label}">'
                f"{cell['content']}</{cell['tag']}>"
            )
            last = cell.end()
        out.append(match["cells"][last:])
        return f"<tr{match['attrs']}>{''.join(out)}</tr>"

    return ROW.sub(row, rows)


def table_kind(body: str) -> str | None:
    """The kind of a table, from the inside of its ``<table>``: "keyed cards" (prose whose first
    column names each row), "cards", "scroll", or None (left as it is)."""
    if "colspan" in body or "rowspan" in body:
        return None
    head, rows = THEAD.search(body), TBODY.search(body)
    if head is None or rows is None:
        return None
    header_rows = ROW.findall(head["rows"])
    if len(header_rows) != 1:
        return None
    width = len(_cells(header_rows[0][1]))
    body_rows = [_cells(cells) for _, cells in ROW.findall(rows["rows"])]
    if width < 2 or any(len(cells) != width for cells in body_rows):
        return None
    lengths = [[len(text_of(c["content"])) for c in cells] for cells in body_rows]
    if max((n for row in lengths for n in row), default=0) <= PROSE_CHARACTERS:
        return "scroll"
    keyed = all(0 < row[0] <= PROSE_CHARACTERS for row in lengths)
    return "keyed cards" if keyed else "cards"


def lay_out(markup: str) -> str:
    """Every table of ``markup`` marked for its phone layout (see the module's docstring)."""

    def table(match: re.Match) -> str:
        body, attrs = match["body"], match["attrs"]
        kind = table_kind(body)
        if kind is None:
            return match.group(0)
        if kind == "scroll":
            table = f"<table{add_class(attrs, 'tr-scroll-table')}>{body}</table>"
            return (
                '<div class="tr-table-scroll" tabindex="0" role="group" '
                f'aria-label="Table, scrolls sideways">{HINT}{table}</div>'
            )
        head = THEAD.search(body)
        headers = [text_of(c["content"]) for c in _cells(ROW.search(head["rows"])["cells"])]
        rows = TBODY.search(body)
        body = (
            body[: rows.start("rows")]
            + _labelled_body(rows["rows"], headers)
            + body[rows.end("rows") :]
        )
        names = "tr-cards tr-cards-keyed" if kind == "keyed cards" else "tr-cards"
        return f"<table{add_class(attrs, names)}>{body}</table>"

    return TABLE.sub(table, markup)


def _page_context(app: Sphinx, pagename, templatename, context, doctree) -> None:
    if "body" in context:
        context["body"] = lay_out(context["body"])


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", _page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
