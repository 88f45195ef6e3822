"""What a phone reader needs of every table of the book (issue 12, item 1): the measure.

Each built page that holds a table is opened as a phone opens it (375x812, mobile, touch: the
load that tests/browser/test_phone_pages.py shares among the phone checks), and every table
cell a reader can see is measured, once every folded part of the text is opened (the
Data page folds its lists of columns and sources; the data table under a chart, in the chart's
tool line, is not a table of the text):

* it lies inside the screen (0..375 px, within 1 px of rounding), unless it is inside a box that
  scrolls sideways, has more to show, and tells the reader so: the box shows its "scroll" hint
  (``HINT``), on the screen;
* its text runs to at most ``MOST_LINES`` lines (its height without padding over its line
  height): no column squeezed into a ribbon of one or two words a line.
"""

from __future__ import annotations

import re

from tools.site import SITE, site_pages

PHONE = {"width": 375, "height": 812}
MOST_LINES = 12
SLACK = 1.0  # px: rounding of bounding boxes
HINT = ".tr-scroll-hint"


def pages_with_tables() -> list[str]:
    found = []
    for page in site_pages(SITE):
        markup = (SITE / page).read_text(encoding="utf-8")
        main = markup[markup.find('<main id="main-content"') :]
        if re.search(r"<table\b", main):
            found.append(page)
    return found


MEASURE = """([hint, slack, most]) => {
  const width = document.documentElement.clientWidth;
  // shown: rendered, and not inside a box shrunk to 1 px that clips it (a row of headers kept
  // for screen readers only, as the phone layout keeps them)
  const clipped = (el) => {
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      const r = box.getBoundingClientRect(), style = getComputedStyle(box);
      if ((r.width <= 1 || r.height <= 1) && (style.overflow !== 'visible'
          || style.clipPath !== 'none')) return true;
    }
    return false;
  };
  const shown = (el) => el.checkVisibility({visibilityProperty: true, opacityProperty: true})
    && !clipped(el);
  const scroller = (el) => {
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      const overflow = getComputedStyle(box).overflowX;
      if ((overflow === 'auto' || overflow === 'scroll') && box.scrollWidth > box.clientWidth + 1)
        return box;
    }
    return null;
  };
  const cued = (box) => [...box.querySelectorAll(hint)].some((h) => {
    const r = h.getBoundingClientRect();
    return shown(h) && r.width > 0 && r.left >= -slack && r.right <= width + slack;
  });
  const problems = [];
  let cells = 0;
  for (const cell of document.querySelectorAll('main table :is(td, th)')) {
    const r = cell.getBoundingClientRect();
    if (!shown(cell) || (r.width === 0 && r.height === 0)) continue;
    cells += 1;
    const style = getComputedStyle(cell);
    const text = cell.textContent.trim().replace(/\\s+/g, ' ').slice(0, 50);
    const line = parseFloat(style.lineHeight) || 1.2 * parseFloat(style.fontSize);
    const lines = (r.height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)) / line;
    if (lines > most + 0.5)
      problems.push(`${Math.round(lines)} lines tall (${Math.round(r.width)} px wide): ${text}`);
    if (r.left < -slack || r.right > width + slack) {
      const box = scroller(cell);
      if (!box || !cued(box))
        problems.push(`off the screen at x=${Math.round(r.left)}..${Math.round(r.right)}`
                      + (box ? ' in a scroll box with no visible hint' : '') + `: ${text}`);
    }
  }
  return {cells, problems};
}"""


def measure_tables(page) -> dict:
    """{cells, problems} of ``page``'s tables (MEASURE), once a reader has opened its folded
    parts (the Data page's columns and sources); the charts' own data tables (the tool line
    under each chart) are not tables of the text. The test: tests/browser/test_phone_pages.py,
    in the one load of each page that the phone checks share."""
    page.evaluate(
        "document.querySelectorAll('main details').forEach(d => {"
        " if (!d.closest('.tr-chart-tools')) d.open = true; })"
    )
    # and sees them drawn: the scroll boxes' hints follow a container query on the box's scroll
    # state, which the browser takes at its next frames, not in the task that opened the parts
    page.evaluate(
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )
    return page.evaluate(MEASURE, [HINT, SLACK, MOST_LINES])
