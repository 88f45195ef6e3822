"""Local Sphinx extension: the {say} role shows a document's own words next to a claim.

``{say}`lep-busan-negotiation-november-2026``` (a row id of ``data/evidence.csv``, the evidence
ledger) renders, right where it is written in a sentence, a small button marked «fr». Hovering
it, focusing it with the keyboard or tapping it reveals, inline in the sentence::

    « the French words of the document » — "their English translation" (Author, year)

The markup is phrasing content only (a ``<span>`` holding a ``<button>`` and a ``<span>``), so
it is valid inside ``<p>``, a list item or a table cell. The note sits in the flow of the text
(no floating box that a 375 px screen would cut), and the print stylesheet always shows it.
``book/_static/evidence.js`` toggles ``aria-expanded`` on tap or Enter and closes on Escape; the
styles are the "evidence notes" block at the end of ``book/_static/site.css``.

An id that is not a row of the ledger fails the build, with the page, the line and the id. The
ledger is read through :func:`widgets.data.load_table` (so it is validated first); pages that
use the role are re-read when the ledger changes.
"""

from __future__ import annotations

import hashlib
import html
import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from widgets.data import load_table
from widgets.paths import DATA

logger = logging.getLogger(__name__)

LEDGER = DATA / "evidence.csv"
ROLE = "say"


class say_note(nodes.Inline, nodes.TextElement):
    """A ledger row shown next to a claim (attributes: ledger_id, french, english, credit)."""


def ledger_rows() -> dict[str, dict]:
    """The rows of data/evidence.csv by id, with the short credit of their document."""
    ledger = load_table("evidence")
    sources = load_table("sources").set_index("source")
    rows = {}
    for row in ledger.itertuples(index=False):
        rows[row.id] = {
            "french": row.locator,
            "english": row.translation,
            "credit": credit(str(sources.loc[row.source, "short"])),
        }
    return rows


def credit(short: str) -> str:
    """'Lepesant (2025)' -> 'Lepesant, 2025': the credit shown after a translation."""
    match = re.fullmatch(r"(.*\S)\s*\((\d{4})\)", short)
    return f"{match.group(1)}, {match.group(2)}" if match else short


def _ledger_stamp() -> str:
    return hashlib.sha256(LEDGER.read_bytes()).hexdigest() if LEDGER.is_file() else ""


def say_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    env = inliner.document.settings.env
    ledger_id = text.strip()
    uses = env.domaindata.setdefault("evidence", {}).setdefault("uses", {})
    uses.setdefault(env.docname, []).append((ledger_id, lineno))
    row = _rows(env.app).get(ledger_id)
    if row is None:
        message = (
            f"{env.docname}: {{say}}`{ledger_id}`: no row '{ledger_id}' in data/evidence.csv "
            f"(the evidence ledger); add the row or correct the id"
        )
        error = inliner.reporter.error(message, line=lineno)
        problem = inliner.problematic(rawtext, rawtext, error)
        return [problem], [error]
    node = say_note(rawtext, "", ledger_id=ledger_id, **row)
    node["serial"] = env.new_serialno("say")
    return [node], []


def _rows(app: Sphinx) -> dict[str, dict]:
    cached = getattr(app, "_evidence_rows", None)
    if cached is None:
        cached = app._evidence_rows = ledger_rows()
    return cached


def visit_say_html(self, node: say_note) -> None:
    safe_id = re.sub(r"[^a-z0-9-]", "-", node["ledger_id"].lower())
    note_id = f"say-{safe_id}-{node['serial']}"
    french = html.escape(node["french"])
    english = html.escape(node["english"])
    self.body.append(
        f'<span class="say" data-ledger="{html.escape(node["ledger_id"])}">'
        f'<button type="button" class="say-toggle" aria-expanded="false" aria-controls="{note_id}">'
        f'«fr»<span class="say-sr">: the document\'s own words</span></button>'
        f'<span class="say-note" id="{note_id}" role="note">'
        f'<span lang="fr">«\u00a0{french}\u00a0»</span> — “{english}” '
        f'<span class="say-credit">({html.escape(node["credit"])})</span></span></span>'
    )
    raise nodes.SkipNode


def visit_say_text(self, node: say_note) -> None:
    """Builders other than HTML (LaTeX, text, man...): the words in brackets, always visible."""
    text = f" [«\u00a0{node['french']}\u00a0» — “{node['english']}” ({node['credit']})]"
    self.body.append(self.encode(text))
    raise nodes.SkipNode


def visit_say_plain(self, node: say_note) -> None:
    self.add_text(f' [« {node["french"]} » — "{node["english"]}" ({node["credit"]})]')
    raise nodes.SkipNode


def _purge(app, env, docname) -> None:
    env.domaindata.setdefault("evidence", {}).setdefault("uses", {}).pop(docname, None)


def _merge(app, env, docnames, other) -> None:
    mine = env.domaindata.setdefault("evidence", {}).setdefault("uses", {})
    theirs = other.domaindata.get("evidence", {}).get("uses", {})
    for docname in docnames:
        if docname in theirs:
            mine[docname] = theirs[docname]


def _outdated(app, env, added, changed, removed) -> list[str]:
    """Re-read every page that uses the role when the ledger changed since the last build."""
    data = env.domaindata.setdefault("evidence", {})
    stamp = _ledger_stamp()
    if data.get("stamp") == stamp:
        return []
    data["stamp"] = stamp
    return [doc for doc in data.get("uses", {}) if doc not in changed and doc not in removed]


def _check(app, env) -> None:
    """Fail the build on any id that the ledger does not hold (also on pages not re-read)."""
    rows = _rows(app)
    unknown = [
        f"{docname} (line {lineno}): {{say}}`{ledger_id}`"
        for docname, uses in sorted(env.domaindata.get("evidence", {}).get("uses", {}).items())
        for ledger_id, lineno in uses
        if ledger_id not in rows
    ]
    if unknown:
        raise ExtensionError(
            "unknown evidence id(s), not rows of data/evidence.csv:\n  " + "\n  ".join(unknown)
        )


def setup(app: Sphinx) -> dict:
    app.add_node(
        say_note,
        html=(visit_say_html, None),
        latex=(visit_say_text, None),
        text=(visit_say_plain, None),
        man=(visit_say_plain, None),
        texinfo=(visit_say_plain, None),
    )
    app.add_role(ROLE, say_role)
    app.add_js_file("evidence.js", loading_method="defer")
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-check-consistency", _check)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
