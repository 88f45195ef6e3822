"""A small Vega-Lite emulator for tests: applies the ``calculate`` and cumulative ``window``
transforms that :func:`widgets.scenario.vega_transforms` emits, with numpy, by re-reading the
generated Vega expressions (so a test checks that what goes to the browser means what the
Python model computes). Moved out of the package: only a test uses it."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from widgets.scenario.formula import ExpressionError, evaluate, parse


def run_vega_transforms(
    transforms: list[dict], params: Mapping[str, object], data: Mapping[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Apply Vega-Lite ``calculate`` and cumulative ``window`` sum transforms with numpy.

    This re-reads the *generated* Vega expressions with :func:`parse` (so a test can check
    that what goes to the browser means what the Python model computes). ``params`` maps
    Vega-Lite param names to values; ``data`` holds the input columns (e.g. ``month``),
    one row per element, already in the window's sort order. Only the transforms that
    :func:`widgets.scenario.vega_transforms` emits are supported.
    """
    columns = {k: np.asarray(v) for k, v in data.items()}
    length = len(next(iter(columns.values())))
    for transform in transforms:
        env = dict(params)
        env.update({f"datum.{k}": v for k, v in columns.items()})
        if "calculate" in transform:
            value = evaluate(parse(transform["calculate"]), env)
            columns[transform["as"]] = np.broadcast_to(value, (length,)).copy()
        elif "window" in transform:
            if transform.get("frame") != [None, 0] or len(transform["window"]) != 1:
                raise ExpressionError(f"unsupported window transform {transform!r}")
            (op,) = transform["window"]
            if op["op"] != "sum":
                raise ExpressionError(f"unsupported window op {op['op']!r}")
            order = np.argsort(columns[transform["sort"][0]["field"]], kind="stable")
            total = np.empty(length)
            total[order] = np.cumsum(columns[op["field"]][order])
            columns[op["as"]] = total
        else:
            raise ExpressionError(f"unsupported transform {transform!r}")
    return columns
