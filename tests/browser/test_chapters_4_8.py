"""What a student does with chapters 4-8 of the published site, in Debian's chromium.

Each chart draws its marks; the map draws the world offline and its menu changes the places it
shows; hovering a cell of the instrument matrix shows its measures and clicking it lists them;
sliders and menus change what the charts say; quiz answers and solutions open on a click; the
links into the scenario explorer open it on the right preset. Expected values come from data/
and from the Python model, never from a rendered page.
"""
from __future__ import annotations

import re

import pytest

from widgets import figures_responses as fr
from widgets import scenario as sc
from widgets.data import load_table

ASIA = "book/04-asia.html"
US = "book/05-united-states.html"
EUROPE = "book/06-europe.html"
CAREMAG = "book/07-caremag.html"
CONCLUSION = "book/08-conclusion.html"
CHARTS_PER_PAGE = {ASIA: 2, US: 3, EUROPE: 2, CAREMAG: 2, CONCLUSION: 3}
CHART = "div[id^='altair-viz-']"


def chart(page, index):
    return page.locator(CHART).nth(index)


def aria_labels(locator, selector: str) -> list[str]:
    return locator.evaluate(
        f"d => [...d.querySelectorAll({selector!r})].map(e => e.getAttribute('aria-label') || '')")


def mark_texts(locator, css_class: str) -> list[str]:
    """The texts drawn by the text marks of one view (css_class: Vega's class of that mark)."""
    return locator.evaluate(
        f"d => [...d.querySelectorAll('g.mark-text.role-mark.{css_class} text')].map(t => t.textContent)")


def tooltip_text(page) -> str:
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible", timeout=5000)
    return tooltip.inner_text()


@pytest.mark.parametrize("relative, expected", sorted(CHARTS_PER_PAGE.items()))
def test_each_chapter_draws_its_charts(visit, relative, expected):
    page_visit = visit(relative)
    page = page_visit.page
    assert page.locator(CHART).count() == expected
    for i in range(expected):
        assert chart(page, i).locator("svg g.role-mark > *").count() > 0, f"chart {i} of {relative}"
        assert chart(page, i).locator(".error").count() == 0
    assert page_visit.problems() == []


def test_japan_chart_shows_every_estimate_of_the_table(visit):
    page = visit(ASIA).page
    labels = aria_labels(chart(page, 0), "g.mark-symbol.role-mark path, g.mark-rule.role-mark line")
    shown = " | ".join(labels)
    for row in load_table("japan_china_share").itertuples():
        assert f"As written: {row.value_text}" in shown, row.id


def test_picking_a_kind_of_figure_fades_the_others(visit):
    page = visit(ASIA).page
    japan = chart(page, 0)
    month = japan.locator("g.mark-symbol.role-mark path[aria-label*='As written: 49.3']").first
    year = japan.locator("g.mark-symbol.role-mark path[aria-label*='As written: ~70']").first
    assert float(year.get_attribute("opacity") or 1) == 1
    japan.locator("input[type=radio][value='one month only']").check()
    page.wait_for_timeout(300)
    assert float(month.get_attribute("opacity") or 1) == 1
    assert float(year.get_attribute("opacity")) < 0.5
    japan.locator("input[type=radio]").first.check()  # "all"
    page.wait_for_timeout(300)
    assert float(year.get_attribute("opacity") or 1) == 1


def test_hovering_a_matrix_cell_shows_its_measures(visit):
    page = visit(ASIA).page
    matrix = chart(page, 1)
    table = load_table("policy_instruments")
    first = table[(table["actor"] == "South Korea") & (table["instrument"] == "alliances and trade agreements")]
    first = first.sort_values("year").iloc[0]
    cell = matrix.locator(
        "g.mark-rect.role-mark path[aria-label*='Actor: South Korea; Instrument: alliances and trade agreements;']").first
    cell.hover(force=True)
    assert first["measure"] in tooltip_text(page)


def test_clicking_a_matrix_cell_lists_its_measures_below(visit):
    page = visit(ASIA).page
    matrix = chart(page, 1)
    header = matrix.locator("g.mark-text.role-mark text").filter(has_text=" · ")
    assert "Japan · stockpiles" in header.first.text_content()
    table = load_table("policy_instruments")
    china = table[(table["actor"] == "China") & (table["instrument"] == "export controls and market access")]
    matrix.locator("g.mark-rect.role-mark path[aria-label*='Actor: China; Instrument: export controls']").first.click(
        force=True)
    page.wait_for_timeout(300)
    assert f"China · export controls and market access: {len(china)} measures" in header.first.text_content()
    panel = " ".join(matrix.locator("g.mark-text.role-mark text").all_text_contents())
    for measure in china["measure"]:
        assert measure[:40] in panel, measure


def test_the_map_draws_the_world_offline(visit):
    page_visit = visit(US)
    world = chart(page_visit.page, 2)
    assert world.locator("g.mark-shape.role-mark path").count() > 150, "country shapes"
    assert page_visit.blocked_requests == [], page_visit.blocked_requests
    requests = page_visit.page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
    assert not [r for r in requests if "world-atlas" in r or "countries-110m" in r], "the outline is inlined"


def _places_shown(world) -> set[str]:
    labels = aria_labels(world, "g.mark-symbol.role-mark path")
    return {m.group(1) for m in (re.search(r"Place: ([^;]+);", lab) for lab in labels) if m}


@pytest.mark.parametrize("actor", ["China", "European Union", "All"])
def test_the_actor_menu_changes_the_places_on_the_map(visit, actor):
    page = visit(US).page
    world = chart(page, 2)
    places = load_table("places")
    us = set(places[places["actors"].str.split("; ").apply(lambda a: "United States" in a)]["place"])
    assert _places_shown(world) == us
    world.locator("select").select_option(actor)
    page.wait_for_timeout(400)
    expected = set(places["place"]) if actor == "All" else set(
        places[places["actors"].str.split("; ").apply(lambda a: actor in a)]["place"])
    assert _places_shown(world) == expected


def test_the_actor_menu_shades_the_countries_tied_to_that_actor(visit):
    page = visit(EUROPE).page
    world = chart(page, 1)
    world.locator("select").select_option("China")
    page.wait_for_timeout(400)
    tied = [lab for lab in aria_labels(world, "g.mark-shape.role-mark path") if "No tie named" not in lab]
    relations = load_table("relations")
    expected = set(relations[relations["actor"] == "China"]["partner"])
    names = {fr.ATLAS_NAMES.get(c, c) for c in expected}
    assert {re.search(r"Country: ([^;]+);", lab).group(1) for lab in tied} == names


def test_moving_the_price_floor_changes_the_top_up(visit):
    page = visit(US).page
    floor_chart = chart(page, 1)
    prices = load_table("magnet_oxide_prices")
    last = prices[prices["product"] == "NdPr oxide"].sort_values("year").iloc[-1]
    slider = floor_chart.locator("input[type=range]")
    level = float(slider.input_value())
    assert level == load_table("price_floors").set_index("id").loc["ndpr_mp", "level_usd_per_kg"]
    text = " ".join(floor_chart.locator("g.mark-text.role-mark text").all_text_contents())
    assert f"adds {level - last.price_usd_per_kg:.0f} USD per kg" in text
    slider.evaluate(f"(e) => {{ e.value = {last.price_usd_per_kg + 10}; "
                    "e.dispatchEvent(new Event('input', {bubbles: true})); }")
    page.wait_for_timeout(300)
    new_level = float(slider.input_value())  # the slider moves in steps: read back where it is
    text = " ".join(floor_chart.locator("g.mark-text.role-mark text").all_text_contents())
    assert f"adds {new_level - last.price_usd_per_kg:.0f} USD per kg" in text


def test_clicking_a_stage_lights_up_its_projects(visit):
    page = visit(EUROPE).page
    eu = chart(page, 0)
    eu.locator("g.mark-rect.role-mark path[aria-label*='Stage: extraction']").first.click(force=True)
    page.wait_for_timeout(300)
    sweden = eu.locator("g.mark-symbol.role-mark path[aria-label*='Swedish rare-earth mines']").first
    caremag = eu.locator("g.mark-symbol.role-mark path[aria-label*='Caremag starts production']").first
    assert float(sweden.get_attribute("opacity") or 1) == 1
    assert float(caremag.get_attribute("opacity")) < 0.5


def test_caremag_coverage_follows_the_importer_and_the_sliders(visit):
    page = visit(CAREMAG).page
    coverage = chart(page, 1)
    frame = fr.caremag_coverage_frame().set_index("importer")
    text = " ".join(coverage.locator("g.mark-text.role-mark text").all_text_contents())
    assert f"{frame.loc['Japan', 'cover_all']:.1f} times as much" in text
    assert f"Need assumed: {frame.loc['Japan', 'demand_t']:,.0f} t/yr" in text
    coverage.locator("input[type=radio][value='European Union']").check()
    sent = coverage.locator("input[type=range]").first
    sent.evaluate("(e) => { e.value = 50; e.dispatchEvent(new Event('input', {bubbles: true})); }")
    page.wait_for_timeout(300)
    expected = frame.loc["European Union", "caremag_t"] * 0.5 / frame.loc["European Union", "demand_t"]
    text = " ".join(coverage.locator("g.mark-text.role-mark text").all_text_contents())
    shown = f"{expected:.1f} times as much" if expected > 1 else f"{expected:.0%}"
    assert shown in text, text


def test_scoreboard_menu_switches_restriction_and_bars_open_the_explorer(visit):
    page = visit(CONCLUSION).page
    board = chart(page, 1)
    frame = fr.scoreboard_frame()
    bars = board.locator("g.mark-rect.role-mark path")
    default = frame[frame["preset"] == fr.SCOREBOARD_PRESETS[0]]
    assert bars.count() == len(default)
    labels = " ".join(aria_labels(board, "g.mark-rect.role-mark path"))
    for link in default["link"]:
        assert f"Click to open: {link}" in labels, link
    board.locator("select").select_option("2010 halt of shipments to Japan")
    page.wait_for_timeout(300)
    labels = " ".join(aria_labels(board, "g.mark-rect.role-mark path"))
    assert "Japan never runs short" in labels
    board.locator("select").select_option(fr.SCOREBOARD_PRESETS[0])
    page.wait_for_timeout(300)
    bar = board.locator("g.mark-rect.role-mark path[aria-label*='Answer: Stockpiles']").first
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector(".scenario-explorer[data-ready='true']", timeout=20000)
    assert "scenario-explorer.html" in page.url


def test_the_scoreboard_table_links_open_the_explorer_on_the_setting(visit):
    page = visit(CONCLUSION).page
    link = page.locator("table.scoreboard a").nth(1)
    href = link.get_attribute("href")
    assert href.startswith("scenario-explorer.html#preset=")
    link.click()
    page.wait_for_selector(".scenario-explorer[data-ready='true']", timeout=20000)
    assert "scenario-explorer.html" in page.url
    status = page.locator(".explorer-status").inner_text()
    assert "not used" not in status and "Unknown" not in status, status
    stockpile = page.locator(".vega-bind [name='stockpile_days']")
    if stockpile.count():
        assert float(stockpile.first.input_value()) == float(
            sc.parameter_table("United States", "october2025_five").set_index("parameter").loc["stockpile_days", "high"])


def test_the_timeline_slider_moves_the_check_date(visit):
    page = visit(CONCLUSION).page
    timeline = chart(page, 2)
    frame = fr.milestones_frame()
    text = " ".join(timeline.locator("g.mark-text.role-mark text").all_text_contents())
    claim_end = frame.set_index("id").loc["bessent_claim", "end_year"]
    assert f"{int((frame['start_year'] <= claim_end).sum())} of {len(frame)} due" in text
    timeline.locator("input[type=range]").evaluate(
        "(e) => { e.value = 2041; e.dispatchEvent(new Event('input', {bubbles: true})); }")
    page.wait_for_timeout(300)
    text = " ".join(timeline.locator("g.mark-text.role-mark text").all_text_contents())
    assert f"{len(frame)} of {len(frame)} due" in text


@pytest.mark.parametrize("relative", sorted(CHARTS_PER_PAGE))
def test_quiz_answers_and_solutions_open_on_click(visit, relative):
    page = visit(relative).page
    answers = page.locator("div.admonition.dropdown:not(.solution)").filter(
        has=page.locator("p.admonition-title", has_text="Answer"))
    assert answers.count() >= 3
    first_answer = answers.first.locator("p:not(.admonition-title)").first
    assert not first_answer.is_visible()
    answers.first.locator("p.admonition-title").click()
    first_answer.wait_for(state="visible", timeout=3000)
    solutions = page.locator("div.solution.dropdown")
    assert solutions.count() >= 3
    body = solutions.first.locator("section, p:not(.admonition-title)").first
    assert not body.is_visible()
    solutions.first.locator(".admonition-title").click()
    body.wait_for(state="visible", timeout=3000)


@pytest.mark.parametrize("relative", sorted(CHARTS_PER_PAGE))
def test_links_into_the_explorer_name_existing_presets(visit, relative):
    page = visit(relative).page
    slugs = {re.sub(r"[^a-z0-9]+", "-", n.lower()).strip("-") for n in sc.preset_names()}
    hrefs = page.eval_on_selector_all("article a[href*='scenario-explorer.html#']",
                                      "els => els.map(e => e.getAttribute('href'))")
    for href in hrefs:
        assert re.search(r"preset=([a-z0-9-]+)", href).group(1) in slugs, href
