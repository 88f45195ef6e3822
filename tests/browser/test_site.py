"""What a student does with the published site, checked in Debian's chromium.

The site is served on 127.0.0.1; the browser cannot reach any other host and every request to
one is recorded (see conftest.py), so these tests also prove that the site works with the
network unplugged. Every page is opened once as it is published, under a sub-path of a static
host (/terres-rares/), for the checks of what it loads, its charts and its accessibility.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from tools.site import site_pages
from widgets.data import load_table

from .accessibility import serious_findings
from .conftest import SUB_PATH
from .test_chart_tools import check_names_and_tool_lines
from .test_reading import assert_charts_drawn, expected_charts, read
from .vega import fields_of

PAGES = site_pages()
CHAPTER_WITH_WORLD_CHART = "book/02-china-supremacy.html"

# Accessibility findings that come from upstream markup we do not control, with the reason.
# Only these (rule, selector fragment) pairs may appear; anything else serious fails the test.
UPSTREAM_AXE_EXCEPTIONS: dict[str, str] = {}


def test_the_site_has_the_landing_page_and_the_chapters():
    assert "book/index.html" in PAGES
    assert CHAPTER_WITH_WORLD_CHART in PAGES


@pytest.fixture(scope="module", params=PAGES)
def each_page(request, browser, subpath_url):
    """(relative path, reading) of every page, opened once for the checks below, as the site is
    published: under a sub-path of a static host (``subpath_url``), with HTTP errors counted as
    problems and every request recorded (``test_reading.read``). The checks, in file order: what
    went wrong while it loaded, where it asked for files, its charts, their names and tool lines
    (which opens every chart's table and shows the classroom's mission results), then axe (last:
    it injects its script into the page), which thus checks the page with all of those shown."""
    reading = read(browser, subpath_url + request.param)
    yield request.param, reading
    reading.page.context.close()


def test_every_page_loads_with_no_error_and_nothing_from_another_host(each_page):
    relative, reading = each_page
    assert reading.problems() == [], f"/{SUB_PATH}/{relative}: {reading.problems()}"
    assert reading.page.title(), f"{relative} has no <title>"


def test_every_page_asks_only_for_files_under_its_sub_path(each_page):
    relative, reading = each_page
    outside = [
        u
        for u in reading.requests
        if urlparse(u).scheme.startswith("http")
        and not urlparse(u).path.startswith(f"/{SUB_PATH}/")
    ]
    assert outside == [], (
        f"{relative}: requests outside /{SUB_PATH}/ (they would hit the host's root): {outside}"
    )


def test_every_chart_draws_its_marks(each_page):
    relative, reading = each_page
    page = reading.page
    assert assert_charts_drawn(page, relative) == expected_charts(relative)
    charts = page.locator("div[id^='altair-viz-']")
    for i in range(charts.count()):
        chart = charts.nth(i)
        assert chart.locator(".error").count() == 0, chart.inner_text()
        marks = chart.locator("svg g.role-mark > *")
        assert marks.count() > 0, f"chart {i} on {relative} has no drawn marks"
        # Vega puts the chart's description on its container (role graphics-document).
        label = chart.evaluate(
            "d => (d.matches('[role=graphics-document]') ? d : d.querySelector('[role=graphics-document]'))"
            "?.getAttribute('aria-label') || ''"
        )
        assert len(label) > 40, (
            f"chart {i} on {relative} has no text description for screen readers"
        )


def _values_from_aria_labels(labels: list[str]) -> dict[tuple[str, int], float]:
    """{(series, year): tonnes} from Vega's aria-labels ('Series: World; Year: 1900; Tonnes REO: 1,040; …')."""
    values = {}
    for label in labels:
        fields = fields_of(label)
        if {"Series", "Year", "Tonnes REO"} <= fields.keys():
            values[(fields["Series"], int(fields["Year"]))] = float(
                fields["Tonnes REO"].replace(",", "")
            )
    return values


def test_world_production_chart_shows_the_figures_of_the_data_table(visit):
    page = visit(CHAPTER_WITH_WORLD_CHART).page
    labels = page.eval_on_selector_all(
        "div[id^='altair-viz-'] svg g.role-mark path[aria-label]",
        "els => els.map(e => e.getAttribute('aria-label'))",
    )
    shown = _values_from_aria_labels(labels)

    table = load_table("world_production")
    table = table[table["preferred"]]
    expected = {("World", int(r.year)): float(r.world_t_reo) for r in table.itertuples()}
    expected |= {
        ("United States", int(r.year)): float(r.us_t_reo)
        for r in table.itertuples()
        if r.us_status == "reported"
    }
    assert len(expected) > 200
    assert shown == expected


def test_hovering_the_world_line_shows_the_figure_of_that_year(visit):
    page = visit(CHAPTER_WITH_WORLD_CHART).page
    point = page.locator(
        "svg g.role-mark path[aria-label^='Year: 2010;'][aria-label*='Series: World;']"
    ).first
    point.hover(force=True)
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible", timeout=5000)
    table = load_table("world_production")
    world_2010 = table[(table.year == 2010) & table.preferred]["world_t_reo"].iloc[0]
    assert f"{world_2010:,.0f}" in tooltip.inner_text()


def test_charts_are_served_from_the_site_itself(visit):
    page_visit = visit(CHAPTER_WITH_WORLD_CHART)
    scripts = page_visit.page.evaluate(
        "() => performance.getEntriesByType('resource').map(e => e.name).filter(n => /vega/.test(n))"
    )
    assert scripts, "no Vega script was loaded"
    assert all(re.match(r"http://127\.0\.0\.1:\d+/_static/vendor/", s) for s in scripts), scripts


def test_every_chart_has_a_name_and_a_tool_line(each_page):
    relative, reading = each_page
    assert check_names_and_tool_lines(reading.page, relative) == expected_charts(relative)
    assert reading.problems() == [], f"/{SUB_PATH}/{relative}: {reading.problems()}"


def test_no_serious_or_critical_accessibility_violation(each_page):
    relative, reading = each_page
    page = reading.page
    serious = serious_findings(page, UPSTREAM_AXE_EXCEPTIONS)
    assert serious == [], f"{relative}:\n" + "\n".join(serious)


def test_the_accessibility_check_reports_a_serious_finding_planted_in_a_page(visit):
    """What the check above rests on: with only violations asked for, axe still names the
    element of a serious finding (an image with no text, grey text on grey)."""
    page = visit("book/index.html").page
    assert serious_findings(page) == []
    page.evaluate(
        """() => {
        const main = document.querySelector('main');
        main.insertAdjacentHTML('afterbegin', '<img src="data:," id="no-text">'
          + '<p id="faint" style="color:#bbb;background:#ccc">Faint words</p>');
    }"""
    )
    found = serious_findings(page)
    assert any(line.startswith("image-alt (critical)") and "#no-text" in line for line in found)
    assert any(line.startswith("color-contrast (serious)") and "#faint" in line for line in found)
