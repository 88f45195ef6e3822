"""The search page and the header as a reader meets them: "license" finds what "licence" finds,
snippets hold no button text, one search box on a laptop, the site's name on a phone."""

from __future__ import annotations

import re

import pytest

from tests.browser.pages import CH2

PHONE = {"width": 375, "height": 812}
LAPTOP = {"width": 1366, "height": 900}
SITE_NAME = "Terres rares"
DOWNLOAD_MENU = re.compile(r"\.md\s*\.pdf")  # the text of the theme's download menu


def search(visit, words: str):
    """The search page's results for ``words``: (page addresses, snippets), once every snippet
    has been fetched (the page says "Search finished" and each result holds its snippet)."""
    page = visit(f"search.html?q={words}").page
    page.wait_for_function(
        "() => /finished/i.test(document.querySelector('#search-results')?.textContent || '')",
        timeout=20_000,
    )
    page.wait_for_function(
        "() => [...document.querySelectorAll('#search-results ul.search > li')]"
        ".every(li => li.querySelector('p.context'))",
        timeout=20_000,
    )
    hrefs = page.eval_on_selector_all(
        "#search-results ul.search > li > a", "els => els.map(e => e.getAttribute('href'))"
    )
    snippets = page.locator("#search-results ul.search > li p.context").all_inner_texts()
    return {href.split("#")[0] for href in hrefs}, snippets


def test_license_finds_what_licence_finds(visit):
    british, _ = search(visit, "licence")
    american, _ = search(visit, "license")
    assert len(british) >= 8, british
    assert american == british


def test_snippets_hold_no_text_of_the_page_buttons(visit):
    found, snippets = search(visit, "Caremag")
    assert len(found) >= 5 and len(snippets) == len(found)
    with_menu = [s[:80] for s in snippets if DOWNLOAD_MENU.search(s)]
    assert not with_menu, with_menu


def visible(page, selector: str) -> int:
    return page.locator(selector).locator("visible=true").count()


def test_a_laptop_shows_one_search_box(visit):
    page = visit(CH2, LAPTOP).page
    assert visible(page, ".search-button-field, .search-button") == 1


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_header_names_the_site_on_a_phone(visit, viewport):
    page = visit(CH2, viewport).page
    name = page.locator(".header-site-name")
    if viewport is PHONE:
        assert name.is_visible() and name.inner_text().strip() == SITE_NAME
        box = name.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        name.click()
        page.wait_for_url(re.compile(r"/book/index\.html$"))
    else:  # the sidebar shows the whole title
        assert not name.is_visible()
        assert page.locator(".bd-sidebar-primary .logo__title").is_visible()
