"""Dark mode as a reader meets it: the theme's button, the OS preference, readable charts.

The reader switches with the theme's own button in the article header (it cycles auto, light,
dark, stored in localStorage). Charts follow the page's mode (charts.js swaps each colour of a
chart for its dark counterpart of widgets/charts.py, in the same view), and the site's outputs
take the page's colours instead of the theme's light output box. What is measured is what a
reader reads: every text of a chart's SVG against the colour actually behind it (the marks it
sits on, over the page), every text of the site's outputs against its background, all at least
4.5:1 (WCAG AA), and nothing behind a chart but the page. axe checks a chapter in dark mode.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.site import wait_for_charts

from .accessibility import serious_findings
from .pages import ASIA, CAREMAG, CH1, CH2, CH3, CONCLUSION, EUROPE, US
from .test_explorer import open_explorer, set_control, settle

AA = 4.5

# Contrast of the text of an element against what it is painted on: the SVG's background
# (Vega draws it as a rect of class "background") or the nearest ancestor with a background.
CONTRAST = """(element) => {
  const rgba = (text) => {
    const m = text.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [r, g, b, a];
  };
  const over = (top, bottom) => top.slice(0, 3).map((c, i) => c * top[3] + bottom[i] * (1 - top[3]));
  const luminance = (rgb) => {
    const [r, g, b] = rgb.map((c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (node) => {
    const layers = [];
    for (let at = node; at && at.nodeType === 1; at = at.parentElement) {
      if (at.tagName.toLowerCase() === "svg") {
        const rect = at.querySelector(":scope > g > .background, :scope > .background");
        const fill = rect && rgba(getComputedStyle(rect).fill);
        if (fill && fill[3] > 0) layers.push(fill);
      }
      const colour = rgba(getComputedStyle(at).backgroundColor);
      if (colour && colour[3] > 0) layers.push(colour);
      if (layers.length && layers[layers.length - 1][3] === 1) break;
    }
    return layers.reverse().reduce((under, layer) => over(layer, under), [255, 255, 255]);
  };
  const style = getComputedStyle(element);
  const ink = rgba(element.namespaceURI.endsWith("svg") ? style.fill : style.color);
  const opacity = Number(style.fillOpacity || 1) * Number(style.opacity || 1);
  if (opacity === 0) return null; // a label Vega hides where labels would overlap
  const bg = background(element.parentElement);
  const fg = over([ink[0], ink[1], ink[2], ink[3] * opacity], bg);
  const [light, dark] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
  return (light + 0.05) / (dark + 0.05);
}"""


def switch_to_dark(page) -> None:
    """Click the visible theme button, as a reader does, until the page is dark."""
    button = page.locator(".theme-switch-button").locator("visible=true").first
    for _ in range(3):
        if page.evaluate("document.documentElement.dataset.theme") == "dark":
            return
        before = page.evaluate("document.documentElement.dataset.mode")
        button.click()
        page.wait_for_function(f"document.documentElement.dataset.mode !== {before!r}")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"


# In one pass over the page: every text of every chart's SVG against the colour behind its
# centre (the filled shapes drawn before it that contain that point, over the page behind the
# SVG); every visible text of the site's outputs (charts' controls and tool lines, the explorer,
# the classroom, link lists) against its background; and the background behind each chart.
READINGS = """(contrastOf) => {
  const contrast = eval(contrastOf);
  const rgba = (text) => {
    const m = text && text.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [r, g, b, a];
  };
  const over = (top, bottom) => top.slice(0, 3).map((c, i) => c * top[3] + bottom[i] * (1 - top[3]));
  const page = (node) => {
    const layers = [];
    for (let at = node; at && at.nodeType === 1; at = at.parentElement) {
      const colour = rgba(getComputedStyle(at).backgroundColor);
      if (colour && colour[3] > 0) layers.push(colour);
      if (layers.length && layers[layers.length - 1][3] === 1) break;
    }
    return layers.reverse().reduce((under, layer) => over(layer, under), [255, 255, 255]);
  };
  const shown = (el) => el.getClientRects().length && getComputedStyle(el).visibility !== "hidden";
  const low = [], grounds = [];
  let texts = 0;
  for (const svg of document.querySelectorAll("div.tr-chart svg")) {
    grounds.push(page(svg.parentElement).map(Math.round).join(","));
    const shapes = [...svg.querySelectorAll("path, rect")];
    for (const text of svg.querySelectorAll("text")) {
      const style = getComputedStyle(text);
      // a text the chart fades on purpose (a zero, a group not highlighted) is read at full ink:
      // what is checked is its colour on what is behind it
      const opacity = Number(style.fillOpacity) * Number(style.opacity) > 0 ? 1 : 0;
      if (!text.textContent.trim() || opacity === 0 || !shown(text)) continue;
      const box = text.getBoundingClientRect();
      const point = new DOMPoint(box.left + box.width / 2, box.top + box.height / 2);
      let behind = page(svg.parentElement);
      for (const shape of shapes) {
        if (!(shape.compareDocumentPosition(text) & Node.DOCUMENT_POSITION_FOLLOWING)) break;
        const s = getComputedStyle(shape), fill = rgba(s.fill);
        const alpha = fill ? fill[3] * Number(s.fillOpacity) * Number(s.opacity) : 0;
        if (!alpha || !shape.getScreenCTM()) continue;
        if (shape.isPointInFill(point.matrixTransform(shape.getScreenCTM().inverse())))
          behind = over([fill[0], fill[1], fill[2], alpha], behind);
      }
      const ink = rgba(style.fill);
      const ratio = contrast(over([ink[0], ink[1], ink[2], ink[3] * opacity], behind), behind);
      texts += 1;
      if (ratio < 4.5) low.push(`chart text ${JSON.stringify(text.textContent.slice(0, 40))} `
        + `${ratio.toFixed(2)}:1 on rgb(${behind.map(Math.round)})`);
    }
  }
  const html = document.querySelectorAll(".cell_output .text_html "
    + ":is(p, li, a, button, label, legend, summary, th, td, dt, dd, h2, h3, h4, span, output)");
  for (const el of html) {
    if (el.closest("svg") || !shown(el)) continue;
    if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
    // a faded element (a disabled button at half opacity) shows the page through it
    let faded = 1;
    for (let at = el; at; at = at.parentElement) faded *= Number(getComputedStyle(at).opacity);
    const under = page(el.parentElement), ink = rgba(getComputedStyle(el).color);
    const behind = over([...page(el), faded], under);
    const ratio = contrast(over([ink[0], ink[1], ink[2], ink[3] * faded], behind), behind);
    texts += 1;
    if (ratio < 4.5) low.push(`${el.tagName.toLowerCase()}.${el.className} ${JSON.stringify(el.textContent.trim().slice(0, 40))} ${ratio.toFixed(2)}:1`);
  }
  return { low, grounds, texts, body: page(document.body).map(Math.round).join(",") };
}"""
# the contrast ratio of two [r, g, b] colours (WCAG 2)
CONTRAST_OF = """(a, b) => {
  const luminance = (rgb) => {
    const [r, g, b] = rgb.map((c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}"""


def readings(page) -> dict:
    """The texts below 4.5:1 (chart SVGs and the site's outputs), how many texts were read, the
    background behind each chart and the page's, all as the reader sees the page now."""
    return page.evaluate(READINGS, CONTRAST_OF)


def wait_for_mode(page, mode: str) -> None:
    """Wait until every chart of the page says it is drawn in ``mode`` (charts.js)."""
    page.wait_for_function(
        "mode => [...document.querySelectorAll('div.tr-chart')].every(d => d.dataset.mode === mode)",
        arg=mode,
    )
    settle(page)


def dark_visit(visit, relative: str):
    """``relative`` opened in dark mode, as a reader who chose it on an earlier page: the
    theme's choice (localStorage ``mode`` and ``theme``) is stored before the page opens."""
    opened = visit(relative, stored={"mode": "dark", "theme": "dark"})
    page = opened.page
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    wait_for_mode(page, "dark")
    return opened


CHART_PAGES = [
    "book/index.html",
    CH1,
    CH2,
    CH3,
    ASIA,
    US,
    EUROPE,
    CAREMAG,
    CONCLUSION,
    "book/scenario-explorer.html",
    "book/classroom.html",
    "book/licence-room.html",
    "book/instructor-guide.html",
]


def test_the_theme_button_turns_a_chapter_dark_and_its_charts_stay_readable(visit):
    visit_ = visit(CH2)
    page = visit_.page
    assert page.evaluate("document.documentElement.dataset.theme") == "light"
    switch_to_dark(page)
    wait_for_charts(page)
    page_background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert page_background != "rgb(255, 255, 255)", "the page did not turn dark"
    wait_for_mode(page, "dark")
    assert readings(page)["low"] == []
    # The page text around the first chart: the paragraphs before and after its cell.
    around = page.locator(
        "xpath=(//div[starts-with(@id,'altair-viz-')])[1]/ancestor::div[contains(@class,'cell')]"
        "/preceding-sibling::p[1] | (//div[starts-with(@id,'altair-viz-')])[1]"
        "/ancestor::div[contains(@class,'cell')]/following-sibling::p[1]"
    )
    assert around.count() >= 1
    for k in range(around.count()):
        assert around.nth(k).evaluate(CONTRAST) >= AA, around.nth(k).text_content()[:80]
    assert visit_.problems() == []


@pytest.mark.parametrize("relative", CHART_PAGES)
def test_in_dark_mode_every_chart_and_output_reads_on_the_page_itself(visit, relative):
    opened = dark_visit(visit, relative)
    found = readings(opened.page)
    assert found["texts"] > 0
    assert found["low"] == []
    # no light card or box: what is behind each chart is the page
    assert set(found["grounds"]) <= {found["body"]}, found["grounds"]
    assert opened.problems() == []


def test_the_theme_button_redraws_a_chart_in_the_new_mode_and_keeps_its_control(visit):
    page = visit(CH1).page
    assert page.evaluate("document.documentElement.dataset.theme") == "light"
    chart = page.locator("div.tr-chart").filter(has=page.locator("select")).first
    menu = chart.locator("select")
    options = menu.locator("option").evaluate_all("os => os.map(o => o.value)")
    menu.select_option(options[-1])
    settle(page)
    before = chart.locator("g.mark-text.role-mark text").all_text_contents()
    title = chart.locator("g.role-title-text text").first
    svg = chart.locator("svg").first
    svg.evaluate("s => { s.dataset.probe = 'kept'; }")
    light_ink = title.evaluate("t => getComputedStyle(t).fill")
    switch_to_dark(page)
    wait_for_mode(page, "dark")
    assert title.evaluate("t => getComputedStyle(t).fill") != light_ink
    found = readings(page)
    assert found["low"] == []
    assert set(found["grounds"]) <= {found["body"]}
    assert menu.input_value() == options[-1]  # the reader's choice is kept
    assert chart.locator("g.mark-text.role-mark text").all_text_contents() == before
    assert svg.evaluate("s => s.dataset.probe") == "kept", "the chart was drawn anew"
    # its SVG download is drawn as the reader sees it: the dark theme, on the page's colour
    with page.expect_download() as download:
        tools = chart.locator("xpath=following-sibling::div[contains(@class, 'tr-chart-tools')]")
        tools.first.locator("button", has_text="SVG").click()
    image = Path(download.value.path()).read_text(encoding="utf-8")
    body = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert f'fill="{body}"' in image and title.evaluate("t => t.getAttribute('fill')") in image


def test_the_explorer_switches_mode_with_its_scenario_and_pin(visit):
    page = open_explorer(visit).page
    set_control(page, "stockpile_days", 30)
    page.get_by_role("button", name="Pin this scenario").click()
    page.wait_for_selector(".scenario-explorer[data-pinned=true]")
    set_control(page, "stockpile_days", 90)
    page.wait_for_function(
        "document.querySelector('.explorer-result').innerText.includes('90 days')"
    )
    sentence = page.locator(".explorer-result").inner_text()
    switch_to_dark(page)
    wait_for_mode(page, "dark")
    found = readings(page)
    assert found["low"] == []
    assert set(found["grounds"]) <= {found["body"]}
    slider = page.locator(".scenario-explorer .vega-bind [name='stockpile_days']").first
    assert float(slider.input_value()) == 90
    assert page.locator(".scenario-explorer[data-pinned=true]").count() == 1
    assert page.locator(".explorer-result").inner_text() == sentence


def test_a_missions_chart_and_its_buttons_read_in_dark_mode(visit):
    page = dark_visit(visit, "book/classroom.html").page
    mission = page.locator(".mission").first
    mission.locator("input[type=radio]").first.check()
    mission.locator("button.mission-run").click()
    mission.locator(".tr-chart[data-mode=dark]").wait_for()
    settle(page)
    found = readings(page)
    assert found["low"] == []
    assert set(found["grounds"]) <= {found["body"]}


def test_dark_mode_is_remembered_on_the_next_page(visit):
    page = visit(CH2).page
    switch_to_dark(page)
    page.goto(page.url.replace("02-china-supremacy", "03-busan-truce"))
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"


def test_a_first_visit_follows_the_systems_dark_preference(browser, site_url):
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        messages, errors = [], []
        page.on("console", lambda m: messages.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        # Checked as soon as the document is parsed: no light flash before the theme's script.
        page.goto(site_url + CH2, wait_until="domcontentloaded")
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        page.wait_for_load_state("load")
        assert page.evaluate("document.documentElement.dataset.mode") == "auto"
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        assert errors == []
        assert not [m for m in messages if "invalid theme mode" in m], messages
    finally:
        context.close()


def test_a_chapter_in_dark_mode_has_no_serious_accessibility_finding(visit):
    page = visit(CH2).page
    switch_to_dark(page)
    wait_for_charts(page)
    serious = serious_findings(page)
    assert serious == [], "\n".join(serious)
