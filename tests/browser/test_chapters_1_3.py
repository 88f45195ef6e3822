"""What a student does with chapters 1-3 of the published site, in Debian's chromium.

Each expected figure is read from the tables in data/ (never copied from a chart), so a change in
the data or a chart that stops following it makes these tests fail.
"""
from __future__ import annotations

import re

import pytest

from widgets.data import load_table

CH1 = "book/01-what-are-rare-earths.html"
CH2 = "book/02-china-supremacy.html"
CH3 = "book/03-busan-truce.html"
HIGHLIGHT = "#2b6777"  # fill of a highlighted element tile (widgets.figures.HIGHLIGHT)


def chart_titled(page, title: str):
    """The Altair chart whose title (drawn by Vega as SVG text) is ``title``."""
    charts = page.locator("div[id^='altair-viz-']")
    for i in range(charts.count()):
        if charts.nth(i).locator("g.role-title-text text", has_text=title).count():
            return charts.nth(i)
    raise AssertionError(f"no chart titled {title!r}")


def aria_fields(chart, selector: str) -> list[dict]:
    """Vega writes each datum into its mark's aria-label: 'A: 1; B: x' -> {'A': '1', 'B': 'x'}."""
    labels = chart.locator(selector).evaluate_all("els => els.map(e => e.getAttribute('aria-label') || '')")
    return [dict(part.split(": ", 1) for part in label.split("; ") if ": " in part) for label in labels]


def marks(chart, kind: str) -> int:
    return chart.locator(f"svg g.mark-{kind}.role-mark > *").count()


def texts(chart, selector: str = "g.mark-text.role-mark text") -> list[str]:
    return chart.locator(selector).all_text_contents()


def wait_redraw(page):
    page.wait_for_timeout(400)


@pytest.mark.parametrize("relative, at_least", [(CH1, 4), (CH2, 4), (CH3, 3)])
def test_each_chapter_draws_its_charts_with_marks_and_no_error(visit, relative, at_least):
    page_visit = visit(relative)
    charts = page_visit.page.locator("div[id^='altair-viz-']")
    assert charts.count() >= at_least
    for i in range(charts.count()):
        assert charts.nth(i).locator("svg g.role-mark > *").count() > 0, f"chart {i} of {relative} is empty"
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
    shown = {(f["Country"], int(f["Year"])): float(f["Tonnes"].replace(",", ""))
             for f in aria_fields(chart, "g.mark-rect.role-mark path") if {"Country", "Year", "Tonnes"} <= f.keys()}
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
    wait_redraw(page)
    listed = [f for f in aria_fields(chart, "g.mark-rect.role-mark path") if "Producer" in f]
    assert {f["Producer"] for f in listed} == set(table[table["year"] == year]["country"])
    assert any(t == f"Every producer in {year}" for t in texts(chart))


def test_hovering_china_in_2019_shows_its_tonnage_from_the_table(visit):
    page = visit(CH2).page
    chart = chart_titled(page, "Rare-earth mine production by country")
    china = load_table("production_by_country")
    china = china[china["preferred"] & (china["country"] == "China") & (china["year"] == 2019)]
    chart.locator("g.mark-rect.role-mark path[aria-label*='Country: China;'][aria-label*='Year: 2019;']").first.hover(force=True)
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible", timeout=5000)
    assert f"{china['production_t_reo'].iloc[0]:,.0f}" in tooltip.inner_text()


def test_hovering_an_event_of_the_century_chart_names_it(visit):
    page = visit(CH2).page
    chart = chart_titled(page, "World rare-earth mine production")
    events = load_table("events")
    first = events.sort_values("date").iloc[0]
    chart.locator("g.mark-text.role-mark text", has_text=str(first["title"])).first.hover(force=True)
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible", timeout=5000)
    assert str(first["title"]) in tooltip.inner_text()


def test_choosing_a_kind_of_measure_keeps_only_those_measures(visit):
    page = visit(CH2).page
    chart = chart_titled(page, "China's export measures")
    before = marks(chart, "symbol")
    quotas = len(load_table("export_quotas"))
    controls = load_table("export_controls")
    expected = quotas + int((controls["instrument"] == "quota").sum())
    chart.locator("select[name='kind']").select_option("quota")
    wait_redraw(page)
    assert marks(chart, "symbol") == expected < before
    chart.locator("select[name='kind']").select_option("all")
    chart.locator("select[name='target']").select_option("Japan")
    wait_redraw(page)
    assert marks(chart, "symbol") == int(controls["target"].str.startswith("Japan").sum())


def test_choosing_a_later_period_drops_the_earlier_measures(visit):
    page = visit(CH2).page
    chart = chart_titled(page, "China's export measures")
    menu = chart.locator("select[name='period']")
    starts = menu.locator("option").evaluate_all("els => els.map(e => e.value)")
    latest = int(starts[-1])
    controls = load_table("export_controls")
    quotas = load_table("export_quotas")
    expected = int((controls["announced"].dt.year >= latest).sum() + (quotas["date"].dt.year >= latest).sum())
    menu.select_option(str(latest))
    wait_redraw(page)
    assert marks(chart, "symbol") == expected


def test_the_china_share_chart_shows_one_dot_per_claim(visit):
    page = visit(CH2).page
    chart = chart_titled(page, "China's share of rare earths")
    shown = sorted(float(f["China's share (%)"]) for f in aria_fields(chart, "g.mark-symbol.role-mark path")
                   if "China's share (%)" in f)
    assert shown == sorted(load_table("china_share_claims")["value_pct"].astype(float))


def test_switching_the_reserves_edition_shows_the_latest_usgs_reserves(visit):
    page = visit(CH1).page
    chart = chart_titled(page, "Reserves are not production")
    reserves = load_table("reserves")
    quoted = reserves[(reserves["source"] == "caremag2025")]
    def countries():
        return {f["Country"] for f in aria_fields(chart, "g.mark-rect.role-mark path") if "Country" in f}
    assert set(quoted["country"]) <= countries()
    chart.locator("input[name='edition'][value='latest']").check()
    wait_redraw(page)
    latest = reserves[reserves["preferred"] & (reserves["country"] != "World")]
    assert set(latest["country"]) <= countries()
    china = latest[latest["country"] == "China"]["reserves_t_reo"].iloc[0]
    assert f"{china / 1e6:g} Mt" in texts(chart)


def test_the_element_menu_highlights_the_october_2025_list(visit):
    page = visit(CH1).page
    chart = chart_titled(page, "The 17 rare earths")
    controls = load_table("export_controls")
    october = controls[(controls["announced"] == "2025-10-09") & (controls["element_group"] == "rare earths")]
    symbols = set(load_table("rare_earth_elements")["symbol"])
    listed = {s for s in re.findall(r"\b([A-Z][a-z]?)\b", " ".join(october["elements"])) if s in symbols}
    chart.locator("select[name='element_view']").select_option("october_2025")
    wait_redraw(page)
    assert chart.locator(f"g.mark-rect.role-mark path[fill='{HIGHLIGHT}']").count() == len(listed)
    assert f"{len(listed)} of {len(symbols)} elements highlighted" in texts(chart)


def test_choosing_a_date_tells_which_measures_stood_suspended(visit):
    page = visit(CH3).page
    chart = chart_titled(page, "What the Busan truce suspended")
    controls = load_table("export_controls")
    suspensions = controls[(controls["instrument"] == "suspension") & controls["effective"].notna()]
    measures = controls[(controls["instrument"] != "suspension") & (controls["announced"] >= "2023-01-01")]
    menu = chart.locator("select[name='on_date']")
    for day in ["2025-10-30", "2025-11-09"]:
        option = menu.locator("option", has_text=_long_date(day)).first
        menu.select_option(option.get_attribute("value"))
        wait_redraw(page)
        started = {s.suspended_until for s in suspensions.itertuples() if str(s.effective.date()) <= day}
        expected = int(measures["suspended_until"].isin(started).sum())
        states = texts(chart)
        assert sum(t in ("suspended", "partly suspended") for t in states) == expected, (day, states)
    april = measures[measures["announced"] == "2025-04-04"]
    assert len(april) == 1 and states.count("in force") >= 1


def _long_date(iso: str) -> str:
    import pandas as pd

    stamp = pd.Timestamp(iso)
    return f"{stamp.day} {stamp:%b %Y}"


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
    assert all(re.match(r"scenario-explorer\.html#preset=[a-z0-9-]+$", h)
               for h in links.evaluate_all("els => els.map(e => e.getAttribute('href'))"))
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
    entries = " ".join(references.locator(f"[id='{t.split('#', 1)[1]}']").first.inner_text()
                       for t in targets).replace("\n", "")
    for key in set(shares["source"]):
        url = urls.get(key)
        if isinstance(url, str):  # the seed documents have no URL
            assert url[:40] in entries, key
