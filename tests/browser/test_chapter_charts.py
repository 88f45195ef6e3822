"""What a student does with the charts of chapters 1-8 of the published site, in Debian's
chromium, through the one page object of tests/browser/vega.py.

Each chart draws its marks; menus, sliders, buttons and clicks change what the charts show;
hovering shows the figures; quiz answers and solutions open on a click; the links into the
scenario explorer open it on the right preset. Every expected figure is read from the tables in
data/ or from the Python model (never copied from a chart), and no test sleeps: after each
action it waits for Vega to redraw (``settle``).
"""

from __future__ import annotations

import re

import pytest

from widgets import charts
from widgets import scenario as sc
from widgets.data import load_table
from widgets.figures import answers, caremag, milestones, world_map
from widgets.text import long_date

from .vega import aria_fields, aria_labels, chart_at, chart_titled, marks, settle, texts, tooltip

CH1 = "book/01-what-are-rare-earths.html"
CH2 = "book/02-china-supremacy.html"
CH3 = "book/03-busan-truce.html"
ASIA = "book/04-asia.html"
US = "book/05-united-states.html"
EUROPE = "book/06-europe.html"
CAREMAG = "book/07-caremag.html"
CONCLUSION = "book/08-conclusion.html"
CHARTS_PER_PAGE = {ASIA: 2, US: 3, EUROPE: 2, CAREMAG: 2, CONCLUSION: 3}
CHART = "div[id^='altair-viz-']"


def mark_texts(locator, css_class: str) -> list[str]:
    """The texts drawn by the text marks of one view (css_class: Vega's class of that mark)."""
    return texts(locator, f"g.mark-text.role-mark.{css_class} text")


@pytest.mark.parametrize("relative, at_least", [(CH1, 4), (CH2, 4), (CH3, 3)])
def test_each_chapter_draws_its_charts_with_marks_and_no_error(visit, relative, at_least):
    page_visit = visit(relative)
    drawn = page_visit.page.locator(CHART)
    assert drawn.count() >= at_least
    for i in range(drawn.count()):
        assert drawn.nth(i).locator("svg g.role-mark > *").count() > 0, (
            f"chart {i} of {relative} is empty"
        )
    assert page_visit.problems() == []


def test_charts_with_menus_keep_their_full_width(visit):
    page = visit(CH1).page
    chart = chart_titled(page, "The 17 rare earths")
    svg_width = chart.locator("svg").first.evaluate("s => s.getBoundingClientRect().width")
    assert svg_width >= float(chart.locator("svg").first.get_attribute("width")) - 1
    form = chart.locator("form.vega-bindings").bounding_box()
    svg = chart.locator("svg").first.bounding_box()
    assert form["y"] >= svg["y"] + svg["height"] - 1, "the menu sits under the chart"


def test_production_bars_read_back_equal_the_usgs_table(visit):
    page = visit(CH2).page
    chart = chart_titled(page, "Rare-earth mine production by country")
    shown = {
        (f["Country"], int(f["Year"])): float(f["Tonnes"].replace(",", ""))
        for f in aria_fields(chart, "g.mark-rect.role-mark path")
        if {"Country", "Year", "Tonnes"} <= f.keys()
    }
    table = load_table("production_by_country")
    table = table[table["preferred"] & (table["country"] != "World")]
    main = ["China", "United States", "Burma (Myanmar)", "Australia"]
    expected = {}
    for row in table.itertuples():
        key = (row.country if row.country in main else "Other countries", int(row.year))
        expected[key] = expected.get(key, 0.0) + float(row.production_t_reo)
    assert shown == expected


def test_clicking_a_year_lists_every_producer_of_that_year(visit):
    page = visit(CH2).page
    chart = chart_titled(page, "Rare-earth mine production by country")
    table = load_table("production_by_country")
    table = table[table["preferred"] & (table["country"] != "World")]
    year = int(table["year"].min())
    bar = chart.locator(f"g.mark-rect.role-mark path[aria-label*='Year: {year};']").first
    bar.click(force=True)
    settle(page)
    listed = [f for f in aria_fields(chart, "g.mark-rect.role-mark path") if "Producer" in f]
    assert {f["Producer"] for f in listed} == set(table[table["year"] == year]["country"])
    assert any(t == f"Every producer in {year}" for t in texts(chart))


def test_hovering_china_in_2019_shows_its_tonnage_from_the_table(visit):
    page = visit(CH2).page
    chart = chart_titled(page, "Rare-earth mine production by country")
    china = load_table("production_by_country")
    china = china[china["preferred"] & (china["country"] == "China") & (china["year"] == 2019)]
    chart.locator(
        "g.mark-rect.role-mark path[aria-label*='Country: China;'][aria-label*='Year: 2019;']"
    ).first.hover(force=True)
    assert f"{china['production_t_reo'].iloc[0]:,.0f}" in tooltip(page)


def test_hovering_an_event_of_the_century_chart_names_it(visit):
    page = visit(CH2).page
    chart = chart_titled(page, "World rare-earth mine production")
    events = load_table("events")
    first = events.sort_values("date").iloc[0]
    chart.locator("g.mark-text.role-mark text", has_text=str(first["title"])).first.hover(
        force=True
    )
    assert str(first["title"]) in tooltip(page)


def test_choosing_a_kind_of_measure_keeps_only_those_measures(visit):
    page = visit(CH2).page
    chart = chart_titled(page, "China's export measures")
    before = marks(chart, "symbol")
    quotas = len(load_table("export_quotas"))
    controls = load_table("export_controls")
    expected = quotas + int((controls["instrument"] == "quota").sum())
    chart.locator("select[name='kind']").select_option("quota")
    settle(page)
    assert marks(chart, "symbol") == expected < before
    chart.locator("select[name='kind']").select_option("all")
    chart.locator("select[name='target']").select_option("Japan")
    settle(page)
    assert marks(chart, "symbol") == int(controls["target"].str.startswith("Japan").sum())


def test_choosing_a_later_period_drops_the_earlier_measures(visit):
    page = visit(CH2).page
    chart = chart_titled(page, "China's export measures")
    menu = chart.locator("select[name='period']")
    starts = menu.locator("option").evaluate_all("els => els.map(e => e.value)")
    latest = int(starts[-1])
    controls = load_table("export_controls")
    quotas = load_table("export_quotas")
    expected = int(
        (controls["announced"].dt.year >= latest).sum() + (quotas["date"].dt.year >= latest).sum()
    )
    menu.select_option(str(latest))
    settle(page)
    assert marks(chart, "symbol") == expected


def test_the_china_share_chart_shows_one_dot_per_claim(visit):
    page = visit(CH2).page
    chart = chart_titled(page, "China's share of rare earths")
    shown = sorted(
        float(f["China's share (%)"])
        for f in aria_fields(chart, "g.mark-symbol.role-mark path")
        if "China's share (%)" in f
    )
    assert shown == sorted(load_table("china_share_claims")["value_pct"].astype(float))


def test_switching_the_reserves_edition_shows_the_latest_usgs_reserves(visit):
    page = visit(CH1).page
    chart = chart_titled(page, "Reserves are not production")
    reserves = load_table("reserves")
    quoted = reserves[(reserves["source"] == "caremag2025")]

    def countries():
        return {
            f["Country"] for f in aria_fields(chart, "g.mark-rect.role-mark path") if "Country" in f
        }

    assert set(quoted["country"]) <= countries()
    chart.locator("input[name='edition'][value='latest']").check()
    settle(page)
    latest = reserves[reserves["preferred"] & (reserves["country"] != "World")]
    assert set(latest["country"]) <= countries()
    china = latest[latest["country"] == "China"]["reserves_t_reo"].iloc[0]
    assert f"{china / 1e6:g} Mt" in texts(chart)


def test_the_element_menu_highlights_the_october_2025_list(visit):
    page = visit(CH1).page
    chart = chart_titled(page, "The 17 rare earths")
    controls = load_table("export_controls")
    october = controls[
        (controls["announced"] == "2025-10-09") & (controls["element_group"] == "rare earths")
    ]
    symbols = set(load_table("rare_earth_elements")["symbol"])
    listed = {
        s for s in re.findall(r"\b([A-Z][a-z]?)\b", " ".join(october["elements"])) if s in symbols
    }
    chart.locator("select[name='element_view']").select_option("october_2025")
    settle(page)
    assert chart.locator(f"g.mark-rect.role-mark path[fill='{charts.HIGHLIGHT}']").count() == len(
        listed
    )
    assert f"{len(listed)} of {len(symbols)} elements highlighted" in texts(chart)


def test_choosing_a_date_tells_which_measures_stood_suspended(visit):
    page = visit(CH3).page
    chart = chart_titled(page, "What the Busan truce suspended")
    controls = load_table("export_controls")
    suspensions = controls[(controls["instrument"] == "suspension") & controls["effective"].notna()]
    measures = controls[
        (controls["instrument"] != "suspension") & (controls["announced"] >= "2023-01-01")
    ]
    menu = chart.locator("select[name='on_date']")
    for day in ["2025-10-30", "2025-11-09"]:
        option = menu.locator("option", has_text=long_date(day)).first
        menu.select_option(option.get_attribute("value"))
        settle(page)
        started = {
            s.suspended_until for s in suspensions.itertuples() if str(s.effective.date()) <= day
        }
        expected = int(measures["suspended_until"].isin(started).sum())
        states = texts(chart)
        assert sum(t in ("suspended", "partly suspended") for t in states) == expected, (
            day,
            states,
        )
    april = measures[measures["announced"] == "2025-04-04"]
    assert len(april) == 1 and states.count("in force") >= 1


@pytest.mark.parametrize("relative", [CH1, CH2, CH3])
def test_quiz_answers_are_hidden_until_the_student_asks(visit, relative):
    page = visit(relative).page
    answer = page.locator("div.dropdown.admonition:not(.solution)").first
    body = answer.locator("p:not(.admonition-title)").first
    assert not body.is_visible()
    answer.locator(".admonition-title").click()
    body.wait_for(state="visible", timeout=3000)
    assert body.is_visible()


def test_exercise_solutions_are_hidden_until_the_student_asks(visit):
    page = visit(CH3).page
    solution = page.locator("div.solution.dropdown").first
    body = solution.locator("section, p:not(.admonition-title), table").first
    assert not body.is_visible()
    solution.locator(".admonition-title").click()
    body.wait_for(state="visible", timeout=3000)


def test_chapter_3_links_to_the_scenario_explorer_presets(visit):
    page = visit(CH3).page
    links = page.locator("ul.explorer-links a")
    assert links.count() >= 2
    assert all(
        re.match(r"scenario-explorer\.html#preset=[a-z0-9-]+$", h)
        for h in links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    )
    assert page.locator("a[href^='scenario-explorer.html']").count() > links.count()


def test_japan_import_share_table_shows_every_quoted_figure_with_a_working_citation(visit):
    page = visit(CH2).page
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
    references = visit("book/references.html").page
    entries = " ".join(
        references.locator(f"[id='{t.split('#', 1)[1]}']").first.inner_text() for t in targets
    ).replace("\n", "")
    for key in set(shares["source"]):
        url = urls.get(key)
        if isinstance(url, str):  # the seed documents have no URL
            assert url[:40] in entries, key


@pytest.mark.parametrize("relative, expected", sorted(CHARTS_PER_PAGE.items()))
def test_each_chapter_draws_its_charts(visit, relative, expected):
    page_visit = visit(relative)
    page = page_visit.page
    assert page.locator(CHART).count() == expected
    for i in range(expected):
        assert chart_at(page, i).locator("svg g.role-mark > *").count() > 0, (
            f"chart {i} of {relative}"
        )
        assert chart_at(page, i).locator(".error").count() == 0
    assert page_visit.problems() == []


def test_japan_chart_shows_every_estimate_of_the_table(visit):
    page = visit(ASIA).page
    labels = aria_labels(
        chart_at(page, 0), "g.mark-symbol.role-mark path, g.mark-rule.role-mark line"
    )
    shown = " | ".join(labels)
    for row in load_table("japan_china_share").itertuples():
        assert f"As written: {row.value_text}" in shown, row.id


def test_picking_a_kind_of_figure_fades_the_others(visit):
    page = visit(ASIA).page
    japan = chart_at(page, 0)
    month = japan.locator("g.mark-symbol.role-mark path[aria-label*='As written: 49.3']").first
    year = japan.locator("g.mark-symbol.role-mark path[aria-label*='As written: ~70']").first
    assert float(year.get_attribute("opacity") or 1) == 1
    japan.locator("input[type=radio][value='one month only']").check()
    settle(page)
    assert float(month.get_attribute("opacity") or 1) == 1
    assert float(year.get_attribute("opacity")) < 0.5
    japan.locator("input[type=radio]").first.check()  # "all"
    settle(page)
    assert float(year.get_attribute("opacity") or 1) == 1


def test_hovering_a_matrix_cell_shows_its_measures(visit):
    page = visit(ASIA).page
    matrix = chart_at(page, 1)
    table = load_table("policy_instruments")
    first = table[
        (table["actor"] == "South Korea")
        & (table["instrument"] == "alliances and trade agreements")
    ]
    first = first.sort_values("year").iloc[0]
    cell = matrix.locator(
        "g.mark-rect.role-mark path[aria-label*='Actor: South Korea; Instrument: alliances and trade agreements;']"
    ).first
    cell.hover(force=True)
    assert first["measure"] in tooltip(page)


def test_clicking_a_matrix_cell_lists_its_measures_below(visit):
    page = visit(ASIA).page
    matrix = chart_at(page, 1)
    header = matrix.locator("g.mark-text.role-mark text").filter(has_text=" · ")
    assert "Japan · stockpiles" in header.first.text_content()
    table = load_table("policy_instruments")
    china = table[
        (table["actor"] == "China") & (table["instrument"] == "export controls and market access")
    ]
    matrix.locator(
        "g.mark-rect.role-mark path[aria-label*='Actor: China; Instrument: export controls']"
    ).first.click(force=True)
    settle(page)
    assert (
        f"China · export controls and market access: {len(china)} measures"
        in header.first.text_content()
    )
    panel = " ".join(matrix.locator("g.mark-text.role-mark text").all_text_contents())
    for measure in china["measure"]:
        assert measure[:40] in panel, measure


def test_the_map_draws_the_world_offline(visit):
    page_visit = visit(US)
    world = chart_at(page_visit.page, 2)
    assert world.locator("g.mark-shape.role-mark path").count() > 150, "country shapes"
    assert page_visit.blocked_requests == [], page_visit.blocked_requests
    requests = page_visit.page.evaluate(
        "() => performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert not [r for r in requests if "world-atlas" in r or "countries-110m" in r], (
        "the outline is inlined"
    )


def _places_shown(world) -> set[str]:
    labels = aria_labels(world, "g.mark-symbol.role-mark path")
    return {m.group(1) for m in (re.search(r"Place: ([^;]+);", lab) for lab in labels) if m}


@pytest.mark.parametrize("actor", ["China", "European Union", "All"])
def test_the_actor_menu_changes_the_places_on_the_map(visit, actor):
    page = visit(US).page
    world = chart_at(page, 2)
    places = load_table("places")
    us = set(
        places[places["actors"].str.split("; ").apply(lambda a: "United States" in a)]["place"]
    )
    assert _places_shown(world) == us
    world.locator("select").select_option(actor)
    settle(page)
    expected = (
        set(places["place"])
        if actor == "All"
        else set(places[places["actors"].str.split("; ").apply(lambda a: actor in a)]["place"])
    )
    assert _places_shown(world) == expected


def test_the_actor_menu_shades_the_countries_tied_to_that_actor(visit):
    page = visit(EUROPE).page
    world = chart_at(page, 1)
    world.locator("select").select_option("China")
    settle(page)
    tied = [
        lab
        for lab in aria_labels(world, "g.mark-shape.role-mark path")
        if "No tie named" not in lab
    ]
    relations = load_table("relations")
    expected = set(relations[relations["actor"] == "China"]["partner"])
    names = {world_map.ATLAS_NAMES.get(c, c) for c in expected}
    assert {re.search(r"Country: ([^;]+);", lab).group(1) for lab in tied} == names


def test_moving_the_price_floor_changes_the_top_up(visit):
    page = visit(US).page
    floor_chart = chart_at(page, 1)
    prices = load_table("magnet_oxide_prices")
    last = prices[prices["product"] == "NdPr oxide"].sort_values("year").iloc[-1]
    slider = floor_chart.locator("input[type=range]")
    level = float(slider.input_value())
    assert level == load_table("price_floors").set_index("id").loc["ndpr_mp", "level_usd_per_kg"]
    text = " ".join(floor_chart.locator("g.mark-text.role-mark text").all_text_contents())
    assert f"adds {level - last.price_usd_per_kg:.0f} USD per kg" in text
    slider.evaluate(
        f"(e) => {{ e.value = {last.price_usd_per_kg + 10}; "
        "e.dispatchEvent(new Event('input', {bubbles: true})); }"
    )
    settle(page)
    new_level = float(slider.input_value())  # the slider moves in steps: read back where it is
    text = " ".join(floor_chart.locator("g.mark-text.role-mark text").all_text_contents())
    assert f"adds {new_level - last.price_usd_per_kg:.0f} USD per kg" in text


def test_clicking_a_stage_lights_up_its_projects(visit):
    page = visit(EUROPE).page
    eu = chart_at(page, 0)
    eu.locator("g.mark-rect.role-mark path[aria-label*='Stage: extraction']").first.click(
        force=True
    )
    settle(page)
    sweden = eu.locator(
        "g.mark-symbol.role-mark path[aria-label*='Swedish rare-earth mines']"
    ).first
    caremag = eu.locator(
        "g.mark-symbol.role-mark path[aria-label*='Caremag starts production']"
    ).first
    assert float(sweden.get_attribute("opacity") or 1) == 1
    assert float(caremag.get_attribute("opacity")) < 0.5


def test_caremag_coverage_follows_the_importer_and_the_sliders(visit):
    page = visit(CAREMAG).page
    coverage = chart_at(page, 1)
    frame = caremag.caremag_coverage_frame().set_index("importer")
    text = " ".join(coverage.locator("g.mark-text.role-mark text").all_text_contents())
    assert f"{frame.loc['Japan', 'cover_all']:.1f} times as much" in text
    assert f"Need assumed: {frame.loc['Japan', 'demand_t']:,.0f} t/yr" in text
    coverage.locator("input[type=radio][value='European Union']").check()
    sent = coverage.locator("input[type=range]").first
    sent.evaluate("(e) => { e.value = 50; e.dispatchEvent(new Event('input', {bubbles: true})); }")
    settle(page)
    expected = (
        frame.loc["European Union", "caremag_t"] * 0.5 / frame.loc["European Union", "demand_t"]
    )
    text = " ".join(coverage.locator("g.mark-text.role-mark text").all_text_contents())
    shown = f"{expected:.1f} times as much" if expected > 1 else f"{expected:.0%}"
    assert shown in text, text


def test_scoreboard_menu_switches_restriction_and_bars_open_the_explorer(visit):
    page = visit(CONCLUSION).page
    board = chart_at(page, 1)
    frame = answers.scoreboard_frame()
    bars = board.locator("g.mark-rect.role-mark path")
    default = frame[frame["preset"] == answers.SCOREBOARD_PRESETS[0]]
    assert bars.count() == len(default)
    labels = " ".join(aria_labels(board, "g.mark-rect.role-mark path"))
    for link in default["link"]:
        assert f"Click to open: {link}" in labels, link
    board.locator("select").select_option("2010 halt of shipments to Japan")
    settle(page)
    labels = " ".join(aria_labels(board, "g.mark-rect.role-mark path"))
    assert "Japan never runs short" in labels
    board.locator("select").select_option(answers.SCOREBOARD_PRESETS[0])
    settle(page)
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
            sc.parameter_table("United States", "october2025_five")
            .set_index("parameter")
            .loc["stockpile_days", "high"]
        )


def test_the_timeline_slider_moves_the_check_date(visit):
    page = visit(CONCLUSION).page
    timeline = chart_at(page, 2)
    frame = milestones.milestones_frame()
    text = " ".join(timeline.locator("g.mark-text.role-mark text").all_text_contents())
    claim_end = frame.set_index("id").loc["bessent_claim", "end_year"]
    assert f"{int((frame['start_year'] <= claim_end).sum())} of {len(frame)} due" in text
    timeline.locator("input[type=range]").evaluate(
        "(e) => { e.value = 2041; e.dispatchEvent(new Event('input', {bubbles: true})); }"
    )
    settle(page)
    text = " ".join(timeline.locator("g.mark-text.role-mark text").all_text_contents())
    assert f"{len(frame)} of {len(frame)} due" in text


@pytest.mark.parametrize("relative", sorted(CHARTS_PER_PAGE))
def test_quiz_answers_and_solutions_open_on_click(visit, relative):
    page = visit(relative).page
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


@pytest.mark.parametrize("relative", sorted(CHARTS_PER_PAGE))
def test_links_into_the_explorer_name_existing_presets(visit, relative):
    page = visit(relative).page
    slugs = {re.sub(r"[^a-z0-9]+", "-", n.lower()).strip("-") for n in sc.preset_names()}
    hrefs = page.eval_on_selector_all(
        "article a[href*='scenario-explorer.html#']", "els => els.map(e => e.getAttribute('href'))"
    )
    for href in hrefs:
        assert re.search(r"preset=([a-z0-9-]+)", href).group(1) in slugs, href
