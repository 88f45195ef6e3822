"""A phone reader opens every page of the site once (375x812, mobile, touch), and that one load
is checked three ways, in this order (the charts' check shows the classroom's mission results,
the tables' check opens the page's folded parts):

* the page itself never scrolls sideways (charts and wide tables may scroll inside their own
  box): the rule of ``test_reading.sideways``, as the page opens and again once everything is
  shown;
* its charts fit the screen and no two of their texts collide, no text is cut by its limit
  (the rules of tests/browser/test_phone_charts.py, where the same charts are measured in a
  laptop's column);
* every cell of its tables reads whole (the rules of tests/browser/phone_tables.py).

A page with no chart or no table has nothing to measure for those; which pages have them is
checked from the built files (the first test below), so no page is missed.
"""

from __future__ import annotations

import pytest

from tools.site import SITE, site_pages

from .conftest import open_visit
from .phone_tables import measure_tables, pages_with_tables
from .test_phone_charts import PAGES as PAGES_WITH_CHARTS
from .test_phone_charts import collisions_of, measure_charts, problems_of
from .test_reading import sideways

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
PAGES = site_pages()
WITH_TABLES = pages_with_tables()
CHAPTER = "book/02-china-supremacy.html"


def test_the_pages_measured_for_charts_and_tables_are_the_ones_that_have_them():
    assert set(PAGES_WITH_CHARTS) < set(PAGES) and set(WITH_TABLES) < set(PAGES)
    assert CHAPTER in PAGES_WITH_CHARTS and "book/data.html" in WITH_TABLES
    for path in set(PAGES) - set(WITH_TABLES):
        assert (
            "<table"
            not in (SITE / path).read_text(encoding="utf-8").split('<main id="main-content"')[-1]
        ), path


@pytest.mark.parametrize("path", PAGES)
def test_a_phone_reader_sees_the_page_whole(browser, site_url, path):
    opened = open_visit(browser, site_url + path, PHONE, phone=True)
    page = opened.page
    problems = [f"while loading: {p}" for p in opened.problems()]
    try:
        if too_wide := sideways(page, PHONE):
            problems.append(f"the page scrolls sideways: {too_wide}")
        if path in PAGES_WITH_CHARTS:
            charts = measure_charts(page, path, column=False)
            problems += problems_of(charts) + collisions_of(charts, phone=True)
        if path in WITH_TABLES:
            tables = measure_tables(page)
            assert tables["cells"] > 0, f"{path}: no table cell shown"
            problems += tables["problems"]
        if too_wide := sideways(page, PHONE):
            problems.append(f"the page scrolls sideways once all is shown: {too_wide}")
    finally:
        page.context.close()
    assert not problems, f"{path} at 375 px:\n" + "\n".join(problems)


def test_the_phone_check_catches_a_page_that_scrolls_sideways(browser, site_url):
    page = open_visit(browser, site_url + CHAPTER, PHONE, phone=True).page
    try:
        assert sideways(page, PHONE) is None
        page.evaluate(
            "() => { const d = document.createElement('div'); d.style.width = '600px';"
            " d.textContent = 'too wide'; document.querySelector('article').append(d); }"
        )
        found = sideways(page, PHONE)
        assert found and "div" in found.split(": ", 1)[1], found  # the culprit is named
    finally:
        page.context.close()


def test_the_phone_check_catches_a_table_cut_off_at_the_edge(browser, site_url):
    page = open_visit(browser, site_url + CHAPTER, PHONE, phone=True).page
    try:
        assert measure_tables(page)["problems"] == []
        page.evaluate(
            """() => {
            const cells = Array.from({length: 9}, (_, i) => `<td>column${i}_holding_a_long_word</td>`);
            document.querySelector('article').insertAdjacentHTML('beforeend',
              `<table style="table-layout: fixed; width: 900px"><tr>${cells.join('')}</tr></table>`);
        }"""
        )
        found = measure_tables(page)["problems"]
        assert any(p.startswith("off the screen") and "column8" in p for p in found), found
    finally:
        page.context.close()
