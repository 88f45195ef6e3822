"""What each answer buys in the scenario model (chapter 8), and links from a chapter into the
scenario explorer."""

from __future__ import annotations

import html
from collections.abc import Iterable

import altair as alt
import pandas as pd
from IPython.display import HTML

from widgets import charts
from widgets import scenario as sc
from widgets.explorer import explorer_link
from widgets.text import wrap

# --------------------------------------------------------------------------- chapter 8: scoreboard
SCOREBOARD_PRESETS = (
    "Expiry in November 2026",
    "April 2025 licences",
    "2010 halt of shipments to Japan",
)
LEVERS = (
    ("Stockpiles", "stockpile_days"),
    ("Recycling", "recycling_share"),
    ("Substitutes", "substitution"),
    ("Alliances and new supply", "other_supply_growth"),
)
NO_LEVER = "No lever (the preset as it is)"
ALL_LEVERS = "All four together"


def _lever_value_text(field: str, value: float, unit: str) -> str:
    if field == "stockpile_days":
        return f"stocks of {value:g} days"
    if field == "other_supply_growth":
        return f"non-Chinese supply +{value * 100:g} % a year"
    return f"{value * 100:g} % of demand"


def scoreboard_frame(presets: Iterable[str] = SCOREBOARD_PRESETS) -> pd.DataFrame:
    """For each preset and each answer (lever), the unmet demand the scenario model gives when
    that lever is set to the high end of its range (data/scenario_parameters.csv), the others
    staying at the preset's values; plus 'no lever' and 'all four together'. Unmet demand is
    shown as a share of the preset's demand without any lever (substitution lowers demand
    itself, so its own unmet share would not compare)."""
    records = []
    for name in presets:
        base = sc.preset(name)
        params = sc.parameter_table(base.importer, base.element_group).set_index("parameter")
        base_summary = sc.summarize(base)
        demand = base_summary["demand_tonnes"]
        settings = {}
        rows = [(NO_LEVER, {}, "")]
        for label, field in LEVERS:
            value = sc.as_field_value(field, params.loc[field, "high"])
            settings[field] = value
            basis = f"{params.loc[field, 'basis']}: {params.loc[field, 'note']}"
            rows.append((label, {field: value}, basis))
        rows.append((ALL_LEVERS, dict(settings), "each lever at the high end of its range"))
        for label, changes, basis in rows:
            scenario = base.with_changes(**changes) if changes else base
            summary = sc.summarize(scenario)
            field = next(iter(changes)) if len(changes) == 1 else ""
            records.append(
                {
                    "preset": name,
                    "lever": label,
                    "field": field,
                    "setting": (
                        _lever_value_text(field, changes[field], params.loc[field, "unit"])
                        if field
                        else "; ".join(_lever_value_text(f, v, "") for f, v in changes.items())
                        or f"stocks of {base.stockpile_days:g} days; recycling {base.recycling_share * 100:g} %; "
                        f"substitution {base.substitution * 100:g} %; supply growth {base.other_supply_growth * 100:g} %"
                    ),
                    "preset_value": (getattr(base, field) if field else None),
                    "basis": basis,
                    "unmet_tonnes": summary["unmet_tonnes"],
                    "unmet_share_of_base": summary["unmet_tonnes"] / demand,
                    "first_shortage_month": summary["first_shortage_month"],
                    "months_covered_by_stock": summary["months_covered_by_stock"],
                    # The reader's sentence, written once by the model; its share is measured against
                    # the demand without any lever, as the bars are.
                    "sentence": sc.describe(
                        {**summary, "unmet_share": summary["unmet_tonnes"] / demand}, scenario
                    ),
                    "link": explorer_link(name, **changes),
                }
            )
    frame = pd.DataFrame(records)
    frame["first_shortage_month"] = frame["first_shortage_month"].astype("Int64")
    frame["percent_text"] = frame["unmet_share_of_base"].map(sc.percent_words)
    return frame


def scoreboard(preset: str = SCOREBOARD_PRESETS[0]) -> charts.ControlsBelow:
    """What each answer buys: unmet demand in the scenario model under a restriction, without a
    lever and with each of stockpiles, recycling, substitutes and new supply pushed to the high
    end of its range. A menu picks the restriction; clicking a bar opens the explorer there."""
    frame = scoreboard_frame()
    if preset not in SCOREBOARD_PRESETS:
        raise ValueError(f"preset must be one of {', '.join(SCOREBOARD_PRESETS)}, not {preset!r}")
    frame["first_text"] = [
        f"month {int(m)}" if pd.notna(m) else "never" for m in frame["first_shortage_month"]
    ]
    chosen = alt.param(
        name="restriction",
        value=preset,
        bind=alt.binding_select(options=list(SCOREBOARD_PRESETS), name="Restriction: "),
    )
    order = [NO_LEVER] + [label for label, _ in LEVERS] + [ALL_LEVERS]
    colours = alt.Scale(
        domain=order,
        range=[
            charts.GREY,
            charts.PURPLE,
            charts.GREEN,
            charts.MUSTARD,
            charts.BLUE,
            charts.TEXT_COLOUR,
        ],
    )
    base = (
        alt.Chart(frame)
        .transform_filter("datum.preset == restriction")
        .encode(
            y=alt.Y(
                "lever:N",
                sort=order,
                title=None,
                # on a phone's column, each lever's name in lines rather than cut short
                axis=alt.Axis(
                    labelLimit=charts.label_limit(220),
                    labelFontSize=12,
                    labelExpr=charts.lines_on_a_phone(order, 18),
                ),
            )
        )
    )
    top = float(frame["unmet_share_of_base"].max())
    bars = base.mark_bar(size=22, cursor="pointer").encode(
        x=alt.X(
            "unmet_share_of_base:Q",
            # in lines that fit under the plot on a phone's column
            title=["Unmet demand over", "the horizon (% of demand", "without any lever)"],
            axis=alt.Axis(format="%"),
            scale=alt.Scale(domain=[0, max(top * 1.2, 0.05)]),
        ),
        color=alt.Color("lever:N", scale=colours, legend=None),
        href="link:N",
        tooltip=[
            alt.Tooltip("lever:N", title="Answer"),
            alt.Tooltip("setting:N", title="Setting"),
            alt.Tooltip("sentence:N", title="Result"),
            alt.Tooltip("first_text:N", title="First shortage"),
            alt.Tooltip("basis:N", title="Basis of the setting"),
            alt.Tooltip("link:N", title="Click to open"),
        ],
    )
    text = base.mark_text(align="left", dx=5, fontSize=12).encode(
        x=alt.X("unmet_share_of_base:Q"), text="percent_text:N"
    )
    chart = alt.layer(bars, text).add_params(chosen).properties(width=430, height=230)
    shown = frame[frame["preset"] == preset].set_index("lever")
    best = shown.drop(index=[NO_LEVER, ALL_LEVERS])["unmet_tonnes"].idxmin()
    return charts.controls_below(
        charts.finish(
            chart,
            title="What does each answer buy?",
            subtitle=[
                "Unmet demand in the scenario model under one restriction",
                "Each answer is pushed to the high end of its range, one at a time",
                "Pick the restriction in the menu; click a bar to open the explorer with that setting",
            ],
            source=wrap(
                "Source: this site's scenario model, with its defaults and presets; most settings are "
                "assumptions."
            ),
            description=(
                f"Bar chart of unmet demand under the restriction '{preset}': {shown.loc[NO_LEVER, 'percent_text']} "
                f"without a lever, and with each answer at the high end of its range: "
                + "; ".join(
                    f"{label.lower()} {shown.loc[label, 'percent_text']}" for label, _ in LEVERS
                )
                + f"; all four together {shown.loc[ALL_LEVERS, 'percent_text']}. The single answer that buys most "
                f"here is {best.lower()}. A menu switches to {len(SCOREBOARD_PRESETS) - 1} other restrictions."
            ),
        )
    )


def scoreboard_table(preset: str = SCOREBOARD_PRESETS[0]):
    """The scoreboard as an HTML table, one row per answer, each with a link that opens the
    scenario explorer on the preset with that answer applied."""
    frame = scoreboard_frame([preset])
    rows = []
    for r in frame.itertuples(index=False):
        rows.append(
            "<tr>"
            f"<td>{html.escape(r.lever)}</td><td>{html.escape(r.setting)}</td>"
            f"<td>{html.escape(r.sentence)}</td>"
            f'<td><a href="{html.escape(r.link)}">open in the explorer</a></td>'
            "</tr>"
        )
    table = (
        f"<table class=\"scoreboard\"><caption>Scenario '{html.escape(preset)}': each answer at the high end "
        'of its range</caption><thead><tr><th scope="col">Answer</th><th scope="col">Setting</th>'
        '<th scope="col">Result in the model</th><th scope="col">Explore</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table>"
    )
    return HTML(table)


# --------------------------------------------------------------------------- links into the explorer
def explorer_links(*presets: str):
    """A list of links that open the scenario explorer page on the given presets (as HTML, so
    that the static page needs no Sphinx cross-reference)."""
    items = [
        f'<li><a href="{html.escape(explorer_link(name))}">{html.escape(name)}</a></li>'
        for name in presets
    ]
    return HTML('<ul class="explorer-links">' + "".join(items) + "</ul>")
