"""Walkers over a Vega-Lite spec (a chart's ``to_dict()``), written once for every test."""

from __future__ import annotations

import json
import re

HEX = re.compile(r"#[0-9a-fA-F]{6}\b")


def views(spec: dict):
    """The spec and every view nested in it (concatenations and layers), depth first."""
    yield spec
    for key in ("vconcat", "hconcat", "concat", "layer"):
        for child in spec.get(key, []):
            yield from views(child)


def views_with_parents(spec: dict, parents: tuple = ()):
    """(view, its ancestors from the top) for every view of the spec."""
    yield spec, parents
    for key in ("vconcat", "hconcat", "concat", "layer"):
        for child in spec.get(key, []):
            yield from views_with_parents(child, (*parents, spec))


def datasets(spec: dict) -> list:
    """The inline datasets of a spec (lists of rows, or a TopoJSON dict)."""
    return list(spec.get("datasets", {}).values())


def rows(spec: dict) -> list[dict]:
    """Every row of every tabular dataset of the spec."""
    return [row for data in datasets(spec) if isinstance(data, list) for row in data]


def params(spec: dict) -> list[dict]:
    """Every parameter (selection or bound input) of the spec."""
    return [p for view in views(spec) for p in view.get("params", [])]


def source_line(spec: dict) -> str:
    """The source line under the chart (the bottom title of the outer view), as one string."""
    text = spec["title"]["text"]
    return " ".join(text) if isinstance(text, list) else text


def all_titles(spec) -> list[str]:
    """Every title text in a spec, flattened (titles may be lists of lines)."""
    found = []
    if isinstance(spec, dict):
        title = spec.get("title")
        if isinstance(title, dict):
            text = title.get("text", "")
            found += text if isinstance(text, list) else [text]
        elif isinstance(title, str):
            found.append(title)
        for value in spec.values():
            found += all_titles(value)
    elif isinstance(spec, list):
        for value in spec:
            found += all_titles(value)
    return found


def colours(spec: dict) -> set[str]:
    """Every hex colour written in the spec, lower case."""
    return {c.lower() for c in HEX.findall(json.dumps(spec))}


def quantitative_axis_titles(spec: dict) -> list[str]:
    """The titles of the x and y encodings of quantitative fields (where units belong)."""
    return [
        enc[ch]["title"]
        for view in views(spec)
        for enc in [view.get("encoding", {})]
        for ch in ("x", "y")
        if ch in enc and enc[ch].get("type") == "quantitative" and enc[ch].get("title")
    ]


def _fields_of(view: dict) -> set[str]:
    """Fields that a view's own transforms compute (calculate, aggregate, window, lookup)."""
    made = set()
    for step in view.get("transform", []):
        named = step.get("as")
        made |= set(named) if isinstance(named, list) else {named}
        made |= {part.get("as") for part in step.get("aggregate", []) + step.get("window", [])}
        made |= set(step.get("from", {}).get("fields", [])) if "lookup" in step else set()
    return {m for m in made if isinstance(m, str)}


def tooltip_problems(spec: dict) -> list[str]:
    """Tooltip fields that the data under them does not hold; [] when every tooltip is readable.

    A view's rows come from its own ``data`` or from the nearest ancestor that names one; the
    fields it may show are those columns plus what its own and its ancestors' transforms compute.
    """
    named = spec.get("datasets", {})
    problems = []
    for view, parents in views_with_parents(spec):
        tooltip = view.get("encoding", {}).get("tooltip")
        if not tooltip:
            continue
        tips = tooltip if isinstance(tooltip, list) else [tooltip]
        data = next((v["data"] for v in (view, *reversed(parents)) if "data" in v), None)
        values = named.get(data.get("name")) if isinstance(data, dict) else None
        if isinstance(data, dict) and "values" in data:
            values = data["values"]
        if not isinstance(values, list) or not values:
            continue  # geographic features: fields are checked by the map's own tests
        columns = set().union(*(row.keys() for row in values))
        for v in (view, *parents):
            columns |= _fields_of(v)
        for tip in tips:
            field = tip.get("field", "").split(".")[0]
            if field and field not in columns:
                problems.append(f"tooltip field {field!r} is not in the data ({sorted(columns)})")
    return problems


def tooltips(spec: dict) -> list[dict]:
    """Every tooltip channel definition of the spec."""
    found = []
    for view in views(spec):
        tooltip = view.get("encoding", {}).get("tooltip")
        if tooltip:
            found += tooltip if isinstance(tooltip, list) else [tooltip]
    return found
