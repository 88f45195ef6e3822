"""Tests of the export-licence scenario model (widgets/scenario/).

Property tests (hypothesis) check the model's accounting and common sense on random
scenarios; the other tests check the inputs it refuses, its two evaluators (numpy and the
Vega-Lite transforms) against each other, and the defaults and presets in data/.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.scenario_strategies import scenarios, shares
from tests.vega_emulator import run_vega_transforms
from widgets import scenario as sc
from widgets.data import load_table
from widgets.scenario import formula

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def total_unmet(scenario: sc.Scenario) -> float:
    return float(sc.simulate(scenario)["unmet_t"].sum())


# --------------------------------------------------------------------------- accounting
@PROPERTY
@given(scenarios())
def test_every_month_supply_stock_and_unmet_add_up_to_demand(scenario):
    frame = sc.simulate(scenario)
    supplied = (
        frame["licensed_china_t"]
        + frame["other_supply_t"]
        + frame["recycling_t"]
        + frame["stock_drawn_t"]
        + frame["unmet_t"]
    )
    np.testing.assert_allclose(supplied, frame["demand_t"], rtol=1e-9, atol=0)


@PROPERTY
@given(scenarios())
def test_no_flow_is_negative_and_the_stock_never_goes_below_zero(scenario):
    frame = sc.simulate(scenario)
    for column in (
        "licensed_china_t",
        "other_supply_t",
        "recycling_t",
        "gap_t",
        "stock_drawn_t",
        "stock_left_t",
        "unmet_t",
    ):
        assert (frame[column] >= 0).all(), column
    assert (frame["stock_drawn_t"] <= frame["gap_t"]).all()
    assert list(frame["month"]) == list(range(1, scenario.horizon_months + 1))


@PROPERTY
@given(scenarios(), st.floats(0, 365, allow_nan=False))
def test_more_stockpile_never_increases_unmet_demand(scenario, other_days):
    low, high = sorted((scenario.stockpile_days, other_days))
    unmet_low = total_unmet(scenario.with_changes(stockpile_days=low))
    unmet_high = total_unmet(scenario.with_changes(stockpile_days=high))
    assert unmet_high <= unmet_low * (1 + 1e-9) + 1e-9


@PROPERTY
@given(scenarios(), shares())
def test_a_higher_approval_rate_never_increases_unmet_demand(scenario, other_rate):
    low, high = sorted((scenario.approval_rate, other_rate))
    unmet_low = total_unmet(scenario.with_changes(approval_rate=low))
    unmet_high = total_unmet(scenario.with_changes(approval_rate=high))
    assert unmet_high <= unmet_low * (1 + 1e-9) + 1e-9


@PROPERTY
@given(scenarios())
def test_without_a_restriction_there_is_never_a_shortage(scenario):
    calm = scenario.with_changes(restriction_length_months=0, stockpile_days=0)
    summary = sc.summarize(calm)
    assert summary["first_shortage_month"] is None
    assert summary["unmet_tonnes"] == 0
    assert not sc.simulate(calm)["restricted"].any()


@PROPERTY
@given(scenarios())
def test_full_approval_with_no_licence_delay_gives_no_shortage(scenario):
    generous = scenario.with_changes(approval_rate=1.0, licence_delay_months=0, stockpile_days=0)
    frame = sc.simulate(generous)
    assert (frame["gap_t"] == 0).all()
    assert sc.summarize(frame)["first_shortage_month"] is None


@PROPERTY
@given(scenarios())
def test_an_embargo_without_stock_or_other_help_leaves_chinas_share_unmet(scenario):
    embargo = scenario.with_changes(
        approval_rate=0.0,
        stockpile_days=0.0,
        other_supply_growth=0.0,
        recycling_share=0.0,
        substitution=0.0,
    )
    frame = sc.simulate(embargo)
    monthly_demand = embargo.annual_demand_t / 12
    expected = np.where(frame["restricted"], embargo.china_share * monthly_demand, 0.0)
    np.testing.assert_allclose(frame["unmet_t"], expected, rtol=1e-9, atol=1e-9 * monthly_demand)
    # the same during the licence delay and after it: with approval 0 the delay changes nothing
    no_delay = sc.simulate(embargo.with_changes(licence_delay_months=0))
    np.testing.assert_allclose(no_delay["unmet_t"], frame["unmet_t"], rtol=1e-12)


def test_restricted_months_follow_start_and_length():
    base = sc.default_scenario("Japan", "light_ndpr").with_changes(
        restriction_start_month=2, restriction_length_months=3, horizon_months=8
    )
    assert list(sc.simulate(base)["restricted"]) == [
        False,
        False,
        True,
        True,
        True,
        False,
        False,
        False,
    ]


def test_during_the_licence_delay_nothing_is_licensed_then_the_approval_rate_applies():
    base = sc.default_scenario("Japan", "light_ndpr").with_changes(
        restriction_start_month=1,
        restriction_length_months=4,
        licence_delay_months=2,
        approval_rate=0.25,
        horizon_months=7,
    )
    frame = sc.simulate(base, all_columns=True)
    normal = frame["china_normal_t"]
    expected = [1, 0, 0, 0.25, 0.25, 1, 1]
    np.testing.assert_allclose(frame["licensed_china_t"], normal * expected)


def test_the_stock_starts_at_stockpile_days_of_yearly_demand_and_runs_down():
    base = sc.default_scenario("Japan", "light_ndpr").with_changes(
        approval_rate=0.0,
        restriction_start_month=0,
        restriction_length_months=12,
        horizon_months=12,
        stockpile_days=73.0,
        annual_demand_t=3650.0,
    )
    frame = sc.simulate(base, all_columns=True)
    assert frame["stock_start_t"].iloc[0] == pytest.approx(730.0)
    stock = np.concatenate([[730.0], frame["stock_left_t"].to_numpy()])
    np.testing.assert_allclose(-np.diff(stock), frame["stock_drawn_t"], atol=1e-9)


# --------------------------------------------------------------------------- invalid input
def valid_fields(**changes):
    fields = {
        "importer": "Japan",
        "element_group": "light_ndpr",
        "annual_demand_t": 5000.0,
        "china_share": 0.6,
        "approval_rate": 0.5,
        "licence_delay_months": 2,
        "restriction_start_month": 3,
        "restriction_length_months": 12,
        "stockpile_days": 60.0,
        "other_supply_growth": 0.1,
        "recycling_share": 0.01,
        "substitution": 0.0,
        "horizon_months": 24,
    }
    fields.update(changes)
    return fields


@pytest.mark.parametrize(
    "changes, field, value, allowed",
    [
        ({"stockpile_days": -3}, "stockpile_days", "-3", "0 to 365 days"),
        ({"stockpile_days": 400.0}, "stockpile_days", "400.0", "0 to 365 days"),
        ({"china_share": 1.2}, "china_share", "1.2", "0 to 1"),
        ({"approval_rate": -0.1}, "approval_rate", "-0.1", "0 to 1"),
        ({"importer": "France"}, "importer", "'France'", "Japan, United States, European Union"),
        ({"element_group": "lanthanum"}, "element_group", "'lanthanum'", "light_ndpr"),
        ({"china_share": float("nan")}, "china_share", "nan", "0 to 1"),
        ({"annual_demand_t": float("inf")}, "annual_demand_t", "inf", "1 to 1000000 t/yr"),
        ({"annual_demand_t": 0}, "annual_demand_t", "0", "1 to 1000000 t/yr"),
        ({"annual_demand_t": 0.5}, "annual_demand_t", "0.5", "1 to 1000000 t/yr"),
        ({"horizon_months": 0}, "horizon_months", "0", "1 to 120 months"),
        ({"horizon_months": 121}, "horizon_months", "121", "1 to 120 months"),
        ({"licence_delay_months": 2.5}, "licence_delay_months", "2.5", "0 to 12 months"),
        ({"licence_delay_months": 2.0}, "licence_delay_months", "2.0", "0 to 12 months"),
        ({"licence_delay_months": 13}, "licence_delay_months", "13", "0 to 12 months"),
        ({"restriction_start_month": 121}, "restriction_start_month", "121", "0 to 120 months"),
        ({"restriction_length_months": -1}, "restriction_length_months", "-1", "0 to 120 months"),
        ({"recycling_share": 0.6}, "recycling_share", "0.6", "0 to 0.5"),
        ({"substitution": 0.51}, "substitution", "0.51", "0 to 0.5"),
        ({"other_supply_growth": 1.5}, "other_supply_growth", "1.5", "0 to 1"),
        ({"china_share": "0.6"}, "china_share", "'0.6'", "0 to 1"),
        ({"stockpile_days": True}, "stockpile_days", "True", "0 to 365 days"),
        ({"importer": None}, "importer", "None", "Japan"),
    ],
)
def test_invalid_input_is_refused_with_the_field_its_value_and_the_allowed_range(
    changes, field, value, allowed
):
    with pytest.raises(ValueError) as caught:
        sc.Scenario(**valid_fields(**changes))
    message = str(caught.value)
    assert message.startswith(f"{field} = {value} ")
    assert "allowed" in message and allowed in message


def test_the_error_message_reads_like_a_sentence():
    with pytest.raises(
        ValueError, match=re.escape("stockpile_days = -3 is out of range: allowed 0 to 365 days")
    ):
        sc.Scenario(**valid_fields(stockpile_days=-3))


def test_numpy_numbers_are_accepted_and_stored_as_python_numbers():
    s = sc.Scenario(**valid_fields(licence_delay_months=np.int64(3), china_share=np.float32(0.5)))
    assert type(s.licence_delay_months) is int and type(s.china_share) is float


def test_a_scenario_cannot_be_changed_in_place_and_with_changes_checks_again():
    s = sc.Scenario(**valid_fields())
    with pytest.raises(AttributeError):
        s.china_share = 0.9
    with pytest.raises(ValueError, match="china_share = 2"):
        s.with_changes(china_share=2)
    with pytest.raises(ValueError, match="unknown scenario field"):
        s.with_changes(china_shar=0.5)


# --------------------------------------------------------------------------- many at once
@FEW
@given(st.lists(scenarios(max_horizon=40), min_size=1, max_size=8))
def test_simulate_many_equals_simulate_row_by_row(batch):
    many = sc.simulate_many(batch)
    for i, scenario in enumerate(batch):
        one = sc.simulate(scenario)
        mine = many[many["scenario"] == i].drop(columns="scenario").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, one, check_exact=False, rtol=1e-12, atol=1e-9)


@FEW
@given(
    scenarios(max_horizon=36),
    st.lists(st.floats(0, 365, allow_nan=False), min_size=1, max_size=4),
    st.lists(shares(), min_size=1, max_size=4),
    st.lists(st.integers(0, 12), min_size=1, max_size=3),
)
def test_sweep_summaries_equal_summarize_one_scenario_at_a_time(base, days, rates, delays):
    table = sc.sweep(base, stockpile_days=days, approval_rate=rates, licence_delay_months=delays)
    assert len(table) == len(days) * len(rates) * len(delays)
    for row in table.itertuples(index=False):
        one = base.with_changes(
            stockpile_days=row.stockpile_days,
            approval_rate=row.approval_rate,
            licence_delay_months=int(row.licence_delay_months),
        )
        expected = sc.summarize(one)
        first = None if pd.isna(row.first_shortage_month) else int(row.first_shortage_month)
        assert first == expected["first_shortage_month"]
        assert row.months_covered_by_stock == expected["months_covered_by_stock"]
        assert row.unmet_tonnes == pytest.approx(expected["unmet_tonnes"], rel=1e-9, abs=1e-9)
        assert row.unmet_share == pytest.approx(expected["unmet_share"], rel=1e-9, abs=1e-12)


def test_sweep_refuses_bad_values_and_the_horizon():
    base = sc.default_scenario()
    with pytest.raises(ValueError, match="stockpile_days = -1"):
        sc.sweep(base, stockpile_days=[0, -1])
    with pytest.raises(ValueError, match="horizon_months"):
        sc.sweep(base, horizon_months=[12, 24])
    with pytest.raises(ValueError, match="cannot sweep 'importer'"):
        sc.sweep(base, importer=["Japan"])


def test_a_sweep_of_ten_thousand_scenarios_gives_one_summary_row_each():
    # Its speed is measured by `make bench`, not asserted here.
    base = sc.default_scenario("Japan", "heavy_dytb").with_changes(horizon_months=36)
    table = sc.sweep(
        base, stockpile_days=np.linspace(0, 365, 100), approval_rate=np.linspace(0, 1, 100)
    )
    assert len(table) == 10_000
    worst = table.sort_values("unmet_tonnes").iloc[-1]
    assert worst["stockpile_days"] == 0 and worst["approval_rate"] == 0


def test_sensitivity_moves_one_parameter_at_a_time_within_its_range():
    base = sc.default_scenario("Japan", "light_ndpr")
    table = sc.sensitivity(base)
    ranges = sc.parameter_table("Japan", "light_ndpr").set_index("parameter")
    assert set(table["parameter"]) == set(sc.NUMERIC_PARAMETERS) - set(
        sc.DEFAULT_SENSITIVITY_EXCLUDED
    )
    assert list(table["swing_pct"]) == sorted(table["swing_pct"], reverse=True)
    for row in table.itertuples(index=False):
        assert row.low == pytest.approx(ranges.loc[row.parameter, "low"])
        assert row.high == pytest.approx(ranges.loc[row.parameter, "high"])
        for end, unmet, percent in (
            (row.low, row.unmet_low_t, row.unmet_low_pct),
            (row.high, row.unmet_high_t, row.unmet_high_pct),
        ):
            value = int(end) if row.parameter in sc.MONTH_PARAMETERS else end
            moved = base.with_changes(**{row.parameter: value})
            assert unmet == pytest.approx(total_unmet(moved), rel=1e-9, abs=1e-9)
            share = sc.summarize(moved)["unmet_share"]
            assert percent == pytest.approx(100 * share, rel=1e-9, abs=1e-9)
        assert row.swing_pct == pytest.approx(abs(row.unmet_high_pct - row.unmet_low_pct))
    assert table["unmet_base_t"].iloc[0] == pytest.approx(total_unmet(base))
    assert table["unmet_base_pct"].iloc[0] == pytest.approx(100 * sc.summarize(base)["unmet_share"])


def test_sensitivity_ranks_in_points_of_demand_so_the_unit_of_demand_does_not_count():
    """Issue 12: in tonnes, annual demand came out on top by its unit alone. As a share of
    demand, scaling demand changes no share, and the ranking is that of the levers."""
    base = sc.preset("Expiry in November 2026")
    table = sc.sensitivity(base).set_index("parameter")
    assert table.loc["annual_demand_t", "swing_pct"] == pytest.approx(0, abs=1e-9)
    assert (
        table.loc["annual_demand_t", "unmet_low_t"] != table.loc["annual_demand_t", "unmet_high_t"]
    )
    assert table.index[0] != "annual_demand_t"


# --------------------------------------------------------------------------- Vega-Lite face
@PROPERTY
@given(scenarios(), st.sampled_from(["", "left_", "s2_"]))
def test_vega_transforms_reparsed_give_the_same_numbers_as_simulate(scenario, prefix):
    transforms = sc.vega_transforms(prefix)
    params = {p["name"]: p["value"] for p in sc.vega_params(scenario, prefix)}
    months = np.arange(1, scenario.horizon_months + 1)
    columns = run_vega_transforms(transforms, params, {"month": months})
    frame = sc.simulate(scenario, all_columns=True)
    for name in sc.ALL_COLUMNS:
        np.testing.assert_allclose(
            np.asarray(columns[name], dtype=float),
            frame[name].to_numpy(dtype=float),
            rtol=1e-12,
            atol=1e-9,
            err_msg=name,
        )


def test_vega_transforms_read_params_by_field_name_and_columns_as_datum():
    transforms = sc.vega_transforms()
    calculated = [t for t in transforms if "calculate" in t]
    windows = [t for t in transforms if "window" in t]
    assert len(calculated) + len(windows) == len(sc.MODEL)
    assert windows == [
        {
            "window": [{"op": "sum", "field": "gap_t", "as": "cumulative_gap_t"}],
            "sort": [{"field": "month"}],
            "frame": [None, 0],
        }
    ]
    used = set()
    for t in calculated:
        used |= formula.names(t["calculate"])
    params = {n for n in used if not n.startswith("datum.")}
    assert params <= set(sc.NUMERIC_PARAMETERS)
    assert {n[len("datum.") :] for n in used if n.startswith("datum.")} <= set(sc.ALL_COLUMNS)
    assert calculated[0] == {
        "calculate": "annual_demand_t / 12 * (1 - substitution)",
        "as": "demand_t",
    }
    prefixed = sc.vega_transforms("a_")[0]["calculate"]
    assert prefixed == "a_annual_demand_t / 12 * (1 - a_substitution)"
    assert {p["name"] for p in sc.vega_params(sc.default_scenario())} == set(sc.NUMERIC_PARAMETERS)
    assert sc.vega_month_sequence(24) == {"sequence": {"start": 1, "stop": 25, "as": "month"}}


def test_the_vega_expressions_use_only_functions_vega_knows():
    for t in sc.vega_transforms():
        if "calculate" in t:
            called = set(re.findall(r"([A-Za-z_]\w*)\(", t["calculate"]))
            assert called <= {"min", "max", "pow", "if"}


# --------------------------------------------------------------------------- mini-language
@pytest.mark.parametrize(
    "text",
    [
        "__import__('os')",
        "a ** 2",
        "exp(1)",
        "a.b",
        "min(1)",
        "if(1, 2)",
        "'text'",
        "a; b",
        "1 +",
        "(1 + 2",
        "max",
        "a[0]",
        "lambda: 1",
        "x = 1",
        "",
    ],
)
def test_the_mini_language_refuses_anything_outside_it(text):
    with pytest.raises(formula.ExpressionError):
        formula.evaluate(text, {"a": 1.0, "b": 2.0, "x": 0.0})


def test_the_mini_language_follows_javascript_precedence():
    env = {"a": 1.0, "b": 2.0, "c": 3.0}
    assert formula.evaluate("a + b * c", env) == 7
    assert formula.evaluate("(a + b) * c", env) == 9
    assert formula.evaluate("a - b - c", env) == -4
    assert formula.evaluate("a / b / 4", env) == 0.125
    assert bool(formula.evaluate("a < b && b < c || false", env))
    assert not bool(formula.evaluate("!(a < b)", env))
    assert formula.evaluate("-a * -b", env) == 2
    assert formula.evaluate("if(a > b, 10, pow(2, c))", env) == 8
    with pytest.raises(formula.ExpressionError, match="unknown name 'd'"):
        formula.evaluate("a + d", env)


def nodes():
    leaves = st.one_of(
        st.builds(formula.Number, st.integers(0, 1000)),
        st.builds(formula.Number, st.floats(0, 1e6, allow_nan=False, allow_infinity=False)),
        st.builds(formula.Name, st.sampled_from(["a", "b", "c"])),
    )

    def extend(children):
        return st.one_of(
            st.builds(formula.Binary, st.sampled_from(sorted(formula.BINARY)), children, children),
            st.builds(formula.Unary, st.sampled_from(["-", "!"]), children),
            st.builds(
                lambda f, x, y: formula.Call(f, (x, y)),
                st.sampled_from(["min", "max", "pow"]),
                children,
                children,
            ),
            st.builds(lambda x, y, z: formula.Call("if", (x, y, z)), children, children, children),
        )

    return st.recursive(leaves, extend, max_leaves=12)


@PROPERTY
@given(nodes())
def test_printing_a_formula_and_reading_it_back_gives_the_same_formula(tree):
    text = formula.unparse(tree)
    assert formula.parse(text) == _normalise(tree)
    vega = formula.to_vega(tree, {"a"}, prefix="p_")
    assert formula.names(vega) <= {"p_a", "datum.b", "datum.c"}


def _normalise(tree):
    """Numbers read back as int when whole (12.0 prints as 12)."""
    if isinstance(tree, formula.Number) and not isinstance(tree.value, bool):
        value = float(tree.value)
        return formula.Number(int(value) if value.is_integer() else value)
    if isinstance(tree, formula.Unary):
        return formula.Unary(tree.op, _normalise(tree.operand))
    if isinstance(tree, formula.Binary):
        return formula.Binary(tree.op, _normalise(tree.left), _normalise(tree.right))
    if isinstance(tree, formula.Call):
        return formula.Call(tree.function, tuple(_normalise(a) for a in tree.args))
    return tree


# --------------------------------------------------------------------------- summaries
def test_describe_says_when_and_how_badly_the_importer_runs_short():
    base = sc.default_scenario("Japan", "light_ndpr").with_changes(
        china_share=0.6,
        approval_rate=0.0,
        licence_delay_months=0,
        restriction_start_month=2,
        restriction_length_months=24,
        stockpile_days=30.0,
        other_supply_growth=0.0,
        recycling_share=0.0,
        substitution=0.0,
        horizon_months=24,
    )
    summary = sc.summarize(base)
    # gap 0.6 of a month's demand from month 3; 30 days of stock = 0.986 months of demand
    assert summary["first_shortage_month"] == 4
    assert summary["months_covered_by_stock"] == 2
    assert summary["unmet_share"] == pytest.approx((22 * 0.6 - 30 / 365 * 12) / 24)
    assert sc.describe(summary, base) == (
        "Japan runs short in month 4; the stock is drawn on in 2 months; 51\u00a0% of demand unmet over 24 months."
    )
    calm = base.with_changes(restriction_length_months=0)
    assert sc.describe(sc.summarize(calm), calm) == "Japan never runs short over 24 months."
    covered = base.with_changes(restriction_length_months=1, importer="United States")
    assert sc.describe(sc.summarize(covered), covered) == (
        "The United States never runs short over 24 months: the stock covers the gap in 1 month."
    )
    bare = base.with_changes(stockpile_days=0.0, importer="European Union")
    assert sc.describe(sc.summarize(bare), bare).startswith(
        "The European Union runs short in month 3; there is no stock to draw on; "
    )


def test_summarize_accepts_a_scenario_or_its_frame():
    s = sc.default_scenario("United States", "heavy_dytb")
    assert sc.summarize(s) == sc.summarize(sc.simulate(s))


# --------------------------------------------------------------------------- defaults, presets
SOURCES = set(load_table("sources")["source"])


@pytest.mark.parametrize("importer", sc.IMPORTERS)
@pytest.mark.parametrize("group", list(sc.ELEMENT_GROUPS))
def test_every_importer_and_group_has_a_default_scenario(importer, group):
    scenario = sc.default_scenario(importer, group)
    table = sc.parameter_table(importer, group)
    assert list(table["parameter"]) == list(sc.NUMERIC_PARAMETERS)
    for row in table.itertuples(index=False):
        assert getattr(scenario, row.parameter) == pytest.approx(row.value)
    sc.simulate(scenario)


def test_default_rows_cite_known_sources_and_assumptions_carry_a_range():
    table = load_table("scenario_parameters")
    for row in table.itertuples(index=False):
        where = f"{row.parameter}/{row.importer}/{row.element_group}"
        if not pd.isna(row.source):
            assert row.source in SOURCES, where
        if row.basis in ("document", "dataset"):
            assert not pd.isna(row.source), f"{where}: a {row.basis} figure needs its source"
        if row.basis == "assumption":
            assert not pd.isna(row.low) and not pd.isna(row.high), f"{where}: no range"
        if not pd.isna(row.low):
            assert row.low <= row.value <= row.high, where
            for end in (row.low, row.value, row.high):  # the whole range is a valid input
                value = int(end) if row.parameter in sc.MONTH_PARAMETERS else float(end)
                sc.check_value(row.parameter, value, horizon=120)
        assert len(row.note) > 20, f"{where}: say why"


def test_the_documented_figures_are_the_ones_the_documents_give():
    japan = sc.parameter_table("Japan", "light_ndpr").set_index("parameter")
    assert japan.loc["china_share", "value"] == 0.6
    assert japan.loc["china_share", "source"] == "japan2026"
    assert japan.loc["stockpile_days", "value"] == 60
    assert japan.loc["stockpile_days", "source"] == "lepesant2025"
    us = sc.parameter_table("United States", "light_ndpr").set_index("parameter")
    assert (us.loc["china_share", "value"], us.loc["china_share", "source"]) == (
        0.71,
        "usgs_mcs2026",
    )
    us_heavy = sc.parameter_table("United States", "heavy_dytb").set_index("parameter")
    assert us_heavy.loc["china_share", "value"] == 1.0
    eu = sc.parameter_table("European Union", "light_ndpr").set_index("parameter")
    assert eu.loc["china_share", "basis"] == "assumption"
    assert (
        sc.parameter_table("Japan", "heavy_dytb")
        .set_index("parameter")
        .loc["annual_demand_t", "basis"]
        == "assumption"
    )


def test_presets_load_and_retell_the_documents():
    names = sc.preset_names()
    assert names == [
        "2010 halt of shipments to Japan",
        "April 2025 licences",
        "October 2025 measures",
        "Busan suspension",
        "Expiry in November 2026",
    ]
    halt = sc.preset("2010 halt of shipments to Japan")
    assert (halt.importer, halt.china_share, halt.approval_rate) == ("Japan", 0.9, 0.0)
    assert halt.restriction_length_months == 2
    assert sc.preset("April 2025 licences").element_group == "april2025_seven"
    assert sc.preset("October 2025 measures").element_group == "october2025_five"
    assert sc.preset("Busan suspension").restriction_length_months == 0
    expiry = sc.preset("Expiry in November 2026")
    assert (
        expiry.restriction_start_month == 12
        and sc.preset_first_month("Expiry in November 2026") == "2025-11"
    )
    assert sc.summarize(sc.preset("Busan suspension"))["first_shortage_month"] is None
    with pytest.raises(ValueError, match="unknown preset 'Brexit'"):
        sc.preset("Brexit")


def test_every_preset_row_says_where_its_number_comes_from():
    table = load_table("scenario_presets")
    for name in sc.preset_names():
        rows = table[table["preset"] == name].set_index("parameter")
        assert {"importer", "element_group", "first_month"} <= set(rows.index), name
        assert re.fullmatch(r"\d{4}-\d{2}", rows.loc["first_month", "value"])
        explained = sc.preset_table(name)
        assert list(explained["parameter"]) == list(sc.PARAMETERS)
        assert set(explained.loc[explained["set_by"] == "preset", "parameter"]) == (
            set(rows.index) - {"first_month"}
        )
    for row in table.itertuples(index=False):
        if not pd.isna(row.source):
            assert row.source in SOURCES, (row.preset, row.parameter)
        if row.basis in ("document", "dataset"):
            assert not pd.isna(row.source), (row.preset, row.parameter)


# --------------------------------------------------------------------------- the real Vega engine
def _vega_rows(scenario: sc.Scenario, columns: tuple[str, ...]) -> np.ndarray:
    """Run the transforms in Vega itself (vl-convert embeds the Vega runtime), one text
    mark per month carrying every column as JavaScript prints it; read them back from SVG."""
    import vl_convert

    row = " + '|' + ".join(f"('' + datum.{c})" for c in columns)
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": sc.vega_month_sequence(scenario.horizon_months),
        "params": sc.vega_params(scenario, prefix="p_"),
        "transform": sc.vega_transforms(prefix="p_") + [{"calculate": row, "as": "row"}],
        "mark": "text",
        "encoding": {"text": {"field": "row"}, "y": {"field": "month", "type": "ordinal"}},
    }
    svg = vl_convert.vegalite_to_svg(spec)
    texts = re.findall(r"<text[^>]*>([^<]*\|[^<]*)</text>", svg)
    booleans = {"true": 1.0, "false": 0.0}
    values = np.array(
        [[booleans[x] if x in booleans else float(x) for x in t.split("|")] for t in texts]
    )
    return values[np.argsort(values[:, 0])]


@pytest.mark.parametrize("name", sc.preset_names())
def test_the_real_vega_engine_gives_the_same_numbers_as_simulate(name):
    scenario = sc.preset(name)
    columns = sc.ALL_COLUMNS
    from_vega = _vega_rows(scenario, columns)
    frame = sc.simulate(scenario, all_columns=True)
    assert from_vega.shape == (scenario.horizon_months, len(columns))
    np.testing.assert_allclose(
        from_vega, frame[list(columns)].to_numpy(dtype=float), rtol=1e-12, atol=1e-9
    )


def test_a_restriction_running_past_the_horizon_is_cut_off_by_it():
    base = sc.default_scenario("Japan", "heavy_dytb").with_changes(
        horizon_months=12, restriction_start_month=6
    )
    beyond = sc.simulate(base.with_changes(restriction_length_months=60))
    cut = sc.simulate(base.with_changes(restriction_length_months=6))
    pd.testing.assert_frame_equal(beyond, cut)
    late = sc.simulate(base.with_changes(restriction_start_month=30))
    assert not late["restricted"].any()


def test_the_stockpile_needed_is_exactly_enough():
    scenario = sc.preset("October 2025 measures")
    days = sc.stockpile_needed_days(scenario)
    assert days > 0
    assert sc.summarize(scenario.with_changes(stockpile_days=days))[
        "unmet_tonnes"
    ] == pytest.approx(0, abs=1e-6)
    fewer = scenario.with_changes(stockpile_days=days * 0.9)
    assert sc.summarize(fewer)["unmet_tonnes"] > 0


def test_the_approval_rate_needed_meets_the_target_and_no_lower_rate_does():
    scenario = sc.default_scenario("European Union", "light_ndpr").with_changes(stockpile_days=0.0)
    target = 0.1
    rate = sc.approval_rate_needed(scenario, target)
    assert sc.summarize(scenario.with_changes(approval_rate=rate))["unmet_share"] <= target
    assert (
        sc.summarize(scenario.with_changes(approval_rate=max(0.0, rate - 0.01)))["unmet_share"]
        > target
    )
    with pytest.raises(ValueError, match="unmet_share"):
        sc.approval_rate_needed(scenario, 1.5)
    full = sc.summarize(scenario.with_changes(approval_rate=1.0))["unmet_share"]
    assert full > 0  # the licence delay alone leaves a shortage...
    assert sc.approval_rate_needed(scenario, full / 2) is None  # ...that no approval rate removes


def test_the_equations_table_lists_every_step_of_the_model():
    table = sc.equations()
    assert list(table["quantity"]) == [step.name for step in sc.MODEL]
    assert table["meaning"].str.len().min() > 10
