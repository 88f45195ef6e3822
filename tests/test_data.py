"""Tests of the data layer: every table in data/ loads and validates, cites known sources, holds
the figures the documents give, and every kind of malformed input is refused with a message that
says where (file, line, column).

The figures that data/ takes from the five documents are checked against the evidence ledger
(data/evidence.csv) in tests/test_evidence.py, whose locator check reads the documents. The rows
copied from the reference data are compared with it here when its folder is named by
$TERRES_RARES_REFERENCE (marker ``reference``; tests/conftest.py deselects them otherwise and
says so in one line).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from widgets.data import DATA_DIR, DataError, load_all, load_schema, load_table, table_names
from widgets.paths import reference_dir

REGISTERS = {"sources", "countries"}  # lookup tables, not data: they cite no source themselves
NEW_TABLES = {
    "production_by_country",
    "reserves",
    "events",
    "export_controls",
    "china_share_claims",
}
# tables whose every row cites a source (other tables, e.g. the scenario model's assumptions,
# may leave it empty where their schema allows it)
CITED_ON_EVERY_ROW = NEW_TABLES | {"world_production"}
CAREMAG = "caremag2025 (IREF)"
REF_COUNTRY = {"World total": "World", "Other": "Other countries"}
REF_SOURCE = {"MYB 2022": "usgs_myb2022", "MCS 2025": "usgs_mcs2025", "MCS 2026": "usgs_mcs2026"}


def data_tables() -> list[str]:
    return [name for name in table_names() if name not in REGISTERS]


# --------------------------------------------------------------------------------------------
# Every table loads and cites known sources
# --------------------------------------------------------------------------------------------


def test_every_table_loads_through_load_all():
    tables = load_all()
    assert set(tables) >= NEW_TABLES
    for name, frame in tables.items():
        assert len(frame) > 0, f"{name} is empty"


@pytest.mark.parametrize("name", data_tables())
def test_every_data_table_cites_keys_of_the_sources_register(name):
    frame = load_table(name)
    keys = set(load_table("sources")["source"])
    assert "source" in frame.columns, f"{name} has no source column"
    assert "note" in frame.columns, f"{name} has no note column"
    source_field = next(f for f in load_schema(name)["fields"] if f["name"] == "source")
    if name in CITED_ON_EVERY_ROW or source_field.get("constraints", {}).get("required"):
        assert frame["source"].notna().all(), f"{name} has rows without a source"
    unknown = set(frame["source"].dropna()) - keys
    assert not unknown, f"{name} cites unknown sources {unknown}"


@pytest.mark.parametrize("name", sorted(CITED_ON_EVERY_ROW | REGISTERS))
def test_every_schema_field_has_a_title_constraints_and_a_unit_for_quantities(name):
    schema = load_schema(name)
    assert schema["title"] and len(schema["description"]) > 40
    for field in schema["fields"]:
        assert field.get("title"), f"{name}.{field['name']} has no title"
        if field["name"] != "note":
            assert field.get("constraints"), f"{name}.{field['name']} has no constraints"
        if field["type"] == "number":
            assert field.get("unit"), f"{name}.{field['name']} is a quantity without a unit"


@pytest.mark.parametrize("name", ["production_by_country", "reserves"])
def test_country_columns_point_to_the_countries_table(name):
    schema = load_schema(name)
    references = {fk["reference"]["resource"] for fk in schema.get("foreignKeys", [])}
    assert "countries" in references


def test_caremag_figures_restated_here_match_the_table():
    """The figures as typed from caremag2025 (tests/test_evidence.py checks them against the ledger)."""
    production = load_table("production_by_country").query("vintage == @CAREMAG")
    reserves = load_table("reserves").query("vintage == @CAREMAG")
    assert dict(zip(production["country"], production["production_t_reo"], strict=True)) == {
        "China": 132_000,
        "United States": 26_000,
        "Burma (Myanmar)": 22_000,
        "Australia": 21_000,
    }
    assert dict(zip(reserves["country"], reserves["reserves_t_reo"], strict=True)) == {
        "China": 44e6,
        "Vietnam": 22e6,
        "Brazil": 22e6,
        "Russia": 12e6,
        "Australia": 3.3e6,
        "United States": 1.4e6,
        "Greenland": 1.5e6,
    }


# --------------------------------------------------------------------------------------------
# Rows copied from the reference data
# --------------------------------------------------------------------------------------------


def reference(name: str) -> pd.DataFrame:
    folder = reference_dir()
    assert folder is not None  # tests marked `reference` are deselected otherwise (conftest.py)
    path = folder / name
    if not path.is_file():
        pytest.fail(
            f"reference data not found: {path} (${{TERRES_RARES_REFERENCE}} names {folder})"
        )
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.mark.reference
def test_every_reference_production_row_is_kept_with_its_value_and_vintage():
    ref = reference("ree_mine_production_by_country.csv")
    table = load_table("production_by_country")
    usgs = table[table["vintage"] != CAREMAG].set_index(["year", "country", "vintage"])
    assert len(usgs) == len(ref)
    for row in ref.itertuples():
        key = (int(row.year), REF_COUNTRY.get(row.country, row.country), row.vintage)
        assert usgs.loc[key, "production_t_reo"] == float(row.production_t_reo), key
        assert bool(usgs.loc[key, "preferred"]) == (row.preferred == "1"), key
        assert usgs.loc[key, "source"] == REF_SOURCE[row.vintage], key


def test_production_has_one_preferred_figure_per_year_and_country():
    table = load_table("production_by_country")
    preferred = table[table["preferred"]]
    assert not preferred.duplicated(["year", "country"]).any()
    assert set(preferred["vintage"]) <= set(REF_SOURCE)
    # every year and country that appears has a preferred figure
    assert len(preferred.groupby(["year", "country"])) == len(table.groupby(["year", "country"]))
    assert preferred["share_pct"].isna().all(), "USGS rows carry no share: shares are not computed"


@pytest.mark.reference
def test_every_reference_reserves_row_is_kept_with_its_notes():
    ref = reference("ree_reserves.csv")
    table = load_table("reserves")
    usgs = table[table["vintage"] != CAREMAG].set_index(["country", "vintage"])
    assert len(usgs) == len(ref)
    for row in ref.itertuples():
        vintage = "MCS 2026" if "MCS 2026" in row.as_of else "MCS 2025"
        key = (REF_COUNTRY.get(row.country, row.country), vintage)
        value = usgs.loc[key, "reserves_t_reo"]
        note = usgs.loc[key, "note"]
        if row.reserves_t_reo == "NA":
            assert pd.isna(value) and "NA" in note, key
        else:
            assert value == float(row.reserves_t_reo.lstrip(">")), key
            if row.reserves_t_reo.startswith(">"):
                assert "lower bound" in note, key
        assert usgs.loc[key, "as_of"] == row.as_of
        assert bool(usgs.loc[key, "preferred"]) == (row.preferred == "1")
    assert (
        "21,000,000" in usgs.loc[("Brazil", "MCS 2026"), "note"]
    )  # the v1.3 revision is explained


@pytest.mark.reference
def test_every_reference_export_control_is_in_the_table():
    ref = reference("export_controls.csv")
    table = load_table("export_controls")
    missing = Counter(ref["date"]) - Counter(table["announced"].dt.date.astype(str))
    assert not missing, f"reference measures missing from the table: {missing}"


@pytest.mark.reference
def test_suspended_measures_end_on_the_dates_the_reference_gives():
    ref = reference("export_controls.csv")
    table = load_table("export_controls")
    ends = set(table["suspended_until"].dropna().dt.date.astype(str))
    for found in re.findall(r"until (\d{4}-\d{2}-\d{2})", " ".join(ref["status"])):
        assert found in ends


@pytest.mark.reference
def test_derived_china_mine_shares_match_the_reference():
    ref = reference("ree_china_share_mining_derived.csv")
    claims = load_table("china_share_claims").set_index("id")
    for row in ref.itertuples():
        assert claims.loc[f"usgs_derived_{row.year}", "value_pct"] == float(row.china_share_pct)
        assert claims.loc[f"usgs_derived_{row.year}", "source"] == REF_SOURCE[row.vintage]


@pytest.mark.reference
def test_press_dates_used_where_a_seed_gives_none_match_key_figures():
    ref = reference("key_figures.csv").set_index("id")
    events = load_table("events").set_index("source")
    assert ref.loc["DC_ministerial", "year_or_date"] in set(
        events.loc[["dpa_ministerial2026"], "date"]
    )
    assert ref.loc["JP_US_framework", "year_or_date"] in set(
        events.loc[["dpa_usjapan2025"], "date"]
    )


def test_iea_shares_are_flagged_secondary():
    claims = load_table("china_share_claims")
    iea = claims[claims["id"].str.startswith("iea_")]
    assert len(iea) >= 3
    assert iea["note"].str.contains("Secondary").all()


# --------------------------------------------------------------------------------------------
# Internal consistency of the timeline
# --------------------------------------------------------------------------------------------

DATE_LENGTH = {"day": 10, "month": 7, "year": 4, "decade": 4}


def test_event_year_and_precision_agree_with_the_date():
    events = load_table("events")
    for row in events.itertuples():
        assert row.year == int(row.date[:4]), row.date
        assert len(row.date) == DATE_LENGTH[row.date_precision], (row.date, row.date_precision)
        if row.date_precision == "day":
            date.fromisoformat(row.date)  # a real calendar day
        if row.date_precision == "decade":
            assert row.date.endswith("0")
    assert events["year"].min() == 1973 and events["year"].max() == 2026


@pytest.mark.parametrize(
    "when, kind",
    [
        ("1973", "industry"),
        ("1975", "policy"),
        ("2010-09-21", "export control"),
        ("2012", "industry"),
        ("2023-07-03", "export control"),
        ("2023-12-21", "export control"),
        ("2024-12-03", "export control"),
        ("2025-03-17", "industry"),
        ("2025-04-04", "export control"),
        ("2025-10-09", "export control"),
        ("2025-10-30", "truce"),
        ("2025-11-07", "truce"),
        ("2025-11-09", "truce"),
        ("2026-01-06", "export control"),
        ("2026-02-04", "diplomacy"),
        ("2026-11", "diplomacy"),
    ],
)
def test_the_timeline_holds_the_milestones_of_the_documents(when, kind):
    events = load_table("events")
    assert kind in set(events.loc[events["date"] == when, "kind"])


# --------------------------------------------------------------------------------------------
# Malformed input is refused, and the message says where
# --------------------------------------------------------------------------------------------


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def set_cell(line: int, column: str, value: str):
    def change(path: Path) -> None:
        rows = read_rows(path)
        rows[line - 1][rows[0].index(column)] = value
        write_rows(path, rows)

    return change


def drop_column(column: str):
    def change(path: Path) -> None:
        rows = read_rows(path)
        index = rows[0].index(column)
        write_rows(path, [r[:index] + r[index + 1 :] for r in rows])

    return change


def add_column(column: str):
    def change(path: Path) -> None:
        rows = read_rows(path)
        write_rows(path, [rows[0] + [column]] + [r + ["x"] for r in rows[1:]])

    return change


def repeat_line(line: int):
    def change(path: Path) -> None:
        rows = read_rows(path)
        write_rows(path, rows + [rows[line - 1]])

    return change


def ragged(line: int, cells: int):
    """Give line ``line`` ``cells`` more (or, if negative, fewer) cells than the header."""

    def change(path: Path) -> None:
        rows = read_rows(path)
        row = rows[line - 1]
        rows[line - 1] = row + ["extra"] * cells if cells > 0 else row[:cells]
        write_rows(path, rows)

    return change


def latin1_in(line: int, column: str):
    def change(path: Path) -> None:
        set_cell(line, column, "Café @@")(path)
        path.write_bytes(path.read_bytes().replace("é @@".encode(), "é".encode("latin-1")))

    return change


def empty_file(path: Path) -> None:
    path.write_bytes(b"")


def delete_file(path: Path) -> None:
    path.unlink()


def last_line(table: str) -> int:
    return len(read_rows(DATA_DIR / f"{table}.csv")) + 1  # the repeated row, appended


# (id, table, how to break it, line named, column named, another fragment the message must hold)
MALFORMED = [
    (
        "missing-column",
        "production_by_country",
        drop_column("share_pct"),
        1,
        "share_pct",
        "missing",
    ),
    ("extra-unknown-column", "reserves", add_column("comment"), 1, "comment", "not in the schema"),
    (
        "text-in-number-column",
        "production_by_country",
        set_cell(2, "production_t_reo", "about 21000"),
        2,
        "production_t_reo",
        "not a number",
    ),
    (
        "unknown-country",
        "production_by_country",
        set_cell(3, "country", "Atlantis"),
        3,
        "country",
        "countries",
    ),
    (
        "negative-tonnage",
        "reserves",
        set_cell(4, "reserves_t_reo", "-5"),
        4,
        "reserves_t_reo",
        "minimum",
    ),
    (
        "share-above-100",
        "production_by_country",
        set_cell(28, "share_pct", "162"),
        28,
        "share_pct",
        "maximum",
    ),
    (
        "impossible-date",
        "export_controls",
        set_cell(5, "effective", "2025-02-30"),
        5,
        "effective",
        "calendar",
    ),
    (
        "date-not-iso",
        "export_controls",
        set_cell(3, "announced", "03/07/2023"),
        3,
        "announced",
        "YYYY-MM-DD",
    ),
    ("event-date-bad-month", "events", set_cell(6, "date", "2025-13"), 6, "date", "pattern"),
    (
        "duplicate-primary-key",
        "events",
        repeat_line(2),
        last_line("events"),
        "date, title",
        "duplicate",
    ),
    ("empty-file", "china_share_claims", empty_file, 1, "id", "empty"),
    ("latin-1-bytes", "events", latin1_in(4, "summary"), 4, "summary", "UTF-8"),
    (
        "unknown-source-key",
        "export_controls",
        set_cell(3, "source", "nobody2099"),
        3,
        "source",
        "sources",
    ),
    ("empty-required-cell", "events", set_cell(5, "title", ""), 5, "title", "required"),
    (
        "title-too-long",
        "events",
        set_cell(5, "title", "A title far too long for a chart annotation"),
        5,
        "title",
        "40",
    ),
    ("value-outside-enum", "events", set_cell(2, "kind", "war"), 2, "kind", "allowed"),
    (
        "boolean-not-true-false",
        "production_by_country",
        set_cell(7, "preferred", "yes"),
        7,
        "preferred",
        "boolean",
    ),
    (
        "row-rule-us-above-world",
        "world_production",
        set_cell(2, "us_t_reo", "2000"),
        2,
        "world_t_reo",
        "us_t_reo",
    ),
    (
        "row-rule-effective-before-announced",
        "export_controls",
        set_cell(4, "effective", "2020-01-01"),
        4,
        "effective",
        "announced",
    ),
    ("ragged-row-too-many-cells", "reserves", ragged(6, 1), 6, "note", "extra"),
    ("ragged-row-too-few-cells", "events", ragged(7, -2), 7, "source", "cells"),
    ("missing-file", "export_controls", delete_file, 1, "announced", "not found"),
]


@pytest.mark.parametrize(
    "table, breaker, line, column, fragment",
    [case[1:] for case in MALFORMED],
    ids=[case[0] for case in MALFORMED],
)
def test_malformed_input_is_refused_with_file_line_and_column(
    tmp_path, table, breaker, line, column, fragment
):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    load_table(table, data_dir=data)  # the untouched copy is valid: the break below is the cause
    breaker(data / f"{table}.csv")
    with pytest.raises(DataError) as caught:
        load_table(table, data_dir=data)
    message = str(caught.value)
    assert f"{table}.csv" in message
    assert f"line {line}" in message
    assert f"'{column}'" in message
    assert fragment in message


def test_the_malformed_cases_cover_at_least_twelve_kinds():
    assert len({case[0] for case in MALFORMED}) >= 12
