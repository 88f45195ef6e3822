"""The missions page: one block per mission (question, prediction, run, result, explanation)
and the panel that exports the student's work.

Each mission carries a small Vega-Lite chart of its scenario built from the model's own Vega
face (:func:`widgets.scenario.vega_transforms`, :func:`widgets.scenario.vega_summary_transforms`),
compiled to Vega at build time like every chart of the site. The page script
(``classroom.js``) reads the summary the browser computed from the chart's summary mark and
shows it beside the prediction; a goal mission binds its one lever to a slider. The answers the
Python model gives are written into the page (``data-mission``) for the goal check and for the
tests, which compare them with what the browser computed.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import altair as alt

from widgets import charts, paths, sources
from widgets import scenario as sc
from widgets.classroom import vega_page
from widgets.classroom.missions import (
    Mission,
    all_missions,
    answer,
    explanation,
    headings,
    month_words,
)
from widgets.classroom.vega_page import TONNES, bound_slider, chart_html
from widgets.explorer.controls import LABELS, MONTH_BANDS, SUPPLY_COMPONENTS, slider_range
from widgets.explorer.tables import value_text

SCRIPT = Path(__file__).with_name("classroom.js")
STORAGE_KEY = "terres-rares-classroom"
SUMMARY_VIEW = "summary"  # Vega-Lite names its mark "summary_marks": the script reads it
CHART_WIDTH = 240  # fits a 375 px phone (a 312 px column) with the axis and the page's margins
CHART_HEIGHT = 140


def _chart_spec(mission: Mission) -> dict:
    """The Vega-Lite spec of a mission's scenario: stock left (line) and unmet demand (bars)
    each month, the summary row, and for a goal the lever bound to a slider."""
    scenario = mission.scenario
    params = [
        bound_slider(p["name"], p["value"], LABELS[p["name"]]) if p["name"] == mission.lever else p
        for p in sc.vega_params(scenario)
    ]
    stock_colour = SUPPLY_COMPONENTS["stock_drawn_t"][1]
    unmet_colour = SUPPLY_COMPONENTS["unmet_t"][1]
    y = {"type": "quantitative", "title": "t of oxide", "scale": {"domain": {"unionWith": [0, 1]}}}
    return {
        "$schema": alt.SCHEMA_URL,
        "description": (
            "The mission's scenario month by month: the stockpile left at the end of each month "
            "(line) and the demand nobody covers (bars)."
        ),
        "title": {
            "text": ["Stock left (line) and", "unmet demand (bars)"],
            "subtitle": "each month of the scenario, t of oxide",
            "fontSize": 13,
        },
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "params": params,
        "data": sc.vega_month_sequence(scenario.horizon_months),
        "transform": sc.vega_transforms(),
        "layer": [
            {
                "transform": [
                    {
                        "calculate": "'Month ' + datum.month + '; unmet demand: ' + "
                        f"format(datum.unmet_t, '{TONNES}') + ' t'",
                        "as": "unmet_aria",
                    }
                ],
                "mark": {"type": "bar", "color": unmet_colour},
                "encoding": {
                    "x": dict(MONTH_BANDS),
                    "y": {**y, "field": "unmet_t"},
                    "description": {"field": "unmet_aria", "type": "nominal"},
                },
                "name": "unmet",
            },
            {
                "transform": [
                    {
                        "calculate": "'Month ' + datum.month + '; stock left: ' + "
                        f"format(datum.stock_left_t, '{TONNES}') + ' t'",
                        "as": "stock_aria",
                    }
                ],
                "mark": {
                    "type": "line",
                    "color": stock_colour,
                    "point": {"size": 16, "color": stock_colour},
                },
                "encoding": {
                    "x": dict(MONTH_BANDS),
                    "y": {**y, "field": "stock_left_t"},
                    "description": {"field": "stock_aria", "type": "nominal"},
                },
                "name": "stock",
            },
            {
                "transform": sc.vega_summary_transforms(),
                "mark": {"type": "text", "text": "", "x": 0, "y": 0, "aria": False},
                "name": SUMMARY_VIEW,
            },
        ],
        "config": {"title": {"subtitleColor": charts.MUTED_COLOUR}},
    }


def mission_chart(mission: Mission) -> alt.LayerChart:
    return alt.LayerChart.from_dict(_chart_spec(mission))


def scenario_words(mission: Mission) -> str:
    """'the preset "Busan suspension", with Stockpile 0 days' in plain words."""
    parts = [
        f"{LABELS[name].split(' (')[0]}: {value_text(name, value)}"
        for name, value in mission.overrides.items()
    ]
    start = (
        f"the preset \u201c{mission.preset}\u201d" if mission.preset else "the explorer's defaults"
    )
    return start + (", with " + "; ".join(parts) if parts else "")


def page_title(chapter: str) -> str:
    """The title of a page of the book (its first-level heading)."""
    text = (paths.BOOK / f"{chapter}.md").read_text(encoding="utf-8")
    return next(line[2:].strip() for line in text.splitlines() if line.startswith("# "))


def mission_config(mission: Mission, number: int) -> dict:
    """What the page script needs to know of one mission (written into data-mission)."""
    scenario = mission.scenario
    config = {
        "id": mission.mission,
        "number": number,
        "title": mission.title,
        "kind": mission.kind,
        "measure": mission.measure,
        "choices": list(mission.choices),
        "bins": [list(b) if b else None for b in mission.bins],
        "unit": mission.unit,
        "tolerance": mission.tolerance,
        "answer": answer(mission),
        "months": [
            month_words(m, mission.first_month) for m in range(1, scenario.horizon_months + 1)
        ],
    }
    if mission.lever:
        config["lever"] = {
            "name": mission.lever,
            "label": LABELS[mission.lever].split(" (")[0],
            **vega_page.readout(mission.lever),
            "start": getattr(scenario, mission.lever),
        }
    return config


def _prediction_html(mission: Mission, number: int) -> str:
    ident = f"m{number}"
    if mission.kind == "choice":
        options = "".join(
            f'<label class="mission-choice"><input type="radio" name="{ident}-choice" '
            f'value="{i}"> {html.escape(label)}</label>'
            for i, label in enumerate(mission.choices)
        )
        field = (
            f'<fieldset class="mission-choices"><legend>Your prediction</legend>{options}'
            "</fieldset>"
        )
    else:
        if mission.kind == "goal":
            spec = sc.PARAMETERS[mission.lever]
            what = f"Your guess of the smallest {LABELS[mission.lever].split(' (')[0].lower()}"
            low, high, _ = slider_range(mission.lever)
            scale = 100 if spec.speaks == "percent" else 1
            bounds = (low * scale, high * scale)
        else:
            what = "Your prediction"
            bounds = (0, 100) if mission.unit == "%" else (0, 120)
        field = (
            f'<label class="mission-number" for="{ident}-number">{html.escape(what)} '
            f"({html.escape(mission.unit)})</label> "
            f'<input type="number" id="{ident}-number" inputmode="decimal" '
            f'min="{bounds[0]:g}" max="{bounds[1]:g}" step="any">'
        )
    return (
        f'<form class="mission-predict" novalidate>{field}'
        f'<label class="mission-why-label" for="{ident}-why">Why do you think so? '
        "(a sentence or two, kept in your work)</label>"
        f'<textarea id="{ident}-why" class="mission-why" rows="2"></textarea>'
        '<p class="mission-actions"><button type="submit" class="mission-run" disabled>'
        "Run the model</button> "
        '<span class="mission-hint">Make your prediction first.</span></p></form>'
    )


def mission_html(mission: Mission, number: int) -> str:
    config = html.escape(json.dumps(mission_config(mission, number)), quote=True)
    chapter = (
        f'<a href="{mission.chapter}.html#{mission.anchor}">'
        f"{html.escape(page_title(mission.chapter))}: {html.escape(headings(mission.chapter)[mission.anchor])}</a>"
    )
    goal = (
        '<div class="mission-lever"></div>'
        '<p class="mission-goal" role="status" aria-live="polite"></p>'
        '<p><button type="button" class="mission-give-up">Show the answer</button></p>'
        if mission.kind == "goal"
        else ""
    )
    return (
        f'<section class="mission" id="mission-{mission.mission}" data-mission="{config}">'
        f'<h3 class="mission-title">Mission {number}: {html.escape(mission.title)}</h3>'
        f'<p class="mission-question">{html.escape(mission.question)}</p>'
        f'<p class="mission-scenario">The scenario: {html.escape(scenario_words(mission))}. '
        f'<a href="{html.escape(mission.link)}">Open it in the explorer</a> (after your '
        "prediction!).</p>"
        + _prediction_html(mission, number)
        + '<div class="mission-result" hidden>'
        '<p class="mission-outcome" role="status" aria-live="polite"></p>'
        + goal
        + f'<div class="mission-chart">{chart_html(mission_chart(mission))}</div>'
        f'<div class="mission-explain" hidden><p><strong>Why.</strong> '
        f"{html.escape(explanation(mission))}</p>"
        f"<p>Read more: {chapter}. Source: {html.escape(sources.short(mission.source))}. "
        f"{html.escape(mission.note)}</p></div></div></section>"
    )


EXPORT_PANEL = (
    '<section class="classroom-export" aria-labelledby="classroom-export-title">'
    '<h3 id="classroom-export-title">Your work</h3>'
    '<p class="classroom-progress" role="status" aria-live="polite"></p>'
    '<p><label for="classroom-name">Your name (only in the file you download)</label> '
    '<input type="text" id="classroom-name" class="classroom-name" autocomplete="name"></p>'
    '<p class="classroom-buttons">'
    '<button type="button" class="classroom-download">Download my work (Markdown)</button> '
    '<button type="button" class="classroom-print">Print my work</button> '
    '<button type="button" class="classroom-clear">Clear my work</button></p>'
    '<p class="classroom-privacy">Your predictions and explanations are kept in this browser '
    "only (its local storage). Nothing is sent anywhere: to hand your work in, download the file "
    "or print the page (or save it as PDF) and upload it to your course.</p></section>"
)


class MissionsView:
    """Displays every mission, the export panel and the page script."""

    def __init__(self):
        self.missions = all_missions()

    def _repr_mimebundle_(self, include=None, exclude=None):
        blocks = "".join(mission_html(m, i) for i, m in enumerate(self.missions, start=1))
        script = vega_page.script(SCRIPT)
        page = (
            f"<script>{script}</script>"
            f'<div class="classroom" id="classroom" data-storage="{STORAGE_KEY}">'
            f"{blocks}{EXPORT_PANEL}</div>"
        )
        return {"text/html": page}


def missions_view() -> MissionsView:
    return MissionsView()
