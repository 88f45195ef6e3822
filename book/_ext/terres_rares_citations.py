"""Local Sphinx extension: citations a first-year student can read.

1. **One label per work, in words.** The bibliography style ``terres_rares`` (a pybtex style
   registered here, set by ``bibtex_default_style``) labels every entry "Author, year": the
   entry's ``shortauthor`` field if it has one ("Caremag article", "USGS"), else the surnames of
   its authors (one, "A and B", or "A et al."), else its organisation; the year, or "undated".
   Two works with the same label get "a", "b" after the year, in the order of their titles.
   With ``bibtex_reference_style: terres_rares`` (sphinxcontrib-bibtex's "label" style, works
   separated by "; " since a label holds a comma) the text cites a work by the same label as
   the bibliography shows, so a work has one name on the whole site. The bibliography is sorted by
   label, and titles keep the capitals they are written with (the standard style lower-cases
   them: "trump-xi", "u.s. department of defense").
2. **A citation once per run.** In the source every claim cites its document (the evidence
   checks of tests/test_evidence.py read the Markdown, one segment per citation). On the page, a
   citation followed, in the same paragraph, by a citation of the same work with no other
   citation between is dropped: the later one covers both stretches of text, as a citation
   covers the text back to the previous one. So a paragraph of five sentences from Lepesant reads
   "... [Lepesant, 2025]." once, and which claim comes from which document is unchanged: a
   stretch of text between two citations of different works keeps the citation it had.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from docutils import nodes
from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from pybtex.style.template import field as bib_field
from pybtex.style.template import sentence
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinxcontrib.bibtex.plugin import register_plugin as register_bibtex_plugin
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.label import LabelReferenceStyle

STYLE = "terres_rares"
UNDATED = "undated"


def _plain(latex: str) -> str:
    """A BibTeX field as text: braces and LaTeX escapes removed."""
    return str(Text.from_latex(latex)).strip()


def author_part(entry) -> str:
    """The name part of an entry's label (see the module docstring)."""
    if "shortauthor" in entry.fields:
        return _plain(entry.fields["shortauthor"])
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    if not people:
        raise ValueError(f"bibliography entry {entry.key!r} has no author and no shortauthor")
    names = [_plain(" ".join(p.prelast_names + p.last_names)) for p in people]
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} et al."


def base_label(entry) -> str:
    return f"{author_part(entry)}, {_plain(entry.fields.get('year', '')) or UNDATED}"


class LabelStyle(BaseLabelStyle):
    """Labels "Author, year", with "a", "b" after the year where two works would share one."""

    def format_labels(self, sorted_entries):
        entries = list(sorted_entries)
        bases = [base_label(e) for e in entries]
        groups = defaultdict(list)
        for index, base in enumerate(bases):
            groups[base].append(index)
        labels = list(bases)
        for base, members in groups.items():
            if len(members) > 1:
                members.sort(key=lambda i: _plain(entries[i].fields.get("title", "")).lower())
                for letter, index in zip("abcdefghijklmnopqrstuvwxyz", members, strict=False):
                    # "USGS, 2026a"; an undated pair reads "Wikipedia, undated a"
                    labels[index] = f"{base} {letter}" if base.endswith(UNDATED) else base + letter
        return labels


def sort_key(label: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", label.lower())


class SortingStyle(BaseSortingStyle):
    """By label ("AFP, 2015" ... "WTO, undated"); works that share a label, by title (the order
    of their letters)."""

    def sorting_key(self, entry):
        return sort_key(base_label(entry)), _plain(entry.fields.get("title", "")).lower()


class Style(UnsrtStyle):
    """unsrt's entries, with the labels above, sorted by label, titles as written."""

    default_label_style = STYLE
    default_sorting_style = STYLE

    def format_title(self, e, which_field, as_sentence=True):
        title = bib_field(which_field)
        return sentence[title] if as_sentence else title


def _brackets() -> BracketStyle:
    return BracketStyle(sep="; ")  # a label holds a comma: "[USGS, 2026a; USGS, 2025]"


@dataclass
class ReferenceStyle(LabelReferenceStyle):
    """Citations by label (``bibtex_reference_style: terres_rares``), works separated by "; "."""

    bracket_parenthetical: BracketStyle = field(default_factory=_brackets)
    bracket_textual: BracketStyle = field(default_factory=_brackets)


# ------------------------------------------------------------------ one citation per run
def _is_cite(node) -> bool:
    return isinstance(node, pending_xref) and node.get("refdomain") == "cite"


def collapse_repeated_citations(paragraph: nodes.Element) -> int:
    """Drop each citation whose next citation in ``paragraph`` cites the same works; returns how
    many were dropped. The space before a dropped citation goes with it."""
    cites = list(paragraph.findall(_is_cite))
    dropped = 0
    for this, following in zip(cites, cites[1:], strict=False):
        if this["reftarget"] != following["reftarget"]:
            continue
        parent = this.parent
        index = parent.index(this)
        if index > 0 and isinstance(parent[index - 1], nodes.Text):
            before = parent[index - 1]
            parent.replace(before, nodes.Text(before.astext().rstrip()))
        parent.remove(this)
        dropped += 1
    return dropped


def _on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    for paragraph in list(doctree.findall(nodes.paragraph)):
        collapse_repeated_citations(paragraph)


def setup(app: Sphinx):
    register_plugin("pybtex.style.labels", STYLE, LabelStyle, force=True)
    register_plugin("pybtex.style.sorting", STYLE, SortingStyle, force=True)
    register_plugin("pybtex.style.formatting", STYLE, Style, force=True)
    register_bibtex_plugin(
        "sphinxcontrib.bibtex.style.referencing", STYLE, ReferenceStyle, force=True
    )
    app.connect("doctree-read", _on_doctree_read)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
