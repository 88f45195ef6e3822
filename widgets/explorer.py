"""The scenario explorer: links into the static explorer page, and (for live notebooks) the
ipywidgets interface. Both run the one model of :mod:`widgets.scenario`."""
from __future__ import annotations

import re
from urllib.parse import urlencode

from widgets import scenario as sc

EXPLORER_PAGE = "scenario-explorer.html"


def preset_slug(name: str) -> str:
    """The URL form of a preset name: '2010 halt of shipments to Japan' -> '2010-halt-of-shipments-to-japan'."""
    if name not in sc.preset_names():
        raise ValueError(f"unknown preset {name!r}; known presets: {', '.join(sc.preset_names())}")
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def explorer_link(preset: str | None = None, **fields) -> str:
    """A page-relative link (from another chapter in book/) that opens the static explorer on a
    preset and/or with some fields set, e.g. ``explorer_link("Busan suspension")``."""
    query = {}
    if preset is not None:
        query["preset"] = preset_slug(preset)
    if fields:
        base = sc.preset(preset) if preset else sc.default_scenario()
        checked = base.with_changes(**fields)  # validates names and ranges
        query.update({k: getattr(checked, k) for k in fields})
    return EXPLORER_PAGE + ("#" + urlencode(query) if query else "")
