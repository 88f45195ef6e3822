"""Acting on the charts of the published site in Debian's chromium: menus, radio buttons,
sliders and clicks change what a chart shows, as computed from data/ and the model. No test
sleeps: after each action it waits for Vega to redraw (``settle``)."""

from __future__ import annotations

import re

import pytest

from widgets import charts
from widgets.data import load_table
from widgets.figures import answers, caremag, milestones, world_map
from widgets.text import long_date

from .pages import ASIA, CAREMAG, CH1, CH2, CH3, CONCLUSION, EUROPE, US
from .vega import aria_fields, aria_labels, chart_at, chart_titled, marks, settle, texts


def _places_shown(world) -> set[str]:
    labels = aria_labels(world, "g.mark-symbol.role-mark path")
    return {m.group(1) for m in (re.search(r"Place: ([^;]+);", lab) for lab in labels) if m}


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
