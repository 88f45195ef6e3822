"""What the static explorer says beside each control and writes in the header of its CSV: for
every parameter of every importer and element group (and of every preset), the documented
range, the basis (a document, a dataset or an assumption), the source and why the value was
chosen, all from the parameter tables of :mod:`widgets.scenario` (data/scenario_parameters.csv
and data/scenario_presets.csv); and how the controls are grouped on the page."""

from __future__ import annotations

from widgets import scenario as sc
from widgets import sources
from widgets.explorer.controls import combinations
from widgets.explorer.tables import BASIS_WORDS, value_text

# The controls grouped by meaning, in the order the page shows them.
GROUPS = (
    ("The importer", ("importer", "element_group", "annual_demand_t", "china_share")),
    (
        "China's licence regime",
        (
            "restriction_start_month",
            "restriction_length_months",
            "licence_delay_months",
            "approval_rate",
        ),
    ),
    (
        "The importer's defences",
        ("stockpile_days", "recycling_share", "substitution", "other_supply_growth"),
    ),
    ("The horizon", ("horizon_months",)),
)


def _check_groups() -> None:
    listed = [name for _, names in GROUPS for name in names]
    if sorted(listed) != sorted(sc.PARAMETERS) or len(listed) != len(set(listed)):
        raise ValueError(f"GROUPS must list every parameter once: {listed}")


_check_groups()


def _source(key) -> str:
    return sources.short(key) if isinstance(key, str) and key else ""


def _note(row) -> dict:
    note = {
        "basis": BASIS_WORDS[row["basis"]],
        "source": _source(row["source"]),
        "why": sources.readable(row["note"]),
    }
    if "low" in row and row["parameter"] not in sc.CHOICE_PARAMETERS:
        low = sc.as_field_value(row["parameter"], row["low"])
        high = sc.as_field_value(row["parameter"], row["high"])
        note["range"] = [low, high]
        note["range_words"] = (
            f"{value_text(row['parameter'], low)} to {value_text(row['parameter'], high)}"
        )
    return note


def default_notes() -> dict:
    """``{"<importer>|<group>": {parameter: note}}`` for every importer and element group."""
    notes = {}
    for importer, group in combinations():
        table = sc.parameter_table(importer, group)
        notes[f"{importer}|{group}"] = {row["parameter"]: _note(row) for _, row in table.iterrows()}
    return notes


def preset_notes(name: str) -> dict:
    """``{parameter: note}`` for the numbers a preset sets itself (its own basis and source)."""
    table = sc.preset_table(name)
    table = table[(table["set_by"] == "preset") & table["parameter"].isin(list(sc.PARAMETERS))]
    return {row["parameter"]: _note(row) for _, row in table.iterrows()}


def group_list() -> list[dict]:
    """The groups as the page script reads them."""
    return [{"title": title, "fields": list(names)} for title, names in GROUPS]
