"""The evidence ledger, checked: data/evidence.csv against the book, data/ and the documents.

The ledger holds one row for every figure, date and attributed judgement that the book takes
from one of the five source documents (columns in data/schema/evidence.json). These tests run on
any machine, except the locator check, which needs the documents (marker ``seeds``; see
tests/conftest.py): ``TERRES_RARES_SEEDS=/path/to/seeds make test``.

What is checked
---------------
1. The table: it validates (``load_table("evidence")``); the id's prefix names its document;
   ``value`` and ``unit`` are both given or both empty; the file is sorted by document, then id;
   every page or table named in ``used_in`` exists.
2. data/: every figure of a row whose source is one of the five documents equals the value of a
   ledger row of the same document that names the table in ``used_in`` (the columns checked,
   their scale and the few exclusions are listed in ``DATA_FIGURES`` / ``DATA_EXCLUDED`` below,
   with a reason each). A numeric column of such a row that is in neither list fails the test,
   so a new column cannot slip past.
3. The chapters: every number in a sentence (or table row) of a page that cites one of the five
   documents matches a ledger row of that document that names the page in ``used_in``.
4. Every ``{say}`id``` of the book is a ledger row, and every ledger row is used where its
   ``used_in`` says: a page shows it with {say}, or holds its figure in a sentence citing its
   document, or (a judgement, no value) cites its document; a table holds its figure.
5. With the documents: every locator is found in its document (``widgets.evidence.normalise``
   folds the OCR slips of lepesant2025, apostrophes, quotes, accents and spaces on both sides),
   and the French figures that the data tables copy "as written" are found there too.

How numbers are taken from a chapter (rule of check 3)
------------------------------------------------------
* The page is read as Markdown without its front matter, code cells (```` ```{code-cell} ````),
  directive option lines (``:class: tip``), HTML comments, inline code, maths (``$...$``), link
  targets, and the roles' targets: ``{doc}`04-asia``` and ``{cite}`key``` carry no number of
  the text (the cite is kept as a marker), ``{term}`text <target>``` keeps its text.
* It is cut into blocks (paragraphs, list items, table rows), blocks into sentences (at . ? !
  followed by a space and a capital, a quote or a bracket), sentences into segments: each segment
  ends at a ``{cite}`` and belongs to the keys of that cite; text after the last cite of a
  sentence belongs to that last cite. A sentence with no cite that names "Lepesant" belongs to
  lepesant2025. A segment is checked only when every key of its cite is one of the five
  documents (a figure next to a press or dataset key is that source's, not the ledger's).
* A number is a run of digits not glued to a letter (``G7``, ``Nd2Fe14B`` and ids are not
  numbers), with ``,`` as thousands separator and ``.`` as decimal point; followed by
  ``million``/``billion``/``trillion`` (or ``M€``, ``bn``) it is scaled. A date written
  ``17 March 2025`` or ``March 2025`` is the date 2025-03-17 or 2025-03, a four-digit number from
  1900 to 2099 is a year; the text may be less precise than the ledger (March 2025 matches
  2025-03-17), never more.
* Not numbers of a document: exercise and list numbering (``1.`` at the start of a line),
  chapter and exercise references (``chapter 5``, ``Exercise 2``, ``question 3``), ranks written
  as ordinals are words (not read), and numbers spelled in words (``sixty``) are not read. The
  few numbers computed by the model or by us inside a sentence that also cites a document are
  listed in ``CHAPTER_EXCLUDED`` with the reason.
* A number matches a ledger value when equal to it, or to it in thousands, millions or
  billions (the document's "8,5 milliards, dont 3" has 3 for 3 billion).
"""

from __future__ import annotations

import re
from functools import cache

import pandas as pd
import pytest

from widgets import paths
from widgets.data import load_schema, load_table, table_names
from widgets.evidence import DOCUMENTS, document_files, document_text, ledger, locator_found

PREFIX = {
    "lep": "lepesant2025",
    "usj": "usjapan2025",
    "afp": "afp_washington",
    "car": "caremag2025",
    "jap": "japan2026",
}
SEEDS = set(DOCUMENTS)
PAGES = {page.split("/")[-1]: paths.ROOT / f"{page}.md" for page in paths.toc_pages()}
# book/glossary.md is written at build time from data/glossary.csv: its text is read from there
GENERATED = {"glossary": "glossary"}
DATE = "date"
MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        1,
    )
}


# =========================================================================== the ledger itself
@cache
def rows() -> pd.DataFrame:
    return ledger()


def test_the_ledger_validates_and_holds_every_document():
    table = rows()
    assert len(table) > 0
    assert set(table["source"]) == SEEDS, "every document has rows"


def test_ids_name_their_document_and_value_goes_with_unit():
    for row in rows().itertuples():
        assert PREFIX[row.id.split("-")[0]] == row.source, row.id
        assert pd.isna(row.value) == pd.isna(row.unit), f"{row.id}: value and unit go together"
        if not pd.isna(row.value) and row.unit == DATE:
            assert re.fullmatch(r"\d{4}(-\d{2}){0,2}", row.value), row.id


def test_the_ledger_is_sorted_by_document_then_id():
    table = rows()
    order = list(zip(table["source"], table["id"], strict=True))
    assert order == sorted(order), "keep data/evidence.csv sorted by source, then id (merges well)"


def test_no_figure_has_two_rows():
    """One row per figure of a document: the same words and value twice is one row kept twice."""
    table = rows()
    twice = table[table.duplicated(["source", "locator", "value"], keep=False)]
    assert twice.empty, f"rows giving the same words and value: {sorted(twice['id'])}"


def test_used_in_names_existing_pages_and_tables():
    tables = set(table_names())
    for row in rows().itertuples():
        for place in row.used_in.split():
            if place.startswith("data/"):
                assert place[5:] in tables, f"{row.id}: no table {place}"
            else:
                assert place in PAGES, f"{row.id}: no page {place} in _toc.yml"


# =========================================================================== values
def as_number(value: str) -> float | None:
    return None if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", value) else float(value)


def number_matches(found: float, value: str) -> bool:
    """The number as written (maybe in thousands, millions, billions) is the ledger value."""
    number = as_number(value)
    if number is None:
        return False
    return any(
        abs(found * scale - number) <= 1e-9 * max(1.0, abs(number)) for scale in (1, 1e3, 1e6, 1e9)
    )


def date_matches(found: str, value: str, both_ways: bool = False) -> bool:
    """``found`` (YYYY[-MM[-DD]]) is the ledger date or a less precise form of it."""
    if not re.fullmatch(r"\d{4}(-\d{2}){0,2}", value):
        return False
    return value.startswith(found) or (both_ways and found.startswith(value))


def ledger_for(source: str) -> list:
    return [r for r in rows().itertuples() if r.source == source and not pd.isna(r.value)]


# =========================================================================== data/
# table -> {column: scale to the ledger's unit, or DATE for a date column}
DATA_FIGURES = {
    "caremag_plant": {"tonnes_per_year": 1, "claim_pct": 1},
    "china_share_claims": {"value_pct": 1},
    "eu_situation": {"share_pct": 1},
    "events": {"date": DATE},
    "financing": {"amount_million": 1e6},
    "japan_china_share": {"value_pct": 1, "value_high_pct": 1},
    "market_figures": {"value": 1},
    "milestones": {"start": DATE, "end": DATE},
    "policy_instruments": {"year": DATE, "figure": "text"},
    "policy_targets": {"value": 1, "deadline_year": DATE},
    "price_floors": {"level_usd_per_kg": 1},
    "production_by_country": {"year": DATE, "production_t_reo": 1, "share_pct": 1},
    "quoted_figures": {"value": 1},
    "reserves": {"reserves_t_reo": 1},
    "scenario_parameters": {"value": "parameter"},
    "scenario_presets": {"value": "parameter"},
}
# (table, column): why the column of a seed-sourced row is not a figure of the document
DATA_EXCLUDED = {
    ("events", "year"): "the year of the date column, checked with it",
    ("japan_china_share", "year"): "where the chart places an undated figure, not a document year",
    ("places", "latitude"): "coordinates from a gazetteer, not from the document",
    ("places", "longitude"): "coordinates from a gazetteer, not from the document",
    ("places", "route_order"): "the order of the stops on the map, ours",
    ("scenario_parameters", "low"): "the range of an assumption is ours (basis column)",
    ("scenario_parameters", "high"): "the range of an assumption is ours (basis column)",
}
# (table, row key, column): one row whose figure is derived, with the reason
DATA_ROW_EXCLUDED = {
    ("milestones", "bessent_claim", "end"): "24 months after the claim, computed for the chart",
    ("milestones", "us_japan_financing", "start"): "six months after the signature, computed",
    ("milestones", "sweden_mines", "start"): "2025 + 10 years, computed from 'entre 10 et 15 ans'",
    ("milestones", "sweden_mines", "end"): "2025 + 15 years, computed from 'entre 10 et 15 ans'",
    (
        "milestones",
        "ministerial",
        "start",
    ): "the meeting's date is dpa-AFX's; AFP says only 'mercredi'",
    ("policy_instruments", "us_ministerial", "year"): "the meeting's date is dpa-AFX's (note)",
    ("policy_instruments", "us_reserve", "year"): "the meeting's date is dpa-AFX's (note)",
    ("policy_instruments", "kr_washington", "year"): "the meeting's date is dpa-AFX's (note)",
    ("policy_instruments", "in_washington", "year"): "the meeting's date is dpa-AFX's (note)",
    ("policy_instruments", "eu_washington", "year"): "the meeting's date is dpa-AFX's (note)",
    (
        "policy_instruments",
        "cn_japan_2026",
        "year",
    ): "the year of Takaichi's remarks is CNA's (note)",
    (
        "policy_instruments",
        "us_ministerial",
        "figure",
    ): "the 54 is dpa-AFX's count, named in the cell",
    (
        "scenario_presets",
        "2010 halt of shipments to Japan/approval_rate",
        "value",
    ): "the model's encoding of a halt (0 % of licences approved), not a figure",
    (
        "scenario_presets",
        "Busan suspension/restriction_length_months",
        "value",
    ): "the model's encoding of the suspension (no restriction), not a figure",
}
NOT_FIGURES = {"importer"}  # scenario parameters whose value is a name, not a number
PARAMETER_SCALE = {
    "china_share": 100,
    "stockpile_days": 1,
    "approval_rate": 100,
    "restriction_length_months": 1,
}


def row_key(table: str, row: pd.Series) -> str:
    if "id" in row.index:
        return str(row["id"])
    if table == "scenario_presets":
        return f"{row['preset']}/{row['parameter']}"
    return "/".join(str(row[c]) for c in _as_list(load_schema(table).get("primaryKey", [])))


def _as_list(value) -> list:
    return [value] if isinstance(value, str) else list(value or [])


def data_figures() -> list[tuple[str, str, str, str, object, str]]:
    """(table, row key, column, source, figure, kind) for every figure of a seed-sourced row."""
    found = []
    for table in table_names():
        if table in ("evidence", "sources", "countries"):
            continue
        frame = load_table(table)
        if "source" not in frame.columns:
            continue
        schema = {f["name"]: f for f in load_schema(table)["fields"]}
        numeric = [n for n, f in schema.items() if f["type"] in ("number", "integer", "date")]
        declared = DATA_FIGURES.get(table, {})
        unknown = [c for c in numeric if c not in declared and (table, c) not in DATA_EXCLUDED]
        seed_rows = frame[frame["source"].isin(SEEDS)]
        for _, row in seed_rows.iterrows():
            if "basis" in row.index and row["basis"] == "assumption":
                continue  # an assumption of ours, labelled as such (scenario tables)
            if "derived" in row.index and row["derived"] is True:
                continue  # derived by us, labelled as such (eu_situation)
            assert not [c for c in unknown if not pd.isna(row[c])], (
                f"{table}: numeric column(s) {unknown} of a row citing {row['source']} are neither "
                f"checked (DATA_FIGURES) nor excluded with a reason (DATA_EXCLUDED)"
            )
            key = row_key(table, row)
            for column, kind in declared.items():
                if (table, key, column) in DATA_ROW_EXCLUDED or pd.isna(row[column]):
                    continue
                found.append((table, key, column, row["source"], row[column], kind, row))
    return found


def data_values(table, column, value, kind, row) -> list[tuple[str, object]]:
    """What to look for in the ledger: ("number", x) or ("date", 'YYYY[-MM[-DD]]')."""
    if kind == DATE:
        if isinstance(value, pd.Timestamp):
            return [("date", value.date().isoformat())]
        return [("date", str(int(value)) if not isinstance(value, str) else value)]
    if kind == "text":
        return text_values(str(value))
    if kind == "parameter":
        if row["parameter"] in NOT_FIGURES:
            return []
        scale = PARAMETER_SCALE.get(row["parameter"])
        assert scale is not None, f"{table}: parameter {row['parameter']} has no scale here"
        return [("number", float(value) * scale)]
    return [("number", float(value) * kind)]


def text_values(text: str) -> list[tuple[str, object]]:
    """The numbers of a text cell of data/ (read as chapter text is read)."""
    return [
        ("date", value) if kind in ("date", "year") else ("number", value)
        for _, kind, value in numbers_in(text)
    ]


def test_every_seed_figure_of_data_is_a_ledger_row():
    problems = []
    for table, key, column, source, value, kind, row in data_figures():
        for what, found in data_values(table, column, value, kind, row):
            candidates = [r for r in ledger_for(source) if f"data/{table}" in r.used_in.split()]
            if what == "date":
                ok = any(date_matches(found, r.value, both_ways=True) for r in candidates)
            else:
                ok = any(
                    number_matches(found, r.value) or r.value == f"{found:g}" for r in candidates
                )
            if not ok:
                problems.append(
                    f"{table} [{key}] {column} = {found} ({source}): no ledger row "
                    f"of {source} with this value naming data/{table} in used_in"
                )
    assert not problems, "\n".join(problems)


# =========================================================================== chapters
SCALE = {
    "million": 1e6,
    "millions": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "trillion": 1e12,
    "M€": 1e6,
    "bn": 1e9,
}
NUMBER = re.compile(
    r"(?<![\w.,/#-])(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<d>\d+))?(?![\w.,]\d|[^\W\d_]|\d)"
    r"(?:\s?(?P<scale>million|millions|billion|billions|trillion|M€|bn)\b)?"
)
DATE_TEXT = re.compile(
    r"\b(?:(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+)?(?P<month>"
    + "|".join(MONTHS)
    + r")\s+(?P<year>(?:19|20)\d{2})\b"
)
DECADE = re.compile(r"\b((?:19|20)\d0)'?s\b")  # the 1970s: the year 1970 (the ledger's decade)
REFERENCE_TO_PART = re.compile(
    r"\b(?:[Cc]hapters?|[Ee]xercises?|[Qq]uestions?|[Ss]teps?|[Pp]arts?|[Ss]ection|[Ff]ootnotes?)\s+\d+"
    r"(?:\s*(?:,|and|or|-|to)\s*\d+)*"
)
# (page, number as written, a few words around it): computed in the sentence, with the reason
CHAPTER_EXCLUDED: dict[tuple[str, str, str], str] = {
    (
        "index",
        "March 2025",
        "written in French between",
    ): "the span of the five documents' dates, not a figure of the one author named",
    (
        "index",
        "February 2026",
        "written in French between",
    ): "the span of the five documents' dates, not a figure of the one author named",
}


def clean_markdown(text: str) -> str:
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    text = re.sub(r"^```\{code-cell\}.*?^```", "", text, flags=re.S | re.M)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"^\s*:[\w-]+:.*$", "", text, flags=re.M)  # directive options
    text = re.sub(r"^\s*(```|:::).*$", "", text, flags=re.M)  # fences
    text = re.sub(r"\{cite(?::\w+)?\}`([^`]*)`", lambda m: f" @CITE[{m.group(1)}] ", text)
    text = re.sub(r"\{say\}`[^`]*`", " ", text)
    text = re.sub(r"\{term\}`([^`<]*?)\s*(?:<[^`]*>)?`", r"\1", text)
    text = re.sub(r"\{(?:doc|ref|numref|download|eq)\}`[^`]*`", " ", text)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\$[^$]*\$", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return text


def blocks(text: str) -> list[str]:
    """Paragraphs, list items and table rows (a table row is its own block)."""
    out, current = [], []
    for line in text.splitlines():
        stripped = line.strip()
        new_item = re.match(r"([-*+]|\d+\.)\s", stripped)
        if not stripped or stripped.startswith("|") or stripped.startswith("#") or new_item:
            if current:
                out.append(" ".join(current))
            current = []
            if stripped.startswith("|") or stripped.startswith("#"):
                out.append(stripped)
                continue
            if not stripped:
                continue
            stripped = stripped[new_item.end() :] if new_item else stripped
        current.append(stripped)
    if current:
        out.append(" ".join(current))
    return out


NAMES = {  # how a sentence names a document without a {cite}
    "lepesant2025": r"\bLepesant\b",
    "caremag2025": r"\bCaremag article\b|\barticle on Caremag\b",
    "japan2026": r"\bnews piece\b|\bJapan article\b",
    # AFP also wrote about Caremag (afp_caremag2025): AFP names this dispatch only with Washington
    "afp_washington": r"\b(?:AFP|dispatch)\b.*\bWashington\b|\bWashington\b.*\b(?:AFP|dispatch)\b",
    "usjapan2025": r"\b(?:framework )?summary of the US-Japan\b|\bframework summary\b",
}
OTHER_SOURCES = re.compile(  # a clause naming one of these is not attributed by name
    r"\b(?:USGS|IEA|IREF|IFRI|JOGMEC|Argus|CNA|CNBC|dpa|Reuters|Bloomberg|Jiji|Nikkei|Times|"
    r"Global Trade Alert|MOFCOM|MP Materials|model|explorer|we|our)\b"
)


def named(clause: str) -> list[str]:
    """The one document a clause names, if it names exactly one and no other source."""
    keys = [key for key, pattern in NAMES.items() if re.search(pattern, clause)]
    return keys if len(keys) == 1 and not OTHER_SOURCES.search(clause) else []


def segments(block: str) -> list[tuple[list[str], str]]:
    """(cite keys, text) for every segment of every sentence of a block (a table cell is a
    block of its own)."""
    if block.startswith("|"):
        return [s for cell in block.strip("|").split("|") for s in segments(cell.strip() or " ")]
    out = []
    for sentence in re.split(r"(?<=[.?!])\s+(?=[A-Z«\"“(*])", block):
        parts = re.split(r"@CITE\[([^\]]*)\]", sentence)
        texts, keys = parts[0::2], parts[1::2]
        if not keys:
            for clause in re.split(r"[;:]\s", sentence):
                if named(clause):
                    out.append((named(clause), clause))
            continue
        for i, key_text in enumerate(keys):
            text = texts[i] + (texts[i + 1] if i == len(keys) - 1 else "")
            out.append(([k.strip() for k in key_text.split(",")], text))
    return out


def numbers_in(text: str) -> list[tuple[str, str, object]]:
    """(as written, kind, value) for each number of a segment: ("date", 'YYYY-MM[-DD]'),
    ("year", 'YYYY') or ("number", float)."""
    text = REFERENCE_TO_PART.sub(" ", text)
    # the first day of "10 and 27 November 2026" belongs to the date that follows
    text = re.sub(
        r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:and|to|-|–)\s+(?=\d{1,2}\s+(?:" + "|".join(MONTHS) + r"))",
        " ",
        text,
    )
    found = []
    for match in DATE_TEXT.finditer(text):
        iso = f"{match.group('year')}-{MONTHS[match.group('month')]:02d}"
        if match.group("day"):
            iso += f"-{int(match.group('day')):02d}"
        found.append((match.group(0), "date", iso))
    text = DATE_TEXT.sub(" ", text)
    for match in DECADE.finditer(text):
        found.append((match.group(0), "year", match.group(1)))
    text = DECADE.sub(" ", text)
    for match in NUMBER.finditer(text):
        whole = match.group("n").replace(",", "")
        value = float(whole + ("." + match.group("d") if match.group("d") else ""))
        if match.group("scale"):
            value *= SCALE[match.group("scale")]
        elif re.fullmatch(r"(19|20)\d{2}", match.group(0)):
            found.append((match.group(0), "year", match.group(0)))
            continue
        found.append((match.group(0), "number", value))
    return found


def page_text(page: str) -> str:
    """A page's Markdown; a page written at build time is rebuilt from its table's text."""
    if page in GENERATED:
        frame = load_table(GENERATED[page])
        cells = [
            c
            for _, row in frame.iterrows()
            for c in (row["definition"], row["note"])
            if isinstance(c, str)
        ]
        return "\n\n".join(cells)
    return PAGES[page].read_text(encoding="utf-8")


def chapter_numbers():
    """(page, seed keys, segment text, as written, kind, value) of every checked number."""
    out = []
    for page, _path in PAGES.items():
        for block in blocks(clean_markdown(page_text(page))):
            for keys, text in segments(block):
                if not keys or not set(keys) <= SEEDS:
                    continue
                for written, kind, value in numbers_in(text):
                    out.append((page, tuple(keys), text.strip(), written, kind, value))
    return out


def matching_rows(keys, kind, value) -> list:
    found = []
    for source in keys:
        for r in ledger_for(source):
            if kind in ("date", "year"):
                if date_matches(value, r.value):
                    found.append(r)
            elif r.unit != DATE and number_matches(value, r.value):
                found.append(r)
    return found


def excluded(page: str, written: str, text: str) -> bool:
    return any(p == page and w == written and words in text for (p, w, words) in CHAPTER_EXCLUDED)


def test_every_number_citing_a_document_is_a_ledger_row():
    problems = []
    for page, keys, text, written, kind, value in chapter_numbers():
        if excluded(page, written, text):
            continue
        candidates = matching_rows(keys, kind, value)
        if not any(page in r.used_in.split() for r in candidates):
            hint = (
                f" (rows {', '.join(r.id for r in candidates)} have it: add {page} to used_in)"
                if candidates
                else ""
            )
            problems.append(
                f"{page}: {written!r} citing {'/'.join(keys)}: no ledger row{hint} "
                f"-- «{text[:150]}»"
            )
    assert not problems, f"{len(problems)} numbers without a ledger row:\n" + "\n".join(problems)


def test_the_exclusions_still_exclude_something():
    seen = {
        (p, w)
        for p, _, t, w, _, _ in chapter_numbers()
        if any(p == ep and w == ew and words in t for ep, ew, words in CHAPTER_EXCLUDED)
    }
    stale = [key for key in CHAPTER_EXCLUDED if (key[0], key[1]) not in seen]
    assert not stale, f"CHAPTER_EXCLUDED entries that no longer match the text: {stale}"


# =========================================================================== {say} and usage
SAY = re.compile(r"\{say\}`([^`]*)`")


def says() -> dict[str, set[str]]:
    used: dict[str, set[str]] = {}
    for page in PAGES:
        for ledger_id in SAY.findall(page_text(page)):
            used.setdefault(ledger_id.strip(), set()).add(page)
    return used


def test_every_say_id_is_a_ledger_row():
    known = set(rows()["id"])
    unknown = {i: pages for i, pages in says().items() if i not in known}
    assert not unknown, f"{{say}} ids not in data/evidence.csv: {unknown}"


def test_the_say_role_is_used_somewhere():
    assert says(), "no page shows a document's own words"


def cites(page: str, source: str) -> bool:
    text = clean_markdown(page_text(page))
    return any(source in keys for keys, _ in (s for block in blocks(text) for s in segments(block)))


ENGLISH = {
    1: "one",
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
    12: "twelve",
    15: "fifteen",
    50: "fifty",
    60: "sixty",
}


def mentions(text: str) -> list[tuple[str, object]]:
    """Every number of a text, cited or not, and small numbers spelled in English words."""
    found = [
        ("date" if kind in ("date", "year") else "number", value)
        for _, kind, value in numbers_in(text)
    ]
    found += [
        ("number", float(n)) for n, word in ENGLISH.items() if re.search(rf"\b{word}\b", text, re.I)
    ]
    return found


@cache
def page_mentions(page: str) -> tuple:
    return tuple(mentions(clean_markdown(page_text(page))))


@cache
def table_mentions(table: str, source: str) -> tuple:
    """The figures of a table's rows citing ``source``: typed figures and numbers in text cells."""
    found = []
    for t, _, column, src, value, kind, row in data_figures():
        if t == table and src == source:
            found += data_values(t, column, value, kind, row)
    for _, row in rows_about(table, source).iterrows():
        for column, cell in row.items():
            if isinstance(cell, str) and column != "source":
                found += mentions(cell)
    return tuple(found)


def rows_about(table: str, source: str) -> pd.DataFrame:
    """The rows of a table that cite ``source`` or name its key in a cell (a note, say)."""
    frame = load_table(table)
    cites = frame["source"] == source if "source" in frame.columns else False
    names = frame.astype(str).apply(lambda col: col.str.contains(source, regex=False)).any(axis=1)
    return frame[cites | names]


def holds(found: list, row) -> bool:
    return any(
        date_matches(value, row.value, both_ways=True)
        if what == "date"
        else (row.unit != DATE and number_matches(value, row.value))
        for what, value in found
    )


def test_every_ledger_row_is_used_where_used_in_says():
    """A row is used where used_in says: a page shows it with {say}, or holds its figure (a
    number, a date, or a small number in words), or, for a judgement, cites its document; a
    table holds its figure in a row citing its document (or, for a judgement, cites it)."""
    shown = says()
    problems = []
    for row in rows().itertuples():
        for place in row.used_in.split():
            if place.startswith("data/"):
                table = place[5:]
                ok = (
                    _judgement_in_table(row, table)
                    if pd.isna(row.value)
                    else holds(table_mentions(table, row.source), row)
                )
                if not ok:
                    problems.append(
                        f"{row.id}: used_in names {place}, which holds no figure "
                        f"{row.value} in a row citing {row.source}"
                    )
                continue
            if place in shown.get(row.id, set()):
                continue
            if pd.isna(row.value):
                if not cites(place, row.source):
                    problems.append(f"{row.id}: {place} never cites {row.source}")
            elif not holds(page_mentions(place), row):
                problems.append(
                    f"{row.id}: {place} does not give {row.value} {row.unit} "
                    f"(nor show the row with {{say}})"
                )
    assert not problems, f"{len(problems)} dead or misplaced rows:\n" + "\n".join(problems)


def _judgement_in_table(row, table: str) -> bool:
    """A judgement row (no value) is used by a table that cites its document or names it."""
    return len(rows_about(table, row.source)) > 0


# =========================================================================== the documents
@pytest.fixture(scope="module")
def seeds():
    folder = paths.seeds_dir()
    assert folder is not None  # tests marked `seeds` are deselected otherwise (conftest.py)
    return folder


@pytest.mark.seeds
def test_the_seeds_readme_names_a_file_for_every_document(seeds):
    files = document_files(seeds)
    assert set(files) == SEEDS
    assert all(path.stat().st_size > 1000 for path in files.values())


@pytest.mark.seeds
def test_every_locator_is_found_in_its_document(seeds):
    missing = [
        f"{r.id} ({r.source}): «{r.locator}»"
        for r in rows().itertuples()
        if not locator_found(r.locator, document_text(seeds, r.source))
    ]
    assert not missing, f"{len(missing)} locators not found in their document:\n" + "\n".join(
        missing
    )


@pytest.mark.seeds
def test_every_figure_of_a_locator_is_the_rows_value(seeds):
    """The locator carries the figure: a row's value is written in its own locator (French
    numbers: 132 000, 8,5, 44 millions; dates with French month names; 'soixante' and
    'cinquantaine' are read)."""
    problems = []
    for r in rows().itertuples():
        if pd.isna(r.value):
            continue
        if not french_carries(r.locator, r.value, r.unit):
            problems.append(f"{r.id}: «{r.locator}» does not write {r.value} {r.unit}")
    assert not problems, "\n".join(problems)


FRENCH_MONTHS = {
    "janvier": 1,
    "février": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
}
FRENCH_WORDS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "huit": 8,
    "dix": 10,
    "quinze": 15,
    "vingt": 20,
    "soixante": 60,
    "cinquantaine": 50,
    "quart": 25,
    "moitié": 50,
    "dizaines": 10,
    "premier": 1,
    "deuxième": 2,
    "second": 2,
    "seconds": 2,
}
FRENCH_SCALE = {"millions": 1e6, "million": 1e6, "milliards": 1e9, "milliard": 1e9}


def french_numbers(text: str) -> list[float]:
    found = []
    for match in re.finditer(
        r"(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:,(\d+))?"
        r"(?:\s*(millions?|milliards?))?",
        text,
    ):
        value = float(
            re.sub(r"\D", "", match.group(1)) + ("." + match.group(2) if match.group(2) else "")
        )
        found.append(value * FRENCH_SCALE.get(match.group(3) or "", 1))
        found.append(value)
    for word, value in FRENCH_WORDS.items():
        if re.search(rf"(?<!\w){word}(?!\w)", text, re.I):
            found.append(float(value))
    return found


def french_carries(locator: str, value: str, unit: str) -> bool:
    if unit == DATE and value in locator:
        return True  # an ISO date written as such (the news piece's own date line)
    if unit == DATE:
        year = value[:4]
        if year not in locator and not re.search(r"années (19)?" + year[2:4] + r"\b", locator):
            return False
        if len(value) >= 7:
            month = int(value[5:7])
            names = [n for n, i in FRENCH_MONTHS.items() if i == month]
            if not any(n in locator.lower() for n in names) and not re.search(
                rf"\b0?{int(value[8:10]) if len(value) == 10 else 0}[./]{month:02d}[./]{year}",
                locator,
            ):
                return False
        if len(value) == 10:
            day = int(value[8:10])
            if not re.search(rf"(?<!\d)(0?{day}|{day}er)(?!\d)", locator):
                return False
        return True
    number = float(value)
    return any(
        abs(n - number) <= 1e-9 * max(1, abs(number)) or number_matches(n, value)
        for n in french_numbers(locator)
    )


# French figures that data tables copy "as written" from a document: (table, column).
AS_WRITTEN = [
    ("china_share_claims", "value_text"),
    ("financing", "amount_text"),
    ("japan_china_share", "value_text"),
    ("market_figures", "as_written"),
    ("quoted_figures", "as_written"),
    ("caremag_plant", "claim_text"),
]


@pytest.mark.seeds
def test_figures_copied_as_written_are_in_the_document(seeds):
    problems = []
    for table, column in AS_WRITTEN:
        frame = load_table(table)
        for _, row in frame[frame["source"].isin(SEEDS)].iterrows():
            written = row[column]
            if pd.isna(written):
                continue
            words = re.sub(r"\s*\([^)]*\)", "", str(written))  # "dont 3 (milliards)": our gloss
            if not locator_found(words, document_text(seeds, row["source"])):
                problems.append(
                    f"{table} [{row_key(table, row)}] {column}: «{written}» is not in "
                    f"{row['source']}"
                )
    assert not problems, "\n".join(problems)


# =========================================================================== figure by figure
# The figures that tests/test_data.py and tests/test_figures_4_8.py once parsed from the seed
# text at a path of one machine. Each is now: the data cell == the ledger row's value (always),
# the value is written in the row's locator and the locator is in the document (``seeds``).
def value_of(ledger_id: str):
    matches = rows()[rows()["id"] == ledger_id]
    assert len(matches) == 1, f"no ledger row {ledger_id}"
    value = matches.iloc[0]["value"]
    return value if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", value) else float(value)


CAREMAG_VINTAGE = "caremag2025 (IREF)"
RESERVES = {
    "China": "car-china-44mt",
    "Vietnam": "car-vietnam-brazil-22mt",
    "Brazil": "car-vietnam-brazil-22mt",
    "Russia": "car-russia-12mt",
    "Australia": "car-australia-3-3mt",
    "United States": "car-us-1-4mt",
    "Greenland": "car-greenland-1-5mt",
}
PRODUCTION_2019 = {
    "China": ("car-china-132000t", "car-china-62pc"),
    "United States": ("car-us-26000t", "car-us-12pc"),
    "Burma (Myanmar)": ("car-myanmar-22000t", "car-myanmar-10-3pc"),
    "Australia": ("car-australia-21000t", "car-australia-9-9pc"),
}


def test_caremag_reserves_are_the_ledgers():
    reserves = load_table("reserves")
    table = reserves[reserves["vintage"] == CAREMAG_VINTAGE].set_index("country")
    assert set(table.index) == set(RESERVES)
    for country, ledger_id in RESERVES.items():
        assert table.loc[country, "reserves_t_reo"] == value_of(ledger_id), country
        assert table.loc[country, "source"] == "caremag2025"
        assert not table.loc[country, "preferred"]
    assert value_of("car-usgs-2020") == 2020 and value_of("car-china-44mt") == 44_000_000


def test_caremag_2019_production_is_the_ledgers():
    production = load_table("production_by_country")
    table = production[production["vintage"] == CAREMAG_VINTAGE].set_index("country")
    assert set(table.index) == set(PRODUCTION_2019)
    for country, (tonnes, share) in PRODUCTION_2019.items():
        assert table.loc[country, "year"] == value_of("car-production-2019") == 2019
        assert table.loc[country, "production_t_reo"] == value_of(tonnes), country
        assert table.loc[country, "share_pct"] == value_of(share), country
        assert table.loc[country, "source"] == "caremag2025"
        assert not table.loc[country, "preferred"]


def test_china_share_claims_are_the_ledgers():
    claims = load_table("china_share_claims").set_index("id")
    expected = {
        "caremag2025_world_supply": ("car-china-70pc-supply", "world supply"),
        "caremag2025_production_2019": ("car-china-62pc", "extraction"),
        "lepesant2025_extraction": ("lep-china-60pc-extraction", "extraction"),
        "lepesant2025_later_stages": ("lep-china-90pc-later-stages", "later stages"),
    }
    for claim, (ledger_id, stage) in expected.items():
        assert claims.loc[claim, "value_pct"] == value_of(ledger_id), claim
        assert claims.loc[claim, "stage"] == stage
    assert claims.loc["caremag2025_production_2019", "year"] == "2019"


def test_dates_of_the_documents_are_events():
    events = load_table("events")
    dated = set(zip(events["date"], events["source"], strict=True))
    for ledger_id, source in (
        ("car-first-stone-17-march-2025", "caremag2025"),
        ("lep-busan-30-october-2025", "lepesant2025"),
    ):
        assert (value_of(ledger_id), source) in dated, ledger_id
    for ledger_id in ("lep-first-exports-1973", "lep-first-strategies-1975"):
        assert (str(int(value_of(ledger_id))), "lepesant2025") in dated, ledger_id
    assert (value_of("lep-first-exports-1973"), value_of("lep-first-strategies-1975")) == (
        1973,
        1975,
    )


def test_japans_share_and_targets_are_the_ledgers():
    share = load_table("japan_china_share").set_index("id")
    assert share.loc["japan2026_before", "value_pct"] == value_of("jap-share-90")
    assert share.loc["japan2026_now", "value_pct"] == value_of("jap-share-90-to-60")
    targets = load_table("policy_targets").set_index("id")
    assert targets.loc["jp_self_sufficiency", "value"] == value_of(
        "lep-japan-self-sufficiency-80pc"
    )
    assert targets.loc["jp_self_sufficiency", "deadline_year"] == int(
        value_of("lep-japan-self-sufficiency-2030")
    )
    assert targets.loc["jp_single_supplier", "value"] == value_of("lep-japan-single-supplier-50pc")
    assert (
        str(int(value_of("lep-japan-stocks-34-metals")))
        in targets.loc["jp_stockpile", "applies_to"]
    )
    assert targets.loc["jp_stockpile", "value"] == value_of("lep-japan-stocks-60-days") == 60


def test_eu_targets_and_strategic_projects_are_the_ledgers():
    targets = load_table("policy_targets").set_index("id")
    for target, ledger_id in (
        ("eu_extraction", "lep-eu-extract-10pc"),
        ("eu_refining", "lep-eu-refine-40pc"),
        ("eu_recycling", "lep-eu-recycled-25pc"),
    ):
        assert targets.loc[target, "value"] == value_of(ledger_id), target
        assert targets.loc[target, "deadline_year"] == int(value_of("lep-eu-targets-2030"))
    figure = load_table("policy_instruments").set_index("id").loc["eu_strategic_projects", "figure"]
    projects, states = (
        int(value_of(i)) for i in ("lep-strategic-projects-47", "lep-strategic-projects-13-states")
    )
    assert f"{projects} projects in {states} member states" in figure


def test_money_is_the_ledgers():
    money = load_table("financing").set_index("id")["amount_million"] * 1e6
    for item, ledger_id in (
        ("us_sector", "lep-us-sector-8-5-billion"),
        ("us_stockpiling", "lep-us-stockpiling-3-billion"),
        ("cn_kazakhstan", "lep-kazakhstan-23-billion"),
        ("us_reserve", "afp-reserve-12-billion"),
        ("us_japan_cross", "usj-cross-investment-550-billion"),
        ("jp_caremag", "car-meti-100m-eur"),
        ("fr_caremag", "car-france-106m-eur"),
    ):
        assert money[item] == value_of(ledger_id), item


def test_caremag_plant_is_the_ledgers():
    plant = load_table("caremag_plant").set_index("id")
    for item, column, ledger_id in (
        ("recycled_magnets", "tonnes_per_year", "car-magnets-2000t"),
        ("ore", "tonnes_per_year", "car-ore-5000t"),
        ("dy_tb_oxides", "tonnes_per_year", "car-dytb-600t"),
        ("dy_tb_oxides", "claim_pct", "car-15pc-claim"),
        ("nd_pr_oxides", "tonnes_per_year", "car-ndpr-800t"),
    ):
        assert plant.loc[item, column] == value_of(ledger_id), item


def test_washington_meeting_keeps_both_counts():
    row = rows().set_index("id").loc["afp-about-fifty-countries"]
    assert float(row["value"]) == 50 and "mercredi" in row["locator"]  # the locator check finds it
    figure = load_table("policy_instruments").set_index("id").loc["us_ministerial"]
    assert "about fifty countries (AFP)" in figure["figure"] and "54 countries" in figure["figure"]
    assert "dpa-AFX" in figure["note"] and "Wednesday" in figure["note"]


# =========================================================================== the {say} role
def build_page(tmp_path, markdown: str):
    """Build one MyST page with the book's evidence extension; returns (ok, html, warnings)."""
    import io

    from sphinx.application import Sphinx

    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(
        "import sys\nsys.path.insert(0, {!r})\nextensions = ['myst_parser', 'evidence']\n".format(
            str(paths.BOOK / "_ext")
        ),
        encoding="utf-8",
    )
    (source / "index.md").write_text(markdown, encoding="utf-8")
    warnings = io.StringIO()
    app = Sphinx(
        str(source),
        str(source),
        str(tmp_path / "out"),
        str(tmp_path / "doctrees"),
        "html",
        status=None,
        warning=warnings,
        freshenv=True,
        warningiserror=False,
    )
    try:
        app.build()
        ok = app.statuscode == 0 and "ERROR" not in warnings.getvalue()
    except Exception as error:  # the consistency check raises ExtensionError
        warnings.write(str(error))
        ok = False
    page = tmp_path / "out" / "index.html"
    return ok, page.read_text(encoding="utf-8") if page.exists() else "", warnings.getvalue()


def test_the_say_role_renders_the_words_inside_the_paragraph(tmp_path):
    ledger_id = "lep-busan-negotiation-november-2026"
    row = rows().set_index("id").loc[ledger_id]
    ok, html, warnings = build_page(tmp_path, f"# T\n\nA claim {{say}}`{ledger_id}` here.\n")
    assert ok, warnings
    paragraph = re.search(r"<p>A claim (.*?) here\.</p>", html, re.S).group(1)
    assert '<button type="button" class="say-toggle" aria-expanded="false"' in paragraph
    assert f"«\u00a0{row['locator']}\u00a0»" in paragraph and row["translation"] in paragraph
    assert "(Lepesant, 2025)" in paragraph
    assert not re.search(
        r"<(div|p|details|ul|ol|table|section|figure)\b", paragraph
    )  # phrasing only
    note_id = re.search(r'aria-controls="([^"]+)"', paragraph).group(1)
    assert f'id="{note_id}"' in paragraph


def test_an_unknown_say_id_fails_the_build_naming_page_and_id(tmp_path):
    ok, _, warnings = build_page(tmp_path, "# T\n\nA claim {say}`lep-no-such-row`.\n")
    assert not ok
    assert "lep-no-such-row" in warnings and "index" in warnings
