"""Load and validate the tables in ``data/``.

Every table is a CSV file ``data/<name>.csv`` described by a Frictionless Table Schema in
``data/schema/<name>.json``. :func:`load_table` reads the file, checks every cell against the
schema (type, required, range, allowed values, pattern, unique keys, references to other
tables) and returns a typed :class:`pandas.DataFrame`. Any problem raises :class:`DataError`
whose message names the file, the line and the column, says what is wrong and what to write
instead: nothing is silently dropped. Line numbers are physical lines of the file, also after a
quoted cell that spans several lines.

Beyond the schema, every cell obeys the house rules of :mod:`widgets.table_cells` (ASCII
numbers, no control or invisible character, NFC text, no text cell that a spreadsheet would run
as a formula, real calendar dates in date-like text columns); primary-key columns are required
(as in Frictionless), and a table has at least one row.

The schemas themselves are checked by :mod:`widgets.table_schema`; foreign keys must point to an
existing table and field of the same type, a table may refer to itself (checked against its own
rows), and a cycle of references between tables is refused. The cache is keyed on the content of
every file involved (the table, its schema and the tables its foreign keys reach).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

from widgets import paths
from widgets.table_cells import (
    CellProblem,
    check_calendar,
    check_constraints,
    check_text,
    holds_dates,
    parse_cell,
)
from widgets.table_schema import (
    ROW_RULE,
    SchemaProblem,
    names_of,
    reference_problems,
    schema_problems,
    tables_reached,
)

DATA_DIR = paths.DATA  # alias kept for modules that import it
SCHEMA_DIR_NAME = paths.SCHEMAS.relative_to(paths.DATA).as_posix()
MISSING = ""  # the only spelling of a missing value in our CSVs


class DataError(ValueError):
    """A table in ``data/`` breaks its schema; the message says where and why."""


def _where(path: Path | str, line: int | None = None, column: str | None = None) -> str:
    """``data/x.csv, line 3, column 'c'``; ``path`` may be a place already made by this function."""
    place = path if isinstance(path, str) else _place(path)
    if line is not None:
        place += f", line {line}"
    if column is not None:
        place += f", column '{column}'"
    return place


@lru_cache(maxsize=256)
def _place(path: Path) -> str:
    """The file's path relative to the project root (absolute if it lies outside)."""
    try:
        return Path(path).resolve().relative_to(paths.ROOT).as_posix()
    except ValueError:
        return str(path)


def _schema_path(name: str, data_dir: Path) -> Path:
    return data_dir / SCHEMA_DIR_NAME / f"{name}.json"


def table_names(data_dir: Path = DATA_DIR) -> list[str]:
    """Names of every table that has a schema, sorted."""
    return sorted(p.stem for p in (Path(data_dir) / SCHEMA_DIR_NAME).glob("*.json"))


def load_schema(name: str, data_dir: Path = DATA_DIR) -> dict:
    """The Table Schema of table ``name`` as a dict (raises DataError if absent or malformed)."""
    path = _schema_path(name, Path(data_dir))
    if not path.is_file():
        raise DataError(f"{_where(path)}: no schema for table '{name}' (expected this file)")
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise DataError(f"{_where(path)}: the schema is not valid JSON ({err})") from err
    problem = next(schema_problems(schema, name), None)
    if problem:
        raise DataError(f"{_where(path)}: {problem}")
    return schema


def _read_rows(path: Path, columns: list[str]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and every record with the physical line on which the record starts."""
    expected = f"line 1 must be the header naming the columns {', '.join(map(repr, columns))}"
    if not path.is_file():
        raise DataError(f"{_where(path)}: file not found ({expected})")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataError(
            f"{_where(path, line, _column_at(raw, err.start))}: not valid UTF-8 "
            f"(byte {err.start}: {raw[err.start : err.start + 1]!r}); save the file as UTF-8"
        ) from err
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise DataError(f"{_where(path, 1)}: the file is empty ({expected})")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
        rows, end = [], reader.line_num
        for record in reader:
            if not record or all(cell.strip() == "" for cell in record):
                raise DataError(f"{_where(path, reader.line_num)}: blank line inside the table")
            rows.append((end + 1, record))
            end = reader.line_num
    except csv.Error as err:
        raise DataError(f"{_where(path, reader.line_num)}: malformed CSV ({err})") from err
    if not rows:
        raise DataError(f"{_where(path, 2)}: the table has a header but no rows; add one")
    return header, rows


def _line_of(start: int, record: list[str], index: int) -> int:
    """The physical line of cell ``index`` of a record that starts on line ``start``."""
    breaks = (c.count("\n") + c.count("\r") - c.count("\r\n") for c in record[:index])
    return start + sum(breaks)  # counted as csv counts lines: \n, \r and \r\n


def _column_at(raw: bytes, offset: int) -> str | None:
    """The header name of the cell that holds byte ``offset`` (best effort, for error messages)."""
    start = raw.rfind(b"\n", 0, offset) + 1
    header = next(csv.reader([raw.split(b"\n", 1)[0].decode("utf-8", "replace").rstrip("\r")]), [])
    try:
        cells = next(csv.reader([raw[start:offset].decode("utf-8", "replace")]), [""])
    except csv.Error:
        return None
    index = max(len(cells) - 1, 0)
    return header[index] if index < len(header) else None


def _key_columns(schema: dict) -> set[str]:
    keys = set(names_of(schema.get("primaryKey", [])))
    keys |= {f["name"] for f in schema["fields"] if f.get("constraints", {}).get("unique")}
    for fk in schema.get("foreignKeys", []):
        keys |= set(names_of(fk["fields"]))
    return keys


def read_table(path: Path, schema: dict, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Read ``path`` and validate it against ``schema``; return a typed DataFrame."""
    names = [f["name"] for f in schema["fields"]]
    header, rows = _read_rows(path, names)
    missing = [n for n in names if n not in header]
    if missing:
        raise DataError(
            f"{_where(path, 1)}: missing column(s) {', '.join(repr(m) for m in missing)}"
        )
    extra = [h for h in header if h not in names]
    if extra:
        raise DataError(
            f"{_where(path, 1)}: column(s) {', '.join(map(repr, extra))} are not in the schema"
        )
    if len(set(header)) != len(header):
        raise DataError(f"{_where(path, 1)}: a column name appears twice")
    fields = {f["name"]: f for f in schema["fields"]}
    keys, required = _key_columns(schema), set(names_of(schema.get("primaryKey", [])))
    required |= {n for n, f in fields.items() if f.get("constraints", {}).get("required")}
    dated = {n for n, f in fields.items() if f["type"] == "string" and holds_dates(f)}
    file = _place(path)
    parsed: dict[str, list] = {n: [] for n in names}
    for start, record in rows:
        if len(record) > len(header):
            raise DataError(
                f"{_where(path, _line_of(start, record, len(header)), header[-1])}: "
                f"{len(record)} cells where the header has {len(header)}; "
                f"extra cell(s) {record[len(header) :]!r} after the last column"
            )
        if len(record) < len(header):
            raise DataError(
                f"{_where(path, _line_of(start, record, len(record) - 1), header[len(record)])}: "
                f"{len(record)} cells where the header has {len(header)}; no cell from this "
                "column on"
            )
        for index, (column, value) in enumerate(zip(header, record, strict=True)):
            field = fields[column]
            where = _where(file, _line_of(start, record, index), column)
            if value != value.strip():
                raise DataError(f"{where}: stray spaces around {value!r}")
            try:
                check_text(value, column in keys)
                if value == MISSING:
                    if column in required:
                        raise CellProblem("empty cell in a required column")
                    parsed[column].append(None)
                    continue
                typed = parse_cell(value, field)
                check_constraints(typed, field)
                if column in dated:
                    check_calendar(value)
            except CellProblem as problem:
                raise DataError(f"{where}: {problem}") from None
            parsed[column].append(typed)
    column_index = {c: i for i, c in enumerate(header)}

    def line(i: int, column: str) -> int:
        """The physical line of the cell of data row ``i`` (from 0) in ``column``."""
        start, record = rows[i]
        return _line_of(start, record, column_index[column])

    _check_unique(path, schema, parsed, line)
    _check_row_rules(path, schema, parsed, line)
    _check_foreign_keys(path, schema, parsed, line, Path(data_dir))
    return _to_frame(schema, parsed)


def _check_unique(path: Path, schema: dict, parsed: dict, line) -> None:
    keys = []
    if "primaryKey" in schema:
        keys.append(names_of(schema["primaryKey"]))
    keys += [[f["name"]] for f in schema["fields"] if f.get("constraints", {}).get("unique")]
    for key in keys:
        seen: dict[tuple, int] = {}
        for i in range(len(parsed[key[0]])):
            value = tuple(parsed[k][i] for k in key)
            if value in seen:
                raise DataError(
                    f"{_where(path, line(i, key[0]), ', '.join(key))}: duplicate key {value!r} "
                    f"(already on line {line(seen[value], key[0])}); make the key unique or "
                    "merge the two rows"
                )
            seen[value] = i


def _check_row_rules(path: Path, schema: dict, parsed: dict, line) -> None:
    """Rules across columns of one row, e.g. ``{"rule": "a <= b", "why": "..."}``."""
    for rule in schema.get("rowRules", []):
        left, op, right = ROW_RULE.fullmatch(rule["rule"]).groups()
        for i in range(len(parsed[left])):
            a, b = parsed[left][i], parsed[right][i]
            if a is None or b is None:
                continue
            ok = {"<=": a <= b, "<": a < b, ">=": a >= b, ">": a > b}[op]
            if not ok:
                where = _where(path, line(i, right), right)
                raise DataError(
                    f"{where}: {left} ({a}) must be {op} {right} ({b}); "
                    f"{rule.get('why', '')}".rstrip("; ")
                )


def _schemas(data_dir: Path):
    """``schema_of(table)``: the checked schema of a table, None if it has none (memoised)."""
    memo: dict[str, dict | None] = {}

    def schema_of(table: str) -> dict | None:
        if table not in memo:
            present = _schema_path(table, data_dir).is_file()
            memo[table] = load_schema(table, data_dir) if present else None
        return memo[table]

    return schema_of


def _tables_involved(name: str, data_dir: Path) -> list[str]:
    """``name`` and every table its foreign keys reach (targets checked, no cycle allowed)."""
    schema_of = _schemas(data_dir)
    if schema_of(name) is None:
        load_schema(name, data_dir)  # raises: no schema
    try:
        return tables_reached(name, schema_of)
    except SchemaProblem as problem:
        raise DataError(f"{_where(_schema_path(problem.table, data_dir))}: {problem}") from None


def _check_foreign_keys(path: Path, schema: dict, parsed: dict, line, data_dir: Path) -> None:
    schema_of = _schemas(data_dir)
    problem = next(reference_problems(path.stem, schema, schema_of), None)
    if problem:
        raise DataError(f"{_where(_schema_path(path.stem, data_dir))}: {problem}")
    for fk in schema.get("foreignKeys", []):
        columns = names_of(fk["fields"])
        target, target_columns = fk["reference"]["resource"], names_of(fk["reference"]["fields"])
        if target == path.stem:
            known = set(zip(*(parsed[c] for c in target_columns), strict=True))
        else:
            frame = load_table(target, data_dir)[target_columns]
            known = set(frame.itertuples(index=False, name=None))
        for i in range(len(parsed[columns[0]])):
            value = tuple(parsed[c][i] for c in columns)
            if any(v is None for v in value):
                continue
            if value not in known:
                shown = value[0] if len(value) == 1 else value
                where = _where(path, line(i, columns[0]), ", ".join(columns))
                raise DataError(
                    f"{where}: {shown!r} is not a known {'/'.join(target_columns)} of table "
                    f"'{target}' (data/{target}.csv)"
                )


def _to_frame(schema: dict, parsed: dict) -> pd.DataFrame:
    frame = pd.DataFrame(parsed)
    for field in schema["fields"]:
        name, kind = field["name"], field["type"]
        if kind == "integer":
            frame[name] = frame[name].astype("Int64")
        elif kind == "number":
            frame[name] = pd.to_numeric(frame[name], errors="raise").astype("float64")
        elif kind == "date":
            frame[name] = pd.to_datetime(frame[name])
        elif kind == "boolean":
            frame[name] = frame[name].astype("boolean")
        else:
            frame[name] = frame[name].astype("string")
    frame.attrs["title"] = schema["title"]
    frame.attrs["description"] = schema["description"]
    frame.attrs["units"] = {f["name"]: f["unit"] for f in schema["fields"] if "unit" in f}
    return frame


@lru_cache(maxsize=64)
def _load_cached(name: str, data_dir: Path, fingerprint: str) -> pd.DataFrame:
    schema = load_schema(name, data_dir)
    return read_table(data_dir / f"{name}.csv", schema, data_dir)


def _fingerprint(tables: list[str], data_dir: Path) -> str:
    """A digest of the content of every table and schema file involved (missing ones too)."""
    digest = hashlib.blake2b(digest_size=16)
    for table in tables:
        for path in (data_dir / f"{table}.csv", _schema_path(table, data_dir)):
            digest.update(f"{table}\0{path.name}\0".encode())
            digest.update(path.read_bytes() if path.is_file() else b"\0missing\0")
    return digest.hexdigest()


def fingerprint(name: str, data_dir: Path = DATA_DIR) -> str:
    """A digest of every file that loading ``data/<name>.csv`` reads (the table, its schema and
    the tables its foreign keys reach): the key of any cache of what is computed from it."""
    data_dir = Path(data_dir).resolve()
    return _fingerprint(_tables_involved(name, data_dir), data_dir)


def load_table(name: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The validated table ``data/<name>.csv`` (a fresh copy: callers may modify it)."""
    data_dir = Path(data_dir).resolve()
    frame = _load_cached(name, data_dir, fingerprint(name, data_dir))
    copy = frame.copy()
    copy.attrs = dict(frame.attrs)
    return copy


def load_all(data_dir: Path = DATA_DIR) -> dict[str, pd.DataFrame]:
    """Every table in ``data/``, validated (raises DataError at the first problem)."""
    return {name: load_table(name, data_dir) for name in table_names(data_dir)}
