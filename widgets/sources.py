"""The register of sources (``data/sources.csv``) as a chart or a page cites it.

Every row of a table in ``data/`` names a key of the register; this module is the one place that
turns keys into what a reader sees:

* ``short(key)``: the short credit, e.g. 'Lepesant (2025)';
* ``credit(keys, extra="", width=...)``: the line under a chart, 'Source: A; B. extra', keys in
  order of first use without repeats, cut into lines of at most ``width`` characters (a chart
  title accepts a list of lines);
* ``register()``: the whole register indexed by key, for pages that list licences or URLs;
* ``readable(text)`` / ``notes(column)``: a note of a table as a reader sees it, each source key
  it names replaced by that source's short credit (the tables keep the keys for the tests).

An unknown key is an error that names it; an empty cell among the keys is skipped (a table may
leave an optional source column empty), nothing else is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from widgets.data import load_table
from widgets.text import SOURCE_WIDTH, column_or_empty, wrap


def register() -> pd.DataFrame:
    """data/sources.csv indexed by its key column ``source``."""
    return load_table("sources").set_index("source")


def _row(key: str) -> pd.Series:
    table = register()
    if key not in table.index:
        raise KeyError(f"{key!r} is not a key of data/sources.csv")
    return table.loc[key]


def short(key: str) -> str:
    """The short credit of a key of data/sources.csv (e.g. 'Lepesant (2025)')."""
    return str(_row(key)["short"])


def kind(key: str) -> str:
    """The kind of a source: seed, dataset, press, official or company."""
    return str(_row(key)["kind"])


def keys_in_order(keys: Iterable) -> list[str]:
    """The keys in order of first use, without repeats and without empty cells."""
    return list(dict.fromkeys(k for k in keys if isinstance(k, str) and k))


def shorts(keys: Iterable) -> list[str]:
    """The short credits of ``keys`` in order of first use, without repeats."""
    return list(dict.fromkeys(short(k) for k in keys_in_order(keys)))


def credit(keys: Iterable, extra: str = "", width: int = SOURCE_WIDTH) -> list[str]:
    """'Source: A; B. extra' for the keys a chart uses, cut into lines of ``width`` characters."""
    names = shorts(keys)
    if not names:
        raise ValueError("a source line needs at least one key of data/sources.csv")
    line = "Source: " + "; ".join(names)
    return wrap(line + (f". {extra}" if extra else ""), width)


def _key_pattern() -> re.Pattern:
    keys = sorted(register().index, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(k) for k in keys) + r")\b")


def readable(text: str) -> str:
    """``text`` with every key of data/sources.csv it names replaced by the source's short credit."""
    shorts_by_key = register()["short"]
    return _key_pattern().sub(lambda m: str(shorts_by_key[m.group(1)]), text)


def notes(column: pd.Series) -> pd.Series:
    """A note column as a reader sees it: empty cells as '', source keys as short credits."""
    return column_or_empty(column).map(readable)
