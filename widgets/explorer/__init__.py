"""The scenario explorer: a static face that runs the model in the reader's browser, a live
face for notebooks, the links that open it, and the tables of its chapter. All of them run the
one model of :mod:`widgets.scenario`.

Read from the bottom up; nothing imports upward:

===============  ==================================================================
``controls``     each slider's range and step (from the parameters' specs), the supply stack
``links``        the ``#fragment`` protocol: :func:`explorer_link`, the spec the page reads
``tables``       equations, defaults and preset tables, a list of links
``notes``        each control's group, documented range, basis, source and note
``exercises``    the exercises' answers as a student finds them on the sliders
``panels``       the month panels (current and pinned scenario) of the static face
``tornado``      the sensitivity chart of the static face
``static``       the Vega-Lite spec and :class:`StaticExplorer` (with ``static.js``)
``live``         :class:`LiveExplorer` (ipywidgets)
===============  ==================================================================
"""

from widgets.explorer.controls import (
    LABELS,
    LONGEST_HORIZON,
    SUPPLY_COMPONENTS,
    combinations,
    slider_range,
)
from widgets.explorer.links import EXPLORER_PAGE, explorer_link, fragment_problems, link_spec
from widgets.explorer.live import LiveExplorer, live_explorer, scenario_chart
from widgets.explorer.static import StaticExplorer, explorer_chart, explorer_config
from widgets.explorer.tables import (
    EXERCISE_UNMET_TARGET,
    equations_view,
    links_list,
    parameter_table_view,
    preset_sources_view,
)
from widgets.scenario import preset_slug

__all__ = [
    "EXERCISE_UNMET_TARGET",
    "EXPLORER_PAGE",
    "LABELS",
    "LONGEST_HORIZON",
    "SUPPLY_COMPONENTS",
    "LiveExplorer",
    "StaticExplorer",
    "combinations",
    "equations_view",
    "explorer_chart",
    "explorer_config",
    "explorer_link",
    "fragment_problems",
    "link_spec",
    "links_list",
    "live_explorer",
    "parameter_table_view",
    "preset_slug",
    "preset_sources_view",
    "scenario_chart",
    "slider_range",
]
