"""Answers of the explorer's exercises as a student finds them on the page: on the sliders'
own grid (a stockpile moves by 5 days, a rate by 1 %) and judged by the sentence as it prints
(whole percents, rounded by :mod:`widgets.scenario.words`), not by the model's exact optimum."""

from __future__ import annotations

from collections.abc import Callable

from widgets import scenario as sc
from widgets.explorer.controls import slider_range
from widgets.scenario import words


def slider_values(field: str) -> list[float]:
    """Every value the field's slider can show, low to high."""
    low, high, step = slider_range(field)
    count = round((high - low) / step)
    return [low + i * step for i in range(count + 1)]


def first_on_slider(
    scenario: sc.Scenario, field: str, works: Callable[[sc.Scenario], bool]
) -> float | None:
    """The lowest value of the field's slider with which ``works`` holds, or None."""
    for value in slider_values(field):
        changed = scenario.with_changes(**{field: sc.as_field_value(field, value)})
        if works(changed):
            return value
    return None


def no_shortage(scenario: sc.Scenario) -> bool:
    return sc.summarize(scenario)["first_shortage_month"] is None


def printed_unmet_at_most(share: float) -> Callable[[sc.Scenario], bool]:
    """True where the sentence prints at most what it prints for ``share`` of demand unmet
    (e.g. 0.05: "5 %" or less)."""
    limit = words.printed_percent(share)

    def works(scenario: sc.Scenario) -> bool:
        return words.printed_percent(sc.summarize(scenario)["unmet_share"]) <= limit

    return works
