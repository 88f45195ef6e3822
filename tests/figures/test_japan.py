"""China's share of Japan's imports: every estimate, its definition and Japan's targets."""

from __future__ import annotations

import json

from tests import specs
from widgets.data import load_table
from widgets.figures import japan

SOURCE_KEYS = set(load_table("sources")["source"])


def test_japan_chart_plots_every_estimate_of_the_table():
    table = load_table("japan_china_share")
    spec = japan.japan_import_share().to_dict()
    data = [
        d for d in spec["datasets"].values() if isinstance(d, list) and d and "value_pct" in d[0]
    ]
    shown = {(row["id"], row["value_pct"]) for dataset in data for row in dataset}
    assert {(r.id, r.value_pct) for r in table.itertuples()} <= shown


def test_japan_chart_draws_japans_targets_from_the_targets_table():
    targets = load_table("policy_targets").set_index("id")
    text = " ".join(specs.all_titles({"x": japan.japan_import_share().to_dict()}))
    spec = json.dumps(japan.japan_import_share().to_dict())
    assert f"under {targets.loc['jp_single_supplier', 'value']:g} %" in spec
    assert (
        f"{int(targets.loc['jp_self_sufficiency', 'deadline_year'])}: "
        f"{targets.loc['jp_self_sufficiency', 'value']:g} % self-sufficiency" in spec
    )
    assert "Japan" in text


def test_every_japan_estimate_has_a_definition_and_a_registered_source():
    table = load_table("japan_china_share")
    assert table["measure"].str.len().min() > 20
    assert set(table["source"]) <= SOURCE_KEYS
    ranges = table[table["bound"] == "range"]
    assert (ranges["value_high_pct"] > ranges["value_pct"]).all()
    assert table[table["bound"] != "range"]["value_high_pct"].isna().all()


def test_both_the_60_and_the_70_percent_figures_are_kept():
    values = set(load_table("japan_china_share")["value_pct"])
    assert {60, 70} <= values


def test_label_offsets_keep_labels_apart():
    xs, ys = [100, 102, 104, 106], [50, 50, 51, 50]
    offsets = japan.label_offsets(xs, ys, [40] * 4)
    boxes = [
        (x + dx, y + dy - 6.5, x + dx + 40, y + dy + 6.5)
        for (x, y), (dx, dy) in zip(zip(xs, ys, strict=True), offsets, strict=True)
    ]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
