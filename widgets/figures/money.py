"""The dollar sums of the US answer and what a price floor guarantees (chapter 5)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from widgets import charts
from widgets.data import load_table
from widgets.sources import credit, notes, short


# --------------------------------------------------------------------------- chapter 5: money
def us_money_frame() -> pd.DataFrame:
    """The sums in dollars of data/financing.csv (US measures, private lenders, and China's
    investment in Kazakhstan for scale), largest first, with a label that shows 'of which'."""
    table = load_table("financing")
    table = table[table["currency"] == "USD"].copy()
    table["part_of"] = table["part_of"].astype(object).where(table["part_of"].notna(), None)
    amounts = dict(zip(table["id"], table["amount_million"], strict=True))
    table["shown_label"] = table["label"]
    # Largest first, each part right under the sum it belongs to.
    table["group_amount"] = [
        amounts.get(p, a) if p else a
        for p, a in zip(table["part_of"], table["amount_million"], strict=True)
    ]
    table["is_part"] = table["part_of"].notna()
    table["billion"] = table["amount_million"] / 1000
    table["amount_label"] = [
        _money_text(a, t)
        for a, t in zip(table["amount_million"], table["amount_text"], strict=True)
    ]
    table["note"] = notes(table["note"])
    table["source_short"] = table["source"].map(short)
    table = table.sort_values(
        ["group_amount", "is_part", "amount_million"], ascending=[False, True, False]
    )
    return table.reset_index(drop=True)


def _money_text(million: float, written: str) -> str:
    """'about 550 billion dollars' from 550000 and the text as written ('environ …')."""
    about = "about " if "environ" in written.lower() or "about" in written.lower() else ""
    if million >= 1000:
        return f"{about}{million / 1000:g} billion dollars"
    return f"{about}{million:g} million dollars"


def us_money() -> charts.ControlsBelow:
    """Dot chart on a logarithmic axis: the dollar sums named for US rare-earth and critical-
    mineral measures (data/financing.csv), smallest to largest; click a scope in the legend."""
    table = us_money_frame()
    scopes = [
        "rare earths",
        "critical minerals",
        "one plant or company",
        "whole economic relationship",
    ]
    scope = alt.selection_point(
        fields=["scope"],
        name="scope_pick",
        bind=alt.binding_radio(options=[None] + scopes, labels=["all"] + scopes, name="Show: "),
    )
    colours = alt.Scale(
        domain=scopes,
        range=[charts.colour_of("United States"), charts.GREEN, charts.CAVEAT, charts.MUTED_COLOUR],
    )
    order = list(table["shown_label"])
    base = alt.Chart(table).encode(
        y=alt.Y(
            "shown_label:N",
            sort=order,
            title=None,
            # on a phone's column, each sum's name in lines rather than cut short
            axis=alt.Axis(
                labelLimit=charts.label_limit(230, 160),
                labelExpr=charts.lines_on_a_phone(order, 24),
            ),
        ),
        x=alt.X(
            "billion:Q",
            title="Billion US dollars (log scale: each step is ten times more)",
            scale=alt.Scale(type="log", domain=[0.1, 10000]),
            axis=alt.Axis(format="~g"),
        ),
        opacity=alt.when(scope).then(alt.value(1)).otherwise(alt.value(0.2)),
        tooltip=[
            alt.Tooltip("label:N", title="Sum"),
            alt.Tooltip("amount_text:N", title="As written"),
            alt.Tooltip("what:N", title="What for"),
            alt.Tooltip("kind:N", title="Kind"),
            alt.Tooltip("scope:N", title="Scope"),
            alt.Tooltip("when:N", title="When"),
            alt.Tooltip("source_short:N", title="Source"),
            alt.Tooltip("note:N", title="Caveat"),
        ],
    )
    colour = alt.Color(
        "scope:N",
        scale=colours,
        title="What the sum covers",
        legend=alt.Legend(columns=1, labelLimit=260),
    )
    stems = base.mark_rule(strokeWidth=1.5).encode(x2=alt.datum(0.1), color=colour)
    dots = base.mark_circle(size=130).encode(color=colour).add_params(scope)
    # The label of a sum in the top decades of the scale sits above its stem, left of its dot:
    # beside the dot it would run past the plot on a phone's column.
    top_decade = "datum.billion >= 100"
    text = base.transform_filter(f"!({top_decade})").mark_text(
        align="left", dx=9, fontSize=11
    ).encode(text=alt.Text("amount_label:N")) + base.transform_filter(top_decade).mark_text(
        align="right", dx=-9, dy=-9, fontSize=11
    ).encode(text=alt.Text("amount_label:N"))
    # 34 px a row: a name of two lines (on a phone) clear of the next
    chart = alt.layer(stems, dots, text).properties(width=330, height=34 * len(table))
    biggest = table.loc[table["amount_million"].idxmax()]
    smallest = table.loc[table["amount_million"].idxmin()]
    return charts.controls_below(
        charts.finish(
            chart,
            title="Dollars on the table: what the sums really cover",
            subtitle=[
                "Sums named for US measures (and, for scale, Chinese investment in Kazakhstan)",
                "Pick what the sums cover under the chart, to compare like with like",
            ],
            source=credit(
                table["source"],
                "A sum labelled 'of which' is part of the sum above it: do not add them up.",
            ),
            description=(
                f"Dot chart on a logarithmic axis of {len(table)} sums in US dollars, from "
                f"{smallest['amount_label']} ({smallest['label']}) to {biggest['amount_label']} "
                f"({biggest['label']}), coloured by what they cover: rare earths, all critical minerals, "
                f"one company, or a whole economic relationship. The largest sum is not a rare-earth budget."
            ),
        )
    )


def price_floor_frame() -> pd.DataFrame:
    """NdPr oxide prices by year with the MP Materials floor and the top-up per kg it implies."""
    prices = load_table("magnet_oxide_prices")
    floors = load_table("price_floors").set_index("id")
    ndpr = prices[prices["product"] == "NdPr oxide"].sort_values("year").reset_index(drop=True)
    ndpr["year"] = ndpr["year"].astype(int)
    ndpr["floor"] = float(floors.loc["ndpr_mp", "level_usd_per_kg"])
    ndpr["top_up"] = (ndpr["floor"] - ndpr["price_usd_per_kg"]).clip(lower=0)
    return ndpr


def price_floor() -> charts.ControlsBelow:
    """NdPr oxide prices by year against the floor of the MP Materials deal (data/price_floors.csv), with a
    slider to move the floor; next to it, dysprosium prices, the product lepesant2025 names."""
    ndpr = price_floor_frame()
    prices = load_table("magnet_oxide_prices")
    floors = load_table("price_floors").set_index("id")
    dysprosium = prices[prices["product"] == "Dysprosium oxide"].sort_values("year").copy()
    dysprosium["year"] = dysprosium["year"].astype(int)
    level = float(floors.loc["ndpr_mp", "level_usd_per_kg"])
    top = float(max(ndpr["price_usd_per_kg"].max(), level)) * 1.25
    floor = alt.param(
        name="floor",
        value=level,
        bind=alt.binding_range(
            min=0, max=round(top / 10) * 10, step=5, name="Move the floor (US dollars per kg): "
        ),
    )
    y_scale = alt.Scale(domain=[0, top])
    x = alt.X("year:O", title="Year", axis=alt.Axis(labelAngle=0))
    base = alt.Chart(ndpr).encode(x=x)
    topup = (
        base.transform_calculate(top_up="max(0, floor - datum.price_usd_per_kg)")
        .mark_bar(color=charts.APRICOT, opacity=0.9, size=34)
        .encode(
            y=alt.Y(
                "price_usd_per_kg:Q",
                scale=y_scale,
                title="NdPr oxide, average price (US dollars per kg)",
            ),
            y2="floor_now:Q",
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("price_usd_per_kg:Q", title="Market price (USD/kg)"),
                alt.Tooltip("floor_now:Q", title="Floor (USD/kg)", format=".0f"),
                alt.Tooltip("top_up:Q", title="Top-up per kg (USD)", format=".0f"),
            ],
        )
        .transform_calculate(floor_now="max(floor, datum.price_usd_per_kg)")
    )
    line = base.mark_line(
        point=alt.OverlayMarkDef(size=70, filled=True, color=charts.colour_of("United States")),
        color=charts.colour_of("United States"),
    ).encode(
        y=alt.Y("price_usd_per_kg:Q", scale=y_scale),
        tooltip=[
            alt.Tooltip("year:O", title="Year"),
            alt.Tooltip("price_usd_per_kg:Q", title="Market price (USD/kg)"),
            alt.Tooltip("note:N", title="Note"),
        ],
    )
    values = base.mark_text(dy=-12, fontSize=11).encode(
        y=alt.Y("price_usd_per_kg:Q", scale=y_scale),
        text=alt.Text("price_usd_per_kg:Q", format=".0f"),
    )
    rule = (
        alt.Chart(pd.DataFrame([{"k": 1}]))
        .mark_rule(strokeDash=[6, 3], strokeWidth=2, color=charts.TEXT_COLOUR)
        .encode(y=alt.Y("floor_value:Q", scale=y_scale))
        .transform_calculate(floor_value="floor")
    )
    rule_text = (
        alt.Chart(pd.DataFrame([{"k": 1}]))
        .mark_text(align="right", dy=-7, fontSize=11, x=alt.ExprRef("width - 4"))
        .encode(y=alt.Y("floor_value:Q", scale=y_scale), text="label:N")
        .transform_calculate(
            floor_value="floor", label="'Floor: ' + format(floor, '.0f') + ' USD/kg'"
        )
    )
    summary = (
        alt.Chart(ndpr)
        .transform_calculate(top_up="max(0, floor - datum.price_usd_per_kg)")
        .transform_filter(f"datum.year == {int(ndpr['year'].max())}")
        .mark_text(align="left", fontSize=12, fontWeight="bold")
        .encode(x=alt.value(0), y=alt.value(-12), text=alt.Text("sentence:N"))
        .transform_calculate(
            sentence="'In ' + datum.year + ' the floor adds ' + format(datum.top_up, '.0f') + ' USD per kg'"
        )
    )
    left = (
        alt.layer(topup, line, values, rule, rule_text, summary)
        .add_params(floor)
        .properties(
            width=300,
            height=300,
            title=alt.Title(
                "NdPr oxide: market price and floor",
                subtitle="orange: what the floor tops up",
                fontSize=13,
            ),
        )
    )
    dy_chart = alt.Chart(dysprosium).encode(x=x)
    dy_line = dy_chart.mark_line(
        point=alt.OverlayMarkDef(size=70, filled=True, color=charts.CAVEAT), color=charts.CAVEAT
    ).encode(
        y=alt.Y(
            "price_usd_per_kg:Q",
            title="Dysprosium oxide, average price (US dollars per kg)",
            scale=alt.Scale(domain=[0, float(dysprosium["price_usd_per_kg"].max()) * 1.25]),
        ),
        tooltip=[
            alt.Tooltip("year:O", title="Year"),
            alt.Tooltip("price_usd_per_kg:Q", title="Market price (USD/kg)"),
            alt.Tooltip("note:N", title="Note"),
        ],
    )
    dy_text = dy_chart.mark_text(dy=-12, fontSize=11).encode(
        y=alt.Y("price_usd_per_kg:Q"), text=alt.Text("price_usd_per_kg:Q", format=".0f")
    )
    dy_note = (
        alt.Chart(pd.DataFrame([{"t": "Floor: level not given (Lepesant, 2025)"}]))
        .mark_text(align="left", fontSize=11, fontStyle="italic", color=charts.MUTED_COLOUR)
        .encode(x=alt.value(4), y=alt.value(10), text="t:N")
    )
    right = alt.layer(dy_line, dy_text, dy_note).properties(
        width=200,
        height=300,
        title=alt.Title(
            "Dysprosium oxide", subtitle="the floor Lepesant (2025) names", fontSize=13
        ),
    )
    chart = alt.vconcat(left, right, spacing=20).resolve_scale(
        y="independent"
    )  # stacked: fits a phone
    last = ndpr.iloc[-1]
    return charts.controls_below(
        charts.finish(
            chart,
            title="What does a price floor guarantee?",
            subtitle=[
                "If the market pays less than the floor, the government pays the difference "
                "(the usual design; not described by the documents)",
                "Move the floor with the slider under the chart",
                "Sources disagree on the product: NdPr oxide (MP deal) or dysprosium (Lepesant, 2025)",
            ],
            source=credit(
                ["usgs_mcs2026", "usgs_mcs2026_heavy", "defence_mp2025", "lepesant2025"],
                "Prices: USGS (Argus Media; Asian Metal for dysprosium); 2025 estimated. "
                "The deal was announced in July 2025; our sources do not give the date the floor took "
                "effect. Earlier years show what it would have paid.",
            ),
            description=(
                f"Two line charts of yearly average prices, {int(ndpr['year'].min())} to {int(ndpr['year'].max())}. "
                f"NdPr oxide ranges from {ndpr['price_usd_per_kg'].min():.0f} to {ndpr['price_usd_per_kg'].max():.0f} "
                f"US dollars per kg against a floor of {level:.0f}; in {int(last['year'])} the floor would add "
                f"{last['top_up']:.0f} dollars per kg. Dysprosium oxide falls from "
                f"{dysprosium['price_usd_per_kg'].iloc[0]:.0f} to {dysprosium['price_usd_per_kg'].iloc[-1]:.0f} "
                f"dollars per kg; its floor has no published level."
            ),
        )
    )
