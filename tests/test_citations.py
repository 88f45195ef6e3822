"""The bibliography style and the citation runs of book/_ext/terres_rares_citations.py, on
book/references.bib and on small made-up entries (no build needed)."""

from __future__ import annotations

import re
import sys

import pytest
from docutils import nodes
from pybtex.database import BibliographyData, Entry, Person, parse_file
from pybtex.plugin import register_plugin
from sphinx.addnodes import pending_xref

from widgets.paths import BOOK

sys.path.insert(0, str(BOOK / "_ext"))
import terres_rares_citations as citations

register_plugin("pybtex.style.labels", citations.STYLE, citations.LabelStyle, force=True)
register_plugin("pybtex.style.sorting", citations.STYLE, citations.SortingStyle, force=True)
BIB = BOOK / "references.bib"
# "Lepesant, 2025", "USGS, 2026a", "IUPAC, undated", "Wikipedia (places of the map), undated"
HUMAN_LABEL = re.compile(r"^[^,]+(?: \([^)]+\))?, (?:\d{4}[a-z]?|undated(?: [a-z])?)$")


def people(*names: str) -> list[Person]:
    return [Person(name) for name in names]


def formatted(entries: dict[str, Entry]) -> dict[str, object]:
    """As sphinxcontrib-bibtex formats a bibliography: sort, label, then each entry."""
    style = citations.Style()
    ordered = style.sort(BibliographyData(entries).entries.values())
    labels = style.format_labels(ordered)
    return {e.key: style.format_entry(label, e) for label, e in zip(labels, ordered, strict=True)}


@pytest.fixture(scope="module")
def book_entries():
    return formatted(dict(parse_file(str(BIB)).entries))


def words(text: str) -> set[str]:
    return set(re.findall(r"[\w.'&-]+", text.replace("{", "").replace("}", "")))


def test_every_work_of_the_bibliography_has_one_human_label(book_entries):
    labels = {key: entry.label for key, entry in book_entries.items()}
    assert len(set(labels.values())) == len(labels), "two works share a label"
    odd = {k: v for k, v in labels.items() if not HUMAN_LABEL.match(v)}
    assert not odd, odd
    # the name is made of words of the entry (no "AgenceFPresse", no "Unsignedarticle")
    source = parse_file(str(BIB)).entries
    for key, label in labels.items():
        fields = source[key].fields
        known = words(fields.get("shortauthor", "")) | {
            w for person in source[key].persons.get("author", []) for w in words(str(person))
        }
        name = label.rsplit(", ", 1)[0].replace("(", "").replace(")", "")
        assert words(name) - {"et", "al.", "and"} <= known, (key, label)
    # the five documents, as the pages name them ("The Japan article (2026)", ...)
    assert labels["lepesant2025"] == "Lepesant, 2025"
    assert labels["caremag2025"] == "Caremag article, 2025"
    assert labels["japan2026"] == "Japan article, 2026"
    assert labels["afp_washington"] == "AFP dispatch, undated"


def test_the_bibliography_is_sorted_by_label(book_entries):
    order = [citations.sort_key(entry.label) for entry in book_entries.values()]
    assert order == sorted(order)


def test_one_work_has_one_entry():
    entries = parse_file(str(BIB)).entries.values()
    for name in ("title", "url"):
        values = [
            re.sub(r"\W+", " ", e.fields[name]).strip().lower() for e in entries if name in e.fields
        ]
        repeated = {v for v in values if values.count(v) > 1}
        assert not repeated, f"two entries with the same {name}: {repeated}"


def test_titles_keep_their_capitals_and_months_read_as_words(book_entries):
    text = book_entries["afp_ghy_2015"].text.render_as("text")
    assert "WTO Ruling Prompts China to Drop Rare Earths Export Quota" in text
    assert "May 2015" in text
    assert "U.S. Department of Defense" in book_entries["defence_mp2025"].text.render_as("text")
    assert "Trump-Xi" in book_entries["ndtv_busan2025"].text.render_as("text")
    assert "\\" not in "".join(e.text.render_as("text") for e in book_entries.values())


def test_labels_name_people_then_organisations_and_tell_same_year_works_apart():
    labels = {
        key: entry.label
        for key, entry in formatted(
            {
                "one": Entry(
                    "misc", {"year": "2020", "title": "A"}, persons={"author": people("Doe, J.")}
                ),
                "two": Entry(
                    "misc",
                    {"year": "2021", "title": "B"},
                    persons={"author": people("Doe, J.", "Roe, R.")},
                ),
                "three": Entry(
                    "misc",
                    {"year": "2021", "title": "C"},
                    persons={"author": people("Doe, J.", "Roe, R.", "Poe, E.")},
                ),
                "org": Entry("misc", {"title": "D"}, persons={"author": people("{Some Agency}")}),
                "short_b": Entry("misc", {"year": "2026", "title": "Zeta", "shortauthor": "USGS"}),
                "short_a": Entry("misc", {"year": "2026", "title": "Alpha", "shortauthor": "USGS"}),
            }
        ).items()
    }
    assert labels == {
        "one": "Doe, 2020",
        "two": "Doe and Roe, 2021",
        "three": "Doe et al., 2021",
        "org": "Some Agency, undated",
        "short_a": "USGS, 2026a",
        "short_b": "USGS, 2026b",
    }


def test_an_entry_with_no_author_is_refused_by_name():
    with pytest.raises(ValueError, match="'nobody'"):
        formatted({"nobody": Entry("misc", {"year": "2020", "title": "A"})})


def cite(target: str) -> pending_xref:
    node = pending_xref("", refdomain="cite", reftype="p", reftarget=target)
    node += nodes.inline("", f"[{target}]")
    return node


def test_a_run_of_citations_of_one_work_is_cited_once_at_its_end():
    paragraph = nodes.paragraph()
    paragraph += [
        nodes.Text("A "),
        cite("x"),
        nodes.Text(". B "),
        cite("x"),
        nodes.Text(". C "),
        cite("y"),
        nodes.Text(". D "),
        nodes.emphasis("", "", cite("x")),
        nodes.Text(". E "),
        cite("x,y"),
        nodes.Text("."),
    ]
    assert citations.collapse_repeated_citations(paragraph) == 1
    assert paragraph.astext() == "A. B [x]. C [y]. D [x]. E [x,y]."


def test_citations_of_other_paragraphs_are_not_merged():
    first, second = nodes.paragraph(), nodes.paragraph()
    first += [nodes.Text("A "), cite("x"), nodes.Text(".")]
    second += [nodes.Text("B "), cite("x"), nodes.Text(".")]
    assert citations.collapse_repeated_citations(first) == 0
    assert citations.collapse_repeated_citations(second) == 0
    assert (first.astext(), second.astext()) == ("A [x].", "B [x].")
