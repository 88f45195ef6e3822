"""The book's charts, by topic; this face re-exports every chart so that a chapter shows one
with one call, e.g. ``figures.world_production()`` or ``figures.partners_map(actor="Japan")``.

Each chart function reads its tables in ``data/`` (:func:`widgets.data.load_table`), builds one
chart with the theme and palette of :mod:`widgets.charts`, credits its sources through
:mod:`widgets.sources`, and ends in :func:`widgets.charts.finish` (title, source line, screen-
reader description). Charts with menus or sliders come wrapped by
:func:`widgets.charts.controls_below`. The functions whose name ends in ``_frame`` or
``_table`` return the numbers behind a chart; they stay in their topic module.

========================  ===========================================================
module                    charts
========================  ===========================================================
``elements``              the 17 rare earths as tiles
``century``               a century of world and US production, with its events
``production``            production by country and China's share, the 2019 editions
``reserves``              reserves against production, China's share by stage, the market
``export_controls``       China's export measures since 1973
``busan``                 what the Busan truce suspended, the truce timeline
``japan``                 China's share of Japan's imports
``instruments``           who uses which instrument (the matrix)
``money``                 the US sums, the price floor
``world_map``             the world map of places and partnerships (and the world outline)
``milestones``            the calendar of the alternatives, the EU's 2030 targets
``caremag``               the Caremag plant: flows and coverage
``answers``                what each answer buys; links into the scenario explorer
========================  ===========================================================
"""

from __future__ import annotations

from widgets.figures.answers import explorer_links, scoreboard, scoreboard_table
from widgets.figures.busan import measures_in_force, truce_timeline
from widgets.figures.caremag import caremag_coverage, caremag_flows
from widgets.figures.century import world_production
from widgets.figures.elements import rare_earth_elements
from widgets.figures.export_controls import export_controls_timeline
from widgets.figures.instruments import instrument_matrix
from widgets.figures.japan import japan_import_share
from widgets.figures.milestones import bessent_timeline, eu_targets
from widgets.figures.money import price_floor, us_money
from widgets.figures.production import production_2019_compared, production_by_country
from widgets.figures.reserves import (
    china_share_by_stage,
    market_in_perspective,
    reserves_and_production,
)
from widgets.figures.world_map import partners_map

# Every chart of the book (a function that returns a finished Altair chart), by name.
FIGURES = {
    function.__name__: function
    for function in (
        rare_earth_elements,
        world_production,
        production_by_country,
        production_2019_compared,
        reserves_and_production,
        china_share_by_stage,
        market_in_perspective,
        export_controls_timeline,
        measures_in_force,
        truce_timeline,
        japan_import_share,
        instrument_matrix,
        us_money,
        price_floor,
        partners_map,
        eu_targets,
        bessent_timeline,
        caremag_flows,
        caremag_coverage,
        scoreboard,
    )
}
# What a chapter may show besides the charts: an HTML table or a list of links.
TABLES = {function.__name__: function for function in (scoreboard_table, explorer_links)}

__all__ = sorted(FIGURES) + sorted(TABLES) + ["FIGURES", "TABLES"]
