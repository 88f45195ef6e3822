"""Dark mode as a reader meets it: the theme's button, the OS preference, readable charts.

The reader switches with the theme's own button in the article header (it cycles auto, light,
dark, stored in localStorage). Charts keep the colours they were designed with and sit on a
light card in dark mode (site.css), so what is measured is what a reader reads: every text of a
chart's SVG against the background it is drawn on, and the text of the page around the chart
against the page, both at least 4.5:1 (WCAG AA). axe checks the whole chapter in dark mode.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

from tools.site import wait_for_charts

from .pages import CH2

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


def low_contrast_chart_texts(page) -> list[str]:
    found = []
    charts = page.locator("div[id^='altair-viz-']")
    assert charts.count() > 0
    for i in range(charts.count()):
        texts = charts.nth(i).locator("svg text")
        assert texts.count() > 0, f"chart {i} has no text"
        for j in range(texts.count()):
            text = texts.nth(j)
            if not text.text_content().strip():
                continue
            ratio = text.evaluate(CONTRAST)
            if ratio is not None and ratio < AA:
                found.append(f"chart {i}: {text.text_content()!r} {ratio:.2f}:1")
    return found


def test_the_theme_button_turns_a_chapter_dark_and_its_charts_stay_readable(visit):
    visit_ = visit(CH2)
    page = visit_.page
    assert page.evaluate("document.documentElement.dataset.theme") == "light"
    switch_to_dark(page)
    wait_for_charts(page)
    page_background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert page_background != "rgb(255, 255, 255)", "the page did not turn dark"
    assert low_contrast_chart_texts(page) == []
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
    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + ", ".join(str(n["target"]) for n in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], "\n".join(serious)
