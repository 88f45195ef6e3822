"""The Busan chart and the truce timeline: suspensions end on the date the suspension sets, the
menu offers the truce dates, month-precise events span their month."""

from __future__ import annotations

import pandas as pd
import pytest

from widgets import text
from widgets.data import load_table
from widgets.figures import busan

SOURCE_KEYS = set(load_table("sources")["source"])


def test_busan_chart_suspends_the_october_measures_until_the_date_set_by_the_suspension():
    controls = load_table("export_controls")
    measures, segments = busan.measures_in_force_table()
    suspended = segments[segments.phase.isin(["suspended", "partly suspended"])]
    for row in controls[
        controls["suspended_until"].notna() & (controls["instrument"] != "suspension")
    ].itertuples():
        rows = suspended[suspended["row"].str.startswith(text.long_date(row.announced))]
        assert text.day(row.suspended_until) in set(rows["end"])
    april = measures[measures["row"].str.contains("Sm, Gd, Tb, Dy")]
    assert len(april) == 1 and pd.isna(april["s_ms"].iloc[0]), (
        "the April 2025 licences were not suspended"
    )


def test_busan_menu_offers_the_truce_dates_and_refuses_others():
    events = load_table("events")
    truce_days = set(
        events[(events["kind"] == "truce") & (events["date_precision"] == "day")]["date"]
    )
    assert truce_days <= set(busan.key_dates()["date"])
    with pytest.raises(ValueError):
        busan.measures_in_force(start="1999-01-01")


def test_events_known_to_the_month_span_their_month_in_the_truce_timeline():
    frame = busan.truce_events()
    months = frame[frame["start"] != frame["end"]]
    assert not months.empty
    for r in months.itertuples():
        start, end = pd.Timestamp(r.start), pd.Timestamp(r.end)
        assert start.day == 1 and (end + pd.Timedelta(days=1)).day == 1 and start.month == end.month
