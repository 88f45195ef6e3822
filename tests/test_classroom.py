"""The classroom pages' logic: missions (answers by the model, malformed rows refused with file,
line and column) and the licence room (teams, rounds, scoreboard, shared links)."""

from __future__ import annotations

import csv
import shutil
from urllib.parse import parse_qsl

import pytest

from widgets import paths
from widgets import scenario as sc
from widgets.classroom import missions as ms
from widgets.classroom import page, room
from widgets.data import DataError
from widgets.explorer.controls import slider_range
from widgets.explorer.links import fragment_problems


def scenario_of_link(link: str) -> sc.Scenario:
    """The scenario the explorer shows for a link: the preset's values, then the link's."""
    fields = dict(parse_qsl(link.partition("#")[2]))
    slug = fields.pop("preset", None)
    base = sc.default_scenario()
    if slug:
        base = sc.preset(next(n for n in sc.preset_names() if sc.preset_slug(n) == slug))
    return base.with_changes(**{k: ms._typed(k, v) for k, v in fields.items()})


MISSIONS = ms.all_missions()


def test_there_are_at_least_eight_missions_of_every_kind():
    kinds = [m.kind for m in MISSIONS]
    assert len(MISSIONS) >= 8
    assert {"choice", "number", "goal"} <= set(kinds)


@pytest.mark.parametrize("mission", MISSIONS, ids=lambda m: m.mission)
def test_the_link_opens_the_missions_scenario_in_the_explorer(mission):
    assert fragment_problems(mission.link.partition("#")[2]) == []
    assert scenario_of_link(mission.link) == mission.scenario


@pytest.mark.parametrize("mission", MISSIONS, ids=lambda m: m.mission)
def test_the_answer_is_the_models(mission):
    result = ms.answer(mission)
    summary = sc.summarize(mission.scenario)
    if mission.kind == "choice":
        month = summary["first_shortage_month"]
        first, last = (
            (None, None)
            if mission.bins[result["choice"]] is None
            else mission.bins[result["choice"]]
        )
        if first is None:
            assert month is None
        else:
            assert first <= month <= last
    elif mission.kind == "number":
        expected = (
            summary["unmet_share"] * 100
            if mission.measure == "unmet_share"
            else summary["months_covered_by_stock"]
        )
        assert result["value"] == pytest.approx(expected)
    else:
        low, _, step = slider_range(mission.lever)
        at = sc.summarize(mission.scenario.with_changes(**{mission.lever: result["value"]}))
        assert at["first_shortage_month"] is None
        if result["value"] > low:
            below = mission.scenario.with_changes(**{mission.lever: result["value"] - step})
            assert sc.summarize(below)["first_shortage_month"] is not None
    assert result["text"] in ms.explanation(mission)
    assert "{answer}" not in ms.explanation(mission)


def test_the_stockpile_goal_agrees_with_the_models_own_stockpile_question():
    halt = next(m for m in MISSIONS if m.lever == "stockpile_days")
    needed = sc.stockpile_needed_days(halt.scenario)
    _, _, step = slider_range("stockpile_days")
    found = ms.answer(halt)["value"]
    assert found - step < needed <= found


def test_month_words_follow_the_presets_calendar():
    assert ms.month_words(14, "2025-11") == "month 14 (December 2026)"
    assert ms.month_words(1, "2010-08") == "month 1 (August 2010)"
    assert ms.month_words(8, None) == "month 8"


def test_the_page_writes_the_pythons_answer_and_no_typed_one():
    html = page.missions_view()._repr_mimebundle_()["text/html"]
    for number, mission in enumerate(MISSIONS, start=1):
        assert f'id="mission-{mission.mission}"' in html
        config = page.mission_config(mission, number)
        assert config["answer"] == ms.answer(mission)
    with open(paths.DATA / "missions.csv", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert not {"answer", "result", "correct"} & set(header)


# --------------------------------------------------------------------------- malformed rows
def write_missions(tmp_path, change):
    """A copy of data/ whose missions.csv has one cell of one row changed."""
    data = tmp_path / "data"
    shutil.copytree(paths.DATA, data)
    path = data / "missions.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    mission, column, value = change
    row = next(r for r in rows if r["mission"] == mission)
    row[column] = value
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    line = 2 + [r["mission"] for r in rows].index(mission)
    return data, line


MALFORMED = [
    (("halt-2010", "preset", "2011 halt"), "preset", "unknown preset"),
    (("halt-2010", "overrides", "stockpile_days=1000"), "overrides", "outside"),
    (("halt-2010", "overrides", "stock_days=10"), "overrides", "unknown parameter"),
    (("halt-2010", "overrides", "preset=busan-suspension"), "overrides", "preset column"),
    (("halt-2010", "bins", "none|1-3"), "bins", "2 bins for 3 choices"),
    (("halt-2010", "bins", "none|1-3|soon"), "bins", "is not none, a-b or a-"),
    (("halt-2010", "bins", "1-3|4-6|7-12"), "bins", "falls in 0 bins"),
    (("halt-2010", "measure", "unmet_share"), "measure", "a choice mission predicts"),
    (("halt-2010", "unit", "%"), "unit", "no unit"),
    (("april-2025", "tolerance", ""), "tolerance", "how close counts"),
    (("april-2025", "unit", "days"), "unit", "predicted in %"),
    (("halt-2010-smallest-stock", "lever", "horizon_months"), "lever", "moves one of"),
    (("halt-2010-smallest-stock", "unit", "%"), "unit", "shown in days"),
    (
        (
            "eu-smallest-stock-2026",
            "overrides",
            "importer=European Union&china_share=0.95&annual_demand_t=300&stockpile_days=0"
            "&restriction_length_months=24",
        ),
        "lever",
        "avoids the shortage",
    ),
    (("halt-2010", "explanation", "No answer here."), "explanation", "{answer}"),
    (("halt-2010", "chapter", "09-nowhere"), "chapter", "not a page"),
    (("halt-2010", "anchor", "no-such-section"), "anchor", "not the id of a heading"),
    (("halt-2010", "kind", "essay"), "kind", ""),
]


@pytest.mark.parametrize(("change", "column", "words"), MALFORMED, ids=lambda v: str(v)[:40])
def test_a_malformed_mission_is_refused_naming_file_line_and_column(
    tmp_path, change, column, words
):
    data, line = write_missions(tmp_path, change)
    with pytest.raises(DataError) as raised:
        ms.load_missions(data)
    message = str(raised.value)
    assert "missions.csv" in message
    assert f"line {line}" in message
    assert f"column '{column}'" in message
    assert words in message


# --------------------------------------------------------------------------- the licence room
def test_five_teams_and_four_rounds_in_the_order_of_the_documents():
    assert [t["team"] for t in room.teams()] == [
        "China",
        "Japan",
        "United States",
        "European Union",
        "Industry",
    ]
    months = [r["month"] for r in room.rounds()]
    assert len(months) == 4 and months == sorted(months)


def test_a_round_of_the_presets_own_importer_is_the_preset():
    for row in room.rounds():
        preset = sc.preset(row["preset"])
        assert room.round_scenario(row["preset"], preset.importer) == preset


def test_the_scoreboard_is_the_models_for_each_importer_with_the_teams_decisions():
    preset = room.rounds()[0]["preset"]
    decisions = room.decisions_of(preset) | {
        "approval_rate": 0.2,
        room.importer_param("Japan", "stockpile_days"): 120.0,
        "recycling_share": 0.1,
    }
    board = {r["importer"]: r for r in room.scoreboard(preset, decisions)}
    japan = room.round_scenario(preset, "Japan").with_changes(
        approval_rate=0.2, stockpile_days=120.0, recycling_share=0.1
    )
    summary = sc.summarize(japan)
    assert board["Japan"]["unmet_share"] == pytest.approx(summary["unmet_share"])
    assert board["Japan"]["first_shortage_month"] == (summary["first_shortage_month"] or 0)
    us = room.round_scenario(preset, "United States").with_changes(
        approval_rate=0.2, recycling_share=0.1
    )
    assert board["United States"]["unmet_share"] == pytest.approx(sc.summarize(us)["unmet_share"])


def test_each_shared_link_opens_the_importers_round_in_the_explorer():
    for row in room.rounds():
        links = room.round_links(row["preset"])
        for importer, link in links.items():
            assert fragment_problems(link.partition("#")[2]) == []
            assert scenario_of_link(link) == room.round_scenario(row["preset"], importer)


def test_a_team_with_the_wrong_levers_is_refused(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(paths.DATA, data)
    path = data / "missions_teams.csv"
    text = path.read_text(encoding="utf-8").replace(
        "China,,approval_rate|licence_delay_months|restriction_length_months",
        "China,,approval_rate|stockpile_days",
    )
    path.write_text(text, encoding="utf-8")
    from widgets import data as data_module

    real = data_module.load_table
    monkeypatch.setattr(room, "load_table", lambda name: real(name, data))
    room.teams.cache_clear()
    try:
        with pytest.raises(DataError, match=r"missions_teams.csv, line 2, column 'levers'"):
            room.teams()
    finally:
        room.teams.cache_clear()
