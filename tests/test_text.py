"""The text helpers every chart shares: wrapping, empty cells, dates, year runs."""

from __future__ import annotations

import pandas as pd
import pytest

from widgets import text


def test_wrap_cuts_at_spaces_into_short_lines():
    words = "one two three four five six seven eight nine ten"
    lines = text.wrap(words, 12)
    assert " ".join(lines) == words and all(len(line) <= 12 for line in lines)
    assert text.wrap("averyveryverylongword", 5) == ["averyveryverylongword"]
    with pytest.raises(ValueError):
        text.wrap(words, 0)


def test_an_empty_cell_is_an_empty_text_and_nothing_else_is():
    assert [text.or_empty(v) for v in (None, float("nan"), pd.NA, "x", 0)] == ["", "", "", "x", "0"]
    column = pd.Series(["a", None, float("nan")])
    assert list(text.column_or_empty(column)) == ["a", "", ""]


def test_dates_read_as_calendar_days():
    assert text.day(pd.Timestamp("2025-10-09 15:00")) == "2025-10-09"
    assert text.long_date("2025-10-09") == "9 Oct 2025"
    assert text.epoch_ms("1970-01-02") == 86_400_000
    assert [text.when_text("1990", "decade"), text.when_text("2025-10", "month")] == [
        "1990s",
        "Oct 2025",
    ]
    assert text.when_text("2025-10-09", "day") == "9 Oct 2025"
    with pytest.raises(ValueError, match="precision"):
        text.when_text("2025", "century")


def test_year_ranges_merges_consecutive_years():
    assert text.year_ranges([2016, 2001, 2002, 2003, 2017]) == "2001-2003 and 2016-2017"
    assert text.year_ranges([1990]) == "1990"
    with pytest.raises(ValueError):
        text.year_ranges([])
