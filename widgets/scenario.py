"""The export-licence scenario model: what happens to an importer when China restricts exports.

One month at a time, an importer (Japan, the United States or the European Union) needs an
element group (for example the magnet metals neodymium and praseodymium). Part of the need
is met by recycling, part by Chinese supply, part by other countries. When China restricts
exports, licensed Chinese supply falls; other countries make up what they can; the stockpile
covers the rest until it is empty; what is left is *unmet demand*.

The model is written **once**, as the ordered list of steps :data:`MODEL` below. Each step
is either a :class:`Formula` (a one-line formula of the mini-language of
:mod:`widgets.model_expr`) or a :class:`CumulativeSum` (a running total over the months).
Two evaluators read that list:

* :func:`simulate` (and the vectorised :func:`simulate_many`, :func:`sweep`,
  :func:`sensitivity`) computes it with numpy;
* :func:`vega_transforms` prints it as Vega-Lite ``calculate`` and ``window`` transforms so
  that a static page can recompute it in the browser. **Naming rule:** a model parameter is
  read from the Vega-Lite param whose name is the parameter's field name (optionally with a
  prefix), e.g. the slider for ``stockpile_days`` must be bound to a param named
  ``stockpile_days``; :func:`vega_params` lists them with the scenario's values. A column is
  read as ``datum.<column>``; the data must hold one row per month with a field ``month``
  (1, 2, ... horizon), see :func:`vega_month_sequence`.

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
    stock_left_t     = stock_before_t − stock_drawn_t
    unmet_t          = gap_t − stock_drawn_t

So every month: licensed_china_t + other_supply_t + recycling_t + stock_drawn_t + unmet_t =
demand_t. Every result in tonnes is proportional to ``annual_demand_t``; shares and months
do not depend on it.

Defaults come from ``data/scenario_parameters.csv`` (each figure either from a document,
with its source, or a labelled assumption with a range): see :func:`default_scenario` and
:func:`parameter_table`. Presets that retell the documents come from
``data/scenario_presets.csv``: see :func:`preset`, :func:`preset_names`, :func:`preset_table`.
"""
from __future__ import annotations

import dataclasses
import math
import numbers
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from widgets import model_expr
from widgets.data import load_table

IMPORTERS = ("Japan", "United States", "European Union")
ELEMENT_GROUPS = {
    "light_ndpr": "neodymium and praseodymium (Nd, Pr), the magnet metals",
    "heavy_dytb": "dysprosium and terbium (Dy, Tb), the heavy magnet additives",
    "april2025_seven": "the seven elements licensed from April 2025 (Sm, Gd, Tb, Dy, Lu, Sc, Y)",
    "october2025_five": "the five elements of the October 2025 measures (Ho, Er, Tm, Eu, Yb)",
}
TOLERANCE_T = 1e-9  # tonnes: below this a shortage or a stock draw is rounding noise


# --------------------------------------------------------------------------- parameters
@dataclass(frozen=True)
class ParameterSpec:
    """What a scenario field means, its unit and the range the model accepts."""

    name: str
    kind: str  # "choice", "number" or "months"
    unit: str
    meaning: str
    low: float | None = None
    high: float | str | None = None  # a number, or the name of the field that bounds it
    low_exclusive: bool = False
    choices: tuple[str, ...] = ()

    def describe_range(self, horizon: int | None = None) -> str:
        if self.kind == "choice":
            return "allowed " + ", ".join(self.choices)
        low = f"more than {_fmt(self.low)}" if self.low_exclusive else _fmt(self.low)
        if isinstance(self.high, str):
            high = f"{self.high} ({horizon})" if horizon is not None else self.high
        else:
            high = _fmt(self.high)
        joiner = " and at most " if self.low_exclusive else " to "
        whole = "whole numbers " if self.kind == "months" else ""
        return f"allowed {whole}{low}{joiner}{high} {self.unit}".rstrip()


def _fmt(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


PARAMETERS: dict[str, ParameterSpec] = {
    spec.name: spec
    for spec in (
        ParameterSpec("importer", "choice", "", "the importing economy", choices=IMPORTERS),
        ParameterSpec(
            "element_group", "choice", "", "the group of elements", choices=tuple(ELEMENT_GROUPS)
        ),
        ParameterSpec(
            "annual_demand_t", "number", "t/yr",
            "the importer's yearly need for the element group (tonnes of oxide equivalent)",
            low=0, high=1_000_000, low_exclusive=True,
        ),
        ParameterSpec(
            "china_share", "number", "(a share: 0.6 means 60 %)",
            "the share of its primary supply that normally comes from China", low=0, high=1,
        ),
        ParameterSpec(
            "approval_rate", "number", "(a share: 0 is an embargo, 1 licenses every request)",
            "the share of requested volumes that China licenses while the restriction lasts",
            low=0, high=1,
        ),
        ParameterSpec(
            "licence_delay_months", "months", "months",
            "months at the start of the restriction during which no licence is granted",
            low=0, high=12,
        ),
        ParameterSpec(
            "restriction_start_month", "months", "months",
            "the restriction starts after this many months (start + 1 is the first restricted)",
            low=0, high=120,
        ),
        ParameterSpec(
            "restriction_length_months", "months", "months",
            "how many months the restriction lasts (0 = no restriction)",
            low=0, high=120,
        ),
        ParameterSpec(
            "stockpile_days", "number", "days",
            "the stockpile at the start, in days of consumption at the pre-crisis rate",
            low=0, high=365,
        ),
        ParameterSpec(
            "other_supply_growth", "number", "(a yearly growth rate: 0.1 means +10 % a year)",
            "yearly growth of the non-Chinese supply capacity", low=0, high=1,
        ),
        ParameterSpec(
            "recycling_share", "number", "(a share of demand)",
            "the share of demand met by recycling", low=0, high=0.5,
        ),
        ParameterSpec(
            "substitution", "number", "(a share of demand)",
            "the share of demand avoided by substitution or thrift", low=0, high=0.5,
        ),
        ParameterSpec(
            "horizon_months", "months", "months", "how many months the model runs", low=1, high=120
        ),
    )
}
NUMERIC_PARAMETERS = tuple(n for n, s in PARAMETERS.items() if s.kind != "choice")
# A restriction may start or last beyond the horizon (it is then cut off by it); a sensitivity
# sweep cuts these ranges at the horizon, so that its "high end" is a change the reader sees.
HORIZON_CLIPPED = ("restriction_start_month", "restriction_length_months")
MONTH_PARAMETERS = tuple(n for n, s in PARAMETERS.items() if s.kind == "months")
_CHECK_ORDER = ("importer", "element_group", "horizon_months") + tuple(
    n for n in PARAMETERS if n not in ("importer", "element_group", "horizon_months")
)


def _check(name: str, value, horizon: int | None = None):
    """The value in canonical form (str, int or float), or ValueError naming field, value, range."""
    spec = PARAMETERS[name]
    allowed = spec.describe_range(horizon)
    shown = repr(value) if isinstance(value, str) else str(value)
    if spec.kind == "choice":
        if not isinstance(value, str) or value not in spec.choices:
            raise ValueError(f"{name} = {value!r} is not a known {name}: {allowed}")
        return value
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} = {value!r} is not a number: {allowed}")
    if spec.kind == "months":
        if not isinstance(value, numbers.Integral):
            raise ValueError(f"{name} = {shown} is not a whole number of months: {allowed}")
        value = int(value)
    else:
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"{name} = {shown} is not a finite number: {allowed}")
    high = horizon if spec.high == "horizon_months" else spec.high
    too_low = value <= spec.low if spec.low_exclusive else value < spec.low
    if too_low or value > high:
        raise ValueError(f"{name} = {shown} is out of range: {allowed}")
    return value


@dataclass(frozen=True)
class Scenario:
    """One scenario: who imports what, and what China's licence regime does.

    Every field is checked when the scenario is made; an invalid value raises ValueError
    naming the field, the value and the allowed range. Change a field with
    ``scenario.with_changes(stockpile_days=90)`` (a new scenario; this one is frozen).
    """

    importer: str  # Japan, United States or European Union
    element_group: str  # light_ndpr, heavy_dytb, april2025_seven or october2025_five
    annual_demand_t: float  # t/yr of oxide equivalent, > 0
    china_share: float  # 0-1: normal share of primary supply from China
    approval_rate: float  # 0-1: share of requests licensed during the restriction; 0 = embargo
    licence_delay_months: int  # 0-12: months with no licence at the start of the restriction
    restriction_start_month: int  # 0-horizon: restricted months are start+1 ... start+length
    restriction_length_months: int  # 0-horizon: 0 = no restriction
    stockpile_days: float  # 0-365: days of consumption at the pre-crisis rate
    other_supply_growth: float  # 0-1 per year: growth of non-Chinese supply capacity
    recycling_share: float  # 0-0.5 of demand
    substitution: float  # 0-0.5 of demand avoided
    horizon_months: int  # 1-120

    def __post_init__(self):
        horizon = None
        for name in _CHECK_ORDER:
            value = _check(name, getattr(self, name), horizon)
            object.__setattr__(self, name, value)
            if name == "horizon_months":
                horizon = value

    def with_changes(self, **changes) -> "Scenario":
        """A copy of this scenario with some fields changed (and checked again)."""
        unknown = sorted(set(changes) - set(PARAMETERS))
        if unknown:
            raise ValueError(f"unknown scenario field(s) {', '.join(unknown)}: "
                             f"known fields are {', '.join(PARAMETERS)}")
        return dataclasses.replace(self, **changes)

    def parameters(self) -> dict[str, float | int]:
        """The numeric fields, as the model's formulas read them."""
        return {name: getattr(self, name) for name in NUMERIC_PARAMETERS}


# --------------------------------------------------------------------------- the model
@dataclass(frozen=True)
class Formula:
    """``name = expr``, computed for every month (``expr`` in :mod:`widgets.model_expr`)."""

    name: str
    expr: str

    @property
    def tree(self) -> model_expr.Node:
        return model_expr.parse(self.expr)


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
    Formula("stock_left_t", "stock_before_t - stock_drawn_t"),
    Formula("unmet_t", "gap_t - stock_drawn_t"),
)

OUTPUT_COLUMNS = (
    "month", "demand_t", "licensed_china_t", "other_supply_t", "recycling_t", "gap_t",
    "stock_drawn_t", "stock_left_t", "unmet_t", "restricted",
)
ALL_COLUMNS = ("month",) + tuple(step.name for step in MODEL)
COLUMN_UNITS = {name: ("t/month" if name.endswith("_t") else "") for name in ALL_COLUMNS}
COLUMN_UNITS.update({"month": "month", "stock_start_t": "t", "cumulative_gap_t": "t",
                     "stock_before_t": "t", "stock_left_t": "t"})


def _check_model() -> dict[str, model_expr.Node]:
    """Parse every formula once and check that it only uses what is already known."""
    known = set(NUMERIC_PARAMETERS) | {"month"}
    trees = {}
    for step in MODEL:
        used = model_expr.names(step.tree) if isinstance(step, Formula) else {step.of}
        unknown = used - known
        if unknown:
            raise model_expr.ExpressionError(
                f"step {step.name!r} uses {', '.join(sorted(unknown))} before it is defined"
            )
        if step.name in known:
            raise model_expr.ExpressionError(f"step {step.name!r} is defined twice")
        if isinstance(step, Formula):
            trees[step.name] = step.tree
        known.add(step.name)
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
            env[step.name] = model_expr.evaluate(_TREES[step.name], env)
        else:
            env[step.name] = np.cumsum(np.broadcast_to(env[step.of], shape), axis=-1)
    return {name: np.broadcast_to(env[name], shape) for name in ALL_COLUMNS}


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


def _summaries(columns: Mapping[str, np.ndarray], valid: np.ndarray) -> dict[str, np.ndarray]:
    """Vectorised :func:`summarize` over rows of 2-D arrays (months beyond a horizon masked)."""
    unmet = np.where(valid, columns["unmet_t"], 0.0)
    demand = np.where(valid, columns["demand_t"], 0.0)
    short = unmet > TOLERANCE_T
    any_short = short.any(axis=1)
    first = np.where(any_short, short.argmax(axis=1) + 1, 0)
    covered = ((columns["stock_drawn_t"] > TOLERANCE_T) & valid).sum(axis=1)
    unmet_tonnes = unmet.sum(axis=1)
    demand_tonnes = demand.sum(axis=1)
    return {
        "first_shortage_month": pd.arrays.IntegerArray(first.astype("int64"), ~any_short),
        "months_covered_by_stock": covered.astype("int64"),
        "unmet_tonnes": unmet_tonnes,
        "unmet_share": unmet_tonnes / demand_tonnes,
        "demand_tonnes": demand_tonnes,
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
            raise ValueError(
                f"cannot sweep {name!r}: choose among {', '.join(NUMERIC_PARAMETERS)}"
            )
    if "horizon_months" in ranges:
        raise ValueError("cannot sweep horizon_months: all scenarios of a sweep share one horizon")
    values = {}
    for name, seq in ranges.items():
        seq = list(seq)
        if not seq:
            raise ValueError(f"sweep range for {name} is empty")
        values[name] = [_check(name, v, base.horizon_months) for v in seq]
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
    """The headline numbers of a run.

    first_shortage_month: the first month with unmet demand (None if none);
    months_covered_by_stock: how many months the stockpile was drawn on;
    unmet_tonnes: unmet demand summed over the horizon (t);
    unmet_share: unmet_tonnes / total demand over the horizon (0-1);
    demand_tonnes and horizon_months: the totals they are measured against.
    """
    frame = frame_or_scenario
    if isinstance(frame, Scenario):
        frame = simulate(frame)
    missing = {"month", "demand_t", "stock_drawn_t", "unmet_t"} - set(frame.columns)
    if missing:
        raise ValueError(f"summarize() needs a frame from simulate(); missing {sorted(missing)}")
    unmet = frame["unmet_t"].to_numpy(dtype=float)
    short = np.nonzero(unmet > TOLERANCE_T)[0]
    demand_tonnes = float(frame["demand_t"].sum())
    unmet_tonnes = float(unmet.sum())
    return {
        "first_shortage_month": int(frame["month"].iloc[short[0]]) if len(short) else None,
        "months_covered_by_stock": int((frame["stock_drawn_t"].to_numpy() > TOLERANCE_T).sum()),
        "unmet_tonnes": unmet_tonnes,
        "unmet_share": unmet_tonnes / demand_tonnes,
        "demand_tonnes": demand_tonnes,
        "horizon_months": int(len(frame)),
    }


_SUBJECT = {"Japan": "Japan", "United States": "The United States",
            "European Union": "The European Union"}


def _months(n: int) -> str:
    return f"{n} month" if n == 1 else f"{n} months"


def _percent(share: float) -> str:
    if 0 < share < 0.005:
        return "less than 1 %"
    return f"{round(share * 100)} %"


def describe(summary: Mapping, scenario: Scenario) -> str:
    """The summary in one sentence a reader can quote.

    "Japan runs short in month 3; stocks cover 2 months; 18 % of demand unmet over 24
    months." or "Japan never runs short over 24 months."
    """
    who = _SUBJECT[scenario.importer]
    horizon = _months(int(summary.get("horizon_months", scenario.horizon_months)))
    covered = int(summary["months_covered_by_stock"])
    first = summary["first_shortage_month"]
    if first is None or pd.isna(first):
        if covered:
            return (f"{who} never runs short over {horizon}: "
                    f"stocks cover the gap in {_months(covered)}.")
        return f"{who} never runs short over {horizon}."
    stocks = f"stocks cover {_months(covered)}" if covered else "there is no stock to draw on"
    return (f"{who} runs short in month {int(first)}; {stocks}; "
            f"{_percent(float(summary['unmet_share']))} of demand unmet over {horizon}.")


# --------------------------------------------------------------------------- defaults
_SPECIFICITY = {(True, True): 0, (True, False): 1, (False, True): 2, (False, False): 3}


def parameter_table(importer: str = "Japan", element_group: str = "light_ndpr") -> pd.DataFrame:
    """The default value of each numeric parameter for this importer and group, with its
    unit, range (low, high), basis (document, dataset or assumption), source and note.

    A row of ``data/scenario_parameters.csv`` applies if its importer and element_group
    match or are "all"; the most specific row wins, in this order: importer and group,
    importer only, group only, neither. One row per parameter, in :class:`Scenario` order.
    """
    _check("importer", importer)
    _check("element_group", element_group)
    table = load_table("scenario_parameters")
    chosen = []
    for name in NUMERIC_PARAMETERS:
        rows = table[table["parameter"] == name]
        fits_importer = rows["importer"] == importer
        fits_group = rows["element_group"] == element_group
        applies = rows[(fits_importer | (rows["importer"] == "all"))
                       & (fits_group | (rows["element_group"] == "all"))]
        if applies.empty:
            raise ValueError(
                f"data/scenario_parameters.csv has no row for {name} that applies to "
                f"{importer} / {element_group}"
            )
        rank = [
            _SPECIFICITY[(imp == importer, grp == element_group)]
            for imp, grp in zip(applies["importer"], applies["element_group"])
        ]
        chosen.append(applies.iloc[int(np.argmin(rank))])
    result = pd.DataFrame(chosen).reset_index(drop=True)
    result.attrs = {}
    return result


def _as_field_value(name: str, value):
    """A value read from a table, converted to the type of the Scenario field."""
    spec = PARAMETERS[name]
    if spec.kind == "choice":
        return str(value)
    number = float(value)
    if spec.kind == "months":
        if not number.is_integer():
            raise ValueError(f"{name} = {value} is not a whole number of months")
        return int(number)
    return number


def default_scenario(importer: str = "Japan", element_group: str = "light_ndpr") -> Scenario:
    """The scenario built from the defaults in ``data/scenario_parameters.csv``."""
    table = parameter_table(importer, element_group)
    values = {row.parameter: _as_field_value(row.parameter, row.value)
              for row in table.itertuples(index=False)}
    return Scenario(importer=importer, element_group=element_group, **values)


# --------------------------------------------------------------------------- presets
PRESET_ONLY_ROWS = ("first_month",)  # calendar anchor of month 1; not a model input


def _preset_rows(name: str) -> pd.DataFrame:
    table = load_table("scenario_presets")
    rows = table[table["preset"] == name]
    if rows.empty:
        raise ValueError(f"unknown preset {name!r}: known presets are "
                         + "; ".join(repr(n) for n in preset_names()))
    return rows


def preset_names() -> list[str]:
    """The presets of ``data/scenario_presets.csv``, in file order."""
    return list(dict.fromkeys(load_table("scenario_presets")["preset"]))


def preset(name: str) -> Scenario:
    """The scenario of a preset: its importer's and group's defaults, then its overrides."""
    rows = _preset_rows(name).set_index("parameter")
    for needed in ("importer", "element_group"):
        if needed not in rows.index:
            raise ValueError(f"preset {name!r} does not say its {needed}")
    base = default_scenario(rows.loc["importer", "value"], rows.loc["element_group", "value"])
    changes = {p: _as_field_value(p, v) for p, v in rows["value"].items()
               if p not in PRESET_ONLY_ROWS + ("importer", "element_group")}
    return base.with_changes(**changes)


def preset_first_month(name: str) -> str | None:
    """The calendar month (YYYY-MM) that month 1 of the preset stands for, if it says."""
    rows = _preset_rows(name).set_index("parameter")
    return str(rows.loc["first_month", "value"]) if "first_month" in rows.index else None


def preset_table(name: str) -> pd.DataFrame:
    """Every field of the preset's scenario with the number used and where it comes from.

    Columns: parameter, value, unit, basis, source, note, set_by ("preset" when the preset
    sets it, "default" when it comes from :func:`parameter_table`).
    """
    scenario = preset(name)
    own = _preset_rows(name).set_index("parameter")
    defaults = parameter_table(scenario.importer, scenario.element_group).set_index("parameter")
    records = []
    for field in PARAMETERS:
        value = getattr(scenario, field)
        if field in own.index:
            row, set_by = own.loc[field], "preset"
        else:
            row, set_by = defaults.loc[field], "default"
        records.append({
            "parameter": field, "value": value,
            "unit": defaults.loc[field, "unit"] if field in defaults.index else "",
            "basis": row["basis"], "source": row["source"], "note": row["note"],
            "set_by": set_by,
        })
    return pd.DataFrame(records)


# --------------------------------------------------------------------------- sensitivity
DEFAULT_SENSITIVITY_EXCLUDED = ("horizon_months", "restriction_start_month")


def sensitivity(base: Scenario, parameters: Sequence[str] | None = None) -> pd.DataFrame:
    """Unmet tonnes when one parameter at a time moves to the low and the high end of its
    range in ``data/scenario_parameters.csv`` (for the base's importer and group), the
    others staying at ``base``: the numbers behind a tornado chart.

    By default every numeric parameter except horizon_months and restriction_start_month
    (moving those mostly moves the restriction out of the window). Month ranges are cut at
    the horizon. Columns: parameter, unit, basis, base_value, low, high, unmet_base_t,
    unmet_low_t, unmet_high_t, swing_t (|high - low| in unmet tonnes); largest swing first.
    """
    if not isinstance(base, Scenario):
        raise TypeError(f"sensitivity() needs a Scenario, not {type(base).__name__}")
    table = parameter_table(base.importer, base.element_group).set_index("parameter")
    if parameters is None:
        parameters = [p for p in NUMERIC_PARAMETERS if p not in DEFAULT_SENSITIVITY_EXCLUDED]
    scenarios, meta = [base], []
    for name in parameters:
        if name not in NUMERIC_PARAMETERS:
            raise ValueError(f"no range for {name!r}: choose among {', '.join(NUMERIC_PARAMETERS)}")
        low, high = table.loc[name, "low"], table.loc[name, "high"]
        if pd.isna(low) or pd.isna(high):
            raise ValueError(f"data/scenario_parameters.csv gives no low/high range for {name}")
        ends = []
        for end in (low, high):
            value = _as_field_value(name, end)
            if name in HORIZON_CLIPPED:
                value = min(value, base.horizon_months)
            ends.append(value)
        scenarios += [base.with_changes(**{name: ends[0]}), base.with_changes(**{name: ends[1]})]
        meta.append((name, ends[0], ends[1]))
    horizon = base.horizon_months
    months = np.arange(1, horizon + 1)[None, :]
    columns = evaluate_model(_parameter_arrays(scenarios), months)
    unmet = _summaries(columns, np.ones((len(scenarios), horizon), dtype=bool))["unmet_tonnes"]
    records = []
    for i, (name, low, high) in enumerate(meta):
        u_low, u_high = unmet[1 + 2 * i], unmet[2 + 2 * i]
        records.append({
            "parameter": name, "unit": table.loc[name, "unit"], "basis": table.loc[name, "basis"],
            "base_value": getattr(base, name), "low": low, "high": high,
            "unmet_base_t": unmet[0], "unmet_low_t": u_low, "unmet_high_t": u_high,
            "swing_t": abs(u_high - u_low),
        })
    frame = pd.DataFrame(records)
    if frame.empty:
        return frame
    return frame.sort_values("swing_t", ascending=False, kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- Vega-Lite face
def vega_transforms(prefix: str = "", *, parameters_from_rows: bool = False,
                    groupby: Sequence[str] = ()) -> list[dict]:
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
            expr = model_expr.to_vega(
                _TREES[step.name], NUMERIC_PARAMETERS, prefix,
                parameter_format="datum.{prefix}{name}" if parameters_from_rows else "{prefix}{name}")
            transforms.append({"calculate": expr, "as": step.name})
        else:
            transforms.append({
                "window": [{"op": "sum", "field": step.of, "as": step.name}],
                "sort": [{"field": "month"}],
                "frame": [None, 0],
                **({"groupby": list(groupby)} if groupby else {}),
            })
    return transforms


def vega_params(scenario: Scenario, prefix: str = "") -> list[dict]:
    """The Vega-Lite params the transforms read, set to the scenario's values."""
    return [{"name": prefix + name, "value": value}
            for name, value in scenario.parameters().items()]


def vega_month_sequence(horizon_months: int) -> dict:
    """Vega-Lite data with one row per month: ``{"sequence": {"start": 1, ...}}``."""
    horizon = _check("horizon_months", horizon_months)
    return {"sequence": {"start": 1, "stop": horizon + 1, "as": "month"}}


# --------------------------------------------------------------------------- questions a reader asks
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


def equations() -> pd.DataFrame:
    """The model's steps in order, as a student writes them on paper (from :data:`MODEL`)."""
    rows = []
    for step in MODEL:
        formula = (step.expr if isinstance(step, Formula)
                   else f"{step.of} of month 1 + … + {step.of} of this month")
        rows.append({"quantity": step.name, "equals": formula, "meaning": STEP_MEANINGS[step.name]})
    return pd.DataFrame(rows)


def stockpile_needed_days(scenario: Scenario) -> float:
    """The smallest stockpile (days of consumption) with which the scenario has no unmet demand:
    the whole shortfall over the horizon, in days of the importer's annual demand."""
    calm = scenario.with_changes(stockpile_days=0.0)
    shortfall = float(simulate(calm)["gap_t"].sum())
    return shortfall / scenario.annual_demand_t * 365


def approval_rate_needed(scenario: Scenario, unmet_share: float, *,
                         tolerance: float = 1e-4) -> float | None:
    """The lowest licence approval rate that keeps unmet demand at or under ``unmet_share`` of
    demand over the horizon (bisection: unmet demand never rises with the approval rate), or
    None when even full approval cannot (the licence delay alone may leave a shortage)."""
    if not 0 <= unmet_share <= 1 or unmet_share != unmet_share:
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
