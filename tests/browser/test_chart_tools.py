"""Under every chart, as a reader uses it (issue 12, P12-P14): the chart's accessible name, its
tool line (a table of the figures, the sources, the drawn rows as CSV, PNG and SVG images, a
link to the view), the details panel a tap opens, and the tool line's contrast in dark mode.

The tools are added by book/_static/charts.js once a chart is drawn, before it says so
(``data-drawn``), so every test waits for what the page signals, never for a delay. The name and
tool line of every chart of every page: ``check_names_and_tool_lines``, run by test_site.py.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tools.site import wait_for_charts

from . import vega
from .pages import CH1, CH2, US
from .test_dark_mode import AA, CONTRAST, switch_to_dark

EXPLORER = "book/scenario-explorer.html"
RESERVES = 2  # ch.1: reserves and production, with its "Figures" radio buttons (edition)


def all_drawn(page) -> None:
    wait_for_charts(page)
    page.wait_for_function(
        "() => [...document.querySelectorAll('div.tr-chart')].every(d => d.dataset.drawn)"
    )


def tools_of(page, index: int):
    """The tool line under the chart at ``index`` of the page."""
    return page.locator(".tr-chart-tools").nth(index)


def specs(page) -> list[dict]:
    return page.locator("script.tr-chart-spec").evaluate_all(
        "els => els.map(e => JSON.parse(e.textContent))"
    )


def downloaded(page, button) -> bytes:
    with page.expect_download() as download:
        button.click()
    return Path(download.value.path()).read_bytes()


def check_names_and_tool_lines(page, where: str) -> int:
    """Every chart of ``page`` has its description as its name and a tool line (Data, PNG, SVG,
    a table that fills when it opens, a view link if it has controls outside the explorer);
    returns how many charts there are. Run on every page by tests/browser/test_site.py, in the
    load of the page its checks share (the tables it opens stay open for axe, which comes
    after). The classroom's charts are measured as a student sees them once a mission is run
    (shown)."""
    all_drawn(page)
    vega.show_mission_results(page)
    charts = vega.charts(page)
    assert charts.count() == page.locator(".tr-chart-tools").count(), where
    for i, spec in enumerate(specs(page)):
        svg = charts.nth(i).locator("svg").first
        assert svg.get_attribute("role") == "img", (where, i)
        assert svg.get_attribute("aria-label") == spec["description"], (where, i)
        line = tools_of(page, i)
        for name in ("Data (CSV)", "PNG", "SVG"):
            assert line.get_by_role("button", name=name).is_visible(), (where, i, name)
        # the table lists what hovering the marks tells, for keyboard and screen-reader users
        line.locator("summary", has_text="Table").click()
        line.locator(".tr-chart-table-body > *").first.wait_for()  # filled when it opens
        assert line.locator("tbody tr").count() > 0, f"{where}, chart {i}: an empty table"
        in_explorer = charts.nth(i).evaluate("d => !!d.closest('.scenario-explorer, .explorer')")
        controls = [s for s in spec.get("signals", []) if "input" in s.get("bind", {})]
        # a view link for a chart with controls, except the explorer, which has its own link
        assert line.locator(".tr-chart-link").count() == int(bool(controls) and not in_explorer)
    return charts.count()


def test_the_source_links_lead_to_sections_of_about_the_sources(visit):
    page = visit(CH2).page
    all_drawn(page)
    links = page.locator(".tr-chart-sources a")
    hrefs = set(links.evaluate_all("els => els.map(a => a.href)"))
    assert hrefs and all("about-sources.html#" in h for h in hrefs)
    names = links.all_text_contents()
    source_lines = vega.text(vega.charts(page).first) + " ".join(
        vega.charts(page).locator("g.role-title-text text").all_text_contents()
    )
    assert names[0].split(" ")[0] in source_lines
    page.goto(sorted(hrefs)[0].split("#")[0])
    for href in hrefs:
        assert page.locator("#" + href.split("#")[1]).count() == 1, href


def test_the_csv_holds_the_rows_the_chart_draws(visit):
    page = visit(CH1).page
    all_drawn(page)
    chart = vega.chart_at(page, RESERVES)
    bars = vega.aria_fields(chart, "g.mark-rect.role-mark path")
    rows = list(
        csv.DictReader(
            io.StringIO(
                downloaded(
                    page, tools_of(page, RESERVES).get_by_role("button", name="Data (CSV)")
                ).decode("utf-8")
            )
        )
    )
    countries = {bar.get("Country") for bar in bars} - {None}
    assert countries and countries == {row["country"] for row in rows}
    # the edition the chart shows (its radio button) is the edition of every row
    shown = chart.locator("input[type=radio]:checked").get_attribute("value")
    assert {row["edition"] for row in rows} == {shown}
    assert not [name for name in rows[0] if name.startswith("_") or name.endswith("_end")]


def test_png_and_svg_exports_are_image_files(visit):
    page = visit(CH1).page
    all_drawn(page)
    line = tools_of(page, RESERVES)
    png = downloaded(page, line.get_by_role("button", name="PNG"))
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
    svg = downloaded(page, line.get_by_role("button", name="SVG")).decode("utf-8")
    assert svg.lstrip().startswith("<svg") and "China" in svg


def test_the_table_lists_what_the_tooltips_show_and_follows_the_controls(visit):
    page = visit(CH1).page
    all_drawn(page)
    chart, line = vega.chart_at(page, RESERVES), tools_of(page, RESERVES)
    line.locator("summary", has_text="Table").click()
    table = line.locator("table")
    table.wait_for()
    first = table.locator("tbody tr").first.inner_text()
    # hovering a bar shows the same figures as the table's row for it
    chart.locator("g.mark-rect.role-mark path").first.hover(force=True)
    tip = vega.tooltip(page)
    country = table.locator("tbody tr").first.locator("td").first.inner_text()
    assert country in tip and all(cell in tip for cell in first.split("\t")[:2])
    other = chart.locator("input[type=radio]:not(:checked)").first
    other.check()
    page.wait_for_function(
        "(before) => document.querySelectorAll('.tr-chart-tools table')[0]"
        ".querySelector('tbody tr').innerText !== before",
        arg=first,
    )
    assert table.get_attribute("class") is None  # a plain table, styled by the theme


def test_a_view_link_restores_the_charts_controls(visit, browser, site_url):
    page = visit(CH1).page
    all_drawn(page)
    chart, line = vega.chart_at(page, RESERVES), tools_of(page, RESERVES)
    other = chart.locator("input[type=radio]:not(:checked)").first
    value = other.get_attribute("value")
    other.check()
    vega.settle(page)
    href = line.locator(".tr-chart-link").get_attribute("href")
    assert href.startswith(f"#chart-{RESERVES + 1}?") and value in href
    labels = sorted(vega.aria_labels(chart, "g.mark-rect.role-mark path"))

    again = visit(CH1 + href).page
    all_drawn(again)
    restored = vega.chart_at(again, RESERVES)
    assert restored.locator("input[type=radio]:checked").get_attribute("value") == value
    assert sorted(vega.aria_labels(restored, "g.mark-rect.role-mark path")) == labels
    assert again.evaluate("location.hash") == href  # the link stays what it was
    top = restored.evaluate("d => d.getBoundingClientRect().top")
    assert 0 <= top < again.viewport_size["height"]  # the reader is taken to the chart
    assert again.locator(".tr-chart-detail:visible").count() == 0


def test_a_link_with_a_bad_value_says_so_and_leaves_the_chart_valid(visit):
    visit_ = visit(CH1 + f"#chart-{RESERVES + 1}?edition=Mars&colour=red")
    page = visit_.page
    all_drawn(page)
    panel = page.locator(".tr-chart-detail").nth(RESERVES)
    assert panel.is_visible()
    said = panel.inner_text()
    assert "Mars is not a value of" in said and '"colour" is not a control' in said
    assert vega.chart_at(page, RESERVES).locator("input[type=radio]:checked").count() == 1
    assert visit_.problems() == []


def test_an_ordinary_anchor_is_left_alone(visit):
    visit_ = visit(CH1 + "#exercises")
    page = visit_.page
    all_drawn(page)
    assert page.evaluate("location.hash") == "#exercises"
    assert page.locator(".tr-chart-detail:visible").count() == 0
    assert visit_.problems() == []


def test_a_tap_on_a_mark_shows_its_details_under_the_chart(browser, site_url):
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, has_touch=True, is_mobile=True
    )
    try:
        page = context.new_page()
        page.goto(site_url + US, wait_until="load")
        all_drawn(page)
        chart = vega.chart_at(page, 0)
        point = chart.locator("g.mark-symbol.role-mark path").first
        point.scroll_into_view_if_needed()
        box = point.bounding_box()
        page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        panel = page.locator(".tr-chart-detail").first
        panel.wait_for(state="visible")
        fields = vega.fields_of(point.get_attribute("aria-label"))
        assert fields and any(value in panel.inner_text() for value in fields.values())
        panel.get_by_role("button", name="Close the details").tap()
        panel.wait_for(state="hidden")
    finally:
        context.close()


def test_the_explorer_keeps_its_own_link(visit):
    page = visit(EXPLORER).page
    all_drawn(page)
    before = page.evaluate("location.hash")
    assert page.locator(".scenario-explorer .tr-chart-link").count() == 0
    rows = downloaded(
        page,
        page.locator(".scenario-explorer .tr-chart-tools").get_by_role("button", name="Data (CSV)"),
    )
    assert len(rows.decode("utf-8").splitlines()) > 10
    assert page.evaluate("location.hash") == before
    # its table follows its controls: a preset changes the figures listed
    line = page.locator(".scenario-explorer .tr-chart-tools")
    line.locator("summary", has_text="Table").click()
    listed = line.locator("tbody").inner_text()
    page.locator(".explorer-preset").first.click()
    page.wait_for_function(
        "(before) => document.querySelector('.scenario-explorer .tr-chart-tools tbody')"
        ".innerText !== before",
        arg=listed,
    )


@pytest.mark.parametrize("width", [375, 1366])
def test_the_tool_line_is_readable_in_dark_mode(visit, width):
    page = visit(CH2, viewport={"width": width, "height": 900}).page
    switch_to_dark(page)
    all_drawn(page)
    items = page.locator(".tr-chart-tools").first.locator("button, summary")
    assert items.count() >= 4
    for k in range(items.count()):
        ratio = items.nth(k).evaluate(CONTRAST)
        assert ratio >= AA, f"{items.nth(k).inner_text()!r}: {ratio:.2f}:1"
    # keyboard: the table opens from its summary with Enter
    summary = page.locator(".tr-chart-tools").first.locator("summary", has_text="Table")
    summary.focus()
    page.keyboard.press("Enter")
    page.locator(".tr-chart-tools").first.locator("table").wait_for()
    for cell in ("thead th", "tbody td"):
        ratio = page.locator(".tr-chart-tools table").first.locator(cell).first.evaluate(CONTRAST)
        assert ratio >= AA, f"table {cell}: {ratio:.2f}:1"
    assert json.loads(json.dumps(page.evaluate("document.activeElement.tagName"))) == "SUMMARY"


def test_a_view_link_opened_on_the_same_page_is_followed(visit):
    page = visit(CH1).page
    all_drawn(page)
    chart = vega.chart_at(page, RESERVES)
    value = chart.locator("input[type=radio]:not(:checked)").first.get_attribute("value")
    page.evaluate(f"location.hash = '#chart-{RESERVES + 1}?edition={value}'")
    page.wait_for_function(
        "([i, v]) => document.querySelectorAll('div.tr-chart')[i]"
        ".querySelector('input[type=radio]:checked').value === v",
        arg=[RESERVES, value],
    )
