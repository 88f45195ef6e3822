"""China's export measures, the Busan chart and the truce timeline, from their tables."""

from __future__ import annotations

import pandas as pd
import pytest

from tests import specs
from widgets import text
from widgets.data import load_table
from widgets.figures import busan, export_controls

SOURCE_KEYS = set(load_table("sources")["source"])


def test_the_timeline_holds_every_measure_and_every_quota_step():
    measures = export_controls.export_measures()
    controls = load_table("export_controls")
    quotas = load_table("export_quotas")
    assert (
        len(measures)
        == len(controls) + len(quotas) + (measures["kind"] == export_controls.POLICY).sum()
    )
    assert set(controls["measure"]) <= set(measures["what"])
    assert set(quotas["measure"]) <= set(measures["what"])
    assert measures["row"].is_unique
    assert measures["date"].is_monotonic_increasing
    assert set(measures["kind"]) <= set(export_controls.KIND_ORDER)
    assert "quota" in set(measures["kind"]) and "licence" in set(measures["kind"])


def test_timeline_menus_list_the_kinds_and_targets_present():
    spec = export_controls.export_controls_timeline().to_dict()
    params = {p["name"]: p for p in specs.params(spec)}
    measures = export_controls.export_measures()
    assert set(params["kind"]["bind"]["options"]) == {"all"} | set(measures["kind"])
    assert set(params["target"]["bind"]["options"]) == {"all"} | set(measures["target_group"])
    periods = params["period"]["bind"]["options"]
    first_year = int(measures["date"].min()[:4])
    assert periods[0] == first_year and periods == sorted(periods) and len(periods) >= 2


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


def test_short_labels_keep_the_first_item_only():
    assert export_controls.short_items("Sm, Gd, Tb (metals, oxides)") == "Sm, Gd, Tb"
    assert (
        export_controls.short_items("Gallium and germanium: metals, compounds")
        == "Gallium and germanium"
    )
    assert (
        export_controls.short_items("Technologies: extraction; metals")
        == "technologies of extraction …"
    )
