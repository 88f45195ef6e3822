"""Small text helpers shared by every chart: wrapping a line, the empty-cell rule, dates as a
reader reads them and runs of years (a share of demand in words is the scenario's: `scenario.percent_words`).

Each helper is written once here; chart modules never re-implement one. Contract:

* ``wrap(text, width)`` cuts at spaces only (never inside a word), into lines of at most
  ``width`` characters unless a single word is longer.
* An empty cell of a table (``None``, ``NaN``, ``NA``) is shown as ``""``: ``or_empty`` for one
  value, ``column_or_empty`` for a whole column. Nothing else is turned into text silently.
* Dates are calendar days: ``day`` gives the ISO form Vega reads as a UTC day, ``epoch_ms`` the
  number Vega expressions compare, ``long_date`` and ``when_text`` what a reader sees.
"""

from __future__ import annotations

import textwrap

import pandas as pd

SOURCE_WIDTH = 95  # characters per line of a source line under a chart


def wrap(text: str, width: int = SOURCE_WIDTH) -> list[str]:
    """``text`` cut into lines of at most ``width`` characters, at spaces."""
    if width < 1:
        raise ValueError(f"width must be a positive number of characters, not {width!r}")
    return textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)


def or_empty(value) -> str:
    """A text cell, or '' where the table leaves it empty."""
    return "" if value is None or pd.isna(value) else str(value)


def column_or_empty(column: pd.Series) -> pd.Series:
    """A column of text cells with every empty cell as '' (the rule of :func:`or_empty`)."""
    return column.map(or_empty)


def day(value) -> str:
    """'2025-10-09' from a timestamp (the form Vega reads as a UTC calendar day)."""
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def epoch_ms(value) -> int:
    """Milliseconds since 1970-01-01 UTC: how Vega expressions compare dates."""
    return int(pd.Timestamp(value).value // 1_000_000)


def long_date(value) -> str:
    """'9 Oct 2025'."""
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp:%b %Y}"


def when_text(date: str, precision: str) -> str:
    """How precisely a date of data/events.csv is known, as a reader sees it: '1990s', 'Oct 2025'."""
    if precision == "decade":
        return f"{date[:4]}s"
    if precision == "year":
        return date[:4]
    if precision == "month":
        return f"{pd.Timestamp(date + '-01'):%b %Y}"
    if precision == "day":
        return long_date(date)
    raise ValueError(f"unknown date precision {precision!r} (decade, year, month or day)")


def year_ranges(years) -> str:
    """'2001-2011 and 2016-2017' from a list of years (consecutive years are merged)."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    if not runs:
        raise ValueError("year_ranges needs at least one year")
    parts = [f"{a}" if a == b else f"{a}-{b}" for a, b in runs]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def plural(count: int, noun: str) -> str:
    """'1 measure', '3 measures'."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
