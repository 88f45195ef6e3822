"""The house rules of a chapter, in one place (CONTRIBUTING.md and book/_templates/chapter.md
show them to an author before a test fails):

* chapters are narrative: their code cells call widgets/ and hold no figure of their own;
* every finished chapter has the teaching structure a first-year student needs (objectives
  first, takeaways and sources last, exercises with hidden solutions, a self-check, citations of
  the bibliography, glossary links to known terms);
* every chart a chapter calls exists, a chapter shows at least two and one reacts to the reader,
  and every chart of the book is shown by a chapter;
* the figures a chapter quotes in its prose are the ones of data/.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path
from urllib.parse import parse_qsl

import jupytext
import pandas as pd
import pytest
import yaml

from tests import specs
from widgets import figures, paths
from widgets import scenario as sc
from widgets.data import load_table
from widgets.explorer import preset_slug
from widgets.figures import century

BOOK = paths.BOOK
TOC_FILES = paths.toc_pages()
NOTEBOOKS = sorted(
    p for p in [*BOOK.glob("*.md"), BOOK / "_templates/chapter.md"] if paths.is_notebook(p)
)

# Chapters (book/<name>.md) that are complete and must have the full teaching structure.
FINISHED_CHAPTERS = [
    "01-what-are-rare-earths",
    "02-china-supremacy",
    "03-busan-truce",
    "scenario-explorer",
    "04-asia",
    "05-united-states",
    "06-europe",
    "07-caremag",
    "08-conclusion",
]
# The skeleton of a new chapter (book/_templates/chapter.md) obeys the same rules.
TEMPLATE = "_templates/chapter"
# The chapters that show the book's charts (the explorer page has its own tests).
CHART_CHAPTERS = [name for name in FINISHED_CHAPTERS if name != "scenario-explorer"]
CHAPTERS = CHART_CHAPTERS[3:]  # chapters 4-8: the answers to China, with a discussion question
ALLOWED_NUMBERS = {"0", "1"}
# A chart call in a chapter cell: figures.<chart>(...).
CALL = re.compile(r"\bfigures\.(\w+)\(([^)]*)\)")


def code_cells(path: Path) -> list[str]:
    notebook = jupytext.read(path, fmt="md:myst")
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def chart_calls(name: str) -> list[tuple[str, dict]]:
    """(function, keyword arguments) of every chart call in the code cells of a chapter."""
    calls = CALL.findall("\n".join(code_cells(BOOK / f"{name}.md")))
    return [(function, dict(re.findall(r'(\w+)="([^"]*)"', args))) for function, args in calls]


def numbers_in(source: str) -> list[str]:
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [
        t.string for t in tokens if t.type == tokenize.NUMBER and t.string not in ALLOWED_NUMBERS
    ]


def test_every_page_of_the_table_of_contents_exists():
    missing = [
        f for f in TOC_FILES if not (paths.ROOT / f"{f}.md").is_file() and f != "book/glossary"
    ]
    assert missing == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_chapter_code_holds_no_literal_figure(path):
    found = {n for source in code_cells(path) for n in numbers_in(source)}
    assert not found, f"{path.name}: figures {sorted(found)} belong in data/, not in chapter code"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_chapter_code_does_not_read_files_or_build_charts_itself(path):
    for source in code_cells(path):
        assert not re.search(r"read_csv|open\(|alt\.Chart|import altair", source), (
            f"{path.name}: read tables with widgets.data and build charts in widgets/"
        )


def test_numbers_in_finds_figures_and_ignores_names():
    assert numbers_in("figures.world_production(start=1973, scale=0.5)") == ["1973", "0.5"]
    assert numbers_in("figures.chart_2()  # 2019 in a comment") == []


@pytest.mark.parametrize("name", [*FINISHED_CHAPTERS, TEMPLATE])
def test_a_finished_chapter_has_the_teaching_structure(name):
    text = (BOOK / f"{name}.md").read_text(encoding="utf-8")
    assert "Learning objectives" in text and "Reading time" in text
    assert "## Key takeaways" in text and "## Go further" in text
    assert "{cite}" in text, "cite the source documents"
    sections = re.findall(r"^## (.+)$", text, flags=re.M)
    assert text.index("Learning objectives") < text.index("\n## "), "objectives come first"
    assert sections[-2:] == ["Key takeaways", "Go further"], (
        "takeaways, then sources, close the chapter"
    )
    exercises = re.findall(r"```\{exercise\}\n:label: (\S+)", text)
    assert len(exercises) >= 3, "at least three exercises"
    solutions = re.findall(r"```\{solution\} (\S+)\n((?::\w+:.*\n)*)", text)
    assert solutions, "exercises come with solutions"
    for label, options in solutions:
        assert label in exercises, f"solution of an unknown exercise {label}"
        assert ":class: dropdown" in options, (
            f"the solution of {label} must be hidden until asked for"
        )
    answers = re.findall(r"```\{admonition\} Answer\n[ \t]*:class: dropdown", text)
    assert answers, "a self-check whose answers are revealed on demand"
    shown = [
        c
        for c in jupytext.read(BOOK / f"{name}.md", fmt="md:myst").cells
        if c.cell_type == "code" and "remove-input" in c.metadata.get("tags", [])
    ]
    assert len(shown) >= 2, "at least two charts or tables shown"
    # Citations point to entries of the bibliography.
    bib_keys = set(
        re.findall(r"@\w+\{([^,\s]+),", (BOOK / "references.bib").read_text(encoding="utf-8"))
    )
    for key in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", text):
        for one in key.split(","):
            assert one.strip() in bib_keys, f"{{cite}}`{one}` is not in book/references.bib"


# --- charts in the chapters ---------------------------------------------------------------------


@pytest.mark.parametrize("name", [*CHART_CHAPTERS, TEMPLATE])
def test_a_chapter_shows_two_charts_that_exist_and_one_reacts_to_the_reader(name):
    calls = chart_calls(name)
    known = {**figures.FIGURES, **figures.TABLES}
    for function, _ in calls:
        assert function in known, f"{name} calls figures.{function}, which the face does not export"
    charts_shown = [(f, kwargs) for f, kwargs in calls if f in figures.FIGURES]
    assert len(charts_shown) >= 2, f"{name}: fewer than two charts"
    # Built one after another until one has a parameter: building a chart is the costly part
    # (the world map takes seconds), and one interactive chart is what the rule asks for.
    interactive = next(
        (
            f
            for f, kwargs in charts_shown
            if specs.params(figures.FIGURES[f](**kwargs).to_dict(validate=False))
        ),
        None,
    )
    assert interactive, f"{name}: no chart with a menu, a selection or a slider"


def test_the_template_is_not_part_of_the_book():
    assert f"book/{TEMPLATE}" not in TOC_FILES
    config = yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert "book/_templates" in config["exclude_patterns"]


def test_every_chart_of_the_book_is_shown_by_a_chapter():
    shown = {function for name in CHART_CHAPTERS for function, _ in chart_calls(name)}
    assert set(figures.FIGURES) - shown == set()


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_links_into_the_explorer_open_existing_presets(name):
    text = (BOOK / f"{name}.md").read_text(encoding="utf-8")
    slugs = {preset_slug(n) for n in sc.preset_names()}
    for fragment in re.findall(r"scenario-explorer\.html#([^\"')\s]+)", text):
        query = dict(parse_qsl(fragment))
        assert query.get("preset") in slugs, fragment


@pytest.mark.parametrize("name", [*CHAPTERS, TEMPLATE])
def test_chapter_cites_only_known_references_and_links_known_terms(name):
    text = (BOOK / f"{name}.md").read_text(encoding="utf-8")
    bib = (BOOK / "references.bib").read_text(encoding="utf-8")
    keys = set(re.findall(r"@\w+\{([^,]+),", bib))
    for key in re.findall(r"\{cite\}`([^`]+)`", text):
        assert key in keys, key
    terms = {t.lower() for t in load_table("glossary")["term"]}
    for term in re.findall(r"\{term\}`([^`]+)`", text):
        term = " ".join(term.split())
        target = re.search(r"<([^>]+)>$", term)
        assert (target.group(1) if target else term).lower() in terms, term


@pytest.mark.parametrize("name", [*CHAPTERS, TEMPLATE])
def test_chapter_has_exercises_a_discussion_and_a_self_check(name):
    text = (BOOK / f"{name}.md").read_text(encoding="utf-8")
    exercises = re.findall(r"```\{exercise\}\n:label: ([\w-]+)\n\n(.*?)```", text, flags=re.S)
    assert len(exercises) >= 3
    assert any("Discussion" in body for _, body in exercises), "one discussion question"
    assert any(
        re.search(r"\bchart|the map|the matrix|the timeline|the scoreboard", body)
        for _, body in exercises
    ), "a data question answered with the charts"
    quiz = re.search(r"## Check your understanding\n(.*?)\n## ", text, flags=re.S)
    assert quiz, "a self-check section"
    questions = re.findall(r"^\d+\. ", quiz.group(1), flags=re.M)
    answers = re.findall(r"```\{admonition\} Answer\n\s*:class: dropdown", quiz.group(1))
    assert len(questions) >= 3 and len(answers) == len(questions), (
        "every question has a hidden answer"
    )
    assert "{term}" in text and "{cite}" in text


# --- figures the chapters quote in their prose --------------------------------------------------


def _chapter_text(name: str) -> str:
    return re.sub(r"\s+", " ", (BOOK / f"{name}.md").read_text(encoding="utf-8"))


def _tonnes(value) -> str:
    """'25,300' for 25300.0: how the chapters write tonnages (one thousands separator site-wide,
    the comma: tests/test_chapters_style.py)."""
    return f"{float(value):,.0f}"


def _zero_runs(series: pd.Series) -> list[tuple[int, int]]:
    runs: list[list[int]] = []
    for year in sorted(int(y) for y in series[series == 0].index):
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return [tuple(r) for r in runs]


def test_chapter_2_tells_us_output_as_the_usgs_table_records_it():
    text = _chapter_text("02-china-supremacy")
    series = century.world_production_series()
    us = series[series.country == "United States"].set_index("year")["tonnes"]
    runs = _zero_runs(us)
    assert len(runs) == 2
    (a, b), (c, d) = runs
    # the peak before the first stop, and when it was passed again
    peak = int(us.loc[:a].idxmax())
    passed = int(us[(us.index > peak) & (us > us.loc[peak])].index.min())
    assert (
        f"a peak of {_tonnes(us.loc[peak])} tonnes in {peak}, a level it did not pass again until {passed}"
        in text
    )
    # the decline came long after China's first exports
    for year in (1997, 1999):
        assert f"{_tonnes(us.loc[year])} tonnes in {year}" in text, year
    # both stops, the restart between them and the output once mining was back
    assert f"from {a} to {b}" in text and f"in {c} and {d}" in text
    assert f"again in {b + 1}, with {_tonnes(us.loc[b + 1])} tonnes" in text
    assert f"in {d + 1}, at {_tonnes(us.loc[d + 1])} tonnes" in text


def test_chapter_2_names_every_fall_of_world_output_of_more_than_a_fifth():
    text = _chapter_text("02-china-supremacy")
    series = century.world_production_series()
    world = series[series.country == "World"].set_index("year")["tonnes"].sort_index()
    # Before 1970 output was tiny (the chapter says so) and swung widely from year to year.
    modern = world[world.index >= 1970]
    falls = [
        (y, world.loc[y - 1], world.loc[y])
        for y in modern.index
        if y - 1 in world.index and world.loc[y] < 0.8 * world.loc[y - 1]
    ]
    assert len(falls) >= 2
    for year, before, after in falls:
        assert (
            f"{_tonnes(before)} tonnes in {year - 1} to {_tonnes(after)} in {year}" in text
            or f"from {_tonnes(before)} tonnes in {year - 1} to {_tonnes(after)}" in text
        ), year
    assert "almost without pause" not in text


def test_japan_import_shares_in_chapter_2_come_from_quoted_figures_with_their_sources():
    text = _chapter_text("02-china-supremacy")
    quoted = load_table("quoted_figures")
    shares = quoted[quoted["id"].str.startswith("japan_import_share")]
    assert set(shares["source"]) >= {"japan2026"} and len(shares) >= 4
    for row in shares.itertuples():
        assert f"{row.value:g} %" in text, row.id
        assert row.source in text, row.id
    before = shares.set_index("id").loc["japan_import_share_china_before", "value"]
    after = shares.set_index("id").loc["japan_import_share_china_after", "value"]
    assert f"about {before:g} % to {after:g} %" in text


def test_prose_figures_of_chapters_2_and_3_come_from_quoted_figures():
    quoted = load_table("quoted_figures").set_index("id")
    ch2, ch3 = _chapter_text("02-china-supremacy"), _chapter_text("03-busan-truce")
    rank = quoted.loc["south_korea_semiconductor_rank"]
    assert rank["value"] == 2 and "second producer of semiconductors since 2013" in ch2
    assert "2013" in rank["as_written"]
    afp, dpa = quoted.loc["washington_countries_afp"], quoted.loc["washington_countries_dpa"]
    assert afp["source"] == "afp_washington" and dpa["source"] == "dpa_ministerial2026"
    assert f"{dpa['value']:g} countries plus the European Commission" in ch3
    assert '"about fifty" countries' in ch3 and "cinquantaine" in afp["as_written"]


def test_the_two_readings_of_the_0_1_percent_rule_are_shown_everywhere_it_is_explained():
    threshold = load_table("quoted_figures").set_index("id").loc["extraterritorial_threshold"]
    ch3 = _chapter_text("03-busan-truce")
    glossary = load_table("glossary").set_index("term").loc["extraterritorial rule"]
    answer = ch3[ch3.index("What did the 0.1 % rule") : ch3.index("True or false")]
    for text in (ch3, answer, glossary["definition"]):
        assert f"{threshold['value']:g} %" in text
        assert "share of content" in text and "share of value" in text
    assert (
        "value"
        in load_table("export_controls")
        .set_index("announced")
        .loc["2025-10-09", "measure"]
        .str.cat()
    )
