"""A reader prints a chapter: no navigation or controls on paper, charts whole; `make pdf`
produces a real PDF with the chapter's text and its charts."""

from __future__ import annotations

from pypdf import PdfReader

from tools.print_pdf import print_with, toc_pages

CHAPTER = "book/02-china-supremacy"


def test_the_print_stylesheet_hides_navigation_and_keeps_the_charts(visit):
    page = visit(CHAPTER + ".html").page
    page.emulate_media(media="print")
    assert not page.locator(".bd-sidebar-primary").is_visible()
    assert not page.locator(".prev-next-area").is_visible()
    chart = page.locator("div[id^='altair-viz-'] svg").first
    assert chart.is_visible()
    assert chart.bounding_box()["width"] > 300


def test_the_printable_edition_holds_the_chapter_text_and_its_chart(browser, site_url, tmp_path):
    pdf = print_with(browser, site_url, [CHAPTER], tmp_path / "chapter.pdf")
    reader = PdfReader(pdf)
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "China" in text and "supremacy" in text
    assert "World rare-earth mine production" in text  # the chart's title, drawn by Vega as text
    assert len(reader.pages) >= 2


def test_the_edition_follows_the_table_of_contents():
    pages = toc_pages()
    assert pages[0] == "book/index" and CHAPTER in pages
    assert len(pages) == len(set(pages))
