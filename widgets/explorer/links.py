"""The explorer's address: the ``#fragment`` protocol, written once.

A link opens the static explorer on a preset and/or with some fields set:
``scenario-explorer.html#preset=busan-suspension&stockpile_days=90``. The protocol:

* the keys are ``preset`` and the scenario's field names, exactly (case counts), each at most
  once;
* ``preset`` is a preset's slug (:func:`widgets.scenario.preset_slug`);
* a choice field (importer, element group) takes one of its values, exactly;
* a number is plain decimal (``90``, ``0.25``; no sign, exponent, hexadecimal or spaces), inside
  its control's range and on its control's step (a value the control can show exactly);
* a fragment without ``=`` is an ordinary anchor of the page, not a scenario;
* the fields a link does not set come from its preset or, without a preset, from the defaults
  of the importer and element group it names (else those on the controls).

:func:`explorer_link` writes links (Python), :func:`link_spec` hands the rules to the page
script (``static.js``, in the page's ``data-config``) and to ``tools/check_site.py``, and
:func:`fragment_problems` is the reader both Python sides use. The page applies the valid parts
of a link and reports the rest in one short message (at most :data:`MAX_PROBLEMS` problems,
each value cut to :data:`MAX_VALUE_SHOWN` characters).
"""

from __future__ import annotations

import math
import re
from urllib.parse import parse_qsl, urlencode

from widgets import scenario as sc
from widgets.explorer.controls import slider_range

EXPLORER_PAGE = "scenario-explorer.html"
PRESET_KEY = "preset"
NUMBER_SYNTAX = r"^(\d+(\.\d*)?|\.\d+)$"
MAX_PROBLEMS = 4
MAX_VALUE_SHOWN = 24


def link_spec() -> dict:
    """The protocol as data: keys, each field's kind and valid values, the preset slugs."""
    fields = {}
    for name, spec in sc.PARAMETERS.items():
        if spec.kind == "choice":
            fields[name] = {"kind": "choice", "choices": list(spec.choices)}
        else:
            low, high, step = slider_range(name)
            fields[name] = {"kind": spec.kind, "min": low, "max": high, "step": step}
    return {
        "page": EXPLORER_PAGE,
        "preset_key": PRESET_KEY,
        "fields": fields,
        "order": list(sc.CHOICE_PARAMETERS) + list(sc.NUMERIC_PARAMETERS),
        "presets": [sc.preset_slug(name) for name in sc.preset_names()],
        "number_syntax": NUMBER_SYNTAX,
        "max_problems": MAX_PROBLEMS,
        "max_value_shown": MAX_VALUE_SHOWN,
    }


def explorer_link(preset: str | None = None, **fields) -> str:
    """A page-relative link (from another chapter in book/) that opens the static explorer on a
    preset and/or with some fields set, e.g. ``explorer_link("Busan suspension")``. The values
    are checked by the model and by the protocol (a value its control cannot show is refused)."""
    query = {}
    if preset is not None:
        query[PRESET_KEY] = sc.preset_slug(preset)
    if fields:
        base = sc.preset(preset) if preset else sc.default_scenario()
        checked = base.with_changes(**fields)  # validates names and ranges
        query.update(
            {
                k: _number_text(getattr(checked, k))
                if k in sc.NUMERIC_PARAMETERS
                else getattr(checked, k)
                for k in fields
            }
        )
    link = EXPLORER_PAGE + ("#" + urlencode(query) if query else "")
    problems = fragment_problems(link.partition("#")[2])
    if problems:
        raise ValueError(f"{link} would not open as written: {'; '.join(problems)}")
    return link


def _number_text(value) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def cut(value: str, limit: int = MAX_VALUE_SHOWN) -> str:
    """A raw value cut to ``limit`` characters for a message."""
    return value if len(value) <= limit else value[:limit] + "…"


def shown(value: str, limit: int = MAX_VALUE_SHOWN) -> str:
    """A raw value as a message quotes it: cut, in quotes."""
    return f'"{cut(value, limit)}"'


def check_part(key: str, raw: str, spec: dict | None = None) -> str | None:
    """What is wrong with one ``key=value`` of a fragment, or None."""
    spec = spec or link_spec()
    if key == spec["preset_key"]:
        return None if raw in spec["presets"] else f"unknown preset {shown(raw)}"
    field = spec["fields"].get(key)
    if field is None:
        return f"unknown parameter {shown(key)}"
    if field["kind"] == "choice":
        if raw in field["choices"]:
            return None
        return f"{key} = {shown(raw)} is not one of {', '.join(field['choices'])}"
    if not re.match(spec["number_syntax"], raw):
        return f"{key} = {shown(raw)} is not a plain number"
    number, low, high, step = float(raw), field["min"], field["max"], field["step"]
    if not low <= number <= high:
        return f"{key} = {cut(raw)} is outside {_number_text(low)} to {_number_text(high)}"
    steps = (number - low) / step
    if not math.isclose(steps, round(steps), abs_tol=1e-9):
        return f"{key} = {cut(raw)} is not a step of {_number_text(step)} from {_number_text(low)}"
    return None


def fragment_problems(fragment: str, spec: dict | None = None) -> list[str]:
    """Every problem of a fragment (without ``#``), as the page reports them; [] if none."""
    spec = spec or link_spec()
    problems, seen = [], set()
    for key, raw in parse_qsl(fragment, keep_blank_values=True):
        if key in seen:
            problems.append(f"{shown(key)} is given more than once")
            continue
        seen.add(key)
        problem = check_part(key, raw, spec)
        if problem:
            problems.append(problem)
    return problems
