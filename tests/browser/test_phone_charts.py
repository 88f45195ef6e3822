"""Every chart of the book is drawn for the width it gets (issue 12, review P4).

Each page with charts (every chapter; the scenario explorer's charts have tests of their own) is
opened as a phone opens it (375x812, mobile, touch: in tests/browser/test_phone_pages.py, the
load the phone checks share) and as a laptop does (1366x900, here). Once every chart is drawn
(``wait_for_charts``, in the visit), each chart is measured in the page:

* its frame is the screen on a phone (0..375 px) and the page's content column on a laptop;
  what the chart draws is visible only inside the frame, its own SVG box and any box around it
  that clips or scrolls what overflows it (the chart's container scrolls sideways);
* every drawn item (``svg .role-mark`` items and every text of the SVG: labels, titles,
  legends) and every control of the chart (its menus, buttons and sliders with their labels)
  lies inside what is visible, within 1 px of rounding: nothing is cut off at the phone's edge,
  clipped by the SVG or hidden in a scroll box;
* a menu of a chart (a bound select) shows its chosen option whole, not cut at its edge;
* the smallest font of its text, as rendered, is at least 11 px: the font size Vega gives the
  text times the scale the browser applies to the SVG (rendered width over viewBox width);
* no two texts of a chart collide (issue 12, the final reader's pass): the boxes of its titles,
  notes, axis titles and tick labels, mark labels and legend entries do not overlap by more than
  a sliver (more than ``OVERLAP_AREA`` px² that is ``OVERLAP_SHARE`` of the smaller box or
  ``OVERLAP_DEPTH`` px deep both ways, where glyphs meet), so no note sits on
  the tick labels and no two labels share a line; only the pairs listed in ``MAY_OVERLAP``
  (by design) are let through;
* no text is cut by Vega's ``limit`` (it then ends in "…"): every label of the book carries a
  meaning that a half-word would lose.

The fit, the collisions and the cut texts are measured in the same load of each page at each
width: each load of a page costs about a second of the suite.
"""

from __future__ import annotations

import math

import pytest

from tools.site import SITE, site_pages

from . import vega
from .conftest import open_visit
from .pages import ASIA, CAREMAG, CH1, CH2, CH3, CONCLUSION, EUROPE, US

pytestmark = pytest.mark.browser

CHAPTERS = [CH1, CH2, CH3, ASIA, US, EUROPE, CAREMAG, CONCLUSION]
# the other pages with charts: the landing page's hero and the classroom's small charts
OTHERS = ["book/index.html", "book/classroom.html", "book/licence-room.html"]
PAGES = CHAPTERS + OTHERS
EXPLORER = "book/scenario-explorer.html"  # its charts: tests/browser/test_explorer.py
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1366, "height": 900}
SMALLEST_FONT = 11.0  # px, as rendered
SLACK = 1.0  # px: rounding of bounding boxes
MENU_ARROW = 20  # px: the arrow of a closed menu (select), right of its text
# A chart drawn at its natural size can get a scale of 0.9998 when the column's width is a
# fractional number of pixels (820.8 px for an 821 px viewBox): 11 px text then measures 10.997.
FONT_ROUNDING = 0.01  # px
# Two texts collide when their boxes share more than a sliver: boxes are the glyphs' line boxes
# (ascent to descent), so two lines set one under the other may touch by a pixel without any
# glyph touching.
OVERLAP_AREA = 2.0  # px², as rendered
OVERLAP_SHARE = 0.10  # of the smaller box
OVERLAP_DEPTH = 3.0  # px across and down: two words that run into each other
# Texts that overlap by design, as (chart title starts with, text, other text): none today.
# A text mark drawn inside its own bar overlaps the bar, not another text, and needs no entry.
MAY_OVERLAP: list[tuple[str, str, str]] = []
# Charts whose row labels (the category labels of their y axis) a phone's column shortens to
# what fits by design: long timelines and tables whose rows say when and what kind, while the
# whole text of each row is in its tooltip and in the chart's description. Their legends,
# titles, notes and mark labels are never cut, and on a laptop nothing is.
# Each entry is the start of the chart's title (the test's name of the chart).
ROWS_CUT_ON_A_PHONE = (
    "China's export measures",  # chapter 2: 40 measures since 1973, "date · kind" kept
    "From the October 2025 licences to",  # chapter 3: the truce's events, dated
    "What the Busan truce suspended",  # chapter 3: the measures since 2023, dated
    "Targets for 2030",  # chapter 6: the projects' timeline under the targets
    "Less than 24 months?",  # chapter 8: the calendar of the alternatives
)

# For each chart: its title, the smallest rendered font of its texts (and which text), and the
# items it draws (and its controls) that stick out of what is visible of it.
MEASURE = (
    """(column) => [...document.querySelectorAll("div[id^='altair-viz-']")].map(div => {
  const svg = div.querySelector('svg');
  const title = div.querySelector('g.role-title-text text');
  const result = {id: div.id, title: title ? title.textContent : div.id, font: null,
                  smallest: '', outside: [], svg: !!svg, items: 0};
  if (!svg) return result;
  const box = svg.getBoundingClientRect();
  const viewBox = svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width
    ? svg.viewBox.baseVal.width : Number(svg.getAttribute('width')) || box.width;
  const scale = box.width / viewBox;
  result.scale = scale;
  // What is visible of the chart: the screen or the content column, narrowed by every box
  // between the chart and the page that clips or scrolls its overflow.
  let frame = {left: 0, right: document.documentElement.clientWidth,
               top: -Infinity, bottom: Infinity};
  const narrow = (r, vertical) => {
    frame = {left: Math.max(frame.left, r.left), right: Math.min(frame.right, r.right),
             top: vertical ? Math.max(frame.top, r.top) : frame.top,
             bottom: vertical ? Math.min(frame.bottom, r.bottom) : frame.bottom};
  };
  if (column) narrow(div.closest('article').getBoundingClientRect(), false);
  for (let e = div; e && e !== document.body; e = e.parentElement) {
    const style = getComputedStyle(e);
    if (style.overflowX !== 'visible') narrow(e.getBoundingClientRect(), false);
    if (style.overflowY !== 'visible' && style.overflowY !== 'auto') {
      narrow(e.getBoundingClientRect(), true);
    }
  }
  const inSvg = {left: frame.left, right: frame.right,
                 top: Math.max(frame.top, box.top), bottom: Math.min(frame.bottom, box.bottom)};
  inSvg.left = Math.max(inSvg.left, box.left);
  inSvg.right = Math.min(inSvg.right, box.right);
  const shown = (e) => {
    const r = e.getBoundingClientRect();
    return (r.width > 0 || r.height > 0) && getComputedStyle(e).visibility !== 'hidden';
  };
  for (const text of svg.querySelectorAll('text')) {
    if (!text.textContent.trim() || !shown(text)) continue;
    const size = parseFloat(getComputedStyle(text).fontSize) * scale;
    if (!isFinite(size)) { result.font = NaN; result.smallest = text.textContent.trim(); break; }
    if (result.font === null || size < result.font) {
      result.font = size;
      result.smallest = text.textContent.trim().slice(0, 40);
    }
  }
  const check = (item, visible) => {
    if (!shown(item)) return;
    result.items += 1;
    const r = item.getBoundingClientRect();
    if (r.left < visible.left - SLACK || r.right > visible.right + SLACK
        || r.top < visible.top - SLACK || r.bottom > visible.bottom + SLACK) {
      const name = (item.textContent || item.getAttribute('aria-label') || item.tagName);
      result.outside.push(`${name.trim().slice(0, 40)} at x ${Math.round(r.left)}..`
        + `${Math.round(r.right)}, y ${Math.round(r.top - box.top)}..`
        + `${Math.round(r.bottom - box.top)} (visible: x ${Math.round(visible.left)}..`
        + `${Math.round(visible.right)})`);
    }
  };
  for (const item of svg.querySelectorAll('.role-mark > *, text')) check(item, inSvg);
  for (const item of div.querySelectorAll('.vega-bindings label, .vega-bindings input, '
                                          + '.vega-bindings select, .vega-bindings span')) {
    check(item, frame);
  }
  // A menu shows whichever option the reader chooses whole: each option's text, in the menu's
  // font, fits the menu's box less its padding and arrow (a select cannot wrap: it cuts).
  const ruler = document.createElement('canvas').getContext('2d');
  for (const select of div.querySelectorAll('.vega-bindings select')) {
    if (!shown(select)) continue;
    const style = getComputedStyle(select);
    ruler.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    for (const option of select.options) {
      const needed = ruler.measureText(option.text).width + MENU_ARROW
        + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
      if (needed > select.getBoundingClientRect().width + SLACK) {
        result.outside.push(`menu option ${JSON.stringify(option.text.slice(0, 40))} needs `
          + `${Math.round(needed)} px, its menu is `
          + `${Math.round(select.getBoundingClientRect().width)}`);
      }
    }
  }
  // Texts that collide: every pair of shown, non-empty texts of the SVG whose rendered boxes
  // share more than a sliver, and texts that Vega's `limit` cut (they end in its ellipsis).
  result.collisions = [];
  result.cut = [];
  const opaque = (e) => {
    for (let n = e; n && n !== svg; n = n.parentElement) {
      const style = getComputedStyle(n);
      if (Number(style.opacity) === 0 || style.display === 'none') return false;
    }
    const style = getComputedStyle(e);
    return Number(style.fillOpacity) !== 0 && style.fill !== 'none' && style.fill !== 'transparent';
  };
  const kind = (e) => {
    const roles = [];
    for (let n = e; n && n !== svg; n = n.parentElement) {
      const m = (n.getAttribute('class') || '').match(/role-([a-z-]+)/);
      if (m) roles.push(m[1]);
    }
    return roles.slice(0, 2).join(' in ');
  };
  const texts = [...svg.querySelectorAll('text')]
    .filter(t => t.textContent.trim() && shown(t) && opaque(t))
    .map(t => ({text: t.textContent.trim(), box: t.getBoundingClientRect(), role: kind(t),
                whole: t.__data__ ? t.__data__.text : null}));
  // Vega keeps the whole text on the drawn item (the SVG element's __data__): a text that ends
  // in "…" and differs from it was cut; one that ends in "…" as written (a list that goes on)
  // was not.
  const bare = (s) => String(s).replace(/\\s/g, '');
  for (const t of texts) {
    const whole = Array.isArray(t.whole) ? t.whole.join('') : t.whole;
    if (t.text.endsWith('\u2026') && (whole == null || bare(whole) !== bare(t.text))) {
      result.cut.push({text: t.text, role: t.role});
    }
  }
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i].box, b = texts[j].box;
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w <= 0 || h <= 0) continue;
      const area = w * h;
      const smaller = Math.min(a.width * a.height, b.width * b.height);
      if (area > OVERLAP_AREA
          && (area > OVERLAP_SHARE * smaller || (w > OVERLAP_DEPTH && h > OVERLAP_DEPTH))) {
        result.collisions.push({a: texts[i].text, b: texts[j].text,
                                roles: [texts[i].role, texts[j].role],
                                area: Math.round(area), share: area / smaller,
                                y: Math.round(Math.max(a.top, b.top) - box.top)});
      }
    }
  }
  return result;
})""".replace("SLACK", str(SLACK))
    .replace("MENU_ARROW", str(MENU_ARROW))
    .replace("OVERLAP_AREA", str(OVERLAP_AREA))
    .replace("OVERLAP_SHARE", str(OVERLAP_SHARE))
    .replace("OVERLAP_DEPTH", str(OVERLAP_DEPTH))
)


def measure_charts(page, path: str, column: bool) -> list[dict]:
    """Every chart of ``page`` measured (MEASURE), the classroom's hidden results shown first;
    ``column``: the frame is the content column (a laptop), not the screen."""
    vega.show_mission_results(page)  # as the student sees them once a mission is run
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    found = page.evaluate(MEASURE, column)
    assert found, f"{path}: no chart found"
    assert all(chart["svg"] for chart in found), f"{path}: a chart was not drawn as SVG"
    assert all(chart["items"] for chart in found), f"{path}: a chart drew nothing measurable"
    return found


def problems_of(charts: list[dict]) -> list[str]:
    """What breaks the rules, chart by chart: text under 11 px, items outside what is visible."""
    problems = []
    for chart in charts:
        if not chart["font"] or math.isnan(chart["font"]):
            problems.append(f"{chart['title']!r}: no text whose size could be measured")
        elif chart["font"] < SMALLEST_FONT - FONT_ROUNDING:
            problems.append(
                f"{chart['title']!r}: text {chart['smallest']!r} drawn at {chart['font']:.1f} px"
            )
        problems += [f"{chart['title']!r}: cut off: {item}" for item in chart["outside"]]
    return problems


def allowed(title: str, a: str, b: str) -> bool:
    return any(
        title.startswith(start) and {a, b} == {one, other} for start, one, other in MAY_OVERLAP
    )


def collisions_of(charts: list[dict], phone: bool) -> list[str]:
    """Texts of a chart that sit on each other, and texts cut short by Vega's limit."""
    problems = []
    for chart in charts:
        for hit in chart["collisions"]:
            if allowed(chart["title"], hit["a"], hit["b"]):
                continue
            problems.append(
                f"{chart['title']!r}: {hit['a'][:50]!r} ({hit['roles'][0]}) and "
                f"{hit['b'][:50]!r} ({hit['roles'][1]}) overlap by {hit['area']} px² "
                f"({hit['share']:.0%} of the smaller), {hit['y']} px from the chart's top"
            )
        problems += [
            f"{chart['title']!r}: text cut by its limit: {cut['text']!r} ({cut['role']})"
            for cut in chart["cut"]
            if not (
                phone
                and cut["role"].startswith("axis-label")
                and chart["title"].startswith(ROWS_CUT_ON_A_PHONE)
            )
        ]
    return problems


def test_every_page_with_charts_is_measured():
    with_charts = {
        path for path in site_pages() if "altair-viz-" in (SITE / path).read_text(encoding="utf-8")
    }
    assert with_charts - {EXPLORER} == set(PAGES)


# At 375 px, each page's charts are measured in tests/browser/test_phone_pages.py, in the one
# load of the page that the phone checks share.
@pytest.mark.parametrize("path", PAGES)
def test_charts_fit_the_column_of_a_laptop_and_no_texts_collide(browser, site_url, path):
    page = open_visit(browser, site_url + path, DESKTOP).page
    try:
        charts = measure_charts(page, path, column=True)
    finally:
        page.context.close()
    problems = problems_of(charts) + collisions_of(charts, phone=False)
    assert not problems, f"{path} at 1366 px:\n" + "\n".join(problems)
