"""The monthly equations of the scenario model, written **once** as :data:`MODEL`, and their
two evaluators: :func:`evaluate_model` (numpy) and :func:`vega_transforms` (Vega-Lite
``calculate`` and ``window`` transforms, so that a static page recomputes the model in the
browser). The headline summary of a run is defined once too (:data:`MONTH_FLAGS`,
:data:`SUMMARY`), with a numpy face (:func:`summary_of`) and a Vega face
(:func:`vega_summary_transforms`).

Each step is either a :class:`Formula` (a one-line formula of the mini-language of
:mod:`widgets.scenario.formula`) or a :class:`CumulativeSum` (a running total over the
months). **Naming rule** of the Vega face: a model parameter is read from the Vega-Lite param
whose name is the parameter's field name (optionally with a prefix), e.g. the slider for
``stockpile_days`` must be bound to a param named ``stockpile_days``; :func:`vega_params`
lists them with a scenario's values. A column is read as ``datum.<column>``; the data must
hold one row per month with a field ``month`` (1, 2, ... horizon), see
:func:`vega_month_sequence`.

The monthly equations, for month m = 1 … horizon (t = tonnes of rare-earth oxide):

.. code-block:: text

    demand_t         = annual_demand_t / 12 × (1 − substitution)
    recycling_t      = recycling_share × demand_t
    primary_need_t   = demand_t − recycling_t
    china_normal_t   = china_share × primary_need_t       (what China ships normally)
    other_normal_t   = primary_need_t − china_normal_t     (what the others ship normally)
    restricted       = start < m ≤ start + length
                       (start = restriction_start_month, length = restriction_length_months)
    licensed_china_t = china_normal_t                 if not restricted
                       0                              if restricted, m − start ≤ licence_delay_months
                       approval_rate × china_normal_t otherwise
    other_capacity_t = other_normal_t × (1 + other_supply_growth)^(m/12)
    other_supply_t   = min(other_capacity_t, primary_need_t − licensed_china_t)
    gap_t            = max(0, primary_need_t − licensed_china_t − other_supply_t)
                       (what neither recycling, nor China, nor the others supply)
    stock_start_t    = stockpile_days / 365 × annual_demand_t
    cumulative_gap_t = gap_t of month 1 + … + gap_t of month m     (the one running total)
    stock_before_t   = max(0, stock_start_t − (cumulative_gap_t − gap_t))
                       (the stock at the start of month m)
    stock_drawn_t    = min(gap_t, stock_before_t)
    stock_left_t     = max(0, stock_start_t − cumulative_gap_t)   (= stock_before_t − stock_drawn_t)
    unmet_t          = gap_t − stock_drawn_t

So every month: licensed_china_t + other_supply_t + recycling_t + stock_drawn_t + unmet_t =
demand_t. Every result in tonnes is proportional to ``annual_demand_t``, and the shortage
test is relative to the month's demand (:data:`SHORTAGE_TOLERANCE`), so shares and months do
not depend on it: exactly so when demand is scaled by a power of two (every tonne is then
scaled without rounding), and up to floating-point rounding otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from widgets.scenario import formula
from widgets.scenario.parameters import NUMERIC_PARAMETERS, check_value

# A share of the month's demand: unmet demand or a stock draw below it is rounding noise.
SHORTAGE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Formula:
    """``name = expr``, computed for every month (``expr`` in :mod:`widgets.scenario.formula`)."""

    name: str
    expr: str

    @property
    def tree(self) -> formula.Node:
        return formula.parse(self.expr)


@dataclass(frozen=True)
class CumulativeSum:
    """``name`` = the running total of column ``of`` from month 1 to this month."""

    name: str
    of: str


MODEL: tuple[Formula | CumulativeSum, ...] = (
    Formula("demand_t", "annual_demand_t / 12 * (1 - substitution)"),
    Formula("recycling_t", "recycling_share * demand_t"),
    Formula("primary_need_t", "demand_t - recycling_t"),
    Formula("china_normal_t", "china_share * primary_need_t"),
    Formula(
        "restricted",
        "restriction_start_month < month"
        " && month <= restriction_start_month + restriction_length_months",
    ),
    Formula(
        "licensed_china_t",
        "if(restricted, if(month - restriction_start_month <= licence_delay_months, 0, "
        "approval_rate * china_normal_t), china_normal_t)",
    ),
    Formula("other_normal_t", "primary_need_t - china_normal_t"),
    Formula("other_capacity_t", "other_normal_t * pow(1 + other_supply_growth, month / 12)"),
    Formula("other_supply_t", "min(other_capacity_t, primary_need_t - licensed_china_t)"),
    Formula("gap_t", "max(0, primary_need_t - licensed_china_t - other_supply_t)"),
    Formula("stock_start_t", "stockpile_days / 365 * annual_demand_t"),
    CumulativeSum("cumulative_gap_t", "gap_t"),
    Formula("stock_before_t", "max(0, stock_start_t - (cumulative_gap_t - gap_t))"),
    Formula("stock_drawn_t", "min(gap_t, stock_before_t)"),
    # from the running total, not before - drawn: the stock then never rises by a rounding
    Formula("stock_left_t", "max(0, stock_start_t - cumulative_gap_t)"),
    Formula("unmet_t", "gap_t - stock_drawn_t"),
)

OUTPUT_COLUMNS = (
    "month",
    "demand_t",
    "licensed_china_t",
    "other_supply_t",
    "recycling_t",
    "gap_t",
    "stock_drawn_t",
    "stock_left_t",
    "unmet_t",
    "restricted",
)
ALL_COLUMNS = ("month",) + tuple(step.name for step in MODEL)
COLUMN_UNITS = {name: ("t/month" if name.endswith("_t") else "") for name in ALL_COLUMNS}
COLUMN_UNITS.update(
    {
        "month": "month",
        "stock_start_t": "t",
        "cumulative_gap_t": "t",
        "stock_before_t": "t",
        "stock_left_t": "t",
    }
)

STEP_MEANINGS = {
    "demand_t": "what the importer needs this month, after substitution",
    "recycling_t": "the part met by recycled material",
    "primary_need_t": "what must come from mines and refineries",
    "china_normal_t": "what China would normally supply",
    "restricted": "true in the months of the restriction",
    "licensed_china_t": "what China licenses: nothing during the delay, then the approval rate",
    "other_normal_t": "what other suppliers normally supply",
    "other_capacity_t": "what other suppliers could supply, growing each year",
    "other_supply_t": "what other suppliers do supply (up to their capacity)",
    "gap_t": "the shortfall before drawing on stocks",
    "stock_start_t": "the stockpile at the start",
    "cumulative_gap_t": "the shortfall summed from month 1",
    "stock_before_t": "the stock left at the start of this month",
    "stock_drawn_t": "what the stock covers this month",
    "stock_left_t": "the stock left at the end of this month",
    "unmet_t": "what nobody covers: unmet demand",
}

# --------------------------------------------------------------------------- the summary
# Month flags, then aggregates over the months of the horizon: the headline numbers of a run.
MONTH_FLAGS: tuple[Formula, ...] = (
    Formula("short", f"unmet_t > {SHORTAGE_TOLERANCE!r} * demand_t"),
    Formula("drew", f"stock_drawn_t > {SHORTAGE_TOLERANCE!r} * demand_t"),
)


@dataclass(frozen=True)
class Aggregate:
    """``name`` = ``op`` of column ``of`` over the months: "sum", "count" (months where the
    flag is true) or "first" (the first month where the flag is true; none if never)."""

    name: str
    op: str
    of: str


SUMMARY: tuple[Aggregate, ...] = (
    Aggregate("first_shortage_month", "first", "short"),
    Aggregate("months_covered_by_stock", "count", "drew"),
    Aggregate("unmet_tonnes", "sum", "unmet_t"),
    Aggregate("demand_tonnes", "sum", "demand_t"),
)
SUMMARY_FORMULAS: tuple[Formula, ...] = (Formula("unmet_share", "unmet_tonnes / demand_tonnes"),)


def _check_model() -> dict[str, formula.Node]:
    """Parse every formula once and check that it only uses what is already known."""
    known = set(NUMERIC_PARAMETERS) | {"month"}
    trees = {}
    for step in MODEL + MONTH_FLAGS:
        used = formula.names(step.tree) if isinstance(step, Formula) else {step.of}
        unknown = used - known
        if unknown:
            raise formula.ExpressionError(
                f"step {step.name!r} uses {', '.join(sorted(unknown))} before it is defined"
            )
        if step.name in known:
            raise formula.ExpressionError(f"step {step.name!r} is defined twice")
        if isinstance(step, Formula):
            trees[step.name] = step.tree
        known.add(step.name)
    for aggregate in SUMMARY:
        if aggregate.of not in known or aggregate.op not in ("sum", "count", "first"):
            raise formula.ExpressionError(f"summary {aggregate!r} reads an unknown column or op")
    for step in SUMMARY_FORMULAS:
        trees[step.name] = step.tree
    return trees


_TREES = _check_model()


def evaluate_model(parameters: Mapping[str, object], months) -> dict[str, np.ndarray]:
    """Run :data:`MODEL` with numpy and return every column.

    ``parameters`` maps each numeric parameter to a number (one scenario) or to an array of
    shape ``(n, 1)`` (n scenarios); ``months`` is ``1 ... horizon`` as shape ``(H,)`` or
    ``(1, H)``. Every returned array has the broadcast shape (``(H,)`` or ``(n, H)``);
    the running total runs along the last axis (the months).
    """
    env: dict[str, object] = {name: parameters[name] for name in NUMERIC_PARAMETERS}
    env["month"] = np.asarray(months)
    shape = np.broadcast_shapes(*(np.shape(v) for v in env.values()))
    for step in MODEL:
        if isinstance(step, Formula):
            env[step.name] = formula.evaluate(_TREES[step.name], env)
        else:
            env[step.name] = np.cumsum(np.broadcast_to(env[step.of], shape), axis=-1)
    return {name: np.broadcast_to(env[name], shape) for name in ALL_COLUMNS}


def summary_of(columns: Mapping[str, np.ndarray], valid: np.ndarray | None = None) -> dict:
    """:data:`SUMMARY` over the last axis (the months) of the model's columns, months where
    ``valid`` is false left out. Arrays of shape ``(H,)`` give numbers, ``(n, H)`` arrays of n.
    ``first_shortage_month`` is 0 where there is no shortage."""
    env = {
        name: np.asarray(columns[name], dtype=float)
        for name in ("month", "unmet_t", "demand_t", "stock_drawn_t")
    }
    env["month"] = np.broadcast_to(env["month"], env["unmet_t"].shape)
    if valid is None:
        valid = np.ones(env["unmet_t"].shape, dtype=bool)
    for step in MONTH_FLAGS:
        env[step.name] = formula.evaluate(_TREES[step.name], env) & valid
    result = {}
    for aggregate in SUMMARY:
        column = env[aggregate.of]
        if aggregate.op == "sum":
            result[aggregate.name] = np.where(valid, column, 0.0).sum(axis=-1)
        elif aggregate.op == "count":
            result[aggregate.name] = column.sum(axis=-1).astype("int64")
        else:
            result[aggregate.name] = np.where(
                column.any(axis=-1), column.argmax(axis=-1) + 1, 0
            ).astype("int64")
    for step in SUMMARY_FORMULAS:
        result[step.name] = formula.evaluate(_TREES[step.name], result)
    return result


def equations() -> pd.DataFrame:
    """The model's steps in order, as a student writes them on paper (from :data:`MODEL`)."""
    rows = []
    for step in MODEL:
        text = (
            step.expr
            if isinstance(step, Formula)
            else f"{step.of} of month 1 + … + {step.of} of this month"
        )
        rows.append({"quantity": step.name, "equals": text, "meaning": STEP_MEANINGS[step.name]})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- Vega-Lite face
def vega_transforms(
    prefix: str = "", *, parameters_from_rows: bool = False, groupby: Sequence[str] = ()
) -> list[dict]:
    """:data:`MODEL` as Vega-Lite transforms, in order.

    Each :class:`Formula` becomes ``{"calculate": <Vega expression>, "as": name}``; the
    :class:`CumulativeSum` becomes a ``window`` sum sorted by month from the first row to
    the current one. In the expressions a parameter ``p`` is the Vega-Lite param
    ``prefix + p`` (bind a slider to it); a column is ``datum.<column>``. The data must
    have one row per month with a field ``month`` = 1 … horizon.

    For many scenarios at once (a sweep), ``parameters_from_rows=True`` reads each parameter
    from the row (``datum.<prefix><name>``) and ``groupby`` names the fields that tell the
    scenarios apart, so that each running total stays within its scenario.
    """
    if not isinstance(prefix, str) or (prefix and not prefix.replace("_", "a").isalnum()):
        raise ValueError(f"prefix = {prefix!r} must be letters, digits or underscores")
    transforms: list[dict] = []
    for step in MODEL:
        if isinstance(step, Formula):
            expr = formula.to_vega(
                _TREES[step.name],
                NUMERIC_PARAMETERS,
                prefix,
                parameter_format="datum.{prefix}{name}"
                if parameters_from_rows
                else "{prefix}{name}",
            )
            transforms.append({"calculate": expr, "as": step.name})
        else:
            transforms.append(
                {
                    "window": [{"op": "sum", "field": step.of, "as": step.name}],
                    "sort": [{"field": "month"}],
                    "frame": [None, 0],
                    **({"groupby": list(groupby)} if groupby else {}),
                }
            )
    return transforms


def vega_summary_transforms() -> list[dict]:
    """:data:`SUMMARY` as Vega-Lite transforms over the rows of :func:`vega_transforms`: one
    row with the same fields as :func:`summary_of` (``first_shortage_month`` 0 if none)."""
    transforms = [
        {"calculate": formula.to_vega(_TREES[step.name], ()), "as": step.name}
        for step in MONTH_FLAGS
    ]
    ops, after = [], []
    for aggregate in SUMMARY:
        if aggregate.op == "sum":
            ops.append({"op": "sum", "field": aggregate.of, "as": aggregate.name})
        elif aggregate.op == "count":
            transforms.append(
                {"calculate": f"datum.{aggregate.of} ? 1 : 0", "as": f"{aggregate.name}_each"}
            )
            ops.append({"op": "sum", "field": f"{aggregate.name}_each", "as": aggregate.name})
        else:
            transforms.append(
                {
                    "calculate": f"datum.{aggregate.of} ? datum.month : null",
                    "as": f"{aggregate.name}_each",
                }
            )
            ops.append({"op": "min", "field": f"{aggregate.name}_each", "as": aggregate.name})
            after.append(
                {
                    "calculate": f"isValid(datum.{aggregate.name}) ? datum.{aggregate.name} : 0",
                    "as": aggregate.name,
                }
            )
    transforms.append({"aggregate": ops})
    transforms += after
    transforms += [
        {"calculate": formula.to_vega(_TREES[step.name], ()), "as": step.name}
        for step in SUMMARY_FORMULAS
    ]
    return transforms


def vega_params(scenario, prefix: str = "") -> list[dict]:
    """The Vega-Lite params the transforms read, set to the scenario's values."""
    return [
        {"name": prefix + name, "value": value} for name, value in scenario.parameters().items()
    ]


def vega_month_sequence(horizon_months: int) -> dict:
    """Vega-Lite data with one row per month: ``{"sequence": {"start": 1, ...}}``."""
    horizon = check_value("horizon_months", horizon_months)
    return {"sequence": {"start": 1, "stop": horizon + 1, "as": "month"}}
