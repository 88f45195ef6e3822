"""The scenario's fields: what each one means, the range the model accepts, and how a page
shows it (label, slider step, the unit as a sentence speaks of it), and :class:`Scenario`,
one checked set of values.

Three ranges are kept apart. ``ParameterSpec.low/high`` is what the model *accepts*;
the ``low,high`` columns of ``data/scenario_parameters.csv`` are the *plausible* range of an
importer's assumption (the one the sensitivity chart sweeps); :meth:`ParameterSpec.slider`
is what a slider *offers*, derived from the first (and for demand from the second).
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from dataclasses import dataclass

import numpy as np

IMPORTERS = ("Japan", "United States", "European Union")
# How a sentence names each importer when it starts with it.
SUBJECTS = {
    "Japan": "Japan",
    "United States": "The United States",
    "European Union": "The European Union",
}
ELEMENT_GROUPS = {
    "light_ndpr": "neodymium and praseodymium (Nd, Pr), the magnet metals",
    "heavy_dytb": "dysprosium and terbium (Dy, Tb), the heavy magnet additives",
    "april2025_seven": "the seven elements licensed from April 2025 (Sm, Gd, Tb, Dy, Lu, Sc, Y)",
    "october2025_five": "the five elements of the October 2025 measures (Ho, Er, Tm, Eu, Yb)",
}
GROUP_LABELS = {  # short labels for a menu
    "light_ndpr": "Light: Nd/Pr (magnets)",
    "heavy_dytb": "Heavy: Dy/Tb",
    "april2025_seven": "The 7 licensed in April 2025",
    "october2025_five": "The 5 of October 2025",
}
PLAUSIBLE = "plausible"  # slider_high: the widest high end in data/scenario_parameters.csv


@dataclass(frozen=True)
class ParameterSpec:
    """A scenario field: its meaning and unit, the range the model accepts, and its display
    facts (``label`` for a control, ``step`` of a slider, ``speaks`` for how a sentence writes
    a value: ``"percent"`` 50 %, ``"days"`` 60 days, ``"months"`` 3 months, ``"tonnes"``
    5,000 t/yr; ``phrase`` a short phrase around that text, e.g. "stocks of {value}")."""

    name: str
    kind: str  # "choice", "number" or "months"
    unit: str
    meaning: str
    low: float | None = None
    high: float | str | None = None  # a number, or the name of the field that bounds it
    low_exclusive: bool = False
    choices: tuple[str, ...] = ()
    label: str = ""
    step: float | None = None
    speaks: str = ""
    phrase: str = "{value}"
    slider_low: float | None = None  # None: the model's low end
    slider_high: float | str | None = None  # None: the model's high end; PLAUSIBLE: see above

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

    @property
    def help(self) -> str:
        """One line for a tooltip: the meaning and the allowed range."""
        return f"{self.meaning[0].upper()}{self.meaning[1:]}; {self.describe_range()}."

    def text(self, value) -> str:
        """The value as a sentence writes it: "50 %", "60 days", "3 months", "5,000 t/yr"."""
        if self.speaks == "percent":
            return f"{value * 100:g} %"
        if self.speaks == "days":
            return f"{value:g} days" if value != 1 else "1 day"
        if self.speaks == "months":
            return f"{int(value)} months" if value != 1 else "1 month"
        if self.speaks == "tonnes":
            return f"{value:,g} t/yr"
        return str(value)

    def words(self, value) -> str:
        """The value in its phrase: "stocks of 120 days", "non-Chinese supply +10 % a year"."""
        return self.phrase.format(value=self.text(value))


def _fmt(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


PARAMETERS: dict[str, ParameterSpec] = {
    spec.name: spec
    for spec in (
        ParameterSpec(
            "importer", "choice", "", "the importing economy", choices=IMPORTERS, label="Importer"
        ),
        ParameterSpec(
            "element_group",
            "choice",
            "",
            "the group of elements",
            choices=tuple(ELEMENT_GROUPS),
            label="Elements",
        ),
        # At least 1 t/yr: a month's demand then stays far above floating-point underflow.
        ParameterSpec(
            "annual_demand_t",
            "number",
            "t/yr",
            "the importer's yearly need for the element group (tonnes of oxide equivalent)",
            low=1,
            high=1_000_000,
            label="Annual demand (t/yr)",
            step=1,  # to the tonne: demand spans 10 to 10,000 t a year (a number box beside the slider)
            speaks="tonnes",
            phrase="a demand of {value}",
            slider_low=10,
            slider_high=PLAUSIBLE,
        ),
        ParameterSpec(
            "china_share",
            "number",
            "(a share: 0.6 means 60 %)",
            "the share of its primary supply that normally comes from China",
            low=0,
            high=1,
            label="China's share of supply",
            step=0.01,
            speaks="percent",
            phrase="{value} from China",
        ),
        ParameterSpec(
            "approval_rate",
            "number",
            "(a share: 0 is an embargo, 1 licenses every request)",
            "the share of requested volumes that China licenses while the restriction lasts",
            low=0,
            high=1,
            label="Licence approval rate",
            step=0.01,
            speaks="percent",
            phrase="{value} of requests licensed",
        ),
        ParameterSpec(
            "licence_delay_months",
            "months",
            "months",
            "months at the start of the restriction during which no licence is granted",
            low=0,
            high=12,
            label="Delay before licences flow (months)",
            step=1,
            speaks="months",
            phrase="no licence for {value}",
        ),
        ParameterSpec(
            "restriction_start_month",
            "months",
            "months",
            "the restriction starts after this many months (start + 1 is the first restricted)",
            low=0,
            high=120,
            label="Restriction starts after month",
            step=1,
            speaks="months",
            phrase="a restriction starting after {value}",
        ),
        ParameterSpec(
            "restriction_length_months",
            "months",
            "months",
            "how many months the restriction lasts (0 = no restriction)",
            low=0,
            high=120,
            label="Restriction length (months)",
            step=1,
            speaks="months",
            phrase="a restriction of {value}",
        ),
        ParameterSpec(
            "stockpile_days",
            "number",
            "days",
            "the stockpile at the start, in days of consumption at the pre-crisis rate",
            low=0,
            high=365,
            label="Stockpile (days of consumption)",
            step=5,
            speaks="days",
            phrase="stocks of {value}",
        ),
        ParameterSpec(
            "other_supply_growth",
            "number",
            "(a yearly growth rate: 0.1 means +10 % a year)",
            "yearly growth of the non-Chinese supply capacity",
            low=0,
            high=1,
            label="Growth of non-Chinese supply (per year)",
            step=0.01,
            speaks="percent",
            phrase="non-Chinese supply +{value} a year",
        ),
        ParameterSpec(
            "recycling_share",
            "number",
            "(a share of demand)",
            "the share of demand met by recycling",
            low=0,
            high=0.5,
            label="Recycling share of demand",
            step=0.01,
            speaks="percent",
            phrase="{value} of demand",
        ),
        ParameterSpec(
            "substitution",
            "number",
            "(a share of demand)",
            "the share of demand avoided by substitution or thrift",
            low=0,
            high=0.5,
            label="Demand cut by substitution",
            step=0.01,
            speaks="percent",
            phrase="{value} of demand",
        ),
        ParameterSpec(
            "horizon_months",
            "months",
            "months",
            "how many months the model runs",
            low=1,
            high=120,
            label="Horizon (months)",
            step=1,
            speaks="months",
            phrase="over {value}",
        ),
    )
}
NUMERIC_PARAMETERS = tuple(n for n, s in PARAMETERS.items() if s.kind != "choice")
CHOICE_PARAMETERS = tuple(n for n, s in PARAMETERS.items() if s.kind == "choice")
# A restriction may start or last beyond the horizon (it is then cut off by it); a sensitivity
# sweep cuts these ranges at the horizon, so that its "high end" is a change the reader sees.
HORIZON_CLIPPED = ("restriction_start_month", "restriction_length_months")
MONTH_PARAMETERS = tuple(n for n, s in PARAMETERS.items() if s.kind == "months")
_CHECK_ORDER = (
    CHOICE_PARAMETERS
    + ("horizon_months",)
    + tuple(n for n in NUMERIC_PARAMETERS if n != "horizon_months")
)


def check_value(name: str, value, horizon: int | None = None):
    """The value in canonical form (str, int or float), or ValueError naming field, value, range."""
    spec = PARAMETERS[name]
    allowed = spec.describe_range(horizon)
    shown = repr(value) if isinstance(value, str) else str(value)
    if spec.kind == "choice":
        if not isinstance(value, str) or value not in spec.choices:
            raise ValueError(f"{name} = {value!r} is not a known {name}: {allowed}")
        return value
    # numpy registers its time types as numbers; a duration or a date is not a model input
    if isinstance(value, (bool, np.bool_, np.timedelta64, np.datetime64)) or not isinstance(
        value, numbers.Real
    ):
        raise ValueError(f"{name} = {value!r} is not a number: {allowed}")
    if spec.kind == "months":
        if not isinstance(value, numbers.Integral):
            raise ValueError(f"{name} = {shown} is not a whole number of months: {allowed}")
        value = int(value)
    else:
        value = float(value) + 0.0  # + 0.0 stores -0.0 as 0.0
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
    naming the field, the value and the allowed range (see :data:`PARAMETERS`). Change a
    field with ``scenario.with_changes(stockpile_days=90)`` (a new scenario; this one is
    frozen). A restriction may start or last beyond the horizon: the horizon cuts it off.
    """

    importer: str
    element_group: str
    annual_demand_t: float
    china_share: float
    approval_rate: float
    licence_delay_months: int
    restriction_start_month: int
    restriction_length_months: int
    stockpile_days: float
    other_supply_growth: float
    recycling_share: float
    substitution: float
    horizon_months: int

    def __post_init__(self):
        horizon = None
        for name in _CHECK_ORDER:
            value = check_value(name, getattr(self, name), horizon)
            object.__setattr__(self, name, value)
            if name == "horizon_months":
                horizon = value

    def with_changes(self, **changes) -> Scenario:
        """A copy of this scenario with some fields changed (and checked again)."""
        unknown = sorted(set(changes) - set(PARAMETERS))
        if unknown:
            raise ValueError(
                f"unknown scenario field(s) {', '.join(unknown)}: "
                f"known fields are {', '.join(PARAMETERS)}"
            )
        return dataclasses.replace(self, **changes)

    def parameters(self) -> dict[str, float | int]:
        """The numeric fields, as the model's formulas read them."""
        return {name: getattr(self, name) for name in NUMERIC_PARAMETERS}

    def values(self) -> dict[str, str | float | int]:
        """Every field, choices first."""
        return {name: getattr(self, name) for name in PARAMETERS}
