"""The classroom pages played in chromium as a student and an instructor would, on a phone
(375 px) and a laptop (1366 px): the browser's results are the Python model's answers."""

from __future__ import annotations

import json
import re

import pytest

from tests.browser import vega
from widgets import scenario as sc
from widgets.classroom import missions as ms
from widgets.classroom import room
from widgets.explorer.controls import slider_range

CLASSROOM = "book/classroom.html"
ROOM = "book/licence-room.html"
WIDTHS = [375, 1366]


def viewport(width: int) -> dict:
    return {"width": width, "height": 800}


def mission(name: str) -> ms.Mission:
    return next(m for m in ms.all_missions() if m.mission == name)


class MissionPage:
    """One mission block of the classroom page, driven as a student drives it."""

    def __init__(self, page, name: str):
        self.page = page
        self.mission = mission(name)
        self.section = page.locator(f"#mission-{name}")
        self.run_button = self.section.locator(".mission-run")

    def choose(self, index: int) -> None:
        self.section.locator("input[type=radio]").nth(index).check()

    def type_number(self, value) -> None:
        self.section.locator("input[type=number]").fill(str(value))

    def explain(self, text: str) -> None:
        self.section.locator(".mission-why").fill(text)

    def run(self) -> dict:
        self.run_button.click()
        self.page.locator(f"#mission-{self.mission.mission}[data-state='ran']").wait_for()
        return self.result()

    def result(self) -> dict:
        return json.loads(self.section.get_attribute("data-result"))

    def move_lever(self, value) -> None:
        vega.set_range(self.section.locator(".mission-lever"), value)
        self.page.wait_for_function(
            "([el, v]) => el.dataset.result && JSON.parse(el.dataset.result).value === v",
            arg=[self.section.element_handle(), value],
        )

    def text(self, selector: str) -> str:
        return self.section.locator(selector).inner_text()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_student_predicts_then_runs_a_choice_mission(visit, width):
    opened = visit(CLASSROOM, viewport(width))
    block = MissionPage(opened.page, "japan-half-for-a-year")
    expected = ms.answer(block.mission)
    assert block.run_button.is_disabled(), "the model cannot be run before a prediction"
    assert block.section.locator(".mission-result").is_hidden()
    wrong = (expected["choice"] + 1) % len(block.mission.choices)
    block.choose(wrong)
    block.explain("The stock is sixty days, so it lasts two months.")
    assert block.run_button.is_enabled()
    result = block.run()
    assert result == {"value": expected["value"], "choice": expected["choice"]}
    outcome = block.text(".mission-outcome")
    assert (
        block.mission.choices[wrong] in outcome
        and block.mission.choices[expected["choice"]] in outcome
    )
    assert "Not what you expected" in outcome
    explanation = block.section.locator(".mission-explain")
    assert explanation.is_visible() and expected["text"] in explanation.inner_text()
    assert explanation.locator(f"a[href='04-asia.html#{block.mission.anchor}']").count() == 1
    assert block.section.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    assert opened.problems() == []


@pytest.mark.parametrize("width", WIDTHS)
def test_a_student_reaches_a_goal_by_moving_the_one_lever(visit, width):
    opened = visit(CLASSROOM, viewport(width))
    block = MissionPage(opened.page, "eu-smallest-stock-2026")
    goal = ms.answer(block.mission)["value"]
    _, _, step = slider_range("stockpile_days")
    block.type_number(60)
    block.run()
    lever = block.section.locator(".mission-lever .vega-bind input[type=range]")
    assert lever.count() == 1, "one lever, above the chart"
    assert lever.get_attribute("name") == "stockpile_days"
    assert block.section.get_attribute("data-goal") is None
    block.move_lever(goal - step)
    assert block.section.get_attribute("data-goal") is None
    assert "Not yet" in block.text(".mission-goal")
    assert block.section.locator(".mission-explain").is_hidden()
    block.move_lever(goal + step)
    assert block.section.get_attribute("data-goal") == "above"
    block.move_lever(goal)
    assert block.section.get_attribute("data-goal") == "reached"
    assert block.result()["first_shortage_month"] == 0
    assert "Goal reached" in block.text(".mission-goal")
    assert block.section.locator(".mission-explain").is_visible()
    assert opened.problems() == []


def test_every_mission_in_the_browser_gives_the_pythons_answer(visit):
    opened = visit(CLASSROOM, viewport(1366))
    for item in ms.all_missions():
        block = MissionPage(opened.page, item.mission)
        expected = ms.answer(item)
        if item.kind == "choice":
            block.choose(0)
        else:
            block.type_number(1)
        result = block.run()
        if item.kind == "choice":
            assert result == {"value": expected["value"], "choice": expected["choice"]}, (
                item.mission
            )
        elif item.kind == "number":
            assert result["value"] == pytest.approx(expected["value"], rel=1e-9), item.mission
        else:
            block.move_lever(expected["value"])
            assert block.section.get_attribute("data-goal") == "reached", item.mission
    # a screen reader hears each month's tonnes as the explorer rounds them, not raw floats
    labels = opened.page.eval_on_selector_all(
        ".mission-result .role-mark [aria-label]", "items => items.map(i => i.ariaLabel)"
    )
    tonnes = [label for label in labels if label.endswith(" t")]
    assert len(tonnes) >= len(ms.all_missions())
    for label in tonnes:
        assert re.fullmatch(r"Month \d+; (unmet demand|stock left): [\d,]+\.\d t", label), label
    assert opened.problems() == []


def test_work_is_kept_in_the_browser_and_downloads_as_markdown(visit):
    opened = visit(CLASSROOM, viewport(375))
    block = MissionPage(opened.page, "april-2025")
    block.type_number(20)
    block.explain("Half the licences, so about half short.")
    block.run()
    opened.page.locator("#classroom-name").fill("A. Student")
    opened.page.reload()
    opened.page.locator("#classroom[data-ready='true']").wait_for()
    again = MissionPage(opened.page, "april-2025")
    assert again.section.locator("input[type=number]").input_value() == "20"
    assert again.section.locator(".mission-why").input_value().startswith("Half the licences")
    opened.page.locator("#mission-april-2025[data-state='ran']").wait_for()
    with opened.page.expect_download() as download:
        opened.page.locator(".classroom-download").click()
    with open(download.value.path(), encoding="utf-8") as handle:
        text = handle.read()
    answer = ms.answer(again.mission)
    assert "Name: A. Student" in text
    assert f"## Mission 6: {again.mission.title}" in text
    assert "- My prediction: 20 %" in text
    assert f"- The model: {round(answer['value'], 1)} %" in text
    assert "Half the licences" in text
    stored = opened.page.evaluate("Object.keys(localStorage)")
    assert "terres-rares-classroom" in stored
    assert opened.problems() == []


@pytest.mark.parametrize("width", WIDTHS)
def test_an_instructor_plays_a_round_and_the_projector_opens_the_same_state(
    visit, browser, site_url, width
):
    opened = visit(ROOM, viewport(width))
    page = opened.page
    first = room.rounds()[0]
    round_block = page.locator("#round-1")
    page.locator("#round-1[data-ready='true']").wait_for()
    levers = round_block.locator(".room-levers")
    before = round_block.get_attribute("data-score")

    def move(name: str, value) -> None:
        levers.locator(f".vega-bind input[name='{name}']").evaluate(
            "(e, v) => { e.value = v; e.dispatchEvent(new Event('input', {bubbles: true})); }",
            value,
        )
        vega.settle(page)

    move("approval_rate", 0.2)  # China's team
    move(room.importer_param("Japan", "stockpile_days"), 120)  # Japan's team
    move("recycling_share", 0.1)  # the industry
    page.wait_for_function(
        "([el, old]) => el.dataset.score !== old", arg=[round_block.element_handle(), before]
    )
    decisions = room.decisions_of(first["preset"]) | {
        "approval_rate": 0.2,
        room.importer_param("Japan", "stockpile_days"): 120.0,
        "recycling_share": 0.1,
    }
    shown = json.loads(round_block.get_attribute("data-score"))
    stock_labels = round_block.locator(".role-mark [aria-label*='stock left']").evaluate_all(
        "items => items.map(i => i.ariaLabel)"
    )
    assert stock_labels, "the stock lines' points are labelled"
    for label in stock_labels:  # tonnes rounded as the explorer rounds them, not raw floats
        assert re.fullmatch(r"[A-Za-z ]+, month \d+; stock left: [\d,]+\.\d t", label), label
    assert levers.locator("input[type=range]").count() == 11, "every team's levers"
    for row in room.scoreboard(first["preset"], decisions):
        got = shown[row["importer"]]
        assert got["first_shortage_month"] == row["first_shortage_month"], row["importer"]
        assert got["unmet_share"] == pytest.approx(row["unmet_share"], rel=1e-9), row["importer"]
    japan_row = round_block.locator("tr[data-importer='Japan']")
    expected = next(
        r for r in room.scoreboard(first["preset"], decisions) if r["importer"] == "Japan"
    )
    assert japan_row.locator(".room-unmet").inner_text() == f"{expected['unmet_share'] * 100:.1f} %"
    link = japan_row.locator("a.room-link").get_attribute("href")
    # the projector opens the shared link
    projector = visit("book/" + link, viewport(1366))
    explorer = projector.page.locator(".scenario-explorer[data-ready='true']")
    explorer.wait_for()
    japan = room.scenarios_with(first["preset"], decisions)["Japan"]
    for name in ("approval_rate", "stockpile_days", "recycling_share", "importer"):
        value = projector.page.locator(
            f".scenario-explorer .vega-bind [name='{name}']"
        ).input_value()
        wanted = getattr(japan, name)
        assert (value == wanted) if isinstance(wanted, str) else float(value) == wanted, name
    sentence = sc.describe(sc.summarize(japan), japan)
    projector.page.wait_for_function(
        "s => document.querySelector('.explorer-sentence').textContent === s", arg=sentence
    )
    assert opened.problems() == [] and projector.problems() == []
