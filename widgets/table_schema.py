"""Check that a Table Schema of ``data/schema/`` is one the loader of :mod:`widgets.data` can use.

The contract: :func:`schema_problems` takes the parsed JSON of one schema and yields one sentence
per problem (no file name: the caller adds it), and yields nothing for a usable schema. It never
raises. It checks the shape of the schema on its own (keys, types, constraints that fit the
field's type, primary key, row rules, the referring side of foreign keys); what needs another
table (the target of a foreign key, cycles between tables) is checked by the loader.

Keys we do not implement are refused rather than ignored, so a misspelled constraint
(``maxLenght``) or a Frictionless option the loader does not honour (``missingValues``) is an
error, not a silent no-op.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date

FIELD_TYPES = ("string", "integer", "number", "date", "boolean")
SCHEMA_KEYS = {"title", "description", "path", "fields", "primaryKey", "foreignKeys", "rowRules"}
FIELD_KEYS = {"name", "type", "title", "description", "unit", "constraints"}
CONSTRAINTS = {"required", "unique", "enum", "pattern", "minimum", "maximum", "maxLength"}
ROW_RULE = re.compile(r"\s*(\w+)\s*(<=|>=|<|>)\s*(\w+)\s*", re.ASCII)
COMPARABLE = {"integer": "quantity", "number": "quantity", "date": "date", "string": "text"}


def _is_name_list(value) -> bool:
    """A field name or a non-empty list of field names (how Frictionless writes keys)."""
    if isinstance(value, str):
        return bool(value)
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


def names_of(value) -> list[str]:
    """``"a"`` -> ``["a"]``, ``["a", "b"]`` unchanged (call only on a checked schema)."""
    return [value] if isinstance(value, str) else list(value)


def _lacking(label: str, names: list[str], fields: dict) -> Iterator[str]:
    """The problem of a key or rule that names fields the schema does not declare."""
    unknown = [n for n in names if n not in fields]
    if unknown:
        yield f"{label} names field(s) {', '.join(map(repr, unknown))} that the schema lacks"


def _fits(value, kind: str) -> bool:
    """Whether a constraint's bound or enum value has the field's type."""
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    try:  # date: bounds are written as ISO strings
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def _field_problems(field, seen: set[str]) -> Iterator[str]:
    if not isinstance(field, dict):
        yield f"every entry of 'fields' must be an object, not {field!r}"
        return
    name = field.get("name")
    if not isinstance(name, str) or not name:
        yield f"a field has no 'name' (a non-empty text): {field!r}"
        return
    if name in seen:
        yield f"field '{name}' is declared twice"
    seen.add(name)
    for key in sorted(set(field) - FIELD_KEYS):
        allowed = ", ".join(sorted(FIELD_KEYS))
        yield f"field '{name}' has an unknown key '{key}' (allowed: {allowed})"
    kind = field.get("type")
    if kind not in FIELD_TYPES:
        yield f"field '{name}' has type {kind!r}; allowed: {', '.join(FIELD_TYPES)}"
        return
    rules = field.get("constraints", {})
    if not isinstance(rules, dict):
        yield f"field '{name}': 'constraints' must be an object, not {rules!r}"
        return
    for key in sorted(set(rules) - CONSTRAINTS):
        yield (
            f"field '{name}' has an unknown constraint '{key}' "
            f"(allowed: {', '.join(sorted(CONSTRAINTS))})"
        )
    for key in ("required", "unique"):
        if key in rules and not isinstance(rules[key], bool):
            yield f"field '{name}': '{key}' must be true or false, not {rules[key]!r}"
    if "enum" in rules:
        enum = rules["enum"]
        if not isinstance(enum, list) or not enum or not all(_fits(v, kind) for v in enum):
            yield f"field '{name}': 'enum' must be a non-empty list of {kind} values, not {enum!r}"
    if "pattern" in rules:
        if kind != "string":
            yield f"field '{name}': 'pattern' applies to string fields only, not {kind}"
        elif not isinstance(rules["pattern"], str):
            yield f"field '{name}': 'pattern' must be a text, not {rules['pattern']!r}"
        else:
            try:
                re.compile(rules["pattern"])
            except re.error as err:
                yield f"field '{name}': 'pattern' {rules['pattern']!r} is not a valid regex ({err})"
    for key in ("minimum", "maximum"):
        if key not in rules:
            continue
        if kind not in ("integer", "number", "date"):
            yield f"field '{name}': '{key}' applies to integer, number and date fields, not {kind}"
        elif not _fits(rules[key], kind):
            shape = "a YYYY-MM-DD text" if kind == "date" else f"a {kind}"
            yield f"field '{name}': '{key}' must be {shape}, not {rules[key]!r}"
    if "maxLength" in rules:
        limit = rules["maxLength"]
        if kind != "string":
            yield f"field '{name}': 'maxLength' applies to string fields only, not {kind}"
        elif not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            yield f"field '{name}': 'maxLength' must be a positive integer, not {limit!r}"


def _foreign_key_problems(fks, fields: dict) -> Iterator[str]:
    if not isinstance(fks, list):
        yield f"'foreignKeys' must be a list, not {fks!r}"
        return
    for n, fk in enumerate(fks, 1):
        label = f"foreign key {n}"
        if not isinstance(fk, dict) or not isinstance(fk.get("reference"), dict):
            yield f"{label} must be an object with 'fields' and 'reference', not {fk!r}"
            continue
        ref = fk["reference"]
        if not _is_name_list(fk.get("fields")):
            yield f"{label} has no 'fields' (a field name or a list of field names)"
            continue
        label = f"foreign key {n} ({', '.join(names_of(fk['fields']))})"
        yield from _lacking(label, names_of(fk["fields"]), fields)
        if not isinstance(ref.get("resource"), str) or not ref["resource"]:
            yield f"{label}: 'reference' has no 'resource' (the name of the target table)"
        if not _is_name_list(ref.get("fields")):
            yield f"{label}: 'reference' has no 'fields' (the target table's field names)"
        elif len(names_of(ref["fields"])) != len(names_of(fk["fields"])):
            yield f"{label}: 'fields' and 'reference.fields' have different lengths"


def _row_rule_problems(rules, fields: dict) -> Iterator[str]:
    if not isinstance(rules, list):
        yield f"'rowRules' must be a list, not {rules!r}"
        return
    for n, rule in enumerate(rules, 1):
        text = rule.get("rule") if isinstance(rule, dict) else None
        match = ROW_RULE.fullmatch(text) if isinstance(text, str) else None
        if not match:
            yield (
                f"row rule {n} ({rule!r}) must be an object whose 'rule' reads "
                "'<field> <op> <field>' with op one of <=, <, >=, >"
            )
            continue
        left, _, right = match.groups()
        lacking = list(_lacking(f"row rule {n} ({text!r})", [left, right], fields))
        if lacking:
            yield from lacking
            continue
        kinds = {COMPARABLE.get(fields[c].get("type")) for c in (left, right)}
        if len(kinds) != 1 or None in kinds:
            yield f"row rule {n} ({text!r}) compares fields of types that cannot be compared"
        for key in sorted(set(rule) - {"rule", "why"}):
            yield f"row rule {n} has an unknown key '{key}' (allowed: rule, why)"


def schema_problems(schema, name: str) -> Iterator[str]:
    """Every problem of the schema of table ``name``, one sentence each (none if it is usable)."""
    if not isinstance(schema, dict):
        yield f"the schema must be a JSON object, not {type(schema).__name__}"
        return
    for key in sorted(set(schema) - SCHEMA_KEYS):
        yield f"unknown key '{key}' (allowed: {', '.join(sorted(SCHEMA_KEYS))})"
    for key in ("title", "description"):
        if not isinstance(schema.get(key), str) or not schema[key].strip():
            yield f"the schema has no '{key}' (a non-empty text)"
    if "path" in schema and schema["path"] != f"{name}.csv":
        yield f"'path' is {schema['path']!r}; the table of this schema is '{name}.csv'"
    if not isinstance(schema.get("fields"), list) or not schema["fields"]:
        yield "the schema has no 'fields' (a non-empty list of field objects)"
        return
    seen: set[str] = set()
    for field in schema["fields"]:
        yield from _field_problems(field, seen)
    fields = {
        f["name"]: f
        for f in schema["fields"]
        if isinstance(f, dict) and isinstance(f.get("name"), str)
    }
    if "primaryKey" in schema:
        key = schema["primaryKey"]
        if not _is_name_list(key):
            yield f"'primaryKey' must be a field name or a list of field names, not {key!r}"
        else:
            yield from _lacking("'primaryKey'", names_of(key), fields)
    yield from _foreign_key_problems(schema.get("foreignKeys", []), fields)
    yield from _row_rule_problems(schema.get("rowRules", []), fields)


class SchemaProblem(ValueError):
    """A problem of the schema of ``table`` (the loader adds the file name)."""

    def __init__(self, table: str, sentence: str):
        super().__init__(sentence)
        self.table = table


def reference_problems(name: str, schema: dict, schema_of: Callable) -> Iterator[str]:
    """Problems of the foreign keys of a checked schema that need the target's schema.

    ``schema_of(table)`` returns the checked schema of another table, or None if it has none. A
    foreign key to the table itself is checked against ``schema``.
    """
    own = {f["name"]: f for f in schema["fields"]}
    for fk in schema.get("foreignKeys", []):
        target, columns = fk["reference"]["resource"], names_of(fk["fields"])
        label = f"foreign key ({', '.join(columns)}) refers to table '{target}'"
        target_schema = schema if target == name else schema_of(target)
        if target_schema is None:
            yield f"{label}, which has no schema ({target}.json); name an existing table"
            continue
        theirs = {f["name"]: f for f in target_schema["fields"]}
        others = names_of(fk["reference"]["fields"])
        if len(others) != len(columns):
            yield f"{label}: {len(columns)} field(s) refer to {len(others)}; name as many on each side"
            continue
        for column, other in zip(columns, others, strict=True):
            if other not in theirs:
                yield f"{label} and its field '{other}', which that table lacks"
            elif own[column]["type"] != theirs[other]["type"]:
                yield (
                    f"{label}: '{column}' is {own[column]['type']} but '{target}.{other}' is "
                    f"{theirs[other]['type']}; give both the same type"
                )


def tables_reached(name: str, schema_of: Callable) -> list[str]:
    """``name`` and every table its foreign keys reach, targets first.

    Raises :class:`SchemaProblem` for a foreign key whose target is missing or lacks the field,
    and for a cycle of references between tables (which cannot be checked: each table would
    need the other checked first). A reference to the table itself is no cycle.
    """
    done: list[str] = []

    def visit(table: str, trail: list[str]) -> None:
        schema = schema_of(table)
        problem = next(reference_problems(table, schema, schema_of), None)
        if problem:
            raise SchemaProblem(table, problem)
        for fk in schema.get("foreignKeys", []):
            target = fk["reference"]["resource"]
            if target == table or target in done:
                continue
            if target in trail:
                cycle = " -> ".join(trail[trail.index(target) :] + [table, target])
                raise SchemaProblem(
                    table,
                    f"foreign key ({', '.join(names_of(fk['fields']))}) closes a cycle of "
                    f"references between tables ({cycle}), which cannot be checked; remove one",
                )
            visit(target, trail + [table])
        done.append(table)

    visit(name, [])
    return done
