"""The licence room: a role-play of the 2025-2026 crisis for a 50-minute class.

Five teams (``data/missions_teams.csv``) each control some levers of the scenario model: China
the approval rate, the delay and the length of the restriction; Japan, the United States and
the European Union their own stockpile and the growth of their supply from outside China; the
industry (Caremag, magnet makers) recycling and substitution, for all three importers. Four
rounds (``data/missions_rounds.csv``) follow the documents, each starting from a preset.

Each round has a console: one Vega-Lite chart whose sliders are the teams' levers, evaluating
the model for the three importers at once (:func:`widgets.scenario.vega_transforms` with the
parameters read from the rows), and a scoreboard the page script fills from the summary Vega
computed; :func:`scoreboard` is the same in Python (the tests compare both). The script also
keeps one explorer link per importer up to date, so that a projector and every device can open
the same state.
"""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path

import altair as alt

from widgets import charts, sources
from widgets import scenario as sc
from widgets.classroom import vega_page
from widgets.classroom.vega_page import TONNES, bound_slider, chart_html
from widgets.data import DataError, load_table
from widgets.explorer.controls import LABELS, slider_range
from widgets.explorer.links import EXPLORER_PAGE, PRESET_KEY, explorer_link

SCRIPT = Path(__file__).with_name("room.js")
CHINA_LEVERS = ("approval_rate", "licence_delay_months", "restriction_length_months")
IMPORTER_LEVERS = ("stockpile_days", "other_supply_growth")
INDUSTRY_LEVERS = ("recycling_share", "substitution")
LEVERS_OF_TEAM = {"China": CHINA_LEVERS, "Industry": INDUSTRY_LEVERS}
SCORE_VIEW = "score"  # its marks ("score_marks") hold the summary of each importer


def _slug(importer: str) -> str:
    return importer.lower().replace(" ", "_")


def importer_param(importer: str, lever: str) -> str:
    """The name of the slider of an importer's lever: ``japan_stockpile_days``."""
    return f"{_slug(importer)}_{lever}"


@cache
def teams() -> tuple[dict, ...]:
    """The teams, each with its levers checked against the rule of the game."""
    table = load_table("missions_teams")
    rows = table.astype(object).where(table.notna(), None).to_dict("records")
    for line, row in enumerate(rows, start=2):
        levers = tuple(row["levers"].split("|"))
        wanted = LEVERS_OF_TEAM.get(row["team"], IMPORTER_LEVERS if row["importer"] else None)
        if wanted is None or levers != wanted:
            raise DataError(
                f"data/missions_teams.csv, line {line}, column 'levers': team {row['team']!r} "
                f"controls {'|'.join(wanted) if wanted else 'no lever known to the game'}, "
                f"not {row['levers']!r}"
            )
        row["levers"] = levers
    found = {row["team"] for row in rows}
    expected = {"China", "Industry", *sc.IMPORTERS}
    if found != expected:
        raise DataError(
            f"data/missions_teams.csv: the teams must be {', '.join(sorted(expected))}, "
            f"not {', '.join(sorted(found))}"
        )
    return tuple(rows)


@cache
def rounds() -> tuple[dict, ...]:
    table = load_table("missions_rounds")
    rows = table.astype(object).where(table.notna(), None).to_dict("records")
    for line, row in enumerate(rows, start=2):
        row["number"] = line - 1
        if row["preset"] not in sc.preset_names():
            raise DataError(
                f"data/missions_rounds.csv, line {line}, column 'preset': unknown preset "
                f"{row['preset']!r}; known presets: {', '.join(sc.preset_names())}"
            )
    return tuple(rows)


def round_scenario(preset: str, importer: str) -> sc.Scenario:
    """The round's starting scenario for one importer: the importer's own defaults for the
    preset's element group, then every field the preset itself sets."""
    scenario = sc.preset(preset)
    table = sc.preset_table(preset)
    own = table[table["set_by"] == "preset"]["parameter"]
    changes = {p: getattr(scenario, p) for p in own if p not in ("importer", "element_group")}
    return sc.default_scenario(importer, scenario.element_group).with_changes(**changes)


def decisions_of(preset: str) -> dict:
    """The levers at the start of a round: China's and the industry's from the preset (the
    same for the three importers), each importer's own from its scenario."""
    first = round_scenario(preset, sc.IMPORTERS[0])
    values = {name: getattr(first, name) for name in CHINA_LEVERS + INDUSTRY_LEVERS}
    for importer in sc.IMPORTERS:
        scenario = round_scenario(preset, importer)
        for lever in IMPORTER_LEVERS:
            values[importer_param(importer, lever)] = getattr(scenario, lever)
    return values


def scenarios_with(preset: str, decisions: dict) -> dict[str, sc.Scenario]:
    """Each importer's scenario with the teams' decisions (names as :func:`decisions_of`)."""
    result = {}
    for importer in sc.IMPORTERS:
        changes = {name: decisions[name] for name in CHINA_LEVERS + INDUSTRY_LEVERS}
        changes.update(
            {lever: decisions[importer_param(importer, lever)] for lever in IMPORTER_LEVERS}
        )
        result[importer] = round_scenario(preset, importer).with_changes(**changes)
    return result


def scoreboard(preset: str, decisions: dict | None = None) -> list[dict]:
    """The model's score of each importer: first shortage month (0 if none), unmet share."""
    decisions = decisions or decisions_of(preset)
    rows = []
    for importer, scenario in scenarios_with(preset, decisions).items():
        summary = sc.summarize(scenario)
        rows.append(
            {
                "importer": importer,
                "first_shortage_month": summary["first_shortage_month"] or 0,
                "unmet_share": summary["unmet_share"],
            }
        )
    return rows


def _link_base(scenario: sc.Scenario, preset: str) -> dict:
    """The explorer link's fields for an importer (the preset, then what differs from it)."""
    fields = {
        "importer": scenario.importer,
        "annual_demand_t": scenario.annual_demand_t,
        "china_share": scenario.china_share,
        **{
            name: getattr(scenario, name)
            for name in CHINA_LEVERS + IMPORTER_LEVERS + INDUSTRY_LEVERS
        },
    }
    return fields


def round_links(preset: str, decisions: dict | None = None) -> dict[str, str]:
    decisions = decisions or decisions_of(preset)
    return {
        importer: explorer_link(preset, **_link_base(scenario, preset))
        for importer, scenario in scenarios_with(preset, decisions).items()
    }


# --------------------------------------------------------------------------- the console chart
def console_spec(preset: str) -> dict:
    decisions = decisions_of(preset)
    params = []
    for name in CHINA_LEVERS:
        params.append(bound_slider(name, decisions[name], f"China: {LABELS[name]}"))
    for importer in sc.IMPORTERS:
        for lever in IMPORTER_LEVERS:
            params.append(
                bound_slider(
                    importer_param(importer, lever),
                    decisions[importer_param(importer, lever)],
                    f"{importer}: {LABELS[lever]}",
                    lever,
                )
            )
    for name in INDUSTRY_LEVERS:
        params.append(bound_slider(name, decisions[name], f"Industry: {LABELS[name]}"))
    fixed = [
        p
        for p in sc.NUMERIC_PARAMETERS
        if p not in CHINA_LEVERS + IMPORTER_LEVERS + INDUSTRY_LEVERS
    ]
    rows = []
    horizon = None
    for importer in sc.IMPORTERS:
        scenario = round_scenario(preset, importer)
        horizon = scenario.horizon_months
        for month in range(1, scenario.horizon_months + 1):
            rows.append(
                {"importer": importer, "month": month, **{p: getattr(scenario, p) for p in fixed}}
            )
    choose = []
    for lever in IMPORTER_LEVERS:
        expr = (
            " : ".join(
                f"datum.importer === {json.dumps(i)} ? {importer_param(i, lever)}"
                for i in sc.IMPORTERS[:-1]
            )
            + f" : {importer_param(sc.IMPORTERS[-1], lever)}"
        )
        choose.append({"calculate": expr, "as": lever})
    shared = [{"calculate": name, "as": name} for name in CHINA_LEVERS + INDUSTRY_LEVERS]
    summary = [dict(t) for t in sc.vega_summary_transforms()]
    for t in summary:
        if "aggregate" in t:
            t["groupby"] = ["importer"]
    colours = {"domain": list(sc.IMPORTERS), "range": [charts.colour_of(i) for i in sc.IMPORTERS]}
    score_text = (
        "datum.first_shortage_month > 0 ? 'short from month ' + datum.first_shortage_month + ', ' + "
        "format(datum.unmet_share * 100, '.1f') + ' % unmet' : 'no shortage'"
    )
    return {
        "$schema": alt.SCHEMA_URL,
        "description": (
            "The round's scenario for Japan, the United States and the European Union: the "
            "stockpile left each month, and the share of demand left unmet over the horizon."
        ),
        "params": params,
        "data": {"values": rows},
        "transform": shared
        + choose
        + sc.vega_transforms(parameters_from_rows=True, groupby=["importer"]),
        "vconcat": [
            {
                "width": 220,  # with the axis and the scoreboard's names, inside a 375 px phone's column
                "height": 150,
                "title": {
                    "text": "Stock left",
                    "subtitle": f"each month, t of oxide ({horizon} months)",
                },
                # each point read to a screen reader as the page rounds tonnes, not a raw float
                "transform": [
                    {
                        "calculate": "datum.importer + ', month ' + datum.month + "
                        f"'; stock left: ' + format(datum.stock_left_t, '{TONNES}') + ' t'",
                        "as": "stock_aria",
                    }
                ],
                "mark": {"type": "line", "point": {"size": 12}},
                "encoding": {
                    "x": {"field": "month", "type": "quantitative", "title": "Month"},
                    "y": {"field": "stock_left_t", "type": "quantitative", "title": "t of oxide"},
                    "description": {"field": "stock_aria", "type": "nominal"},
                    "color": {
                        "field": "importer",
                        "type": "nominal",
                        "title": None,
                        "scale": colours,
                        "legend": {"orient": "bottom", "direction": "vertical"},
                    },
                },
                "name": "stock",
            },
            {
                "width": 220,
                "height": {"step": 36},
                "title": {
                    "text": "Scoreboard",
                    "subtitle": "share of demand left unmet over the horizon",
                },
                "transform": summary + [{"calculate": score_text, "as": "score"}],
                "layer": [
                    {
                        # a thin bar under its score, so that no bar runs under a text
                        "mark": {"type": "bar", "height": 9, "yOffset": 7},
                        "encoding": {
                            "y": {
                                "field": "importer",
                                "type": "nominal",
                                "title": None,
                                "sort": list(sc.IMPORTERS),
                            },
                            "x": {
                                "field": "unmet_share",
                                "type": "quantitative",
                                "title": "Unmet share of demand",
                                "axis": {"format": "%"},
                                "scale": {"domain": [0, 1]},
                            },
                            "color": {
                                "field": "importer",
                                "type": "nominal",
                                "legend": None,
                                "scale": colours,
                            },
                            "description": {"field": "score", "type": "nominal"},
                        },
                        "name": SCORE_VIEW,
                    },
                    {
                        # the score on a line of its own above its bar, from the plot's left
                        "mark": {
                            "type": "text",
                            "align": "left",
                            "baseline": "bottom",
                            "x": 0,
                            "yOffset": 0,
                            "fontSize": 11,
                            "color": charts.TEXT_COLOUR,
                        },
                        "encoding": {
                            "y": {
                                "field": "importer",
                                "type": "nominal",
                                "sort": list(sc.IMPORTERS),
                            },
                            "text": {"field": "score"},
                        },
                    },
                ],
            },
        ],
        "config": {"legend": {"orient": "top"}},
    }


def console_chart(preset: str) -> alt.VConcatChart:
    return alt.VConcatChart.from_dict(console_spec(preset))


# --------------------------------------------------------------------------- the page blocks
def _lever_words(name: str) -> str:
    low, high, _ = slider_range(name)
    spec = sc.PARAMETERS[name]
    return f"{LABELS[name]} (from {spec.text(low)} to {spec.text(high)})"


def team_cards_html() -> str:
    cards = []
    for team in teams():
        plays = (
            f"<p><strong>You play:</strong> {html.escape(team['importer'])}, as an importer of "
            "the model.</p>"
            if team["importer"]
            else ""
        )
        levers = "".join(f"<li>{html.escape(_lever_words(n))}</li>" for n in team["levers"])
        cards.append(
            f'<section class="room-card" id="team-{_slug(team["team"])}">'
            f"<h3>Team card: {html.escape(team['team'])}</h3>{plays}"
            f"<p><strong>Your levers</strong> (you set them in every round):</p><ul>{levers}</ul>"
            f"<p><strong>What you know.</strong> {html.escape(team['briefing'])}</p>"
            f"<p><strong>Your aim in the game.</strong> {html.escape(team['aim'])}</p>"
            f'<p class="room-source">Source: {html.escape(sources.short(team["source"]))}. '
            f"{html.escape(team['note'] or '')}</p></section>"
        )
    return "".join(cards)


def round_config(row: dict) -> dict:
    preset = row["preset"]
    bases = {
        importer: {
            PRESET_KEY: sc.preset_slug(preset),
            **{k: _text(v) for k, v in _link_base(s, preset).items()},
        }
        for importer, s in scenarios_with(preset, decisions_of(preset)).items()
    }
    return {
        "round": row["number"],
        "page": EXPLORER_PAGE,
        "links": bases,
        "importer_levers": {
            importer: {lever: importer_param(importer, lever) for lever in IMPORTER_LEVERS}
            for importer in sc.IMPORTERS
        },
        "shared_levers": list(CHINA_LEVERS + INDUSTRY_LEVERS),
        "first_month": sc.preset_first_month(preset),
        "readouts": {
            lever: vega_page.readout(lever)
            for lever in CHINA_LEVERS + IMPORTER_LEVERS + INDUSTRY_LEVERS
        },
        "param_levers": {
            **{name: name for name in CHINA_LEVERS + INDUSTRY_LEVERS},
            **{
                importer_param(importer, lever): lever
                for importer in sc.IMPORTERS
                for lever in IMPORTER_LEVERS
            },
        },
    }


def _text(value) -> str:
    if isinstance(value, str):
        return value
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def round_html(row: dict) -> str:
    preset = row["preset"]
    config = html.escape(json.dumps(round_config(row)), quote=True)
    links = round_links(preset)
    score = scoreboard(preset)
    body_rows = "".join(
        f'<tr data-importer="{html.escape(r["importer"])}"><th scope="row">{html.escape(r["importer"])}</th>'
        f'<td class="room-first">{"month " + str(r["first_shortage_month"]) if r["first_shortage_month"] else "none"}</td>'
        f'<td class="room-unmet">{r["unmet_share"] * 100:.1f} %</td>'
        f'<td><a class="room-link" href="{html.escape(links[r["importer"]])}">open in the explorer</a></td></tr>'
        for r in score
    )
    return (
        f'<section class="room-round" id="round-{row["number"]}" data-round="{config}">'
        f"<h3>Round {row['number']}: {html.escape(row['title'])}</h3>"
        f"<p><strong>What happened.</strong> {html.escape(row['happened'])}</p>"
        f"<p><strong>Decide.</strong> {html.escape(row['decide'])}</p>"
        f'<p class="room-source">Source: {html.escape(sources.short(row["source"]))}. '
        f"{html.escape(row['note'] or '')} The round starts from the explorer's preset "
        f"\u201c{html.escape(preset)}\u201d.</p>"
        '<div class="room-levers" role="group" aria-label="The teams\' levers"></div>'
        f'<div class="room-console">{chart_html(console_chart(preset))}</div>'
        '<table class="room-score"><caption>Scoreboard, computed by the model (first shortage '
        "month and share of demand left unmet over the horizon); each link opens the same "
        "scenario in the explorer, for the projector or any device</caption>"
        '<thead><tr><th scope="col">Importer</th><th scope="col">First shortage</th>'
        '<th scope="col">Unmet</th><th scope="col">Shared link</th></tr></thead>'
        f"<tbody>{body_rows}</tbody></table></section>"
    )


class RoomView:
    def __init__(self, what: str):
        self.what = what

    def _repr_mimebundle_(self, include=None, exclude=None):
        if self.what == "cards":
            return {"text/html": f'<div class="room-cards">{team_cards_html()}</div>'}
        blocks = "".join(round_html(r) for r in rounds())
        script = vega_page.script(SCRIPT)
        return {"text/html": f'<script>{script}</script><div class="room-rounds">{blocks}</div>'}


def team_cards() -> RoomView:
    return RoomView("cards")


def rounds_view() -> RoomView:
    return RoomView("rounds")
