"""Chapters are narrative: their code cells call widgets/ and hold no figure of their own, and
every finished chapter has the teaching structure a first-year student needs."""
from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import jupytext
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text())
TOC_FILES = [TOC["root"]] + [c["file"] for part in TOC["parts"] for c in part["chapters"]]
NOTEBOOKS = sorted(p for p in BOOK.glob("*.md") if "jupytext" in p.read_text(encoding="utf-8")[:300])

# Chapters (book/<name>.md) that are complete and must have the full teaching structure.
FINISHED_CHAPTERS = ["01-what-are-rare-earths", "02-china-supremacy", "03-busan-truce", "scenario-explorer"]
ALLOWED_NUMBERS = {"0", "1"}


def code_cells(path: Path) -> list[str]:
    notebook = jupytext.read(path, fmt="md:myst")
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def numbers_in(source: str) -> list[str]:
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [t.string for t in tokens if t.type == tokenize.NUMBER and t.string not in ALLOWED_NUMBERS]


def test_every_page_of_the_table_of_contents_exists():
    missing = [f for f in TOC_FILES if not (ROOT / f"{f}.md").is_file() and f != "book/glossary"]
    assert missing == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_chapter_code_holds_no_literal_figure(path):
    found = {n for source in code_cells(path) for n in numbers_in(source)}
    assert not found, f"{path.name}: figures {sorted(found)} belong in data/, not in chapter code"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_chapter_code_does_not_read_files_or_build_charts_itself(path):
    for source in code_cells(path):
        assert not re.search(r"read_csv|open\(|alt\.Chart|import altair", source), (
            f"{path.name}: read tables with widgets.data and build charts in widgets/")


def test_numbers_in_finds_figures_and_ignores_names():
    assert numbers_in("figures.world_production(start=1973, scale=0.5)") == ["1973", "0.5"]
    assert numbers_in("figures.chart_2()  # 2019 in a comment") == []


@pytest.mark.parametrize("name", FINISHED_CHAPTERS)
def test_a_finished_chapter_has_the_teaching_structure(name):
    text = (BOOK / f"{name}.md").read_text(encoding="utf-8")
    assert "Learning objectives" in text and "Reading time" in text
    assert "## Key takeaways" in text and "## Go further" in text
    assert "{cite}" in text, "cite the source documents"
    sections = re.findall(r"^## (.+)$", text, flags=re.M)
    assert text.index("Learning objectives") < text.index("\n## "), "objectives come first"
    assert sections[-2:] == ["Key takeaways", "Go further"], "takeaways, then sources, close the chapter"
    exercises = re.findall(r"```\{exercise\}\n:label: (\S+)", text)
    assert len(exercises) >= 3, "at least three exercises"
    solutions = re.findall(r"```\{solution\} (\S+)\n((?::\w+:.*\n)*)", text)
    assert solutions, "exercises come with solutions"
    for label, options in solutions:
        assert label in exercises, f"solution of an unknown exercise {label}"
        assert ":class: dropdown" in options, f"the solution of {label} must be hidden until asked for"
    answers = re.findall(r"```\{admonition\} Answer\n[ \t]*:class: dropdown", text)
    assert answers, "a self-check whose answers are revealed on demand"
    shown = [c for c in jupytext.read(BOOK / f"{name}.md", fmt="md:myst").cells
             if c.cell_type == "code" and "remove-input" in c.metadata.get("tags", [])]
    assert len(shown) >= 2, "at least two charts or tables shown"
