"""What the Busan truce suspended and what stayed in force, and the episode from the October
2025 licences to the end of the truce (chapter 3)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from widgets import charts
from widgets.data import load_table
from widgets.figures.export_controls import measure_label
from widgets.sources import credit, notes, short
from widgets.text import day, epoch_ms, long_date, when_text

# --------------------------------------------------------------------------------------------
# Chapter 3: what the Busan truce suspended, and what stayed in force
# --------------------------------------------------------------------------------------------

HORIZON = ("2023-01-01", "2026-12-31")
PHASES = [
    "announced, not yet applied",
    "in force",
    "partly suspended",
    "suspended",
    "after the suspension: not known",
]
PHASE_COLOURS = [charts.GOLD, charts.TEXT_COLOUR, charts.GREY, charts.PALE_GREY, charts.WHITE]
STATUS_ORDER = ["not yet announced"] + PHASES
STATUS_COLOURS = [
    charts.MUTED_COLOUR,  # a text: SILVER was 2.5:1 on white
    charts.AMBER,
    charts.TEXT_COLOUR,
    charts.MUTED_COLOUR,
    charts.GREY,
    charts.GREY,
]


def measures_in_force_table() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The measures of table export_controls announced since 2023 (suspensions excluded), one row
    each with the dates Vega needs, and their phases as segments for a Gantt-like chart.

    A measure applies from its effective date (its announcement date when the effective date was
    not verified). Its suspension starts on the effective date of the suspension row of
    export_controls that ends on the same day (No. 70 for the October 2025 measures, the
    9 November 2025 suspension for the US ban). A measure whose status says that a clause
    'remains' is only partly suspended.
    """
    controls = load_table("export_controls")
    suspensions = controls[(controls["instrument"] == "suspension") & controls["effective"].notna()]
    start_of = {s.suspended_until: s.effective for s in suspensions.itertuples()}
    measures = controls[
        (controls["instrument"] != "suspension") & (controls["announced"] >= HORIZON[0])
    ]
    measures = measures.sort_values("announced", kind="stable").reset_index(drop=True)
    end = pd.Timestamp(HORIZON[1])
    rows, segments = [], []
    for i, m in enumerate(measures.itertuples()):
        applies = m.effective if pd.notna(m.effective) else m.announced
        s_start = start_of.get(m.suspended_until) if pd.notna(m.suspended_until) else None
        partly = "remains" in m.status
        label = f"{long_date(m.announced)} · {m.instrument}: {measure_label(m.elements, m.target)}"
        rows.append(
            {
                "row": label,
                "order": i,
                "a_ms": epoch_ms(m.announced),
                "f_ms": epoch_ms(applies),
                "s_ms": epoch_ms(s_start) if s_start is not None else None,
                "e_ms": epoch_ms(m.suspended_until) if s_start is not None else None,
                "partly": partly,
                "target": m.target,
                "status": m.status,
                "source_short": short(m.source),
                "effective_text": long_date(m.effective)
                if pd.notna(m.effective)
                else "not verified",
                "measure": m.measure,
            }
        )
        stop = s_start if s_start is not None else end
        if applies > m.announced:
            segments.append((label, i, m.announced, min(applies, stop), PHASES[0]))
        if applies < stop:
            segments.append((label, i, applies, stop, PHASES[1]))
        if s_start is not None:
            segments.append(
                (label, i, s_start, m.suspended_until, PHASES[2] if partly else PHASES[3])
            )
            segments.append((label, i, m.suspended_until, end, PHASES[4]))
    seg = pd.DataFrame(segments, columns=["row", "order", "start", "end", "phase"])
    seg["from_text"] = seg["start"].map(long_date)
    seg["to_text"] = [long_date(e) if e < end else "end of the chart" for e in seg["end"]]
    seg["start"] = seg["start"].map(day)
    seg["end"] = seg["end"].map(day)
    return pd.DataFrame(rows), seg


def key_dates() -> pd.DataFrame:
    """Dates a reader can pick in the Busan chart: the export-control and truce events of
    data/events.csv dated to the day since 2023 (events on the same day share one entry)."""
    events = load_table("events")
    chosen = events[
        events["kind"].isin(["export control", "truce"])
        & (events["date_precision"] == "day")
        & (events["year"] >= int(HORIZON[0][:4]))
    ]
    dates = (
        chosen.groupby("date", as_index=False).agg(title=("title", " + ".join)).sort_values("date")
    )
    dates["ms"] = dates["date"].map(epoch_ms)
    dates["label"] = [
        _menu_label(f"{long_date(d)}: ", t)
        for d, t in zip(dates["date"], dates["title"], strict=True)
    ]
    return dates.reset_index(drop=True)


MENU_CHARS = 49  # the longest option a phone's menu shows whole (measured by the phone test)


def _menu_label(day: str, titles: str) -> str:
    """A date's menu option: its events' titles, or, where they would be cut on a phone, the
    first title and an ellipsis (the chart's right-hand column lists every measure that day)."""
    label = day + titles
    if len(label) <= MENU_CHARS:
        return label
    first = titles.split(" + ")[0]
    if len(day + first) + 2 > MENU_CHARS:
        raise ValueError(f"the event title {first!r} is too long for a phone's menu")
    return f"{day}{first} …"


STATUS_EXPR = (
    "on_date < datum.a_ms ? 'not yet announced' : "
    "(isValid(datum.e_ms) && on_date >= datum.e_ms) ? 'after the suspension: not known' : "
    "(isValid(datum.s_ms) && on_date >= datum.s_ms) ? (datum.partly ? 'partly suspended' : 'suspended') : "
    "on_date < datum.f_ms ? 'announced, not yet applied' : 'in force'"
)


def measures_in_force(start: str = "2025-11-09") -> charts.ControlsBelow:
    """Gantt-like chart of China's export measures since 2023 and their phases (in force,
    suspended...), with a menu of key dates: a line marks the date and the right-hand column says
    where each measure stood that day."""
    measures, segments = measures_in_force_table()
    dates = key_dates()
    if start not in set(dates["date"]):
        raise ValueError(f"{start!r} is not one of the key dates {list(dates['date'])}")
    on_date = alt.param(
        name="on_date",
        value=int(dates.set_index("date").loc[start, "ms"]),
        bind=alt.binding_select(
            options=[int(v) for v in dates["ms"]],
            labels=list(dates["label"]),
            name="Situation on: ",
        ),
    )
    y = alt.Y(
        "row:N",
        title=None,
        sort=alt.EncodingSortField("order", op="min"),
        axis=alt.Axis(labelLimit=charts.label_limit(420), labelFontSize=11),
    )
    bars = (
        alt.Chart(segments)
        .mark_bar(height=12, stroke=charts.GREY, strokeWidth=0.5)
        .encode(
            x=alt.X(
                "start:T",
                title="Date",
                scale=alt.Scale(type="utc", domain=list(HORIZON)),
                axis=alt.Axis(format="%Y", labelAngle=0, tickCount="year"),
            ),
            x2="end:T",
            y=y,
            color=alt.Color(
                "phase:N",
                title="Phase",
                sort=PHASES,
                scale=alt.Scale(domain=PHASES, range=PHASE_COLOURS),
                legend=alt.Legend(
                    columns=1,
                    labelLimit=charts.label_limit(260, 165),
                    # on a phone the legend starts right of the row names: the two longest
                    # phases in fewer words
                    labelExpr=f"containerSize()[0] < {charts.NARROW} ? "
                    "(datum.label == 'announced, not yet applied' ? 'announced, not in force' "
                    ": datum.label == 'after the suspension: not known' ? "
                    "'suspension over: unknown' : datum.label) : datum.label",
                ),
            ),
            tooltip=[
                alt.Tooltip("row:N", title="Measure"),
                alt.Tooltip("phase:N", title="Phase"),
                alt.Tooltip("from_text:N", title="From"),
                alt.Tooltip("to_text:N", title="To"),
            ],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"one": [1]}))
        .transform_calculate(when="on_date")
        .mark_rule(color=charts.colour_of("China"), strokeWidth=2)
        .encode(x=alt.X("when:T", scale=charts.UTC))
    )
    # The status on the date chosen: a column right of the bars on a wide page, a line under
    # each bar on a phone's column (there is no room beside the bars)
    status = (
        alt.Chart(measures)
        .transform_calculate(state=STATUS_EXPR)
        .mark_text(
            fontSize=charts.on_a_phone(11, 12),
            fontWeight="bold",
            align=charts.on_a_phone("right", "left"),
            x=alt.ExprRef(f"containerSize()[0] < {charts.NARROW} ? width : width + 10"),
            baseline=charts.on_a_phone("top", "middle"),
            dy=charts.on_a_phone(7, 0),
        )
        .encode(
            y=y,
            text="state:N",
            color=alt.Color(
                "state:N", legend=None, scale=alt.Scale(domain=STATUS_ORDER, range=STATUS_COLOURS)
            ),
            tooltip=[
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("target:N", title="Aimed at"),
                alt.Tooltip("effective_text:N", title="Applies from"),
                alt.Tooltip("status:N", title="Status (2026)"),
                alt.Tooltip("source_short:N", title="Source"),
            ],
        )
    )
    status_header = alt.Chart(pd.DataFrame([{"k": 1}])).mark_text(
        fontSize=13,
        fontWeight="bold",
        align="left",
        baseline="bottom",
        x=alt.ExprRef(f"containerSize()[0] < {charts.NARROW} ? 0 : width + 10"),
        y=-6,
        color=charts.TEXT_COLOUR,
        text=charts.on_a_phone("Under each bar: its status", "On the date chosen"),
    )
    chart = (
        alt.layer(bars, rule, status, status_header)
        .add_params(on_date)
        .resolve_scale(color="independent")
        .properties(height=alt.Step(32))
    )
    controls = load_table("export_controls")
    return charts.controls_below(
        charts.finish(
            chart,
            title="What the Busan truce suspended, and what stayed in force",
            subtitle="Choose a date in the menu under the chart; the red line moves and the status of each measure on that date updates",
            source=credit(controls[controls["announced"] >= HORIZON[0]]["source"], width=100),
            description=(
                f"Gantt chart of {len(measures)} Chinese export measures announced from 2023 on, showing when each "
                "was announced, applied and suspended. "
                + " ".join(
                    f"{len(g)} measure{'s' if len(g) > 1 else ''} ({'; '.join(g['row'])}) "
                    f"{'are' if len(g) > 1 else 'is'} {'partly ' if g['partly'].any() else ''}suspended from "
                    f"{long_date(pd.Timestamp(s, unit='ms'))} until {long_date(pd.Timestamp(e, unit='ms'))}."
                    for (s, e), g in measures.dropna(subset=["s_ms"]).groupby(["s_ms", "e_ms"])
                )
                + f" {int(measures['s_ms'].isna().sum())} measures, among them the April 2025 licences, are never "
                "suspended. A menu of key dates shows the status of every measure on that day."
            ),
        )
    )


def truce_events() -> pd.DataFrame:
    """The events of data/events.csv from October 2025 to the end of 2026 (controls, diplomacy,
    truce), with a start and end date: a month-precise event spans its month."""
    events = load_table("events")
    chosen = events[
        (events["date"] >= "2025-10")
        & events["kind"].isin(["export control", "diplomacy", "truce"])
    ].copy()
    start = [
        pd.Timestamp(d + "-01") if p == "month" else pd.Timestamp(d)
        for d, p in zip(chosen["date"], chosen["date_precision"], strict=True)
    ]
    chosen["start"] = [day(s) for s in start]
    chosen["end"] = [
        day(s + pd.offsets.MonthEnd(0)) if p == "month" else day(s)
        for s, p in zip(start, chosen["date_precision"], strict=True)
    ]
    chosen["when"] = [
        when_text(d, p) for d, p in zip(chosen["date"], chosen["date_precision"], strict=True)
    ]
    chosen["precise"] = chosen["date_precision"].map(
        lambda p: "to the day" if p == "day" else "to the month only: the bar spans the month"
    )
    chosen = chosen.sort_values(["start", "title"]).reset_index(drop=True)
    chosen["row"] = [f"{w} · {t}" for w, t in zip(chosen["when"], chosen["title"], strict=True)]
    chosen["order"] = range(len(chosen))
    chosen["source_short"] = chosen["source"].map(short)
    chosen["note"] = notes(chosen["note"])
    return chosen[
        [
            "row",
            "order",
            "start",
            "end",
            "when",
            "precise",
            "title",
            "summary",
            "actors",
            "kind",
            "source",
            "source_short",
            "note",
        ]
    ]


def truce_timeline() -> alt.VConcatChart:
    """Timeline of the Busan episode, October 2025 to November 2026: dots for events known to the
    day, bars for those known only to the month; click a kind in the legend to highlight it."""
    frame = truce_events()
    kinds = ["export control", "diplomacy", "truce"]
    pick = alt.selection_point(name="pick_kind", fields=["kind"], bind="legend")
    colour = alt.Color(
        "kind:N",
        title=["Kind", "(click to highlight)"],
        sort=kinds,
        scale=alt.Scale(domain=kinds, range=[charts.RED, charts.BLUE, charts.GREEN]),
    )
    base = alt.Chart(frame).encode(
        y=alt.Y(
            "row:N",
            title=None,
            sort=alt.EncodingSortField("order", op="min"),
            axis=alt.Axis(labelLimit=charts.label_limit(330, 175), labelFontSize=11),
        ),
        x=alt.X(
            "start:T",
            title="Date",
            # a tick every quarter: a tick for the last month would run past the chart's edge
            axis=alt.Axis(
                format="%b %Y",
                labelAngle=0,
                tickCount=alt.TimeIntervalStep(interval="month", step=3),
            ),
            scale=alt.Scale(
                type="utc",
                domain=[
                    day(pd.Timestamp(frame["start"].min()) - pd.Timedelta(days=20)),
                    day(pd.Timestamp(frame["end"].max()) + pd.Timedelta(days=20)),
                ],
            ),
        ),
        color=colour,
        opacity=alt.when(pick).then(alt.value(1)).otherwise(alt.value(0.15)),
        tooltip=[
            alt.Tooltip("when:N", title="When"),
            alt.Tooltip("precise:N", title="Date known"),
            alt.Tooltip("summary:N", title="What happened"),
            alt.Tooltip("actors:N", title="Actors"),
            alt.Tooltip("source_short:N", title="Source"),
            alt.Tooltip("note:N", title="Note"),
        ],
    )
    spans = base.transform_filter("datum.start != datum.end").mark_bar(height=10).encode(x2="end:T")
    dots = base.transform_filter("datum.start == datum.end").mark_point(filled=True, size=90)
    chart = (spans + dots).add_params(pick).properties(width=300, height=alt.Step(20))
    return charts.finish(
        chart,
        title="From the October 2025 licences to the end of the truce",
        subtitle="Bars are events known only to the month; hover or tap for details",
        source=credit(frame["source"], width=100),
        description=(
            f"Timeline of {len(frame)} events from {frame['when'].iloc[0]} to {frame['when'].iloc[-1]}: "
            + "; ".join(frame["row"])
            + "."
        ),
    )
