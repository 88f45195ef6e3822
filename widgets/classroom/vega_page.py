"""What the classroom pages share with the site's charts: a model lever bound to a slider, a
chart's HTML as the build compiles it, and the page-script helper that finds a named mark."""

from __future__ import annotations

from pathlib import Path

from widgets.classroom.missions import lever_grid, lever_text
from widgets.explorer.controls import slider_range

MARKS_SCRIPT = Path(__file__).with_name("marks.js")
# A tonnage as a screen reader hears it in a mark's label: one decimal, thousands separated,
# as the explorer's charts and tooltips round the same tonnes of the same model (a raw float,
# "1234.56789 t", is noise read aloud).
TONNES = ",.1f"


def bound_slider(name: str, value, label: str, lever: str | None = None) -> dict:
    """A Vega-Lite param ``name`` bound to the slider of the model field ``lever`` (default:
    ``name``), with the explorer's range and step."""
    low, high, step = slider_range(lever or name)
    return {
        "name": name,
        "value": value,
        "bind": {"input": "range", "min": low, "max": high, "step": step, "name": label + " "},
    }


def chart_html(chart) -> str:
    """Altair's HTML of a chart (the build compiles it to Vega, book/_ext/terres_rares_charts.py)."""
    bundle = chart._repr_mimebundle_()
    return (bundle[0] if isinstance(bundle, tuple) else bundle)["text/html"]


def script(path: Path) -> str:
    """A page script with the shared helper before it."""
    return MARKS_SCRIPT.read_text(encoding="utf-8") + path.read_text(encoding="utf-8")


def readout(lever: str) -> dict:
    """What the page script needs to write a slider's value in words (``trReadouts``)."""
    low, _, step = slider_range(lever)
    return {"low": low, "step": step, "texts": [lever_text(lever, v) for v in lever_grid(lever)]}
