"""House style that a reader sees on every page: one thousands separator site-wide, the comma
(150,000 t; 2.29 billion), never a space, a no-break space or a thin space.

The check reads the prose of book/*.md (code cells, inline code and citation roles left out) and
the text columns of data/*.csv. Words quoted from a French document keep their French spacing:
text between « and », and columns that hold the document's own words (the French name of a
glossary term, a figure "as written", a ledger locator), are left out."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
DATA = ROOT / "data"

# A group of one to three digits, then one or more groups of exactly three digits joined by a
# space, a no-break space, a narrow no-break space or a thin space. Years ("in 2019 132,000")
# never match: a four-digit group cannot open the pattern.
SPACED_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?![\d])")
FRENCH_QUOTE = re.compile(r"«[^»]*»")
# Columns that hold a document's own (French) words, or figures as the document prints them.
DOCUMENT_WORDS = {"french", "as_written", "value_text", "locator", "words", "quote", "french_words"}
CODE_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*(\{code-cell\}|[A-Za-z0-9_+-]+\s*$)")
INLINE_CODE = re.compile(r"(\{[a-z:]+\})?`[^`]*`")


def prose_lines(text: str) -> list[tuple[int, str]]:
    """The lines of a MyST page a reader sees as prose, numbered from 1: front matter, code cells
    and fenced code blocks dropped, inline code and roles ({cite}`...`) blanked."""
    lines = text.splitlines()
    out, i = [], 0
    if lines and lines[0].strip() == "---":
        i = next((k for k in range(1, len(lines)) if lines[k].strip() == "---"), 0) + 1
    fence = None
    while i < len(lines):
        line = lines[i]
        if fence:
            if line.strip() == fence:
                fence = None
        else:
            opening = CODE_FENCE.match(line)
            if opening:
                fence = opening.group(2)
            else:
                out.append((i + 1, INLINE_CODE.sub(" ", line)))
        i += 1
    return out


def spaced_groups(text: str) -> list[str]:
    return SPACED_THOUSANDS.findall(FRENCH_QUOTE.sub(" ", text))


def test_the_pattern_finds_spaced_thousands_and_spares_years_decimals_and_commas():
    assert spaced_groups("150 000 tonnes, 7\u202f000 billion, 2\u2009290 t, 1\u00a0400") == [
        "150 000",
        "7\u202f000",
        "2\u2009290",
        "1\u00a0400",
    ]
    assert spaced_groups("in 2019 132,000 t; 2.29 billion; 17 elements; 30 October 2025") == []
    assert spaced_groups("from 1990 to 2025, 12 of the 17, 0.1 %") == []
    assert spaced_groups("« 150 000 tonnes par an » (150,000 tonnes a year)") == []


def test_prose_lines_skip_code_cells_and_inline_code():
    page = (
        "---\nkernelspec: 1 000\n---\nText 1 000 t.\n```{code-cell} ipython3\nx = 1 000\n```\n"
        "```{admonition} Note\nInside 2 000 t.\n```\nA role {cite}`a 3 000` and `4 000`.\n"
    )
    found = [spaced_groups(line) for _, line in prose_lines(page)]
    assert [g for g in found if g] == [["1 000"], ["2 000"]]


PAGES = sorted(BOOK.glob("*.md"))


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_book_prose_uses_the_comma_as_thousands_separator(path):
    bad = [
        f"{path.name}:{n}: {g!r}"
        for n, line in prose_lines(path.read_text(encoding="utf-8"))
        for g in spaced_groups(line)
    ]
    assert not bad, "write thousands with a comma (150,000), not a space:\n" + "\n".join(bad)


TABLES = sorted(DATA.glob("*.csv"))


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_data_text_columns_use_the_comma_as_thousands_separator(path):
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    bad = [
        f"{path.name}:{n + 2} [{column}]: {g!r}"
        for n, row in enumerate(rows)
        for column, value in row.items()
        if column not in DOCUMENT_WORDS and value
        for g in spaced_groups(value)
    ]
    assert not bad, "write thousands with a comma (150,000), not a space:\n" + "\n".join(bad)
