"""The missions of the classroom page, read from ``data/missions.csv`` and answered by the model.

A mission is a question on one scenario of :mod:`widgets.scenario`: a preset (or the explorer's
default scenario) with some fields set in the explorer's link protocol
(:mod:`widgets.explorer.links`). The student commits to a prediction first, of one of three
kinds:

* ``choice``: one of a few labels, each standing for a range of the first shortage month
  (``bins``: ``none``, ``a-b`` or ``a-``);
* ``number``: a share of demand left unmet (``%``) or a number of months covered by the stock;
* ``goal``: a guess of the smallest value of one lever (the stockpile, the approval rate) with
  which the scenario has no shortage; the student then moves the lever until the page says the
  goal is reached.

The answers are computed here, by the Python model, at build time (:func:`answer`); the page
shows the result its browser computes with the same model in Vega, and the tests check that both
agree. Every problem of a row raises :class:`widgets.data.DataError` naming the file, the line
and the column.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import parse_qsl

from widgets import paths
from widgets import scenario as sc
from widgets.data import DataError, load_table
from widgets.explorer.controls import slider_range
from widgets.explorer.links import explorer_link, fragment_problems

TABLE = "missions"
MEASURE_OF_KIND = {
    "choice": ("first_shortage_month",),
    "number": ("unmet_share", "months_covered_by_stock"),
    "goal": ("smallest_for_no_shortage",),
}
UNIT_OF_MEASURE = {"unmet_share": "%", "months_covered_by_stock": "months"}
GOAL_LEVERS = ("stockpile_days", "approval_rate", "recycling_share", "other_supply_growth")
BIN = re.compile(r"^(none|(\d+)-(\d+)?)$")
MONTH_NAMES = (
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
)


@dataclass(frozen=True)
class Mission:
    """One checked row of ``data/missions.csv``."""

    mission: str
    title: str
    question: str
    preset: str | None
    overrides: dict
    kind: str
    measure: str
    choices: tuple[str, ...]
    bins: tuple[tuple[int, int] | None, ...]  # (first, last) months; None = no shortage
    unit: str
    tolerance: float | None
    lever: str | None
    explanation: str
    chapter: str
    anchor: str
    source: str
    note: str
    line: int

    @property
    def scenario(self) -> sc.Scenario:
        base = sc.preset(self.preset) if self.preset else sc.default_scenario()
        return base.with_changes(**self.overrides)

    @property
    def first_month(self) -> str | None:
        return sc.preset_first_month(self.preset) if self.preset else None

    @property
    def link(self) -> str:
        """The explorer link of the scenario (page-relative from book/)."""
        return explorer_link(self.preset, **self.overrides)


def _typed(name: str, raw: str):
    spec = sc.PARAMETERS[name]
    return raw if spec.kind == "choice" else sc.as_field_value(name, raw)


def parse_overrides(text: str | None) -> dict:
    """``stockpile_days=60&approval_rate=0.5`` -> {"stockpile_days": 60.0, ...}; ValueError if a
    part breaks the link protocol (the explorer would refuse it)."""
    if not text:
        return {}
    if "preset=" in text.split("&")[0] or any(
        k == "preset" for k, _ in parse_qsl(text, keep_blank_values=True)
    ):
        raise ValueError("the preset goes in the preset column, not in the overrides")
    problems = fragment_problems(text)
    if problems:
        raise ValueError("; ".join(problems))
    return {key: _typed(key, raw) for key, raw in parse_qsl(text, keep_blank_values=True)}


def parse_bins(text: str) -> tuple[tuple[int, int] | None, ...]:
    """``none|1-3|4-`` -> (None, (1, 3), (4, 10**6)); ValueError naming a bad bin."""
    bins = []
    for part in text.split("|"):
        found = BIN.match(part)
        if not found:
            raise ValueError(f"bin {part!r} is not none, a-b or a- (months)")
        if found[1] == "none":
            bins.append(None)
            continue
        first = int(found[2])
        last = int(found[3]) if found[3] else 10**6
        if first < 1 or last < first:
            raise ValueError(f"bin {part!r} must run from month 1 or later to a later month")
        bins.append((first, last))
    return tuple(bins)


def _line_numbers(path) -> list[int]:
    """The physical line where each data row of ``path`` starts."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        starts, line = [], reader.line_num + 1
        for _ in reader:
            starts.append(line)
            line = reader.line_num + 1
    return starts


@cache
def headings(chapter: str) -> dict[str, str]:
    """The sections of a page of the book: {id as Sphinx writes it from the heading: heading}."""
    text = (paths.BOOK / f"{chapter}.md").read_text(encoding="utf-8")
    return {
        re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-"): heading.strip()
        for heading in re.findall(r"^#{1,6} (.+)$", text, flags=re.M)
    }


def _pages() -> set[str]:
    return {page.split("/")[-1] for page in paths.toc_pages()}


def _check_row(row: dict, line: int, where) -> Mission:
    """One row as a :class:`Mission`, or DataError at the first problem."""

    def fail(column: str, problem: str):
        raise DataError(f"{where(line, column)}: {problem}")

    def given(column: str) -> bool:
        value = row[column]
        return value is not None and not (isinstance(value, float) and math.isnan(value))

    kind, measure = row["kind"], row["measure"]
    if measure not in MEASURE_OF_KIND[kind]:
        fail("measure", f"a {kind} mission predicts {' or '.join(MEASURE_OF_KIND[kind])}")
    preset = row["preset"] if given("preset") else None
    if preset is not None and preset not in sc.preset_names():
        fail("preset", f"unknown preset {preset!r}; known presets: {', '.join(sc.preset_names())}")
    try:
        overrides = parse_overrides(row["overrides"] if given("overrides") else "")
    except ValueError as error:
        fail("overrides", str(error))
    choices: tuple[str, ...] = ()
    bins: tuple = ()
    if kind == "choice":
        if not given("choices") or not given("bins"):
            fail(
                "choices" if not given("choices") else "bins",
                "a choice mission needs choices and bins",
            )
        choices = tuple(row["choices"].split("|"))
        if len(choices) < 2 or any(not c for c in choices):
            fail("choices", "give at least two non-empty choices separated by |")
        try:
            bins = parse_bins(row["bins"])
        except ValueError as error:
            fail("bins", str(error))
        if len(bins) != len(choices):
            fail("bins", f"{len(bins)} bins for {len(choices)} choices: give one bin per choice")
    else:
        for column in ("choices", "bins"):
            if given(column):
                fail(column, f"only a choice mission has {column}, not a {kind} mission")
    unit = row["unit"] if given("unit") else ""
    lever = row["lever"] if given("lever") else None
    tolerance = float(row["tolerance"]) if given("tolerance") else None
    if kind == "number":
        if unit != UNIT_OF_MEASURE[measure]:
            fail("unit", f"{measure} is predicted in {UNIT_OF_MEASURE[measure]}, not {unit!r}")
        if tolerance is None:
            fail("tolerance", "a number mission says how close counts as right")
    elif tolerance is not None:
        fail("tolerance", f"only a number mission has a tolerance, not a {kind} mission")
    if kind == "goal":
        if lever not in GOAL_LEVERS:
            fail("lever", f"a goal mission moves one of {', '.join(GOAL_LEVERS)}, not {lever!r}")
        wanted = "%" if sc.PARAMETERS[lever].speaks == "percent" else sc.PARAMETERS[lever].speaks
        if unit != wanted:
            fail("unit", f"the lever {lever} is shown in {wanted}, not {unit!r}")
    else:
        if lever is not None:
            fail("lever", f"only a goal mission has a lever, not a {kind} mission")
        if kind == "choice" and unit:
            fail("unit", "a choice mission has no unit")
    if "{answer}" not in row["explanation"]:
        fail("explanation", "the explanation must say the model's answer: write {answer} in it")
    if row["chapter"] not in _pages():
        fail("chapter", f"{row['chapter']!r} is not a page of _toc.yml")
    if row["anchor"] not in headings(row["chapter"]):
        fail("anchor", f"{row['anchor']!r} is not the id of a heading of book/{row['chapter']}.md")
    mission = Mission(
        mission=row["mission"],
        title=row["title"],
        question=row["question"],
        preset=preset,
        overrides=overrides,
        kind=kind,
        measure=measure,
        choices=choices,
        bins=bins,
        unit=unit,
        tolerance=tolerance,
        lever=lever,
        explanation=row["explanation"],
        chapter=row["chapter"],
        anchor=row["anchor"],
        source=row["source"],
        note=row["note"],
        line=line,
    )
    try:
        mission.scenario  # noqa: B018 (checks the overrides against the preset)
        mission.link  # noqa: B018
    except ValueError as error:
        fail("overrides", str(error))
    try:
        answer(mission)
    except ValueError as error:
        fail("bins" if kind == "choice" else "lever" if kind == "goal" else "measure", str(error))
    return mission


def load_missions(data_dir=paths.DATA) -> list[Mission]:
    """Every mission of ``data/missions.csv``, validated (schema, then the rules above)."""
    table = load_table(TABLE, data_dir)
    path = paths.DATA / f"{TABLE}.csv" if data_dir == paths.DATA else data_dir / f"{TABLE}.csv"
    lines = _line_numbers(path)
    place = f"data/{TABLE}.csv" if data_dir == paths.DATA else str(path)

    def where(line: int, column: str) -> str:
        return f"{place}, line {line}, column '{column}'"

    records = table.astype(object).where(table.notna(), None).to_dict("records")
    return [_check_row(row, line, where) for row, line in zip(records, lines, strict=True)]


@cache
def all_missions() -> tuple[Mission, ...]:
    return tuple(load_missions())


# --------------------------------------------------------------------------- the answers
def month_words(month: int, first_month: str | None) -> str:
    """'month 14 (December 2026)', or 'month 8' without a calendar."""
    if first_month is None:
        return f"month {month}"
    year, start = (int(x) for x in first_month.split("-"))
    index = start - 1 + month - 1
    return f"month {month} ({MONTH_NAMES[index % 12]} {year + index // 12})"


def bin_of(bins, first_shortage_month: int | None) -> int:
    """The index of the one bin that holds the first shortage month (None: no shortage)."""
    found = [
        i
        for i, b in enumerate(bins)
        if (b is None and first_shortage_month is None)
        or (
            b is not None
            and first_shortage_month is not None
            and b[0] <= first_shortage_month <= b[1]
        )
    ]
    if len(found) != 1:
        shown = "no shortage" if first_shortage_month is None else f"month {first_shortage_month}"
        raise ValueError(
            f"the model's answer ({shown}) falls in {len(found)} bins, not exactly one"
        )
    return found[0]


def lever_grid(lever: str) -> list[float]:
    """The values the lever's slider offers, low to high."""
    low, high, step = slider_range(lever)
    count = round((high - low) / step)
    return [round(low + i * step, 10) for i in range(count + 1)]


def smallest_for_no_shortage(scenario: sc.Scenario, lever: str) -> float:
    """The smallest value of the lever's slider with which the scenario has no shortage, every
    larger value having none either; ValueError if no value of the slider reaches it."""
    grid = lever_grid(lever)
    runs = sc.sweep(scenario, **{lever: grid})
    short = runs["first_shortage_month"].notna().to_numpy()
    if short.all():
        raise ValueError(f"no value of {lever} on its slider avoids the shortage")
    first = int((~short).argmax())
    if short[first:].any():
        raise ValueError(f"the shortage comes back above {lever} = {grid[first]}: not a goal")
    return grid[first]


def lever_text(lever: str, value: float) -> str:
    """The lever's value as the page shows it: '55 days', '81 %'."""
    return sc.PARAMETERS[lever].text(value)


def answer(mission: Mission) -> dict:
    """The model's answer: ``value`` (the measure: first shortage month or 0, unmet share in %
    of demand, months, or the lever's value as the slider holds it), ``choice`` (the index of
    the right choice, for a choice mission) and ``text`` (the answer in words)."""
    scenario = mission.scenario
    if mission.kind == "goal":
        value = smallest_for_no_shortage(scenario, mission.lever)
        return {"value": value, "choice": None, "text": lever_text(mission.lever, value)}
    summary = sc.summarize(scenario)
    if mission.measure == "first_shortage_month":
        month = summary["first_shortage_month"]
        index = bin_of(mission.bins, month)
        words = (
            "no shortage"
            if month is None
            else "a first shortage in " + month_words(month, mission.first_month)
        )
        return {"value": month or 0, "choice": index, "text": words}
    if mission.measure == "unmet_share":
        value = summary["unmet_share"] * 100
        return {"value": value, "choice": None, "text": f"{value:.1f} %"}
    value = summary["months_covered_by_stock"]
    return {"value": value, "choice": None, "text": f"{value} months"}


def explanation(mission: Mission) -> str:
    """The explanation with the model's answer in it."""
    return mission.explanation.replace("{answer}", answer(mission)["text"])
