"""The chapter list (the primary sidebar) on a laptop screen: it opens at its top, the site's
title in view, unless the page's own entry would then be off-screen; then the entry shows."""

from __future__ import annotations

from .pages import CONCLUSION

LAPTOP = {"width": 1366, "height": 768}
LIST = """() => {
  const list = document.querySelector('div.bd-sidebar');
  const entry = [...list.querySelectorAll('.bd-docs-nav .active')].pop().getBoundingClientRect();
  const box = list.getBoundingClientRect();
  return {scroll: list.scrollTop, entryShown: entry.top >= box.top && entry.bottom <= box.bottom};
}"""


def opened_list(page) -> dict:
    page.wait_for_load_state("load")  # the theme scrolls the list on DOMContentLoaded
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return page.evaluate(LIST)


def test_the_chapter_list_opens_at_its_top_unless_the_pages_entry_would_be_hidden(visit):
    page = visit(CONCLUSION, LAPTOP).page  # the last chapter: its entry fits under the title
    assert opened_list(page) == {"scroll": 0, "entryShown": True}
    page.goto(page.url.replace("08-conclusion", "licence-room"))  # the last entry of the list
    low = opened_list(page)
    assert low["scroll"] > 0 and low["entryShown"], low
