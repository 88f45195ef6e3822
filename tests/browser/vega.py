"""One page object for the charts of the built site, as Vega draws them in chromium.

Every browser test reads a chart the same way: find it by its title (or its place on the page),
read its marks, the fields Vega writes into each mark's aria-label, its text marks and the
tooltip; move a control as a reader does; then ``settle`` instead of sleeping. Vega re-runs its
dataflow on the input event and redraws on the next animation frames, so waiting for two frames,
twice, is waiting for what the page itself signals, not for a guessed delay.
"""

from __future__ import annotations

CHART = "div[id^='altair-viz-']"
TEXT_MARKS = "g.mark-text.role-mark text"


def settle(page) -> None:
    """Wait until Vega has re-run the dataflow and redrawn (two animation frames, twice)."""
    for _ in range(2):
        page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )


def show_mission_results(page) -> None:
    """Show the classroom's mission results, hidden until a student has predicted and run the
    mission: their charts are then checked as the student sees them."""
    page.evaluate(
        "() => document.querySelectorAll('.mission-result[hidden]')"
        ".forEach(box => { box.hidden = false; })"
    )


def charts(page):
    """Every Altair chart of the page."""
    return page.locator(CHART)


def chart_at(page, index: int):
    """The chart at ``index`` in the page's reading order."""
    return page.locator(CHART).nth(index)


def chart_titled(page, title: str):
    """The Altair chart whose title (drawn by Vega as SVG text) contains ``title``; a title cut
    into lines (one tspan each) is read with a space between its lines."""
    found = page.locator(CHART)
    for i in range(found.count()):
        titles = found.nth(i).locator("g.role-title-text text")
        read = titles.evaluate_all(
            "texts => texts.map(t => t.querySelectorAll('tspan').length"
            " ? [...t.querySelectorAll('tspan')].map(s => s.textContent).join(' ')"
            " : t.textContent)"
        )
        if any(title in text for text in read):
            return found.nth(i)
    raise AssertionError(f"no chart titled {title!r}")


def marks(chart, kind: str) -> int:
    """How many items a chart's marks of one kind draw (symbol, rect, text, shape ...)."""
    return chart.locator(f"svg g.mark-{kind}.role-mark > *").count()


def aria_labels(chart, selector: str) -> list[str]:
    """The aria-label of every element matching ``selector`` in the chart."""
    return chart.locator(selector).evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label') || '')"
    )


def fields_of(label: str) -> dict[str, str]:
    """Vega writes each datum into its mark's aria-label: 'A: 1; B: x' -> {'A': '1', 'B': 'x'}."""
    return dict(part.split(": ", 1) for part in label.split("; ") if ": " in part)


def aria_fields(chart, selector: str) -> list[dict]:
    """The fields of every mark matching ``selector`` (see :func:`fields_of`)."""
    return [fields_of(label) for label in aria_labels(chart, selector)]


def texts(chart, selector: str = TEXT_MARKS) -> list[str]:
    """The texts the chart's text marks draw."""
    return chart.locator(selector).all_text_contents()


def text(chart) -> str:
    """Every text mark of the chart, as one string."""
    return " ".join(texts(chart))


def tooltip(page, timeout: float = 5000) -> str:
    """The text of Vega's tooltip, once it shows."""
    box = page.locator("#vg-tooltip-element")
    box.wait_for(state="visible", timeout=timeout)
    return box.inner_text()


def set_range(chart, value, index: int = 0) -> None:
    """Move a chart's slider as a reader does: set its value and fire the input event."""
    chart.locator("input[type=range]").nth(index).evaluate(
        "(e, v) => { e.value = v; e.dispatchEvent(new Event('input', {bubbles: true})); }", value
    )
    settle(chart.page)


def select(chart, value: str, name: str | None = None) -> None:
    """Pick ``value`` in a chart's menu (the one named ``name``, or its only menu)."""
    chart.locator(f"select[name='{name}']" if name else "select").select_option(value)
    settle(chart.page)


def check(chart, selector: str) -> None:
    """Tick a chart's radio button or checkbox."""
    chart.locator(selector).check()
    settle(chart.page)


def click(chart, selector: str) -> None:
    """Click the first mark matching ``selector`` (forced: marks may sit under other marks)."""
    chart.locator(selector).first.click(force=True)
    settle(chart.page)
