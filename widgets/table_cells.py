"""The house rules for one cell of a table in ``data/``, used by :mod:`widgets.data`.

The contract: each function takes a cell's text (or typed value) and its field from the schema,
and raises :class:`CellProblem` with one sentence that says what is wrong and what to write
instead; the loader adds the file, line and column. The rules, so that pandas, R and
spreadsheets read the files as we do:

* numbers and integers are written in ASCII (``-2.5``, ``1.2e6``; no ``5_000``, ``1,000``,
  ``+5``, other scripts' digits, or a value so close to 0 that it would be stored as 0 or as a
  subnormal float);
* no control character (except a line break inside a text cell), no invisible character (format
  characters: zero width, bidi controls, soft hyphen) and only Unicode NFC text, so two keys that
  look the same are the same; key cells (primary key, unique and foreign-key columns) also hold
  no line break and no space other than U+0020;
* a text cell never starts with ``=``, ``+``, ``-`` or ``@``: a spreadsheet would run it as a
  formula when a reader opens a downloaded CSV (the files are published as they are). Numbers
  are not text: ``-28.86`` in a number column is fine;
* ``pattern`` constraints are matched with ``re.ASCII`` (``\\d`` is 0-9 only);
* in a text column whose ``pattern`` admits dates (``YYYY-MM`` or ``YYYY-MM-DD``), a value of
  that shape must be a real month or calendar day (the ``date`` type already is).
"""

from __future__ import annotations

import calendar
import math
import re
import sys
import unicodedata
from datetime import date

INTEGER = re.compile(r"-?[0-9]+")
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DATE_SHAPE = re.compile(r"([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?")
FORMULA_START = ("=", "+", "-", "@")
# control, format (zero width, bidi, soft hyphen), line/paragraph separator, private, unassigned
HIDDEN = {"Cc", "Cf", "Zl", "Zp", "Co", "Cn", "Cs"}


class CellProblem(ValueError):
    """One cell breaks a rule; the message is one sentence without the file, line or column."""


def check_text(value: str, key: bool) -> None:
    """Control, invisible and non-NFC characters; in a key, also line breaks and odd spaces."""
    if (value if key else value.replace("\n", "")).isprintable() and unicodedata.is_normalized(
        "NFC", value
    ):
        return  # the common case, decided in C: no C* or Z* character but U+0020, and NFC
    for position, char in enumerate(value, 1):
        category = unicodedata.category(char)
        odd_space = key and category == "Zs" and char != " "
        if (category in HIDDEN and (char != "\n" or key)) or odd_space:
            label = unicodedata.name(char, "a control character")
            kind = "a space other than U+0020" if odd_space else "an invisible or control character"
            raise CellProblem(
                f"{value!r} holds {kind}, U+{ord(char):04X} ({label}), at character "
                f"{position}; delete it{' or type an ordinary space' if odd_space else ''}"
            )
    nfc = unicodedata.normalize("NFC", value)  # reached for NFD text or spaces such as U+202F
    if nfc != value:
        raise CellProblem(
            f"{value!r} is not in Unicode NFC form (a letter and its accent are stored "
            f"as two characters); write {nfc!r} with precomposed letters (save the file as NFC)"
        )


def parse_cell(value: str, field: dict):
    kind = field["type"]
    if kind == "string":
        if value.startswith(FORMULA_START):
            raise CellProblem(
                f"{value!r} starts with {value[0]!r}, which a spreadsheet runs as a formula when "
                "a reader opens the downloaded CSV; reword it to start with a letter or a digit "
                "(e.g. 'minus 5' rather than '-5')"
            )
        return value
    if kind == "integer":
        if not INTEGER.fullmatch(value):
            raise CellProblem(
                f"{value!r} is not an integer; write ASCII digits 0-9 with an optional "
                "leading minus and no separator, e.g. 2010 or -5"
            )
        return int(value)
    if kind == "number":
        if not NUMBER.fullmatch(value):
            raise CellProblem(
                f"{value!r} is not a number; write ASCII digits with a point for decimals"
                ", an optional leading minus and no separator, e.g. 5000, -2.5 or 1.2e6"
            )
        number = float(value)
        if not math.isfinite(number):
            raise CellProblem(f"{value!r} is not a finite number (too large to store)")
        if abs(number) < sys.float_info.min and re.search("[1-9]", value.lower().split("e")[0]):
            stored = "as 0" if number == 0 else "without losing digits (a subnormal float)"
            raise CellProblem(
                f"{value!r} is too close to 0 to be stored {stored}; write 0 if it is zero, "
                "or change the unit"
            )
        return number
    if kind == "boolean":
        if value not in ("true", "false"):
            raise CellProblem(f"{value!r} is not a boolean (write true or false)")
        return value == "true"
    if kind == "date":
        if not DATE.fullmatch(value):
            raise CellProblem(f"{value!r} is not a date written YYYY-MM-DD")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise CellProblem(f"{value!r} is not a real calendar date") from None
    raise CellProblem(f"unknown field type {kind!r}")  # pragma: no cover (schema checked)


def holds_dates(field: dict) -> bool:
    """A text field whose pattern admits YYYY-MM or YYYY-MM-DD values (checked as dates)."""
    pattern = field.get("constraints", {}).get("pattern")
    return bool(pattern) and any(
        re.fullmatch(pattern, d, re.ASCII) for d in ("2000-01", "2000-01-01")
    )


def check_calendar(value: str) -> None:
    shape = DATE_SHAPE.fullmatch(value)
    if not shape:
        return
    year, month, day = (int(g) if g else None for g in shape.groups())
    if not 1 <= month <= 12:
        raise CellProblem(f"{value!r} has no month {month}; write a month from 01 to 12")
    last = calendar.monthrange(year, month)[1]
    if day is not None and not 1 <= day <= last:
        raise CellProblem(
            f"{value!r} is not a real calendar date ({calendar.month_name[month]} "
            f"{year} has {last} days); write an existing day, or only YYYY-MM"
        )


def check_constraints(value, field: dict) -> None:
    rules = field.get("constraints", {})
    if "enum" in rules and value not in rules["enum"]:
        allowed = ", ".join(map(str, rules["enum"]))
        raise CellProblem(f"{value!r} is not an allowed value (allowed: {allowed})")
    if "pattern" in rules and not re.fullmatch(rules["pattern"], str(value), re.ASCII):
        raise CellProblem(f"{value!r} does not match the pattern {rules['pattern']!r}")
    bound = value.isoformat() if isinstance(value, date) else value
    if "minimum" in rules and bound < rules["minimum"]:
        raise CellProblem(f"{value} is below the minimum {rules['minimum']}")
    if "maximum" in rules and bound > rules["maximum"]:
        raise CellProblem(f"{value} is above the maximum {rules['maximum']}")
    if "maxLength" in rules and len(str(value)) > rules["maxLength"]:
        raise CellProblem(f"the text is longer than {rules['maxLength']} characters")
