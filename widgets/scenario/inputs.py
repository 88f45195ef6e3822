"""The scenario's inputs from ``data/``: each importer's defaults
(``data/scenario_parameters.csv``: a figure from a document, with its source, or a labelled
assumption with a range) and the presets that retell the documents
(``data/scenario_presets.csv``), with their URL form (:func:`preset_slug`)."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from widgets.data import fingerprint, load_table
from widgets.scenario.parameters import NUMERIC_PARAMETERS, PARAMETERS, Scenario, check_value

_SPECIFICITY = {(True, True): 0, (True, False): 1, (False, True): 2, (False, False): 3}


def parameter_table(importer: str = "Japan", element_group: str = "light_ndpr") -> pd.DataFrame:
    """The default value of each numeric parameter for this importer and group, with its
    unit, range (low, high), basis (document, dataset or assumption), source and note.

    A row of ``data/scenario_parameters.csv`` applies if its importer and element_group
    match or are "all"; the most specific row wins, in this order: importer and group,
    importer only, group only, neither. One row per parameter, in :class:`Scenario` order.
    """
    check_value("importer", importer)
    check_value("element_group", element_group)
    frame = _parameter_table(importer, element_group, fingerprint("scenario_parameters"))
    copy = frame.copy()  # callers may modify it
    copy.attrs = {}
    return copy


@lru_cache(maxsize=32)
def _parameter_table(importer: str, element_group: str, content: str) -> pd.DataFrame:
    """parameter_table's work, once per pair and content of the table (``content``: its
    fingerprint): the classroom's pages ask for the same pair hundreds of times. A test that
    hands these functions another table must change the fingerprint too (or call
    ``cache_clear()``), or it gets the answer for the real one."""
    table = load_table("scenario_parameters")
    chosen = []
    for name in NUMERIC_PARAMETERS:
        rows = table[table["parameter"] == name]
        fits_importer = rows["importer"] == importer
        fits_group = rows["element_group"] == element_group
        applies = rows[
            (fits_importer | (rows["importer"] == "all"))
            & (fits_group | (rows["element_group"] == "all"))
        ]
        if applies.empty:
            raise ValueError(
                f"data/scenario_parameters.csv has no row for {name} that applies to "
                f"{importer} / {element_group}"
            )
        rank = [
            _SPECIFICITY[(imp == importer, grp == element_group)]
            for imp, grp in zip(applies["importer"], applies["element_group"], strict=True)
        ]
        chosen.append(applies.iloc[int(np.argmin(rank))])
    result = pd.DataFrame(chosen).reset_index(drop=True)
    result.attrs = {}
    return result


def as_field_value(name: str, value):
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
    values = {
        row.parameter: as_field_value(row.parameter, row.value)
        for row in table.itertuples(index=False)
    }
    return Scenario(importer=importer, element_group=element_group, **values)


def plausible_high(name: str) -> float:
    """The widest high end of a parameter's plausible range, over every importer and group."""
    table = load_table("scenario_parameters")
    return float(table.loc[table["parameter"] == name, "high"].max())


# --------------------------------------------------------------------------- presets
PRESET_ONLY_ROWS = ("first_month",)  # calendar anchor of month 1; not a model input


def _preset_rows(name: str) -> pd.DataFrame:
    table = load_table("scenario_presets")
    rows = table[table["preset"] == name]
    if rows.empty:
        raise ValueError(
            f"unknown preset {name!r}: known presets are "
            + "; ".join(repr(n) for n in preset_names())
        )
    return rows


def preset_names() -> list[str]:
    """The presets of ``data/scenario_presets.csv``, in file order."""
    return list(dict.fromkeys(load_table("scenario_presets")["preset"]))


def preset_slug(name: str) -> str:
    """The URL form of a preset name: '2010 halt of shipments to Japan' ->
    '2010-halt-of-shipments-to-japan' (lower-case letters, digits and hyphens only)."""
    if name not in preset_names():
        raise ValueError(f"unknown preset {name!r}; known presets: {', '.join(preset_names())}")
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def preset(name: str) -> Scenario:
    """The scenario of a preset: its importer's and group's defaults, then its overrides."""
    content = fingerprint("scenario_presets") + fingerprint("scenario_parameters")
    return _preset(name, content)


@lru_cache(maxsize=64)
def _preset(name: str, content: str) -> Scenario:
    """preset's work, once per preset and content of the two tables (a Scenario is frozen)."""
    rows = _preset_rows(name).set_index("parameter")
    for needed in ("importer", "element_group"):
        if needed not in rows.index:
            raise ValueError(f"preset {name!r} does not say its {needed}")
    base = default_scenario(rows.loc["importer", "value"], rows.loc["element_group", "value"])
    changes = {
        p: as_field_value(p, v)
        for p, v in rows["value"].items()
        if p not in PRESET_ONLY_ROWS + ("importer", "element_group")
    }
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
        records.append(
            {
                "parameter": field,
                "value": value,
                "unit": defaults.loc[field, "unit"] if field in defaults.index else "",
                "basis": row["basis"],
                "source": row["source"],
                "note": row["note"],
                "set_by": set_by,
            }
        )
    return pd.DataFrame(records)
