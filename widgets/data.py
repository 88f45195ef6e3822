"""Load and validate the tables in ``data/``.

Every table is a CSV file ``data/<name>.csv`` described by a Frictionless Table Schema in
``data/schema/<name>.json``. :func:`load_table` reads the file, checks every cell against the
schema (type, required, range, allowed values, pattern, unique keys, references to other
tables) and returns a typed :class:`pandas.DataFrame`. Any problem raises :class:`DataError`
whose message names the file, the line and the column: nothing is silently dropped.
"""
from __future__ import annotations

import csv
import io
import json
import math
import re
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SCHEMA_DIR_NAME = "schema"
MISSING = ""  # the only spelling of a missing value in our CSVs
FIELD_TYPES = ("string", "integer", "number", "date", "boolean")


class DataError(ValueError):
    """A table in ``data/`` breaks its schema; the message says where and why."""


def _where(path: Path, line: int | None = None, column: str | None = None) -> str:
    place = f"{path.name}"
    try:
        place = str(path.relative_to(DATA_DIR.parent))
    except ValueError:
        place = str(path)
    if line is not None:
        place += f", line {line}"
    if column is not None:
        place += f", column '{column}'"
    return place


def table_names(data_dir: Path = DATA_DIR) -> list[str]:
    """Names of every table that has a schema, sorted."""
    return sorted(p.stem for p in (data_dir / SCHEMA_DIR_NAME).glob("*.json"))


def load_schema(name: str, data_dir: Path = DATA_DIR) -> dict:
    """The Table Schema of table ``name`` as a dict (raises DataError if absent or malformed)."""
    path = data_dir / SCHEMA_DIR_NAME / f"{name}.json"
    if not path.is_file():
        raise DataError(f"{_where(path)}: no schema for table '{name}' (expected this file)")
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise DataError(f"{_where(path)}: the schema is not valid JSON ({err})") from err
    for key in ("title", "description", "fields"):
        if key not in schema:
            raise DataError(f"{_where(path)}: the schema has no '{key}'")
    for field in schema["fields"]:
        if field.get("type") not in FIELD_TYPES:
            raise DataError(
                f"{_where(path)}: field '{field.get('name')}' has type {field.get('type')!r}; "
                f"allowed: {', '.join(FIELD_TYPES)}"
            )
    return schema


def _read_rows(
    path: Path, columns: list[str] | None = None
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    expected = "line 1 must be the header"
    if columns:
        expected += f" naming the columns {', '.join(map(repr, columns))}"
    if not path.is_file():
        raise DataError(f"{_where(path)}: file not found ({expected})")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataError(
            f"{_where(path, line, _column_at(raw, err.start))}: not valid UTF-8 "
            f"(byte {err.start}: {raw[err.start:err.start + 1]!r}); save the file as UTF-8"
        ) from err
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise DataError(f"{_where(path, 1)}: the file is empty ({expected})")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
        rows = []
        for record in reader:
            if not record or all(cell.strip() == "" for cell in record):
                raise DataError(f"{_where(path, reader.line_num)}: blank line inside the table")
            rows.append((reader.line_num, record))
    except csv.Error as err:
        raise DataError(f"{_where(path, reader.line_num)}: malformed CSV ({err})") from err
    return header, rows


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


def _parse_cell(value: str, field: dict, where: str):
    kind = field["type"]
    if kind == "string":
        return value
    if kind == "integer":
        if not re.fullmatch(r"-?\d+", value):
            raise DataError(f"{where}: {value!r} is not an integer")
        return int(value)
    if kind == "number":
        try:
            number = float(value)
        except ValueError:
            raise DataError(f"{where}: {value!r} is not a number") from None
        if not math.isfinite(number):
            raise DataError(f"{where}: {value!r} is not a finite number")
        return number
    if kind == "boolean":
        if value not in ("true", "false"):
            raise DataError(f"{where}: {value!r} is not a boolean (write true or false)")
        return value == "true"
    if kind == "date":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise DataError(f"{where}: {value!r} is not a date written YYYY-MM-DD")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise DataError(f"{where}: {value!r} is not a real calendar date") from None
    raise DataError(f"{where}: unknown field type {kind!r}")  # pragma: no cover (schema checked)


def _check_constraints(value, field: dict, where: str) -> None:
    rules = field.get("constraints", {})
    if "enum" in rules and value not in rules["enum"]:
        allowed = ", ".join(map(str, rules["enum"]))
        raise DataError(f"{where}: {value!r} is not an allowed value (allowed: {allowed})")
    if "pattern" in rules and not re.fullmatch(rules["pattern"], str(value)):
        raise DataError(f"{where}: {value!r} does not match the pattern {rules['pattern']!r}")
    bound = value.isoformat() if isinstance(value, date) else value
    if "minimum" in rules and bound < rules["minimum"]:
        raise DataError(f"{where}: {value} is below the minimum {rules['minimum']}")
    if "maximum" in rules and bound > rules["maximum"]:
        raise DataError(f"{where}: {value} is above the maximum {rules['maximum']}")
    if "maxLength" in rules and len(str(value)) > rules["maxLength"]:
        raise DataError(f"{where}: the text is longer than {rules['maxLength']} characters")


def _as_list(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def read_table(path: Path, schema: dict, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Read ``path`` and validate it against ``schema``; return a typed DataFrame."""
    names = [f["name"] for f in schema["fields"]]
    header, rows = _read_rows(path, names)
    missing = [n for n in names if n not in header]
    if missing:
        raise DataError(f"{_where(path, 1)}: missing column(s) {', '.join(repr(m) for m in missing)}")
    extra = [h for h in header if h not in names]
    if extra:
        raise DataError(
            f"{_where(path, 1)}: column(s) {', '.join(repr(e) for e in extra)} are not in the schema"
        )
    if len(set(header)) != len(header):
        raise DataError(f"{_where(path, 1)}: a column name appears twice")
    fields = {f["name"]: f for f in schema["fields"]}
    parsed: dict[str, list] = {n: [] for n in names}
    lines: list[int] = []
    for line, record in rows:
        if len(record) > len(header):
            raise DataError(
                f"{_where(path, line, header[-1])}: {len(record)} cells where the header has "
                f"{len(header)}; extra cell(s) {record[len(header):]!r} after the last column"
            )
        if len(record) < len(header):
            raise DataError(
                f"{_where(path, line, header[len(record)])}: {len(record)} cells where the header "
                f"has {len(header)}; no cell from this column on"
            )
        for column, value in zip(header, record):
            field = fields[column]
            where = _where(path, line, column)
            if value != value.strip():
                raise DataError(f"{where}: stray spaces around {value!r}")
            if value == MISSING:
                if field.get("constraints", {}).get("required"):
                    raise DataError(f"{where}: empty cell in a required column")
                parsed[column].append(None)
                continue
            typed = _parse_cell(value, field, where)
            _check_constraints(typed, field, where)
            parsed[column].append(typed)
        lines.append(line)
    _check_unique(path, schema, parsed, lines)
    _check_row_rules(path, schema, parsed, lines)
    _check_foreign_keys(path, schema, parsed, lines, data_dir)
    return _to_frame(schema, parsed)


def _check_unique(path: Path, schema: dict, parsed: dict, lines: list[int]) -> None:
    keys = []
    if "primaryKey" in schema:
        keys.append(_as_list(schema["primaryKey"]))
    keys += [[f["name"]] for f in schema["fields"] if f.get("constraints", {}).get("unique")]
    for key in keys:
        seen: dict[tuple, int] = {}
        for i, line in enumerate(lines):
            value = tuple(parsed[k][i] for k in key)
            if value in seen:
                raise DataError(
                    f"{_where(path, line, ', '.join(key))}: duplicate key {value!r} "
                    f"(already on line {seen[value]})"
                )
            seen[value] = line


def _check_row_rules(path: Path, schema: dict, parsed: dict, lines: list[int]) -> None:
    """Rules across columns of one row, e.g. ``{"rule": "a <= b", "columns": ["a", "b"]}``."""
    for rule in schema.get("rowRules", []):
        left, op, right = rule["rule"].split()
        for i, line in enumerate(lines):
            a, b = parsed[left][i], parsed[right][i]
            if a is None or b is None:
                continue
            ok = {"<=": a <= b, "<": a < b, ">=": a >= b, ">": a > b}[op]
            if not ok:
                raise DataError(
                    f"{_where(path, line, right)}: {left} ({a}) must be {op} {right} ({b}); "
                    f"{rule.get('why', '')}".rstrip("; ")
                )


def _check_foreign_keys(path: Path, schema: dict, parsed: dict, lines: list[int], data_dir: Path):
    for fk in schema.get("foreignKeys", []):
        columns = _as_list(fk["fields"])
        target = fk["reference"]["resource"]
        target_columns = _as_list(fk["reference"]["fields"])
        known = set(load_table(target, data_dir)[target_columns].itertuples(index=False, name=None))
        for i, line in enumerate(lines):
            value = tuple(parsed[c][i] for c in columns)
            if any(v is None for v in value):
                continue
            if value not in known:
                shown = value[0] if len(value) == 1 else value
                raise DataError(
                    f"{_where(path, line, ', '.join(columns))}: {shown!r} is not a known "
                    f"{'/'.join(target_columns)} of table '{target}' (data/{target}.csv)"
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


@lru_cache(maxsize=None)
def _load_cached(name: str, data_dir: Path, stamp: tuple) -> pd.DataFrame:
    schema = load_schema(name, data_dir)
    return read_table(data_dir / f"{name}.csv", schema, data_dir)


def load_table(name: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The validated table ``data/<name>.csv`` (a fresh copy: callers may modify it)."""
    data_dir = Path(data_dir)
    files = (data_dir / f"{name}.csv", data_dir / SCHEMA_DIR_NAME / f"{name}.json")
    stamp = tuple(f.stat().st_mtime_ns if f.exists() else None for f in files)
    frame = _load_cached(name, data_dir, stamp)
    copy = frame.copy()
    copy.attrs = dict(frame.attrs)
    return copy


def load_all(data_dir: Path = DATA_DIR) -> dict[str, pd.DataFrame]:
    """Every table in ``data/``, validated (raises DataError at the first problem)."""
    return {name: load_table(name, data_dir) for name in table_names(data_dir)}


def source_of(table: str, data_dir: Path = DATA_DIR) -> str:
    """A one-line source credit for a chart built from ``table``: the distinct sources it cites."""
    frame = load_table(table, data_dir)
    sources = load_table("sources", data_dir).set_index("source")
    keys = list(dict.fromkeys(frame["source"].dropna()))
    return "Source: " + "; ".join(str(sources.loc[k, "short"]) for k in keys)
