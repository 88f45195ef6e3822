"""A reader moves around the book with the buttons they see, on a phone and on a laptop.

Each test clicks the VISIBLE button (as a finger or a mouse does, through Playwright's real
click, which fails if the button is hidden or covered), then checks what the reader gets: the
chapter list opens and a chapter link in it takes them to that chapter; the contents button
opens the outline of the page; on a laptop the menu button hides and shows the chapter list;
the print and search buttons still work. (pydata-sphinx-theme 0.17.1 with sphinx-book-theme
1.3.0 bind their handlers to hidden copies of these buttons: book/_static/navigation.js.)
"""

from __future__ import annotations

import re

import pytest

PHONE = {"width": 375, "height": 812}
LAPTOP = {"width": 1366, "height": 900}
CHAPTER = "book/01-what-are-rare-earths.html"
NEXT_CHAPTER = "02-china-supremacy.html"


def visible_button(page, css: str):
    """The one button matching ``css`` that the reader can see."""
    buttons = page.locator(css).locator("visible=true")
    assert buttons.count() == 1, f"{buttons.count()} visible buttons match {css!r}"
    return buttons.first


def test_on_a_phone_the_menu_button_opens_the_chapter_list(visit):
    visit_ = visit(CHAPTER, PHONE)
    page = visit_.page
    chapter_link = page.locator(f"#pst-primary-sidebar-modal a[href$='{NEXT_CHAPTER}']")
    assert not chapter_link.is_visible()
    visible_button(page, ".primary-toggle").click()
    chapter_link.wait_for(state="visible", timeout=5000)
    box = chapter_link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    chapter_link.click()
    page.wait_for_url(re.compile(re.escape(NEXT_CHAPTER) + "$"))
    assert "China" in page.locator("h1").first.inner_text()
    assert visit_.problems() == []


def test_on_a_phone_the_contents_button_opens_the_outline_of_the_page(visit):
    page = visit(CHAPTER, PHONE).page
    outline = page.locator("#pst-secondary-sidebar-modal nav a.nav-link")
    visible_button(page, ".secondary-toggle").click()
    outline.first.wait_for(state="visible", timeout=5000)
    assert outline.count() >= 3
    target = outline.nth(1)
    anchor = target.get_attribute("href")
    assert anchor.startswith("#")
    target.click()
    page.wait_for_url(re.compile(re.escape(anchor) + "$"))
    heading = page.locator(f"[id='{anchor[1:]}']")
    assert heading.is_visible()


def test_on_a_laptop_the_menu_button_hides_and_shows_the_chapter_list(visit):
    page = visit(CHAPTER, LAPTOP).page
    sidebar = page.locator("#pst-primary-sidebar")
    chapter_link = sidebar.locator(f"a[href$='{NEXT_CHAPTER}']")
    assert chapter_link.is_visible()
    article_left = page.locator("main").bounding_box()["x"]
    visible_button(page, ".primary-toggle").click()
    sidebar.wait_for(state="hidden", timeout=5000)
    assert page.locator("#pst-primary-sidebar-modal[open]").count() == 0, (
        "it opened a drawer instead"
    )
    page.wait_for_function(
        f"document.querySelector('main').getBoundingClientRect().x < {article_left}"
    )
    visible_button(page, ".primary-toggle").click()
    chapter_link.wait_for(state="visible", timeout=5000)
    chapter_link.click()
    page.wait_for_url(re.compile(re.escape(NEXT_CHAPTER) + "$"))


def test_on_a_laptop_the_outline_of_the_page_is_shown_beside_it(visit):
    page = visit(CHAPTER, LAPTOP).page
    assert page.locator("#pst-secondary-sidebar nav a.nav-link").first.is_visible()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_print_button_still_prints(visit, viewport):
    page = visit(CHAPTER, viewport).page
    page.evaluate("window.print = () => { document.body.dataset.printed = 'yes'; }")
    visible_button(page, ".dropdown-download-buttons > button").click()
    visible_button(page, ".btn-download-pdf-button").click()
    page.wait_for_selector("body[data-printed=yes]", timeout=5000)


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_search_button_finds_pages(visit, viewport):
    page = visit(CHAPTER, viewport).page
    page.locator("button.search-button__button").locator("visible=true").first.click()
    field = page.locator("#pst-search-dialog input[name=q]")
    field.wait_for(state="visible", timeout=5000)
    field.fill("Busan")
    field.press("Enter")
    page.wait_for_url(re.compile(r"search\.html\?q=Busan"))
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(state="visible", timeout=15000)
    assert any(
        "03-busan-truce" in (results.nth(i).get_attribute("href") or "")
        for i in range(results.count())
    )
