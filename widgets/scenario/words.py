"""The sentence a reader quotes, written **once** as templates and rendered two ways, as the
model is: :func:`render` (Python, for :func:`describe`) and :func:`to_vega` (a Vega expression,
for the static page).

A template is text with ``{placeholders}``. A placeholder names a :data:`PIECES` entry (a
:class:`Choice` between two templates on a test, or a :class:`Lookup` of a word by a field's
value), a :data:`NUMBERS` formula, or an input field. Tests and numbers are formulas of
:mod:`widgets.scenario.formula`, so both faces compute them the same way.

The inputs (:data:`INPUTS`): importer, horizon_months, first_shortage_month (0 when there is
no shortage), months_covered_by_stock and unmet_share (0-1).

**Rounding.** A share is printed as a whole percent rounded half up (12.5 % -> 13 %), after
snapping it to a millionth of a percent so that a rounding error in the share cannot turn a
tie the other way; a shortage is never "0 %" (it is "less than 1 %"), and a share below 1 is
never "100 %" (it is "more than 99 %").
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from widgets.scenario import formula
from widgets.scenario.parameters import SUBJECTS

INPUTS = (
    "importer",
    "horizon_months",
    "first_shortage_month",
    "months_covered_by_stock",
    "unmet_share",
)


@dataclass(frozen=True)
class Choice:
    """``then`` where the formula ``test`` holds, else ``otherwise`` (templates or choices)."""

    test: str
    then: str | Choice
    otherwise: str | Choice


@dataclass(frozen=True)
class Lookup:
    """The word for a field's value (e.g. the subject of a sentence for an importer)."""

    field: str
    words: Mapping[str, str]


NUMBERS = {
    # a whole percent, half up, of the share snapped to 1e-8 (integer arithmetic in doubles)
    "unmet_percent": "floor((floor(unmet_share * 100000000 + 0.5) + 500000) / 1000000)",
}

# A number and its per cent sign never part at the end of a line (a no-break space between them).
PERCENT = "\u00a0%"

PIECES: dict[str, Choice | Lookup] = {
    "who": Lookup("importer", SUBJECTS),
    "horizon": Choice("horizon_months == 1", "1 month", "{horizon_months} months"),
    "covered": Choice(
        "months_covered_by_stock == 1", "1 month", "{months_covered_by_stock} months"
    ),
    "stocks": Choice(
        "months_covered_by_stock > 0",
        "the stock is drawn on in {covered}",
        "there is no stock to draw on",
    ),
    "percent": Choice(
        "unmet_share > 0 && unmet_percent < 1",
        f"less than 1{PERCENT}",
        Choice(
            "unmet_share < 1 && unmet_percent > 99",
            f"more than 99{PERCENT}",
            f"{{unmet_percent}}{PERCENT}",
        ),
    ),
    "sentence": Choice(
        "first_shortage_month > 0",
        "{who} runs short in month {first_shortage_month}; {stocks}; "
        "{percent} of demand unmet over {horizon}.",
        Choice(
            "months_covered_by_stock > 0",
            "{who} never runs short over {horizon}: the stock covers the gap in {covered}.",
            "{who} never runs short over {horizon}.",
        ),
    ),
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _check() -> None:
    known = set(INPUTS) | set(NUMBERS) | set(PIECES)

    def walk(part) -> None:
        if isinstance(part, Choice):
            unknown = formula.names(part.test) - set(INPUTS) - set(NUMBERS)
            if unknown:
                raise formula.ExpressionError(f"test {part.test!r} reads unknown {unknown}")
            walk(part.then)
            walk(part.otherwise)
        elif isinstance(part, str):
            unknown = set(_PLACEHOLDER.findall(part)) - known
            if unknown:
                raise formula.ExpressionError(f"template {part!r} names unknown {unknown}")

    for piece in PIECES.values():
        walk(piece)


_check()


# --------------------------------------------------------------------------- Python face
def _numbers(inputs: Mapping[str, object]) -> dict:
    env = {name: inputs[name] for name in INPUTS}
    for name, text in NUMBERS.items():
        env[name] = formula.evaluate(text, env)
    return env


def _render(part, env: Mapping[str, object]) -> str:
    if isinstance(part, Choice):
        return _render(part.then if bool(formula.evaluate(part.test, env)) else part.otherwise, env)
    if isinstance(part, Lookup):
        return part.words[env[part.field]]

    def fill(match: re.Match) -> str:
        name = match[1]
        if name in PIECES:
            return _render(PIECES[name], env)
        value = env[name]
        return str(int(value)) if not isinstance(value, str) else value

    return _PLACEHOLDER.sub(fill, part)


def render(inputs: Mapping[str, object], piece: str = "sentence") -> str:
    """A piece (by default the whole sentence) for these inputs (see :data:`INPUTS`)."""
    return _render(PIECES[piece], _numbers(inputs))


def percent_words(share: float) -> str:
    """A share of demand unmet as the sentence writes it: "13 %", "less than 1 %"."""
    return render({**_PERCENT_ONLY, "unmet_share": share}, "percent")


def printed_percent(share: float) -> int:
    """The whole percent the sentence prints for a share unmet (its rounding rule, above)."""
    return int(_numbers({**_PERCENT_ONLY, "unmet_share": share})["unmet_percent"])


_PERCENT_ONLY = {
    "importer": "Japan",
    "horizon_months": 1,
    "first_shortage_month": 1,
    "months_covered_by_stock": 0,
}


def describe(summary: Mapping, scenario) -> str:
    """The summary in one sentence a reader can quote.

    "Japan runs short in month 3; the stock is drawn on in 2 months; 18 % of demand unmet over 24
    months." or "Japan never runs short over 24 months."
    """
    first = summary["first_shortage_month"]
    first = 0 if first is None or pd.isna(first) else int(first)  # None or NaN: no shortage
    return render(
        {
            "importer": scenario.importer,
            "horizon_months": int(summary.get("horizon_months", scenario.horizon_months)),
            "first_shortage_month": first,
            "months_covered_by_stock": int(summary["months_covered_by_stock"]),
            "unmet_share": float(summary["unmet_share"]),
        }
    )


# --------------------------------------------------------------------------- Vega face
def vega_number_transforms(parameters=("importer", "horizon_months")) -> list[dict]:
    """Vega-Lite ``calculate`` transforms for :data:`NUMBERS` (names in ``parameters`` are
    Vega-Lite params, every other input a field of the row)."""
    return [
        {"calculate": formula.to_vega(text, parameters), "as": name}
        for name, text in NUMBERS.items()
    ]


def to_vega(piece: str = "sentence", parameters=("importer", "horizon_months")) -> str:
    """A piece (by default the sentence) as a Vega expression over a row that holds the inputs
    and :data:`NUMBERS` (names in ``parameters`` are read from Vega-Lite params)."""
    parameters = set(parameters)

    def name(field: str) -> str:
        return field if field in parameters else f"datum.{field}"

    def expr(part) -> str:
        if isinstance(part, Choice):
            test = formula.to_vega(part.test, parameters)
            return f"({test} ? {expr(part.then)} : {expr(part.otherwise)})"
        if isinstance(part, Lookup):
            text = name(part.field)
            for key, word in reversed(list(part.words.items())):
                text = f"({name(part.field)} == {json.dumps(key)} ? {json.dumps(word)} : {text})"
            return text
        pieces, at = [], 0
        for match in _PLACEHOLDER.finditer(part):
            if match.start() > at:
                pieces.append(json.dumps(part[at : match.start()]))
            field = match[1]
            pieces.append(f"({expr(PIECES[field])})" if field in PIECES else name(field))
            at = match.end()
        if at < len(part):
            pieces.append(json.dumps(part[at:]))
        if len(pieces) == 1 and not pieces[0].startswith('"'):
            pieces.insert(0, '""')
        return " + ".join(pieces)

    return expr(PIECES[piece])
