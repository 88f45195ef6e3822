"""Hypothesis strategies for scenario tests: any scenario the model accepts (every range read
from widgets.scenario.PARAMETERS, so a changed range changes what the tests draw)."""

from __future__ import annotations

from hypothesis import strategies as st

from widgets import scenario as sc


def shares(high=1.0):
    return st.floats(0, high, allow_nan=False, allow_infinity=False)


def _numbers(name: str):
    spec = sc.PARAMETERS[name]
    return st.floats(spec.low, spec.high, allow_nan=False, exclude_min=spec.low_exclusive)


@st.composite
def scenarios(draw, max_horizon=60):
    """A scenario anywhere in the accepted space; restrictions within the horizon."""
    horizon = draw(st.integers(1, max_horizon))
    return sc.Scenario(
        importer=draw(st.sampled_from(sc.IMPORTERS)),
        element_group=draw(st.sampled_from(list(sc.ELEMENT_GROUPS))),
        annual_demand_t=draw(_numbers("annual_demand_t")),
        china_share=draw(_numbers("china_share")),
        approval_rate=draw(_numbers("approval_rate")),
        licence_delay_months=draw(st.integers(0, sc.PARAMETERS["licence_delay_months"].high)),
        restriction_start_month=draw(st.integers(0, horizon)),
        restriction_length_months=draw(st.integers(0, horizon)),
        stockpile_days=draw(_numbers("stockpile_days")),
        other_supply_growth=draw(_numbers("other_supply_growth")),
        recycling_share=draw(_numbers("recycling_share")),
        substitution=draw(_numbers("substitution")),
        horizon_months=horizon,
    )
