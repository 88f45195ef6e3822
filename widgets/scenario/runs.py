"""Running the model: one scenario (:func:`simulate`, :func:`summarize`), many at once
(:func:`simulate_many`, :func:`sweep`, :func:`sensitivity`), and the questions a reader asks
(:func:`stockpile_needed_days`, :func:`approval_rate_needed`)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from widgets.scenario.equations import (
    ALL_COLUMNS,
    COLUMN_UNITS,
    OUTPUT_COLUMNS,
    evaluate_model,
    summary_of,
)
from widgets.scenario.inputs import as_field_value, parameter_table
from widgets.scenario.parameters import (
    HORIZON_CLIPPED,
    NUMERIC_PARAMETERS,
    PARAMETERS,
    Scenario,
    check_value,
)


def simulate(scenario: Scenario, all_columns: bool = False) -> pd.DataFrame:
    """One row a month (1 … horizon): demand, supply by source, stock, unmet demand.

    Columns: month, demand_t, licensed_china_t, other_supply_t, recycling_t, gap_t,
    stock_drawn_t, stock_left_t (t), unmet_t, restricted (bool); flows in t/month. With
    ``all_columns=True`` the intermediate columns of :data:`MODEL` are kept too.
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(f"simulate() needs a Scenario, not {type(scenario).__name__}")
    months = np.arange(1, scenario.horizon_months + 1)
    columns = evaluate_model(scenario.parameters(), months)
    names = ALL_COLUMNS if all_columns else OUTPUT_COLUMNS
    frame = pd.DataFrame({name: np.array(columns[name]) for name in names})
    frame["month"] = frame["month"].astype("int64")
    frame["restricted"] = frame["restricted"].astype(bool)
    frame.attrs["units"] = {name: COLUMN_UNITS[name] for name in names}
    frame.attrs["scenario"] = scenario
    return frame


# --------------------------------------------------------------------------- many scenarios
def _parameter_arrays(scenarios: Sequence[Scenario]) -> dict[str, np.ndarray]:
    return {
        name: np.array([getattr(s, name) for s in scenarios])[:, None]
        for name in NUMERIC_PARAMETERS
    }


def _summaries(columns, valid: np.ndarray) -> dict:
    """Vectorised :func:`summarize` over rows of 2-D arrays (months beyond a horizon masked)."""
    result = summary_of(columns, valid)
    first = result["first_shortage_month"]
    result["first_shortage_month"] = pd.arrays.IntegerArray(first, first == 0)
    return {
        key: result[key]
        for key in (
            "first_shortage_month",
            "months_covered_by_stock",
            "unmet_tonnes",
            "unmet_share",
            "demand_tonnes",
        )
    }


def simulate_many(scenarios: Sequence[Scenario]) -> pd.DataFrame:
    """Run many scenarios at once (one numpy pass over a scenario × month array).

    Returns the columns of :func:`simulate` in long form, with a first column ``scenario``
    (the position in ``scenarios``); each scenario has its own horizon's months.
    """
    scenarios = list(scenarios)
    if not scenarios:
        raise ValueError("simulate_many() needs at least one scenario")
    for i, s in enumerate(scenarios):
        if not isinstance(s, Scenario):
            raise TypeError(f"scenarios[{i}] is a {type(s).__name__}, not a Scenario")
    horizons = np.array([s.horizon_months for s in scenarios])
    months = np.arange(1, horizons.max() + 1)[None, :]
    columns = evaluate_model(_parameter_arrays(scenarios), months)
    valid = months <= horizons[:, None]
    which = np.nonzero(valid)
    frame = pd.DataFrame({"scenario": which[0]})
    for name in OUTPUT_COLUMNS:
        frame[name] = columns[name][which]
    frame["month"] = frame["month"].astype("int64")
    frame["restricted"] = frame["restricted"].astype(bool)
    frame.attrs["units"] = {name: COLUMN_UNITS[name] for name in OUTPUT_COLUMNS}
    return frame


def sweep(base: Scenario, **ranges: Iterable) -> pd.DataFrame:
    """Every combination of the given parameter values, the other fields staying at ``base``.

    Example: ``sweep(base, stockpile_days=range(0, 181, 30), approval_rate=[0, 0.5, 1])``
    runs 7 × 3 = 21 scenarios. Each value is checked as :class:`Scenario` would; the
    horizon cannot be swept (use :func:`simulate_many` for scenarios of different length).
    Returns one row per scenario: the swept values, then first_shortage_month (empty if
    none), months_covered_by_stock, unmet_tonnes, unmet_share, demand_tonnes.
    """
    if not isinstance(base, Scenario):
        raise TypeError(f"sweep() needs a Scenario as base, not {type(base).__name__}")
    for name in ranges:
        if name not in NUMERIC_PARAMETERS:
            raise ValueError(f"cannot sweep {name!r}: choose among {', '.join(NUMERIC_PARAMETERS)}")
    if "horizon_months" in ranges:
        raise ValueError("cannot sweep horizon_months: all scenarios of a sweep share one horizon")
    values = {}
    for name, seq in ranges.items():
        seq = list(seq)
        if not seq:
            raise ValueError(f"sweep range for {name} is empty")
        values[name] = [check_value(name, v, base.horizon_months) for v in seq]
    names = list(values)
    grids = np.meshgrid(*(np.array(values[n]) for n in names), indexing="ij") if names else []
    count = grids[0].size if names else 1
    params: dict[str, np.ndarray] = {}
    for name in NUMERIC_PARAMETERS:
        if name in values:
            params[name] = grids[names.index(name)].reshape(-1, 1)
        else:
            params[name] = np.full((count, 1), getattr(base, name))
    months = np.arange(1, base.horizon_months + 1)[None, :]
    columns = evaluate_model(params, months)
    valid = np.ones((count, base.horizon_months), dtype=bool)
    frame = pd.DataFrame({name: params[name][:, 0] for name in names})
    for key, column in _summaries(columns, valid).items():
        frame[key] = column
    return frame


# --------------------------------------------------------------------------- summaries
def summarize(frame_or_scenario: pd.DataFrame | Scenario) -> dict:
    """The headline numbers of a run (defined once, in :data:`SUMMARY`).

    first_shortage_month: the first month with unmet demand (None if none);
    months_covered_by_stock: how many months the stockpile was drawn on;
    unmet_tonnes: unmet demand summed over the horizon (t);
    unmet_share: unmet_tonnes / total demand over the horizon (0-1);
    demand_tonnes and horizon_months: the totals they are measured against.
    A month counts as short (or as drawing on the stock) when its unmet demand (or its draw)
    is more than :data:`SHORTAGE_TOLERANCE` of the month's demand.
    """
    frame = frame_or_scenario
    if isinstance(frame, Scenario):
        frame = simulate(frame)
    missing = {"month", "demand_t", "stock_drawn_t", "unmet_t"} - set(frame.columns)
    if missing:
        raise ValueError(f"summarize() needs a frame from simulate(); missing {sorted(missing)}")
    if len(frame) == 0 or not (frame["demand_t"] > 0).all():
        raise ValueError("summarize() needs at least one month, each with some demand")
    result = summary_of(
        {
            name: frame[name].to_numpy(dtype=float)
            for name in ("month", "unmet_t", "demand_t", "stock_drawn_t")
        }
    )
    first = int(result["first_shortage_month"])
    return {
        "first_shortage_month": int(frame["month"].iloc[first - 1]) if first else None,
        "months_covered_by_stock": int(result["months_covered_by_stock"]),
        "unmet_tonnes": float(result["unmet_tonnes"]),
        "unmet_share": float(result["unmet_share"]),
        "demand_tonnes": float(result["demand_tonnes"]),
        "horizon_months": len(frame),
    }


# --------------------------------------------------------------------------- sensitivity
DEFAULT_SENSITIVITY_EXCLUDED = ("horizon_months", "restriction_start_month")
SENSITIVITY_PARAMETERS = tuple(
    p for p in NUMERIC_PARAMETERS if p not in DEFAULT_SENSITIVITY_EXCLUDED
)


def sensitivity(base: Scenario, parameters: Sequence[str] | None = None) -> pd.DataFrame:
    """The share of demand left unmet when one parameter at a time moves to the low and the
    high end of its range in ``data/scenario_parameters.csv`` (for the base's importer and
    group), the others staying at ``base``: the numbers behind a tornado chart.

    The ranking is in percentage points of demand, not in tonnes: in tonnes a larger annual
    demand means more unmet tonnes by its unit alone, while months, days and shares compare
    fairly as a share of demand. By default every numeric parameter except horizon_months and
    restriction_start_month (moving those mostly moves the restriction out of the window).
    Month ranges are cut at the horizon. Columns: parameter, unit, basis, base_value, low,
    high, unmet_base_pct, unmet_low_pct, unmet_high_pct (unmet demand over the horizon, % of
    demand), swing_pct (|high - low|, percentage points), and the same unmet demand in tonnes
    (unmet_base_t, unmet_low_t, unmet_high_t); largest swing in points first.
    """
    if not isinstance(base, Scenario):
        raise TypeError(f"sensitivity() needs a Scenario, not {type(base).__name__}")
    table = parameter_table(base.importer, base.element_group).set_index("parameter")
    if parameters is None:
        parameters = SENSITIVITY_PARAMETERS
    scenarios, meta = [base], []
    for name in parameters:
        if name not in NUMERIC_PARAMETERS:
            raise ValueError(f"no range for {name!r}: choose among {', '.join(NUMERIC_PARAMETERS)}")
        low, high = table.loc[name, "low"], table.loc[name, "high"]
        if pd.isna(low) or pd.isna(high):
            raise ValueError(f"data/scenario_parameters.csv gives no low/high range for {name}")
        ends = []
        for end in (low, high):
            value = as_field_value(name, end)
            if name in HORIZON_CLIPPED:
                value = min(value, base.horizon_months)
            ends.append(value)
        scenarios += [base.with_changes(**{name: ends[0]}), base.with_changes(**{name: ends[1]})]
        meta.append((name, ends[0], ends[1]))
    horizon = base.horizon_months
    months = np.arange(1, horizon + 1)[None, :]
    columns = evaluate_model(_parameter_arrays(scenarios), months)
    summaries = _summaries(columns, np.ones((len(scenarios), horizon), dtype=bool))
    unmet, percent = summaries["unmet_tonnes"], summaries["unmet_share"] * 100
    records = []
    for i, (name, low, high) in enumerate(meta):
        at_low, at_high = 1 + 2 * i, 2 + 2 * i
        records.append(
            {
                "parameter": name,
                "unit": table.loc[name, "unit"],
                "basis": table.loc[name, "basis"],
                "base_value": getattr(base, name),
                "low": low,
                "high": high,
                "unmet_base_pct": percent[0],
                "unmet_low_pct": percent[at_low],
                "unmet_high_pct": percent[at_high],
                "swing_pct": abs(percent[at_high] - percent[at_low]),
                "unmet_base_t": unmet[0],
                "unmet_low_t": unmet[at_low],
                "unmet_high_t": unmet[at_high],
            }
        )
    frame = pd.DataFrame(records)
    if frame.empty:
        return frame
    return frame.sort_values("swing_pct", ascending=False, kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- questions a reader asks
def stockpile_needed_days(scenario: Scenario) -> float:
    """The smallest stockpile (days of consumption) with which the scenario has no shortage:
    the whole shortfall over the horizon, in days of the importer's annual demand, rounded up
    where the round trip through days would leave a rounding's worth of shortage. It may be
    more than the 365 days the model accepts (the need is then out of reach)."""
    calm = scenario.with_changes(stockpile_days=0.0)
    shortfall = float(simulate(calm)["gap_t"].sum())
    days = shortfall / scenario.annual_demand_t * 365
    high = PARAMETERS["stockpile_days"].high
    for _ in range(64):  # the first try is almost always enough
        if days == 0 or days > high:
            return days
        if summarize(scenario.with_changes(stockpile_days=days))["first_shortage_month"] is None:
            return days
        days = math.nextafter(days, math.inf) * (1 + 1e-12)
    raise ArithmeticError(f"no stockpile found that covers the shortfall of {scenario}")


def approval_rate_needed(
    scenario: Scenario, unmet_share: float, *, tolerance: float = 1e-4
) -> float | None:
    """The lowest licence approval rate that keeps unmet demand at or under ``unmet_share`` of
    demand over the horizon (bisection: unmet demand never rises with the approval rate), or
    None when even full approval cannot (the licence delay alone may leave a shortage)."""
    if math.isnan(unmet_share) or not 0 <= unmet_share <= 1:
        raise ValueError(f"unmet_share = {unmet_share} is out of range: allowed 0 to 1")

    def share(rate: float) -> float:
        return summarize(scenario.with_changes(approval_rate=rate))["unmet_share"]

    if share(0.0) <= unmet_share:
        return 0.0
    if share(1.0) > unmet_share:
        return None
    low, high = 0.0, 1.0
    while high - low > tolerance:
        middle = (low + high) / 2
        low, high = (low, middle) if share(middle) <= unmet_share else (middle, high)
    return high
