"""A student uses the static scenario explorer: presets, every slider, the importer menu, a
shared link. After each move, the numbers drawn by Vega in the page must equal what the Python
model (widgets.scenario.simulate) gives for the same inputs, within 0.5 %; the result sentence
(HTML, in a live region) must be describe()'s; and once the page says the ranking is up to date
(data-ranking="current"), the ranking must be sensitivity()'s, in points of demand unmet."""

from __future__ import annotations

import calendar
import io
import math
import re
from urllib.parse import parse_qsl, urlparse

import pandas as pd
import pytest

from widgets import scenario as sc
from widgets.explorer import LABELS, SUPPLY_COMPONENTS, links, notes, preset_slug, slider_range
from widgets.explorer.tornado import NO_BAR, NO_SWING
from widgets.scenario import words

PAGE = "book/scenario-explorer.html"
TOLERANCE = 0.005  # relative
SHOWN = 0.05 + 1e-9  # the marks' labels say tonnes and percents as the chart does: to 0.1
SOURCE_NAMES = {label: column for column, (label, _) in SUPPLY_COMPONENTS.items()}
PARAMETER_OF_LABEL = {label: name for name, label in LABELS.items()}
CURRENT = ".scenario-explorer[data-ranking=current]"
RANKING = re.compile(
    r"(.+): (\S+) % at the low end, (\S+) % at the high end; now (\S+) %(?: \((.+)\))?"
)

READ_STATE = """root => {
  const labels = sel => [...root.querySelectorAll(sel)].map(e => e.getAttribute('aria-label'));
  return {
    sentence: [...root.querySelectorAll('.explorer-sentence')].map(t => t.textContent),
    marks: labels('g.role-mark [aria-label]'),
    controls: Object.fromEntries([...root.querySelectorAll('.vega-bind [name]')].map(e => [e.name, e.value])),
  };
}"""


def settle(page):
    """Wait until Vega has re-run the dataflow and redrawn (two animation frames, twice)."""
    for _ in range(2):
        page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )


def set_control(page, name, value):
    """Move a control as a reader does: set its value and fire the event Vega listens to."""
    page.evaluate(
        """([name, value]) => {
        const el = document.querySelector(`.scenario-explorer .vega-bind [name="${name}"]`);
        el.value = String(value);
        el.dispatchEvent(new Event(el.tagName === 'SELECT' ? 'change' : 'input', {bubbles: true}));
    }""",
        [name, value],
    )
    settle(page)


def open_explorer(visit, fragment: str = "", viewport=None):
    page_visit = visit(PAGE + fragment, viewport)
    page_visit.page.wait_for_selector(".scenario-explorer[data-ready=true]", timeout=20_000)
    settle(page_visit.page)
    return page_visit


def wait_for_ranking(page):
    """Wait until the page says its ranking is computed for the controls as they are."""
    page.wait_for_selector(CURRENT, timeout=20_000)


def scenario_from_controls(controls: dict) -> sc.Scenario:
    values = {}
    for name in sc.PARAMETERS:
        raw = controls[name]
        kind = sc.PARAMETERS[name].kind
        values[name] = (
            raw if kind == "choice" else int(float(raw)) if kind == "months" else float(raw)
        )
    return sc.Scenario(**values)


def read_page(page) -> dict:
    state = page.evaluate(READ_STATE, page.query_selector(".scenario-explorer"))
    supply, stock, unmet, tornado = {}, {}, {}, {}
    for label in state["marks"]:
        if m := re.fullmatch(r"Month (\d+)(?: \(\w{3} \d{4}\))?; (.+): (\S+) t", label):
            month, what, value = int(m[1]), m[2], float(m[3].replace(",", ""))
            if what in SOURCE_NAMES:
                supply[(month, SOURCE_NAMES[what])] = value
            elif what == "stock left":
                stock[month] = value
            elif what == "unmet demand":
                unmet[month] = value
        elif m := RANKING.fullmatch(label):
            tornado[PARAMETER_OF_LABEL[m[1]]] = (float(m[2]), float(m[3]), float(m[4]), m[5])
    return {
        "sentence": state["sentence"],
        "controls": state["controls"],
        "supply": supply,
        "stock": stock,
        "unmet": unmet,
        "tornado": tornado,
    }


def close(a: float, b: float) -> bool:
    """A label's number (rounded to 0.1 as the chart shows it) against the model's."""
    return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=SHOWN)


def assert_page_matches_model(page):
    wait_for_ranking(page)
    shown = read_page(page)
    scenario = scenario_from_controls(shown["controls"])
    expected = sc.simulate(scenario).set_index("month")
    months = list(expected.index)
    where = f"for {scenario}"
    assert shown["sentence"] == [sc.describe(sc.summarize(scenario), scenario)], where
    assert sorted(shown["unmet"]) == months, where
    assert sorted(shown["stock"]) == months, where
    for month in months:
        assert close(shown["unmet"][month], expected.loc[month, "unmet_t"]), (month, where)
        assert close(shown["stock"][month], expected.loc[month, "stock_left_t"]), (month, where)
        for column in SUPPLY_COMPONENTS:
            assert close(shown["supply"][(month, column)], expected.loc[month, column]), (
                month,
                column,
                where,
            )
    sensitivity = sc.sensitivity(scenario).set_index("parameter")
    assert set(shown["tornado"]) == set(sensitivity.index), where
    for name, (low, high, now, no_bar) in shown["tornado"].items():
        # a parameter too weak to draw a bar says so (annual demand: always, and why)
        empty = sensitivity.loc[name, "swing_pct"] < NO_SWING
        assert (no_bar is not None) == empty, (name, no_bar, where)
        if name == "annual_demand_t":
            assert no_bar == NO_BAR[name], where
        assert close(low, sensitivity.loc[name, "unmet_low_pct"]), (name, where)
        assert close(high, sensitivity.loc[name, "unmet_high_pct"]), (name, where)
        assert close(now, sensitivity.loc[name, "unmet_base_pct"]), (name, where)
    return scenario


def test_the_explorer_opens_on_the_default_scenario_and_matches_the_model(visit):
    page_visit = open_explorer(visit)
    scenario = assert_page_matches_model(page_visit.page)
    assert scenario == sc.default_scenario()
    assert page_visit.problems() == []


def test_each_preset_button_in_turn_sets_its_preset_and_the_charts_follow(visit):
    """A reader clicks one preset after another on one page (each from the one before)."""
    page = open_explorer(visit).page
    for name in [*sc.preset_names(), sc.preset_names()[0]]:
        page.get_by_role("button", name=name).click()
        settle(page)
        assert assert_page_matches_model(page) == sc.preset(name), name
        assert name in page.locator(".explorer-status").inner_text(), name


def _positions(name: str, horizon: int) -> list[float]:
    low, high, step = slider_range(name)
    if name in sc.HORIZON_CLIPPED:
        high = horizon  # the model accepts more, but a restriction beyond the horizon is cut off
    if name == "horizon_months":
        low = sc.default_scenario().restriction_start_month + 1
    middle = low + round((high - low) / 2 / step) * step
    return [low, middle, high]


def test_moving_each_slider_in_turn_redraws_the_numbers_the_model_gives(visit):
    """Each slider to its low end, its middle and its high end, then back to its default (a
    move too), on one page: after every move the page equals the model."""
    page = open_explorer(visit).page
    default = sc.default_scenario()
    for name in sc.NUMERIC_PARAMETERS:
        seen = set()
        for value in _positions(name, default.horizon_months):
            set_control(page, name, value)
            scenario = assert_page_matches_model(page)
            assert math.isclose(getattr(scenario, name), value), f"{name} did not move to {value}"
            seen.add(sc.summarize(scenario)["unmet_tonnes"])
        if name != "recycling_share":  # each other one changes unmet demand in its range
            assert len(seen) > 1, f"moving {name} changed nothing"
        set_control(page, name, getattr(default, name))
        assert assert_page_matches_model(page) == default, f"{name} back to its default"


def test_choosing_each_importer_in_turn_loads_its_defaults(visit):
    page = open_explorer(visit).page
    set_control(page, "element_group", "heavy_dytb")
    for importer in [*sc.IMPORTERS[1:], sc.IMPORTERS[0]]:
        set_control(page, "importer", importer)
        scenario = assert_page_matches_model(page)
        assert scenario == sc.default_scenario(importer, "heavy_dytb"), importer


def test_a_shared_link_restores_the_same_scenario(visit, browser, site_url):
    page = open_explorer(visit).page
    set_control(page, "stockpile_days", 120)
    set_control(page, "approval_rate", 0.25)
    # the address follows the reader's moves once they pause
    page.wait_for_function(
        "() => new URLSearchParams(location.hash.slice(1)).get('approval_rate') === '0.25'"
    )
    link = page.url
    assert dict(parse_qsl(urlparse(link).fragment))["stockpile_days"] == "120"
    before = read_page(page)

    other = visit(link.replace(site_url, ""))
    other.page.wait_for_selector(".scenario-explorer[data-ready=true]")
    settle(other.page)
    after = read_page(other.page)
    assert after["controls"] == before["controls"]
    assert after["sentence"] == before["sentence"]


def follow_link(page, fragment: str) -> None:
    """The reader opens another link to the explorer in the same tab: only the address's
    fragment changes, and the page reads it (hashchange) with the function that reads the first
    at load, on top of the controls as they are (a first load also starts from the defaults and
    swaps the build's picture; the tests that open a page on a link check that)."""
    page.evaluate(
        """(f) => new Promise((done, fail) => {
        // the page's own listener was added first, so it has read the link when this one runs
        window.addEventListener("hashchange", () => done(), {once: true});
        setTimeout(() => fail(new Error(`no hashchange for #${f.slice(0, 80)}`)), 10000);
        location.hash = f;
    })""",
        fragment,
    )
    settle(page)


def test_a_chapter_link_to_each_preset_opens_it(visit):
    """The first preset's link opens the page; the others are followed in the same tab."""
    first, *others = sc.preset_names()
    page = open_explorer(visit, "#preset=" + preset_slug(first)).page
    assert assert_page_matches_model(page) == sc.preset(first)
    for name in others:
        follow_link(page, "preset=" + preset_slug(name))
        assert assert_page_matches_model(page) == sc.preset(name), name
        assert status_of(page) == preset_words(name), name


def test_a_broken_link_says_which_part_was_not_used(visit):
    page = open_explorer(visit, "#stockpile_days=lots&colour=red&approval_rate=7").page
    status = page.locator(".explorer-status").inner_text()
    assert "stockpile_days" in status and "colour" in status and "approval_rate = 7" in status
    assert_page_matches_model(page)  # the rest of the page still agrees with the model


def test_the_controls_have_labels_and_work_from_the_keyboard(visit):
    page = open_explorer(visit).page
    slider = page.get_by_role("slider", name=re.compile("Stockpile"))
    before = slider.input_value()
    slider.focus()
    page.keyboard.press("ArrowRight")
    settle(page)
    assert float(slider.input_value()) > float(before)
    assert_page_matches_model(page)


# --------------------------------------------------------------------------- hostile links
def status_of(page) -> str:
    return page.locator(".explorer-status").inner_text()


def expected_status(fragment: str) -> str:
    """The message the protocol (widgets/explorer/links.py) gives for a fragment."""
    problems = links.fragment_problems(fragment)
    shown = "; ".join(problems[: links.MAX_PROBLEMS])
    more = len(problems) - links.MAX_PROBLEMS
    return f"Part of the link was not used: {shown}{f' and {more} more' if more > 0 else ''}."


def assert_controls_valid(page) -> sc.Scenario:
    """Every control on a value the model accepts (no blank menu), and the page agrees."""
    controls = read_page(page)["controls"]
    assert controls["importer"] in sc.IMPORTERS and controls["element_group"] in sc.ELEMENT_GROUPS
    return assert_page_matches_model(page)


HOSTILE = [
    "stockpile_days=120&approval_rate=50%",
    "%&stockpile_days=30",
    "stockpile_days=%E0%A4%A",
    "importer=japan&stockpile_days=120",
    "element_group=heavy",
    "importer=%3Cimg%20src%3Dx%3E&element_group=France",
    "preset=__proto__",
    "preset=constructor&stockpile_days=30",
    "preset=toString",
    "horizon_months=0x10&stockpile_days=1e2&approval_rate=%2B0.5&china_share=%200.5",
    "licence_delay_months=2.5&annual_demand_t=15.5",
    "stockpile_days=90&stockpile_days=30&stockpile_days=10",
    "a=1&b=2&c=3&d=4&e=5&f=6&stockpile_days=45",
]


def assert_bad_link_read(page, fragment: str) -> None:
    assert status_of(page) == expected_status(fragment), fragment
    scenario = assert_controls_valid(page)
    valid = {k: v for k, v in parse_qsl(fragment) if links.check_part(k, v) is None}
    first = dict(reversed(parse_qsl(fragment)))  # a repeated key: the first one is used
    for key in valid:
        if key in sc.NUMERIC_PARAMETERS:
            assert getattr(scenario, key) == float(first[key]), (key, fragment)


# a page opened on each of these (all are followed in one tab, below): every fourth, and the
# presets named after properties every object has
OPENED_ON = [
    *HOSTILE[::4],
    *(f for f in HOSTILE if f.startswith(("preset=__proto__", "preset=con"))),
]


@pytest.mark.parametrize("fragment", OPENED_ON)
def test_a_page_opened_on_a_bad_link_applies_its_valid_parts_and_names_the_rest(visit, fragment):
    page_visit = open_explorer(visit, "#" + fragment)
    assert_bad_link_read(page_visit.page, fragment)
    assert page_visit.problems() == []


def test_each_bad_link_followed_in_one_tab_applies_its_valid_parts_and_names_the_rest(visit):
    page_visit = open_explorer(visit)
    for fragment in HOSTILE:
        follow_link(page_visit.page, fragment)
        assert_bad_link_read(page_visit.page, fragment)
    assert page_visit.problems() == []


def test_after_a_bad_link_a_later_link_still_works(visit):
    page_visit = open_explorer(visit, "#approval_rate=50%")
    page = page_visit.page
    page.evaluate("() => { location.hash = 'stockpile_days=30&approval_rate=0.25'; }")
    page.wait_for_function(
        "() => document.querySelector('.explorer-status').textContent"
        " === 'Scenario loaded from the link.'"
    )
    settle(page)
    scenario = assert_controls_valid(page)
    assert (scenario.stockpile_days, scenario.approval_rate) == (30, 0.25)
    assert page_visit.problems() == []


def test_a_two_megabyte_link_gets_a_short_message(visit):
    page_visit = open_explorer(visit)
    page = page_visit.page
    huge = (
        "stockpile_days=120&importer="
        + "x" * 2_000_000
        + "&"
        + "&".join(f"k{i}=1" for i in range(5000))
    )
    page.evaluate("(h) => { location.hash = h; }", huge)
    page.wait_for_function(
        "() => document.querySelector('.explorer-status').textContent"
        ".startsWith('Part of the link was not used')"
    )
    settle(page)
    status = status_of(page)
    assert status == expected_status(huge) and len(status) < 400
    assert assert_controls_valid(page).stockpile_days == 120
    assert len(page.evaluate("() => location.hash")) < 1000  # the address is rewritten clean
    assert page_visit.problems() == []


def test_an_ordinary_anchor_of_the_page_is_not_read_as_a_scenario(visit):
    page = open_explorer(visit).page
    anchor = page.evaluate("() => document.querySelector('section[id]').id")
    page_visit = open_explorer(visit, "#" + anchor)
    assert status_of(page_visit.page) == ""
    assert assert_controls_valid(page_visit.page) == sc.default_scenario()
    assert page_visit.problems() == []


# The reliability review's tie links (F1): exactly 12.5 % and 0.5 % of demand unmet.
TIE = (
    "importer=Japan&element_group=light_ndpr&annual_demand_t=3840&china_share=1&approval_rate=0"
    "&licence_delay_months=0&restriction_start_month=0&restriction_length_months=1"
    "&stockpile_days=0&other_supply_growth=0&recycling_share=0&substitution=0&horizon_months=8"
)


@pytest.mark.parametrize(
    "fragment",
    [
        TIE,
        TIE.replace("china_share=1&", "china_share=0.5&").replace(
            "horizon_months=8", "horizon_months=100"
        ),
    ],
)
def test_a_half_percent_tie_reads_the_same_in_the_page_and_in_python(visit, fragment):
    page = open_explorer(visit, "#" + fragment).page
    assert status_of(page) == "Scenario loaded from the link."
    scenario = assert_page_matches_model(page)  # the sentence is describe()'s, word for word
    assert sc.summarize(scenario)["unmet_share"] in (0.125, 0.005)
    assert " 0\u00a0%" not in read_page(page)["sentence"][0]


# --------------------------------------------------------------------------- the reader's view
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 375, "height": 812}
WIDTHS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366px", "375px"])

SNAPSHOT = """root => ({
  sentence: root.querySelector('.explorer-sentence').textContent,
  ranking: root.dataset.ranking,
  bars: [...root.querySelectorAll('.tornado_group g.role-mark [aria-label]')]
    .map(e => e.getAttribute('aria-label')),
})"""


def snapshot(page) -> dict:
    return page.evaluate(SNAPSHOT, page.query_selector(".scenario-explorer"))


def test_a_slider_move_redraws_the_scenario_at_once_and_the_ranking_when_the_reader_stops(visit):
    page = open_explorer(visit, viewport=DESKTOP).page
    wait_for_ranking(page)
    before = snapshot(page)
    # a drag: several input events, one a frame, then the frame after the last one
    during = page.evaluate(
        """async (snapshot) => {
        const root = document.querySelector('.scenario-explorer');
        const slider = root.querySelector('.vega-bind [name="stockpile_days"]');
        const frame = () => new Promise(r => requestAnimationFrame(r));
        for (const value of [100, 80, 60, 40, 20]) {
          slider.value = String(value);
          slider.dispatchEvent(new Event('input', {bubbles: true}));
          await frame();
        }
        await frame();
        return (new Function('return ' + snapshot))()(root);
    }""",
        SNAPSHOT,
    )
    scenario = sc.default_scenario().with_changes(stockpile_days=20.0)
    assert during["sentence"] == sc.describe(sc.summarize(scenario), scenario)
    assert during["ranking"] == "pending"
    assert during["bars"] == before["bars"], "the ranking re-ran while the reader was moving"
    wait_for_ranking(page)
    assert snapshot(page)["bars"] != before["bars"]
    assert assert_page_matches_model(page) == scenario


def in_view(box, viewport) -> bool:
    return (
        box is not None
        and box["x"] >= 0
        and box["x"] + box["width"] <= viewport["width"] + 1
        and box["y"] >= 0
        and box["y"] < viewport["height"]
    )


@WIDTHS
def test_the_result_sentence_is_text_in_a_live_region_that_is_never_cut_off(visit, viewport):
    page = open_explorer(visit, "#preset=" + preset_slug("Expiry in November 2026"), viewport).page
    region = page.locator(".scenario-explorer .explorer-result")
    sentence = page.locator(".scenario-explorer .explorer-sentence")
    assert region.get_attribute("role") == "status"
    assert region.get_attribute("aria-live") == "polite"
    scenario = assert_page_matches_model(page)
    assert sentence.inner_text() == sc.describe(sc.summarize(scenario), scenario)
    box = region.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], box
    assert region.evaluate("e => e.scrollWidth <= e.clientWidth"), "the sentence overflows"
    # a keyboard move: the sentence follows, and the slider, the sentence and the supply chart
    # are on the screen together (side by side on a wide screen, the controls and the
    # sentence stuck above the chart on a phone)
    slider = page.get_by_role("slider", name=re.compile("Stockpile"))
    slider.focus()
    page.keyboard.press("End")
    settle(page)
    scenario = assert_page_matches_model(page)
    assert scenario.stockpile_days == slider_range("stockpile_days")[1]
    assert sentence.inner_text() == sc.describe(sc.summarize(scenario), scenario)
    page.locator(".supply_panel_group").first.scroll_into_view_if_needed()
    settle(page)
    slider.scroll_into_view_if_needed()
    settle(page)
    chart = page.locator(".supply_panel_group").first.bounding_box()
    for what, where in (("slider", slider.bounding_box()), ("sentence", sentence.bounding_box())):
        assert in_view(where, viewport), (what, where)
    assert chart["y"] < viewport["height"] and chart["y"] + chart["height"] > 0, chart


def preset_words(name: str) -> str:
    """What the status line says when a preset is loaded (with its first calendar month)."""
    first = sc.preset_first_month(name)
    if not first:
        return f"Preset loaded: {name}."
    year, month = (int(part) for part in first.split("-"))
    return f"Preset loaded: {name}. Month 1 is {calendar.month_name[month]} {year}."


@WIDTHS
def test_a_scenario_link_brings_the_explorer_into_view_and_says_what_it_loaded(visit, viewport):
    name = "Busan suspension"
    page = open_explorer(visit, "#preset=" + preset_slug(name), viewport).page
    top = page.evaluate(
        "() => document.querySelector('.scenario-explorer').getBoundingClientRect().top"
    )
    assert page.evaluate("() => window.scrollY") > 0
    assert 0 <= top < viewport["height"] / 2, top
    assert status_of(page) == preset_words(name)
    pressed = page.locator(".explorer-preset[aria-pressed=true]")
    assert pressed.count() == 1 and pressed.inner_text() == name


def test_a_link_that_changes_a_preset_says_so_and_marks_no_preset(visit):
    name = "Expiry in November 2026"
    page = open_explorer(visit, f"#preset={preset_slug(name)}&stockpile_days=120").page
    label = LABELS["stockpile_days"]
    words = sc.PARAMETERS["stockpile_days"].text(120.0)
    month = preset_words(name).partition(". ")[2]
    assert (
        status_of(page) == f"Scenario loaded from the link: {name}, with {label} {words}. {month}"
    )
    assert page.locator(".explorer-preset[aria-pressed=true]").count() == 0
    assert assert_page_matches_model(page) == sc.preset(name).with_changes(stockpile_days=120.0)


def test_an_ordinary_anchor_scrolls_where_the_browser_puts_it_not_to_the_explorer(visit):
    page = open_explorer(visit, "#the-monthly-equations").page
    assert status_of(page) == ""
    heading = page.evaluate(
        "() => document.getElementById('the-monthly-equations').getBoundingClientRect().top"
    )
    explorer = page.evaluate(
        "() => document.querySelector('.scenario-explorer').getBoundingClientRect().top"
    )
    # the explorer comes first on its page: it is above the heading, off the screen
    assert abs(heading) < 150, heading
    assert explorer < 0 or explorer > page.viewport_size["height"], (heading, explorer)


def test_the_active_preset_is_pressed_and_a_move_makes_it_a_custom_scenario(visit):
    page = open_explorer(visit).page
    buttons = page.locator(".explorer-preset")
    assert buttons.evaluate_all("bs => bs.map(b => b.getAttribute('aria-pressed'))") == [
        "false"
    ] * len(sc.preset_names())
    name = sc.preset_names()[1]
    page.get_by_role("button", name=name).click()
    settle(page)
    assert page.get_by_role("button", name=name).get_attribute("aria-pressed") == "true"
    assert page.locator(".explorer-preset[aria-pressed=true]").count() == 1
    slider = page.get_by_role("slider", name=re.compile("approval rate"))
    slider.focus()
    page.keyboard.press("ArrowRight")
    settle(page)
    assert page.locator(".explorer-preset[aria-pressed=true]").count() == 0
    assert status_of(page) == f"Custom scenario, started from {name}."
    assert assert_page_matches_model(page) == sc.preset(name).with_changes(
        approval_rate=sc.preset(name).approval_rate + slider_range("approval_rate")[2]
    )


def test_changing_the_importer_says_which_sliders_it_reset(visit):
    page = open_explorer(visit).page
    before = sc.default_scenario()
    importer = "European Union"
    page.locator(".vega-bind select[name=importer]").select_option(importer)
    settle(page)
    after = sc.default_scenario(importer, before.element_group)
    assert assert_page_matches_model(page) == after
    group = sc.GROUP_LABELS[before.element_group]
    moved = [
        f"{LABELS[n]} {sc.PARAMETERS[n].text(getattr(before, n))}"
        f" → {sc.PARAMETERS[n].text(getattr(after, n))}"
        for n in links.link_spec()["order"]
        if n in sc.NUMERIC_PARAMETERS and getattr(before, n) != getattr(after, n)
    ]
    assert moved, "the two importers have the same defaults: pick another pair"
    assert status_of(page) == (
        f"Importer changed: the sliders now hold the defaults for {importer}, {group}"
        f" ({'; '.join(moved)})."
    )


@WIDTHS
def test_each_slider_reads_its_value_as_the_text_speaks_of_it(visit, viewport):
    page = open_explorer(visit, viewport=viewport).page
    for end in ("Home", "End"):
        for name in sc.NUMERIC_PARAMETERS:
            slider = page.locator(f".vega-bind input[name={name}]")
            slider.focus()
            page.keyboard.press(end)
            value = float(slider.input_value())
            words = sc.PARAMETERS[name].text(int(value) if name in sc.MONTH_PARAMETERS else value)
            readout = page.locator(f".vega-bind label:has(input[name={name}]) output")
            assert readout.inner_text() == words, name
            assert slider.get_attribute("aria-valuetext") == words, name
            assert readout.is_visible()
    settle(page)
    assert_page_matches_model(page)


def _rgb(colour: str) -> tuple[float, ...]:
    values = [float(v) for v in re.findall(r"[\d.]+", colour)]
    assert len(values) == 3 or values[3] == 1, f"not an opaque colour: {colour}"
    return tuple(values[:3])


def _contrast(a: str, b: str) -> float:
    def luminance(rgb):
        def channel(c):
            c /= 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(_rgb(a)), luminance(_rgb(b))), reverse=True)
    return (high + 0.05) / (low + 0.05)


COLOURS = """els => els.map(e => {
  let back = e, colour = 'rgba(0, 0, 0, 0)';
  while (back && (colour = getComputedStyle(back).backgroundColor).endsWith(', 0)'))
    back = back.parentElement;
  return [e.textContent.trim().slice(0, 40), getComputedStyle(e).color, colour];
})"""


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_the_explorer_text_and_preset_buttons_are_readable_in_both_modes(visit, mode):
    page = open_explorer(visit).page
    switch = page.locator(".theme-switch-button").first
    for _ in range(3):  # the theme's button cycles light, dark, auto
        if page.evaluate("() => document.documentElement.dataset.theme") == mode:
            break
        switch.click()
    assert page.evaluate("() => document.documentElement.dataset.theme") == mode
    page.get_by_role("button", name=sc.preset_names()[0]).click()
    settle(page)
    found = page.locator(
        ".explorer-preset, .explorer-status, .explorer-result p, .vega-bind-name, .explorer-value,"
        " .explorer-tool, .explorer-help > summary, .explorer-group > legend, .explorer-legend li,"
        " .explorer-toggle:not([hidden])"
    ).evaluate_all(COLOURS)
    assert len(found) > len(sc.preset_names()) + 2 * len(sc.NUMERIC_PARAMETERS)
    for text, colour, background in found:
        assert _contrast(colour, background) >= 4.5, (text, colour, background)


def test_a_scenario_with_no_shortage_says_so_in_the_unmet_panel(visit):
    page = open_explorer(visit).page
    note = page.locator(".unmet_panel_group g.mark-text.role-mark text", has_text="No unmet demand")
    assert sc.summarize(sc.default_scenario())["first_shortage_month"] is not None
    assert note.count() == 0
    set_control(page, "stockpile_days", slider_range("stockpile_days")[1])
    scenario = assert_page_matches_model(page)
    assert sc.summarize(scenario)["first_shortage_month"] is None
    assert note.count() == 1


@WIDTHS
def test_the_three_panels_share_one_month_axis(visit, viewport):
    page = open_explorer(visit, viewport=viewport).page

    def months(panel: str) -> list[str]:
        axis = f".{panel}_group g.role-axis[aria-label^='X-axis'] g.role-axis-label text"
        return page.locator(axis).all_text_contents()

    supply = months("supply_panel")  # a label at month 1 and every 6 (every 12 if narrow)
    shown = [m for m in supply if m]
    assert len(supply) == sc.default_scenario().horizon_months, supply
    step = int(shown[1])
    assert shown[0] == "1" and step in (6, 12) and all(int(m) % step == 0 for m in shown[1:])
    width = int(page.locator(".scenario-explorer").get_attribute("data-width"))
    assert step == (12 if width < 400 else 6), (step, width)
    assert months("stock_panel") == supply
    assert months("unmet_panel") == supply


def test_a_preset_that_fixes_its_first_month_labels_the_axis_with_calendar_months(visit):
    name = "2010 halt of shipments to Japan"
    page = open_explorer(visit, "#preset=" + preset_slug(name), DESKTOP).page
    axis = ".supply_panel_group g.role-axis[aria-label^='X-axis'] g.role-axis-label text"
    shown = [m for m in page.locator(axis).all_text_contents() if m]
    year, month = (int(p) for p in sc.preset_first_month(name).split("-"))
    assert shown[0] == f"{calendar.month_abbr[month]} {year}", shown
    default = open_explorer(visit, viewport=DESKTOP).page
    assert [m for m in default.locator(axis).all_text_contents() if m][0] == "1"


# --------------------------------------------------------------------------- pin and compare
def text_of(page, selector: str) -> str:
    return page.locator(f".scenario-explorer {selector}").inner_text()


def _short(summary) -> str:
    first = summary["first_shortage_month"]
    return f"month {first}" if first else "never"


def expected_difference(now: sc.Scenario, pinned: sc.Scenario) -> str:
    """The comparison line, from the Python model and the sentence's own rounding."""
    a, b = sc.summarize(now), sc.summarize(pinned)
    points = words.printed_percent(a["unmet_share"]) - words.printed_percent(b["unmet_share"])
    if points == 0:
        unmet = "the same share of demand unmet as the pinned scenario"
    else:
        unit = "point" if abs(points) == 1 else "points"
        unmet = (
            f"{words.percent_words(a['unmet_share'])} of demand unmet against "
            f"{words.percent_words(b['unmet_share'])} pinned "
            f"({abs(points)} {unit} {'more' if points > 0 else 'less'})"
        )
    if a["first_shortage_month"] == b["first_shortage_month"]:
        first = (
            f", the same first month short (month {a['first_shortage_month']})"
            if a["first_shortage_month"]
            else ", and neither runs short"
        )
    else:
        first = f"; first month short: {_short(a)} against {_short(b)} pinned"
    return f"Now: {unmet}{first}."


def test_a_pinned_scenario_is_drawn_beside_the_current_one_and_compared(visit):
    busan, expiry = "Busan suspension", "Expiry in November 2026"
    page = open_explorer(visit, "#preset=" + preset_slug(busan), DESKTOP).page
    assert page.locator(".explorer-pinned").is_hidden()
    page.get_by_role("button", name="Pin this scenario").click()
    page.wait_for_selector(".scenario-explorer[data-pinned=true]")
    page.get_by_role("button", name=expiry).click()
    settle(page)
    now = assert_page_matches_model(page)
    assert now == sc.preset(expiry)
    pinned = sc.preset(busan)
    assert text_of(page, ".explorer-pinned") == (
        f"Pinned ({busan}): {sc.describe(sc.summarize(pinned), pinned)}"
    )
    assert text_of(page, ".explorer-difference") == expected_difference(now, pinned)
    # the ghosts: one dashed point a month of the pinned stockpile, equal to the model's
    # the points of the dashed line (the line itself is one path, labelled by its first month)
    ghost = page.locator(".stock_panel_group g.mark-symbol [aria-label*='pinned, stock left']")
    expected = sc.simulate(pinned).set_index("month")["stock_left_t"]
    labels = ghost.evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    assert len(labels) == pinned.horizon_months, labels[:3]
    for label in labels:
        m = re.match(r"Month (\d+)(?: \([^)]*\))?; pinned, stock left: (\S+) t", label)
        assert close(float(m[2].replace(",", "")), expected.loc[int(m[1])]), label
    assert page.get_by_role("button", name="Unpin").get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="Unpin").click()
    page.wait_for_selector(".scenario-explorer[data-pinned=false]")
    settle(page)
    assert page.locator(".explorer-pinned").is_hidden()
    assert ghost.count() == 0


def test_the_csv_holds_both_scenarios_month_by_month_with_their_parameters(visit, tmp_path):
    busan = "Busan suspension"
    page = open_explorer(visit, "#preset=" + preset_slug(busan), DESKTOP).page
    page.get_by_role("button", name="Pin this scenario").click()
    page.wait_for_selector(".scenario-explorer[data-pinned=true]")
    set_control(page, "stockpile_days", 90)
    now = assert_page_matches_model(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    path = tmp_path / "scenario.csv"
    download.value.save_as(path)
    text = path.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    table = pd.read_csv(io.StringIO(text), comment="#")
    for label, scenario in (("current", now), ("pinned", sc.preset(busan))):
        rows = table[table.scenario == label].set_index("month")
        expected = sc.simulate(scenario).set_index("month")
        assert list(rows.index) == list(expected.index), label
        for column in ("demand_t", "licensed_china_t", "stock_left_t", "unmet_t"):
            for month in expected.index:  # full precision: the rows Vega computed
                assert math.isclose(
                    rows.loc[month, column], expected.loc[month, column], rel_tol=1e-9, abs_tol=1e-9
                ), (label, column, month)
    first = sc.preset_first_month(busan)
    assert list(table[table.scenario == "current"].calendar_month)[0] == first
    stock = LABELS["stockpile_days"]
    assert any(line.startswith(f"# {stock}: 90 days | 30 days |") for line in header), header
    assert any(line.startswith("# Current scenario: ") for line in header)
    assert any(line.startswith(f"# Pinned scenario ({busan}): ") for line in header)


def test_reset_returns_to_the_preset_the_controls_started_from(visit):
    name = "April 2025 licences"
    page = open_explorer(visit, "#preset=" + preset_slug(name)).page
    set_control(page, "stockpile_days", 200)
    set_control(page, "approval_rate", 0.9)
    assert assert_page_matches_model(page) != sc.preset(name)
    page.get_by_role("button", name="Reset").click()
    settle(page)
    assert assert_page_matches_model(page) == sc.preset(name)
    assert page.get_by_role("button", name=name).get_attribute("aria-pressed") == "true"
    # without a preset: back to the importer's defaults
    page = open_explorer(visit).page
    set_control(page, "stockpile_days", 200)
    page.get_by_role("button", name="Reset").click()
    settle(page)
    assert assert_page_matches_model(page) == sc.default_scenario()


def test_copy_link_gives_a_link_that_opens_the_same_scenario(visit, site_url):
    page_visit = open_explorer(visit)
    page = page_visit.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    set_control(page, "stockpile_days", 150)
    page.get_by_role("button", name="Copy link").click()
    page.wait_for_function(
        "() => document.querySelector('.explorer-status').textContent.startsWith('Link copied')"
    )
    link = page.evaluate("() => navigator.clipboard.readText()")
    assert dict(parse_qsl(urlparse(link).fragment))["stockpile_days"] == "150"
    other = open_explorer(visit, link.replace(site_url, "").replace(PAGE, ""))
    assert assert_page_matches_model(other.page) == sc.default_scenario().with_changes(
        stockpile_days=150.0
    )


def test_after_a_pause_a_line_says_what_the_last_change_did(visit):
    page = open_explorer(visit).page
    before = sc.default_scenario()
    set_control(page, "stockpile_days", 150)
    wait_for_ranking(page)
    after = before.with_changes(stockpile_days=150.0)
    a, b = sc.summarize(before), sc.summarize(after)
    moved = (
        f"{LABELS['stockpile_days']} {sc.PARAMETERS['stockpile_days'].text(before.stockpile_days)}"
        f" → {sc.PARAMETERS['stockpile_days'].text(150.0)}"
    )
    effect = (
        f"demand unmet {words.percent_words(a['unmet_share'])} → "
        f"{words.percent_words(b['unmet_share'])}; first month short {_short(a)} → {_short(b)}"
    )
    assert text_of(page, ".explorer-change") == f"Your last change ({moved}): {effect}."


def test_each_control_says_why_it_has_its_value_and_marks_its_documented_range(visit):
    page = open_explorer(visit).page
    table = sc.parameter_table("Japan", "light_ndpr").set_index("parameter")
    for name in sc.NUMERIC_PARAMETERS:
        help_box = page.locator(f".explorer-help[data-for={name}]")
        help_box.locator("summary").click()
        text = help_box.locator(".explorer-help-text").inner_text()
        low = sc.PARAMETERS[name].text(sc.as_field_value(name, table.loc[name, "low"]))
        high = sc.PARAMETERS[name].text(sc.as_field_value(name, table.loc[name, "high"]))
        assert text.startswith(f"Documented range: {low} to {high}."), (name, text)
        band = page.locator(f".vega-bind input[name={name}]").evaluate(
            "e => [e.style.getPropertyValue('--range-from'), e.style.getPropertyValue('--range-to')]"
        )
        s_low, s_high, _ = slider_range(name)
        lo = sc.as_field_value(name, table.loc[name, "low"])
        expected = f"{100 * (max(lo, s_low) - s_low) / (s_high - s_low):.2f}%"
        assert band[0] == expected, (name, band)
    groups = page.locator(".explorer-group > legend").all_inner_texts()
    assert groups == [title for title, _ in notes.GROUPS]


def test_demand_can_be_typed_to_the_tonne(visit):
    page = open_explorer(visit, "#preset=" + preset_slug("October 2025 measures")).page
    box = page.get_by_role("spinbutton", name=re.compile("Annual demand"))
    box.fill("33")
    box.press("Enter")
    box.blur()
    settle(page)
    assert assert_page_matches_model(page).annual_demand_t == 33.0
    box.fill("5")  # below the slider's 10 t
    box.blur()
    settle(page)
    assert "outside 10 to 10000" in status_of(page)
    assert assert_page_matches_model(page).annual_demand_t == 33.0


def test_on_a_phone_every_explorer_chart_fits_and_the_controls_fold_away(visit):
    page = open_explorer(visit, "#preset=" + preset_slug("Busan suspension"), PHONE).page
    wait_for_ranking(page)
    fit = page.locator(".scenario-explorer .explorer-chart svg").evaluate_all(
        """svgs => svgs.map(svg => {
          const shown = (r) => r.width > 0 || r.height > 0;
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          const texts = [...svg.querySelectorAll('text')]
            .filter(t => t.textContent.trim() && shown(t.getBoundingClientRect()));
          const boxes = [...svg.querySelectorAll('g.role-mark > *, text')]
            .map(e => e.getBoundingClientRect()).filter(shown);
          return {
            right: Math.max(...boxes.map(r => r.right)),
            left: Math.min(...boxes.map(r => r.left)),
            scale,
            font: Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize) * scale)),
          };
        })"""
    )
    for chart in fit:
        assert chart["scale"] > 0.99, chart  # drawn at its size, not shrunk to fit
        assert chart["left"] >= -1 and chart["right"] <= PHONE["width"] + 1, chart
        assert chart["font"] >= 11, chart
    toggle = page.get_by_role("button", name="Hide the controls")
    toggle.click()
    assert page.locator(".explorer-controls").is_hidden()
    page.get_by_role("button", name="Show the controls").click()
    assert page.locator(".explorer-controls").is_visible()


def test_a_link_that_names_an_importer_starts_from_its_defaults(visit):
    page = open_explorer(visit, "#importer=European%20Union&stockpile_days=45").page
    expected = sc.default_scenario("European Union", "light_ndpr").with_changes(stockpile_days=45.0)
    assert sc.default_scenario().element_group == "light_ndpr"
    assert assert_page_matches_model(page) == expected
