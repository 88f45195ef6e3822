"""The chapter pages of the published site in Debian's chromium: every chart draws, menus sit
under their chart, quiz answers and solutions open on a click, and the links into the scenario
explorer open it on an existing preset. Expected values come from data/ and the model.

Each page is opened once for the module (``shared_visit``): the tests read it, or open the first
answer or solution of a page that no later test reads again; the scoreboard link navigates away,
so that test opens its own page."""

from __future__ import annotations

import re

import pytest

from widgets import scenario as sc
from widgets.data import load_table

from .pages import CH1, CH2, CH3, CHARTS_PER_PAGE, CONCLUSION, US
from .vega import CHART, chart_at, chart_titled


@pytest.mark.parametrize("relative, at_least", [(CH1, 4), (CH2, 4), (CH3, 3)])
def test_each_chapter_draws_its_charts_with_marks_and_no_error(shared_visit, relative, at_least):
    page_visit = shared_visit(relative)
    drawn = page_visit.page.locator(CHART)
    assert drawn.count() >= at_least
    for i in range(drawn.count()):
        assert drawn.nth(i).locator("svg g.role-mark > *").count() > 0, (
            f"chart {i} of {relative} is empty"
        )
    assert page_visit.problems() == []


@pytest.mark.parametrize("relative, expected", sorted(CHARTS_PER_PAGE.items()))
def test_each_chapter_draws_its_charts(shared_visit, relative, expected):
    page_visit = shared_visit(relative)
    page = page_visit.page
    assert page.locator(CHART).count() == expected
    for i in range(expected):
        assert chart_at(page, i).locator("svg g.role-mark > *").count() > 0, (
            f"chart {i} of {relative}"
        )
        assert chart_at(page, i).locator(".error").count() == 0
    assert page_visit.problems() == []


def test_charts_with_menus_keep_their_full_width(shared_visit):
    page = shared_visit(CH1).page
    chart = chart_titled(page, "The 17 rare earths")
    svg_width = chart.locator("svg").first.evaluate("s => s.getBoundingClientRect().width")
    assert svg_width >= float(chart.locator("svg").first.get_attribute("width")) - 1
    form = chart.locator("form.vega-bindings").bounding_box()
    svg = chart.locator("svg").first.bounding_box()
    assert form["y"] >= svg["y"] + svg["height"] - 1, "the menu sits under the chart"


@pytest.mark.parametrize("relative", [CH1, CH2, CH3])
def test_quiz_answers_are_hidden_until_the_student_asks(shared_visit, relative):
    page = shared_visit(relative).page
    answer = page.locator("div.dropdown.admonition:not(.solution)").first
    body = answer.locator("p:not(.admonition-title)").first
    assert not body.is_visible()
    answer.locator(".admonition-title").click()
    body.wait_for(state="visible", timeout=3000)
    assert body.is_visible()


def test_exercise_solutions_are_hidden_until_the_student_asks(shared_visit):
    page = shared_visit(CH3).page
    solution = page.locator("div.solution.dropdown").first
    body = solution.locator("section, p:not(.admonition-title), table").first
    assert not body.is_visible()
    solution.locator(".admonition-title").click()
    body.wait_for(state="visible", timeout=3000)


@pytest.mark.parametrize("relative", sorted(CHARTS_PER_PAGE))
def test_quiz_answers_and_solutions_open_on_click(shared_visit, relative):
    page = shared_visit(relative).page
    answers = page.locator("div.admonition.dropdown:not(.solution)").filter(
        has=page.locator("p.admonition-title", has_text="Answer")
    )
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


def test_chapter_3_links_to_the_scenario_explorer_presets(shared_visit):
    page = shared_visit(CH3).page
    links = page.locator("ul.explorer-links a")
    assert links.count() >= 2
    assert all(
        re.match(r"scenario-explorer\.html#preset=[a-z0-9-]+$", h)
        for h in links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    )
    assert page.locator("a[href^='scenario-explorer.html']").count() > links.count()


@pytest.mark.parametrize("relative", sorted(CHARTS_PER_PAGE))
def test_links_into_the_explorer_name_existing_presets(shared_visit, relative):
    page = shared_visit(relative).page
    slugs = {re.sub(r"[^a-z0-9]+", "-", n.lower()).strip("-") for n in sc.preset_names()}
    hrefs = page.eval_on_selector_all(
        "article a[href*='scenario-explorer.html#']", "els => els.map(e => e.getAttribute('href'))"
    )
    for href in hrefs:
        assert re.search(r"preset=([a-z0-9-]+)", href).group(1) in slugs, href


def test_japan_import_share_table_shows_every_quoted_figure_with_a_working_citation(shared_visit):
    page = shared_visit(CH2).page
    table = page.locator("table", has_text="JOGMEC").first
    shares = load_table("quoted_figures")
    shares = shares[shares["id"].str.startswith("japan_import_share")]
    cells = " ".join(table.locator("td").all_text_contents())
    for row in shares.itertuples():
        assert f"{row.value:g} %" in cells, row.id
    # each source of the table links to its entry in the bibliography, which carries its URL
    urls = load_table("sources").set_index("source")["url"]
    links = table.locator("span.bibtex-citation a")
    assert links.count() == len(shares) - 1  # the two japan2026 figures share one row
    targets = set(links.evaluate_all("els => els.map(e => e.getAttribute('href'))"))
    references = shared_visit("book/references.html").page
    entries = " ".join(
        references.locator(f"[id='{t.split('#', 1)[1]}']").first.inner_text() for t in targets
    ).replace("\n", "")
    for key in set(shares["source"]):
        url = urls.get(key)
        if isinstance(url, str):  # the seed documents have no URL
            assert url[:40] in entries, key


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
            sc.parameter_table("United States", "october2025_five")
            .set_index("parameter")
            .loc["stockpile_days", "high"]
        )


def test_the_map_draws_the_world_offline(shared_visit):
    page_visit = shared_visit(US)
    world = chart_at(page_visit.page, 2)
    assert world.locator("g.mark-shape.role-mark path").count() > 150, "country shapes"
    assert page_visit.blocked_requests == [], page_visit.blocked_requests
    requests = page_visit.page.evaluate(
        "() => performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert not [r for r in requests if "world-atlas" in r or "countries-110m" in r], (
        "the outline is inlined"
    )
