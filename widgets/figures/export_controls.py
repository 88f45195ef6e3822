"""China's export regime: the timeline of its measures since 1973, with menus by kind, target and
period (chapter 2)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from widgets import charts
from widgets.data import load_table
from widgets.figures.century import RECENT_CONTROLS_FROM
from widgets.sources import credit, readable, short
from widgets.text import day, long_date, or_empty, when_text


def measure_label(elements: str, target: str) -> str:
    """The short label of a row of export_controls: its first item, or for the extraterritorial
    rule (aimed at foreign goods) the threshold of table quoted_figures."""
    if target.startswith("Foreign"):
        figures = load_table("quoted_figures").set_index("id")
        threshold = figures.loc["extraterritorial_threshold"]
        return f"Chinese rare earths in foreign goods ({threshold['value']:g} {threshold['unit']} rule)"
    return short_items(elements)


def short_items(elements: str) -> str:
    """A short label from the 'elements' column of export_controls: the first item, no detail."""
    text = elements.split(" (")[0]
    head, _, tail = text.partition(":")
    if tail and head.lower().startswith("technolog"):
        text = "technologies of " + tail.strip()
    elif tail:
        text = head
    first, _, more = text.partition(";")
    first = first.strip()
    cut = first.rfind(", ", 0, SHORT_ITEMS + 2)
    if len(first) > SHORT_ITEMS and cut > 0:
        # a long list: its first items, cut at a comma (the tooltip and the table have it
        # whole), so that a row's label fits a laptop's column whole
        first, more = first[:cut], "more"
    return first + (" …" if more.strip() else "")


SHORT_ITEMS = 40  # characters: the longest list of items a row's label names


# --------------------------------------------------------------------------------------------
# Chapter 2: China's export controls, 1973-2026, filterable by kind and target
# --------------------------------------------------------------------------------------------

POLICY = "policy or milestone"
KIND_ORDER = [POLICY, "quota", "de facto halt", "licence", "ban", "technology", "suspension"]
KIND_COLOURS = [
    charts.MUTED_COLOUR,
    charts.PURPLE,
    charts.BROWN,
    charts.BLUE,
    charts.RED,
    charts.GREEN,
    charts.SILVER,
]
TARGET_ORDER = [
    "All destinations",
    "United States",
    "Japan",
    "Foreign goods and re-exports",
    "Not stated",
]


def target_group(target: str) -> str:
    """The filter group of a target of export_controls ('United States (the suspension ...)' -> 'United States')."""
    for group in TARGET_ORDER[:3]:
        if target.startswith(group):
            return group
    if target.startswith("Foreign"):
        return "Foreign goods and re-exports"
    return "Not stated"


def export_measures() -> pd.DataFrame:
    """One row per step of China's export regime, 1973-2026, from three tables: China's early
    milestones (events before 2010), the quota episode (export_quotas) and export_controls."""
    events = load_table("events")
    early = events[
        (events["actors"] == "China")
        & events["kind"].isin(["industry", "policy"])
        & (events["year"] < 2010)
    ]
    rows = [
        {
            "date": f"{r.year}-01-01",
            "when": when_text(str(r.date), str(r.date_precision)),
            "kind": POLICY,
            "short": r.title,
            "target": "not stated",
            "what": r.summary,
            "status": "",
            "source": r.source,
            "confidence": "",
            "note": readable(or_empty(r.note)),
        }
        for r in early.itertuples()
    ]
    quotas = load_table("export_quotas")
    rows += [
        {
            "date": day(r.date),
            "when": long_date(r.date),
            "kind": r.instrument,
            "short": r.title,
            "target": r.target,
            "what": r.measure,
            "status": "",
            "source": r.source,
            "confidence": r.confidence,
            "note": readable(or_empty(r.note)),
        }
        for r in quotas.itertuples()
    ]
    controls = load_table("export_controls")
    rows += [
        {
            "date": day(r.announced),
            "when": long_date(r.announced),
            "kind": r.instrument,
            "short": measure_label(r.elements, r.target),
            "target": r.target,
            "what": r.measure,
            "status": r.status,
            "source": r.source,
            "confidence": r.confidence,
            "note": readable(or_empty(r.note)),
        }
        for r in controls.itertuples()
    ]
    frame = pd.DataFrame(rows).sort_values(["date"], kind="stable").reset_index(drop=True)
    frame["target_group"] = frame["target"].map(target_group)
    frame["row"] = [
        f"{w} · {k}: {s}"
        for w, k, s in zip(frame["when"], frame["kind"], frame["short"], strict=True)
    ]
    frame["order"] = range(len(frame))
    frame["source_short"] = frame["source"].map(short)
    return frame


def export_controls_timeline() -> charts.ControlsBelow:
    """China's export measures 1973-2026, one line each, with menus to filter by kind of measure,
    by target and by period (from the first year, the first export control, or recent years)."""
    frame = export_measures()
    kinds = [k for k in KIND_ORDER if k in set(frame["kind"])]
    targets = [t for t in TARGET_ORDER if t in set(frame["target_group"])]
    kind = alt.param(
        name="kind",
        value="all",
        bind=alt.binding_select(
            options=["all"] + kinds, labels=["every kind"] + kinds, name="Kind of measure: "
        ),
    )
    target = alt.param(
        name="target",
        value="all",
        bind=alt.binding_select(
            options=["all"] + targets, labels=["every target"] + targets, name="Aimed at: "
        ),
    )
    years = pd.to_datetime(frame["date"]).dt.year
    first_control = int(years[frame["kind"].isin(KIND_ORDER[1:])].min())
    starts = sorted({int(years.min()), first_control, RECENT_CONTROLS_FROM})
    last = int(years.max())
    period = alt.param(
        name="period",
        value=starts[0],
        bind=alt.binding_select(
            options=starts, labels=[f"{y}-{last}" for y in starts], name="Period: "
        ),
    )
    colour = alt.Color(
        "kind:N",
        title="Kind of measure",
        sort=kinds,
        scale=alt.Scale(domain=KIND_ORDER, range=KIND_COLOURS),
        legend=alt.Legend(columns=1, labelLimit=200),
    )
    tooltip = [
        alt.Tooltip("when:N", title="When"),
        alt.Tooltip("kind:N", title="Kind"),
        alt.Tooltip("target:N", title="Aimed at"),
        alt.Tooltip("what:N", title="What"),
        alt.Tooltip("status:N", title="Status (2026)"),
        alt.Tooltip("source_short:N", title="Source"),
        alt.Tooltip("note:N", title="Note"),
    ]
    filtered = (
        alt.Chart(frame)
        .add_params(kind, target, period)
        .transform_filter("kind == 'all' || datum.kind == kind")
        .transform_filter("target == 'all' || datum.target_group == target")
        .transform_filter("utcyear(datum.date) >= period")
    )
    detail = (
        filtered.mark_point(filled=True, size=90, opacity=1)
        .encode(
            x=alt.X(
                "date:T",
                title="Date announced",
                scale=charts.UTC,
                # at most one tick a year (a shorter period would repeat its years), six in all
                axis=alt.Axis(
                    format="%Y", labelAngle=0, tickCount=alt.ExprRef(f"min(6, {last} - period)")
                ),
            ),
            y=alt.Y(
                "row:N",
                title=None,
                sort=alt.EncodingSortField("order", op="min"),
                # on a phone's column, the date and kind of each line (the measure is in its
                # tooltip): cut to a few letters, the measure's name said nothing
                axis=alt.Axis(
                    labelLimit=charts.label_limit(420, 135),
                    labelFontSize=11,
                    labelExpr=f"containerSize()[0] < {charts.NARROW} ? "
                    "split(datum.label, ': ')[0] : datum.label",
                ),
            ),
            color=colour,
            shape=alt.Shape(
                "target_group:N",
                title="Aimed at",
                sort=targets,
                legend=alt.Legend(columns=1, labelLimit=220),
            ),
            tooltip=tooltip,
        )
        .properties(width=225, height=alt.Step(19))
    )
    counts = frame["kind"].value_counts()
    return charts.controls_below(
        charts.finish(
            detail,
            # the years of the period chosen in the menu (the title follows it)
            title=alt.ExprRef(
                f'"China\'s export measures, " + period + "-{frame["date"].max()[:4]}"'
            ),
            subtitle="Choose a kind, a target or a period in the menus under the chart; hover or tap a dot for details",
            source=credit(frame["source"], width=100),
            description=(
                f"Timeline of {len(frame)} steps of China's rare-earth and critical-metal export regime from "
                f"{frame['when'].iloc[0]} to {frame['when'].iloc[-1]}, one line each: "
                + ", ".join(f"{counts.get(k, 0)} {k}" for k in kinds)
                + ". Menus filter by kind of measure, by target and by period."
            ),
        )
    )
