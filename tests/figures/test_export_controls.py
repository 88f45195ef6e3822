"""China's export measures since 1973: every step of the regime, the menus, the short labels."""

from __future__ import annotations

from tests import specs
from widgets.data import load_table
from widgets.figures import export_controls

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
    # a long list keeps its first items (cut at a comma) and says that it goes on
    long = "Gallium, germanium, antimony, superhard materials, graphite, rare metals"
    assert export_controls.short_items(long) == "Gallium, germanium, antimony …"
