"""Dated plans, deadlines and claims: the EU's 2030 targets against today's situation, and the
calendar of the alternatives to China (chapters 6 and 8)."""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from widgets import charts
from widgets.data import load_table
from widgets.sources import credit, notes, short

# --------------------------------------------------------------------------- milestones
_CERTAINTY_SCALE = alt.Scale(
    domain=["done", "scheduled", "planned", "target", "claim"],
    range=[charts.TEXT_COLOUR, charts.MUTED_COLOUR, charts.GREEN, charts.BLUE, charts.CHINA_RED],
)


def _year_position(text: str) -> float:
    """'2026-11' -> 2026.875 (mid-month); '2027' -> 2027.5 (mid-year)."""
    if len(text) == 4:
        return int(text) + 0.5
    year, month = text.split("-")
    return int(year) + (int(month) - 0.5) / 12


def _month_text(position: float) -> str:
    """2027.79 -> 'October 2027' (the inverse of :func:`_year_position` for a month)."""
    year = int(position)
    month = min(11, int((position - year) * 12))
    return pd.Timestamp(year=year, month=month + 1, day=1).strftime("%B %Y")


def milestones_frame() -> pd.DataFrame:
    """data/milestones.csv with positions on a time axis (mid-month or mid-year)."""
    table = load_table("milestones").copy()
    table["start_year"] = table["start"].map(_year_position)
    table["end_year"] = (
        table["end"]
        .map(lambda t: _year_position(t) if isinstance(t, str) else None)
        .astype("Float64")
    )
    table["note"] = notes(table["note"])
    table["source_short"] = table["source"].map(short)
    return table


MONTHS_EXPR = (
    "['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', "
    "'October', 'November', 'December'][min(11, floor((check - floor(check)) * 12))] + ' ' + floor(check)"
)


def bessent_timeline() -> charts.ControlsBelow:
    """Timeline of the plants, deadlines and claims the documents date, with a slider that
    moves a 'check date' (first set to the end of Bessent's 24 months): what is due by then?"""
    table = milestones_frame()
    claim = table[table["id"] == "bessent_claim"].iloc[0]
    # The slider moves in whole months (its read-out is a month count, never a fraction of a
    # year); the check date is that month's middle on the time axis (see _year_position).
    first, last = 2025, 2041
    month = alt.param(
        name="check_month",
        value=round((float(claim["end_year"]) - first) * 12 - 0.5),
        bind=alt.binding_range(
            min=0,
            max=(last - first) * 12,
            step=1,
            name=f"Check date (months after January {first}): ",
        ),
    )
    check = alt.param(name="check", expr=f"{first} + (check_month + 0.5) / 12")
    table["span_end"] = table["end_year"].fillna(table["start_year"])
    order = list(table.sort_values(["start_year", "label"])["label"])
    x = alt.X(
        "start_year:Q",
        title="Year",
        scale=alt.Scale(domain=[2024, 2041]),
        axis=alt.Axis(format="d"),
    )
    base = alt.Chart(table).encode(
        y=alt.Y(
            "label:N", sort=order, title=None, axis=alt.Axis(labelLimit=charts.label_limit(340))
        ),
        opacity=alt.when("datum.start_year <= check").then(alt.value(1)).otherwise(alt.value(0.3)),
        tooltip=[
            alt.Tooltip("label:N", title="Milestone"),
            alt.Tooltip("actor:N", title="Actor"),
            alt.Tooltip("date_text:N", title="When"),
            alt.Tooltip("certainty:N", title="Kind of date"),
            alt.Tooltip("source_short:N", title="Source"),
            alt.Tooltip("note:N", title="Note"),
        ],
    )
    spans = (
        base.transform_filter("isValid(datum.end_year)")
        .mark_bar(size=9)
        .encode(
            x=x,
            x2="span_end:Q",
            color=alt.Color("certainty:N", scale=_CERTAINTY_SCALE, legend=None),
        )
    )
    dots = base.mark_point(size=95, filled=True).encode(
        x=x, color=alt.Color("certainty:N", title="Kind of date", scale=_CERTAINTY_SCALE)
    )
    rule = (
        alt.Chart(pd.DataFrame([{"k": 1}]))
        .transform_calculate(year="check")
        .mark_rule(color=charts.colour_of("China"), strokeWidth=2)
        .encode(x=alt.X("year:Q"))
    )
    count = (
        alt.Chart(table)
        .transform_filter("datum.start_year <= check")
        .transform_aggregate(due="count()")
        .transform_calculate(
            text=f"'By ' + {MONTHS_EXPR} + ': ' + datum.due + ' of {len(table)} due'"
        )
        # ends at the plot's right edge: from its left edge it would run past a phone's column
        .mark_text(align="right", fontWeight="bold", fontSize=12, x=alt.ExprRef("width"))
        .encode(y=alt.value(-10), text="text:N")
    )
    chart = (
        alt.layer(spans, dots, rule, count)
        .add_params(month, check)
        .properties(width=300, height=22 * len(table))
    )
    done = int((table["certainty"] == "done").sum())
    due = int((table["start_year"] <= claim["end_year"]).sum())
    return charts.controls_below(
        charts.finish(
            chart,
            title="Less than 24 months? The calendar of the alternatives",
            subtitle=[
                "Dated plants, deadlines and claims; the red line is the check date",
                f"It starts at the end of Bessent's 24 months ({_month_text(float(claim['end_year']))})",
                "Move the slider: milestones due by the check date are solid, later ones faded",
            ],
            source=credit(
                table["source"],
                "Several dates are plans or claims; hover or tap for the kind of date.",
            ),
            description=(
                f"Timeline of {len(table)} milestones from {int(table['start_year'].min())} to "
                f"{int(table['span_end'].max())}: {done} have happened, the rest are plans, targets, "
                f"scheduled dates or claims. By the end of the 24 months that Treasury Secretary Bessent "
                f"gave China's leverage (October 2027), {due} of them are due; the 2030 targets, MP Materials' "
                f"new magnet plant and the Swedish mines come later."
            ),
        )
    )


# --------------------------------------------------------------------------- chapter 6: the EU
def eu_targets_frame() -> pd.DataFrame:
    """The EU's 2030 targets by stage, with the situation the documents describe."""
    targets = load_table("policy_targets")
    targets = targets[targets["actor"] == "European Union"][
        ["stage", "value", "deadline_text", "applies_to", "source"]
    ]
    situation = load_table("eu_situation")
    frame = targets.merge(situation, on="stage", suffixes=("_target", "_situation"))
    frame["situation_label"] = [
        "\n".join(
            textwrap.wrap(
                f"Today: {v:g} % ({'derived: ' if d else ''}{s[0].lower() + s[1:]})"
                if pd.notna(v)
                else f"Today: no figure. {s}",
                width=34,
            )
        )
        for v, s, d in zip(frame["share_pct"], frame["situation"], frame["derived"], strict=True)
    ]
    frame["target_label"] = [f"{v:g} % by 2030" for v in frame["value"]]
    frame["note"] = notes(frame["note"])
    order = {"extraction": 0, "refining": 1, "recycling": 2}
    return frame.sort_values("stage", key=lambda s: s.map(order)).reset_index(drop=True)


STAGE_BAND = 140  # px per stage: its bar (22 px) and a note of up to five lines of 13 px
BAR_OFFSET = -32  # px from the band's middle to its bar's: the note takes the lower part


def eu_targets() -> alt.VConcatChart:
    """The EU's 2030 targets (extracted, refined, recycled) against the situation the documents
    describe; click a stage to light up the projects that could serve it on the timeline."""
    frame = eu_targets_frame()
    milestones = milestones_frame()
    eu = milestones[milestones["actor"].isin(["European Union", "France"])].copy()
    stage_pick = alt.selection_point(fields=["stage"], name="stage_pick", on="click")
    stages = list(frame["stage"])
    # Each stage's band holds its bar near the band's top and the note on today's situation
    # under it, inside the band: a note of five lines stays above the next band and the x axis.
    y = alt.Y(
        "stage:N",
        sort=stages,
        title=None,
        axis=alt.Axis(
            labelFontSize=13,
            labelFontWeight="bold",
            labelOffset=BAR_OFFSET,
            labelPadding=12,  # clear of the diamond at 0 %
            ticks=False,
        ),
    )
    x_scale = alt.Scale(domain=[0, 50])
    base = alt.Chart(frame).encode(y=y)
    target = (
        base.mark_bar(size=22, color=charts.PALE_BLUE, cursor="pointer", yOffset=BAR_OFFSET)
        .encode(
            x=alt.X("value:Q", title="Share of the EU's needs (%)", scale=x_scale),
            opacity=alt.when(stage_pick).then(alt.value(1)).otherwise(alt.value(0.35)),
            tooltip=[
                alt.Tooltip("stage:N", title="Stage"),
                alt.Tooltip("target_label:N", title="Target"),
                alt.Tooltip("applies_to:N", title="Scope of the target"),
                alt.Tooltip("situation:N", title="Today"),
                alt.Tooltip("note:N", title="Note"),
            ],
        )
        .add_params(stage_pick)
    )
    target_text = charts.bar_end_labels(
        base.encode(x=alt.X("value:Q", scale=x_scale)),
        x="value",
        text="target_label",
        inside_from=0.6,
        inside_colour=charts.TEXT_COLOUR,
        dy=BAR_OFFSET,
    )
    known = (
        base.transform_filter("isValid(datum.share_pct)")
        .mark_point(
            shape="diamond",
            size=160,
            filled=True,
            color=charts.colour_of("European Union"),
            yOffset=BAR_OFFSET,
        )
        .encode(x=alt.X("share_pct:Q", scale=x_scale))
    )
    situation = base.mark_text(
        align="left",
        baseline="top",
        dx=2,
        dy=BAR_OFFSET + 18,
        fontSize=11,
        fontStyle="italic",
        lineBreak="\n",
        color=charts.MUTED_COLOUR,
    ).encode(x=alt.value(0), text="situation_label:N")
    left = alt.layer(target, target_text, known, situation).properties(
        width=400,
        height=STAGE_BAND * len(stages),
        title=alt.Title(
            "Targets for 2030 and the situation today",
            fontSize=13,
            subtitle="bar: target; diamond: today's share where known",
        ),
    )
    eu["span_end"] = eu["end_year"].fillna(eu["start_year"])
    # A milestone that serves two stages is drawn twice, once per stage, on the same spot, so
    # that clicking either stage lights it up; 'policy' milestones concern every stage.
    second = eu[eu["other_stage"].notna()].assign(stage=lambda f: f["other_stage"])
    eu_rows = pd.concat([eu, second], ignore_index=True)
    lit = (
        "datum.stage == 'policy' || !length(data('stage_pick_store')) "
        "|| vlSelectionTest('stage_pick_store', datum)"
    )
    tl = alt.Chart(eu_rows).encode(
        y=alt.Y(
            "label:N",
            sort=list(eu.sort_values("start_year")["label"]),
            title=None,
            # on a laptop the milestones' names whole (the longest, the EU's three targets)
            axis=alt.Axis(labelLimit=charts.label_limit(340)),
        ),
        opacity=alt.when(lit).then(alt.value(1)).otherwise(alt.value(0.2)),
        tooltip=[
            alt.Tooltip("label:N", title="Milestone"),
            alt.Tooltip("date_text:N", title="When"),
            alt.Tooltip("stage:N", title="Stage"),
            alt.Tooltip("certainty:N", title="Kind of date"),
            alt.Tooltip("source_short:N", title="Source"),
            alt.Tooltip("note:N", title="Note"),
        ],
    )
    x_time = alt.X(
        "start_year:Q",
        title="Year",
        scale=alt.Scale(domain=[2024, 2041]),
        axis=alt.Axis(format="d"),
    )
    spans = tl.mark_bar(size=10, color=charts.colour_of("European Union")).encode(
        x=x_time, x2="span_end:Q"
    )
    dots = tl.mark_point(size=90, filled=True).encode(
        x=x_time, color=alt.Color("certainty:N", title="Kind of date", scale=_CERTAINTY_SCALE)
    )
    deadline_year = float(milestones.loc[milestones["id"] == "eu_2030", "start_year"].iloc[0])
    deadline = (
        alt.Chart(pd.DataFrame([{"year": deadline_year}]))
        .mark_rule(strokeDash=[4, 3])
        .encode(x=alt.X("year:Q"))
    )
    right = alt.layer(spans, dots, deadline).properties(
        width=400,
        height=170,
        title=alt.Title(
            "When the projects could deliver", fontSize=13, subtitle="dashed: the 2030 deadline"
        ),
    )
    chart = alt.vconcat(left, right, spacing=24)
    targets_text = ", ".join(f"{r.value:g} % {r.stage}" for r in frame.itertuples())
    return charts.finish(
        chart,
        title="The EU's 2030 targets against today's situation",
        subtitle=["Click a stage (extraction, refining, recycling) to light up its projects"],
        source=credit(
            list(frame["source_target"]) + list(eu["source"]),
            "Lepesant states the targets for the metals the EU needs in general, not for rare "
            "earths alone.",
        ),
        description=(
            f"Bar chart of the EU's 2030 targets ({targets_text}) with today's situation: no rare-earth "
            f"mine in the EU (0 % extracted), refining mostly at one plant in Narva, recycling at Caremag (under "
            f"construction) and at another project, La Rochelle, whose state the documents do not give. A timeline of {len(eu)} EU and French milestones runs from "
            f"{int(eu['start_year'].min())} to {int(eu['span_end'].max())}; Swedish mines could open only "
            f"after the 2030 deadline."
        ),
    )
