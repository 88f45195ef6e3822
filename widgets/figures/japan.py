"""Japan's dependence on China: every published estimate of China's share of its imports,
with Japan's targets (chapter 4)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from widgets import charts
from widgets.data import load_table
from widgets.sources import credit, notes, short


def _bound_label(row) -> str:
    symbol = {"more than": "> ", "less than": "< ", "about": "≈ ", "exactly": "", "range": ""}[
        row.bound
    ]
    if row.bound == "range":
        return f"{row.value_pct:g}–{row.value_high_pct:g} %"
    return f"{symbol}{row.value_pct:g} %"


# --------------------------------------------------------------------------- chapter 4: Japan
def label_offsets(
    x_px: list[float],
    y_px: list[float],
    widths: list[float],
    height: float = 13,
    gap: float = 9,
    obstacles: list[tuple[float, float, float, float]] = (),
) -> list[tuple[float, float]]:
    """Pixel offsets (dx, dy) that keep point labels from overlapping each other, the points or
    the ``obstacles`` (boxes left, top, right, bottom: the chart's annotations).

    Each label is tried to the right of its point, then above, below, further above ... (in
    that order) until its box overlaps no label placed before it. Points are taken in order.
    """
    placed: list[tuple[float, float, float, float]] = list(obstacles)
    points = [(x - 6, y - 6, x + 6, y + 6) for x, y in zip(x_px, y_px, strict=True)]
    offsets = []
    tries = [(gap, 0)] + [(gap, sign * step * height) for step in range(1, 8) for sign in (-1, 1)]
    for x, y, w in zip(x_px, y_px, widths, strict=True):
        for dx, dy in tries:
            box = (x + dx, y + dy - height / 2, x + dx + w, y + dy + height / 2)
            clash = any(
                box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
                for b in placed + points
            )
            if not clash:
                break
        placed.append(box)
        offsets.append((dx, dy))
    return offsets


def japan_share_frame() -> pd.DataFrame:
    """The estimates of China's share of Japan's rare-earth imports, with a label per point."""
    table = load_table("japan_china_share").sort_values("year").reset_index(drop=True)
    table["label"] = [_bound_label(r) for r in table.itertuples()]
    table["note"] = notes(table["note"])
    table["source_short"] = table["source"].map(short)
    table["kind"] = table["scope"].map(SCOPE_LABELS)
    return table


SCOPE_LABELS = {
    "year": "share over a year",
    "trend statement": "'from … to …' statement",
    "single month": "one month only",
}


PHONE_LINES = f"containerSize()[0] < {charts.NARROW} ? datum.lines : datum.text"
TARGET_TEXT_AT = 2028  # the year where the text of the 50 % line ends (right-aligned)
TEXT_PX_PER_CHAR = 6.5  # width of an 11 px character, to lay the labels out
LINE_PX = 13  # height of a line of 11 px text


def japan_import_share() -> charts.ControlsBelow:
    """China's share of Japan's rare-earth imports over the years: every published estimate with its
    definition, Japan's targets as reference lines; click the legend to pick one kind of figure."""
    table = japan_share_frame()
    targets = load_table("policy_targets").set_index("id")
    single = targets.loc["jp_single_supplier"]
    self_suff = targets.loc["jp_self_sufficiency"]
    first, last = float(table["year"].min()), float(table["year"].max())
    x_scale = alt.Scale(domain=[int(first) - 1, int(self_suff["deadline_year"]) + 1], nice=False)
    y_scale = alt.Scale(domain=[0, 100])
    kinds = [SCOPE_LABELS[k] for k in ("year", "trend statement", "single month")]
    # A menu rather than a click on the legend: legend binding does not reach a layer whose
    # legend is merged with other layers'.
    scope = alt.selection_point(
        fields=["kind"],
        name="scope_pick",
        bind=alt.binding_radio(options=[None] + kinds, labels=["all"] + kinds, name="Show: "),
    )
    scope_colours = alt.Scale(
        domain=[SCOPE_LABELS[k] for k in ("year", "trend statement", "single month")],
        range=[charts.colour_of("China"), charts.CAVEAT, charts.MUTED_COLOUR],
    )
    shapes = alt.Scale(
        domain=["more than", "about", "exactly", "less than"],
        range=["triangle-up", "circle", "square", "triangle-down"],
    )
    tooltip = [
        alt.Tooltip("value_text:N", title="As written"),
        alt.Tooltip("when_text:N", title="When"),
        alt.Tooltip("measure:N", title="What is measured"),
        alt.Tooltip("kind:N", title="Kind of figure"),
        alt.Tooltip("source_short:N", title="Source"),
        alt.Tooltip("note:N", title="Caveat"),
    ]
    base = alt.Chart(table).encode(
        x=alt.X("year:Q", title="Year", scale=x_scale, axis=alt.Axis(format="d", tickMinStep=1)),
        y=alt.Y(
            "value_pct:Q", title="China's share of Japan's rare-earth imports (%)", scale=y_scale
        ),
        opacity=alt.when(scope).then(alt.value(1)).otherwise(alt.value(0.2)),
        tooltip=tooltip,
    )
    seed = table[table["source"] == "japan2026"]
    story = (
        alt.Chart(seed)
        .mark_line(strokeDash=[6, 4], color=charts.colour_of("China"), strokeWidth=1.5)
        .encode(x="year:Q", y="value_pct:Q")
    )
    ranges = (
        base.transform_filter("datum.bound == 'range'")
        .mark_rule(strokeWidth=4)
        .encode(
            y2="value_high_pct:Q",
            color=alt.Color("kind:N", scale=scope_colours, title="Kind of figure"),
        )
    )
    points = (
        base.transform_filter("datum.bound != 'range'")
        .mark_point(size=140, filled=True)
        .encode(
            color=alt.Color(
                "kind:N",
                scale=scope_colours,
                title="Kind of figure",
                legend=alt.Legend(columns=1, titleLimit=300),
            ),
            shape=alt.Shape(
                "bound:N", scale=shapes, title="Stated as", legend=alt.Legend(columns=2)
            ),
        )
        .add_params(scope)
    )
    width, height = charts.PLOT_WIDTH, 330
    lo, hi = x_scale.domain
    target_text = (
        f"Japan's target: under {single['value']:g} % from any single supplier "
        f"({single['deadline_text']})"
    )
    target_lines = charts.in_lines(target_text, 32)
    deadline_year = int(self_suff["deadline_year"])
    # Label positions in data units (offset channels do not apply to continuous axes), laid out
    # for a laptop's plot and a phone's, around the annotations of the targets as each draws
    # them: on a laptop the 50 % line's text above the line, on a phone (in lines) under it.
    for prefix, plot_width, above in (
        ("", width, True),
        ("phone_", charts.PHONE_PLOT_WIDTH, False),
    ):
        x_px = [(v - lo) / (hi - lo) * plot_width for v in table["year"]]
        y_px = [(1 - v / 100) * height for v in table["value_pct"]]
        line_y = (1 - float(single["value"]) / 100) * height
        at_x = (TARGET_TEXT_AT - lo) / (hi - lo) * plot_width
        rule_x = (deadline_year - lo) / (hi - lo) * plot_width - 4
        lines = [target_text] if above else target_lines.split("\n")
        text_w = TEXT_PX_PER_CHAR * max(len(line) for line in lines)
        text_h = LINE_PX * len(lines)
        obstacles = [
            (
                at_x - text_w,
                line_y - 4 - text_h if above else line_y + 4,
                at_x,
                line_y - 4 if above else line_y + 4 + text_h,
            ),
            # the 2030 deadline's two (on a phone three) lines, right of the rule's top
            (rule_x - TEXT_PX_PER_CHAR * 28, 0, rule_x, 26 + LINE_PX * (1 if above else 2)),
        ]
        offsets = label_offsets(
            x_px, y_px, [TEXT_PX_PER_CHAR * len(t) for t in table["label"]], obstacles=obstacles
        )
        table[f"{prefix}label_x"] = [
            v + dx * (hi - lo) / plot_width
            for v, (dx, _) in zip(table["year"], offsets, strict=True)
        ]
        table[f"{prefix}label_y"] = [
            v - dy * 100 / height for v, (_, dy) in zip(table["value_pct"], offsets, strict=True)
        ]
    labels = (
        alt.Chart(table)
        .transform_calculate(
            shown_x=charts.phone_or_wide("phone_label_x", "label_x"),
            shown_y=charts.phone_or_wide("phone_label_y", "label_y"),
        )
        .mark_text(align="left", baseline="middle", fontSize=11)
        .encode(
            x=alt.X("shown_x:Q", scale=x_scale),
            y=alt.Y("shown_y:Q", scale=y_scale),
            text="label:N",
            opacity=alt.when(scope).then(alt.value(1)).otherwise(alt.value(0.2)),
            tooltip=tooltip,
        )
    )
    target_line = pd.DataFrame(
        [
            {
                "value": float(single["value"]),
                "text": target_text,
                "lines": target_lines,
                "at": TARGET_TEXT_AT,
            }
        ]
    )
    rule_50 = (
        alt.Chart(target_line)
        .mark_rule(strokeDash=[4, 3], color=charts.colour_of("Japan"))
        .encode(y=alt.Y("value:Q", scale=y_scale))
    )
    # on a phone's column the long annotations take more lines (they end at the same year)
    text_50 = (
        alt.Chart(target_line)
        .transform_calculate(shown=PHONE_LINES)
        .mark_text(
            align="right",
            # above the dashed line; on a phone under it, where no point is drawn
            baseline=charts.on_a_phone("top", "bottom"),
            dy=charts.on_a_phone(4, -4),
            fontSize=11,
            lineBreak="\n",
            color=charts.colour_of("Japan"),
        )
        .encode(
            x=alt.X("at:Q", scale=x_scale),
            y=alt.Y("value:Q", scale=y_scale),
            text="shown:N",
        )
    )
    deadline = pd.DataFrame(
        [
            {
                "year": int(self_suff["deadline_year"]),
                "line1": f"{int(self_suff['deadline_year'])}: {self_suff['value']:g} % self-sufficiency",
                "text": "for some metals (another measure)",
                "lines": "for some metals\n(another measure)",
            }
        ]
    )
    rule_2030 = (
        alt.Chart(deadline)
        .mark_rule(strokeDash=[4, 3], color=charts.colour_of("Japan"))
        .encode(x=alt.X("year:Q", scale=x_scale))
    )
    text_2030a = (
        alt.Chart(deadline)
        .mark_text(align="right", dx=-4, fontSize=11, color=charts.colour_of("Japan"))
        .encode(x=alt.X("year:Q", scale=x_scale), y=alt.value(12), text="line1:N")
    )
    text_2030b = (
        alt.Chart(deadline)
        .transform_calculate(shown=PHONE_LINES)
        .mark_text(
            align="right",
            baseline="top",
            dx=-4,
            dy=-7,
            fontSize=11,
            lineBreak="\n",
            color=charts.colour_of("Japan"),
        )
        .encode(x=alt.X("year:Q", scale=x_scale), y=alt.value(26), text="shown:N")
    )
    chart = alt.layer(
        rule_50, text_50, rule_2030, text_2030a, text_2030b, story, ranges, points, labels
    ).properties(width=width, height=height)
    lowest = table[table["scope"] == "single month"].iloc[0]
    jogmec = table[table["id"] == "jogmec_2024"].iloc[0]
    before = table[table["id"] == "japan2026_before"].iloc[0]
    now = table[table["id"] == "japan2026_now"].iloc[0]
    early = table[table["year"] <= before["year"] + 0.5]
    recent = table[table["year"] >= now["year"] - 1]
    peak = early.loc[early["value_pct"].idxmax()]
    return charts.controls_below(
        charts.finish(
            chart,
            title="How much of Japan's rare earths comes from China?",
            subtitle=[
                "Every published estimate, as stated; a vertical bar is a range",
                f"Dashed line: the 2026 news piece's 'from about {before['value_pct']:g} % "
                f"to {now['value_pct']:g} %'",
                "Pick a kind of figure under the chart to keep only those; hover or tap a point to read it",
            ],
            source=credit(
                list(table["source"]) + ["lepesant2025"],
                "Several figures are second-hand; see each point's caveat.",
            ),
            description=(
                f"Scatter chart of {len(table)} estimates of China's share of Japan's rare-earth imports, "
                f"from {int(first)} to {int(last)}. They fall from {peak['bound']} {peak['value_pct']:g} % "
                f"around {int(early['year'].min())}-{int(early['year'].max())} to about "
                f"{recent['value_pct'].median():g} % in {int(recent['year'].min())}-{int(recent['year'].max())}; JOGMEC puts 2024 at about {jogmec['value_pct']:g} %, and a "
                f"single month, {lowest['when_text']}, shows {lowest['value_pct']:g} %. A dashed line marks Japan's "
                f"target of under {single['value']:g} % from any single supplier, and a vertical line "
                f"the {int(self_suff['deadline_year'])} deadline of its self-sufficiency target."
            ),
        )
    )
