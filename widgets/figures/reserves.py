"""Reserves against production, China's share at each stage of the value chain, and the size
of the market (chapters 1 and 2)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from widgets import charts
from widgets.data import load_table
from widgets.figures.production import OTHER_PRODUCERS, SEED_VINTAGE
from widgets.sources import credit, kind, notes, readable, short
from widgets.text import or_empty

# --------------------------------------------------------------------------------------------
# Chapter 1: reserves are not production
# --------------------------------------------------------------------------------------------

EDITION_SEED = "caremag2025"
EDITION_LATEST = "latest"


def _megatonnes(tonnes) -> str:
    return "not available" if pd.isna(tonnes) else f"{tonnes / 1e6:g} Mt"


def reserves_and_production_table() -> pd.DataFrame:
    """One row per edition and country: reserves and mine production side by side.

    Edition 'caremag2025': the reserves the article quotes (USGS 2020 via IREF) and its 2019
    production figures; for countries whose 2019 production it does not give, the revised USGS
    figure for 2019 (flagged in production_source). Edition 'latest': the preferred USGS
    reserves (MCS 2026) and the preferred production of the last year of the table.
    """
    reserves = load_table("reserves")
    production = load_table("production_by_country")
    rows = []
    seed_reserves = reserves[reserves["vintage"] == SEED_VINTAGE]
    seed_prod = production[(production["vintage"] == SEED_VINTAGE)]
    usgs_2019 = production[(production["year"] == 2019) & production["preferred"]]
    seed_countries = list(
        dict.fromkeys(list(seed_reserves["country"]) + list(seed_prod["country"]))
    )
    for country in seed_countries:
        r = seed_reserves[seed_reserves.country == country]
        p = seed_prod[seed_prod.country == country]
        fallback = p.empty
        if fallback:
            p = usgs_2019[usgs_2019.country == country]
        rows.append(_reserves_row(EDITION_SEED, country, r, p, 2019, fallback))
    latest_year = int(production[production["preferred"]]["year"].max())
    latest_reserves = reserves[reserves["preferred"] & (reserves["country"] != "World")]
    latest_prod = production[
        production["preferred"]
        & (production["year"] == latest_year)
        & ~production["country"].isin(["World", OTHER_PRODUCERS])
    ]
    for country in dict.fromkeys(list(latest_reserves["country"]) + list(latest_prod["country"])):
        r = latest_reserves[latest_reserves.country == country]
        p = latest_prod[latest_prod.country == country]
        rows.append(_reserves_row(EDITION_LATEST, country, r, p, latest_year, False))
    frame = pd.DataFrame(rows)
    frame["sort_key"] = frame["reserves_t"].fillna(-1)
    return frame


def _reserves_row(edition, country, r, p, year, fallback) -> dict:
    reserves_t = (
        float(r["reserves_t_reo"].iloc[0])
        if not r.empty and pd.notna(r["reserves_t_reo"].iloc[0])
        else None
    )
    production_t = float(p["production_t_reo"].iloc[0]) if not p.empty else None
    note = []
    if not r.empty and isinstance(r["note"].iloc[0], str):
        note.append("Reserves: " + r["note"].iloc[0])
    if not p.empty and isinstance(p["note"].iloc[0], str):
        note.append("Production: " + p["note"].iloc[0])
    prod_source = short(p["source"].iloc[0]) if not p.empty else "none"
    if fallback and not p.empty:
        prod_source += " (the Caremag article gives no figure for this country)"
    return {
        "edition": edition,
        "country": country,
        "reserves_t": reserves_t,
        "production_t": production_t,
        "reserves_mt": None if reserves_t is None else reserves_t / 1e6,
        "production_kt": None if production_t is None else production_t / 1e3,
        "reserves_label": _megatonnes(reserves_t),
        "production_label": "no figure" if production_t is None else f"{production_t:,.0f} t",
        "reserves_as_of": r["as_of"].iloc[0] if not r.empty else "",
        "production_year": year,
        "reserves_source": short(r["source"].iloc[0]) if not r.empty else "none",
        "production_source": prod_source,
        "reserves_key": r["source"].iloc[0] if not r.empty else None,
        "production_key": p["source"].iloc[0] if not p.empty else None,
        "note": " ".join(note),
    }


def reserves_and_production(start: str = EDITION_SEED) -> charts.ControlsBelow:
    """Two bar charts, one above the other: reserves and mine production by country, for the edition the
    reader picks (caremag2025's USGS-2020 reserves with 2019 production, or the latest USGS)."""
    frame = reserves_and_production_table()
    latest_year = int(frame[frame.edition == EDITION_LATEST]["production_year"].iloc[0])
    edition = alt.param(
        name="edition",
        value=start,
        bind=alt.binding_radio(
            options=[EDITION_SEED, EDITION_LATEST],
            labels=[
                "Caremag article: USGS 2020 reserves, 2019 production (via IREF)",
                f"USGS MCS 2026: latest reserves, {latest_year} production",
            ],
            name="Figures: ",
        ),
    )
    tooltip = [
        alt.Tooltip("country:N", title="Country"),
        alt.Tooltip("reserves_label:N", title="Reserves (t REO)"),
        alt.Tooltip("reserves_as_of:N", title="Reserves as of"),
        alt.Tooltip("reserves_source:N", title="Reserves source"),
        alt.Tooltip("production_label:N", title="Mine production"),
        alt.Tooltip("production_year:O", title="Production year"),
        alt.Tooltip("production_source:N", title="Production source"),
        alt.Tooltip("note:N", title="Notes"),
    ]
    base = (
        alt.Chart(frame)
        .add_params(edition)
        .transform_filter(alt.datum.edition == edition)
        .encode(
            y=alt.Y(
                "country:N",
                title=None,
                sort=alt.EncodingSortField("sort_key", op="max", order="descending"),
            ),
            tooltip=tooltip,
        )
    )
    # A missing value would drop the label: draw it at zero instead.
    left_base = base.transform_calculate(
        reserves_at="isValid(datum.reserves_mt) ? datum.reserves_mt : 0"
    )
    left = (
        left_base.mark_bar().encode(
            x=alt.X("reserves_mt:Q", title="Reserves (million t of rare-earth oxide)"),
            color=alt.Color("country:N", legend=None, scale=charts.country_scale(frame["country"])),
        )
        + charts.bar_end_labels(left_base, x="reserves_at", text="reserves_label", dx=3)
    ).properties(
        width=160,
        height=alt.Step(18),
        title=alt.Title("Reserves: what could be mined", fontSize=13),
    )
    right_base = base.transform_calculate(
        production_at="isValid(datum.production_kt) ? datum.production_kt : 0"
    ).encode(
        y=alt.Y(
            "country:N",
            title=None,
            sort=alt.EncodingSortField("sort_key", op="max", order="descending"),
        )
    )
    right = (
        right_base.mark_bar().encode(
            x=alt.X("production_kt:Q", title="Mine production in a year (thousand t of REO)"),
            color=alt.Color("country:N", legend=None, scale=charts.country_scale(frame["country"])),
        )
        + charts.bar_end_labels(right_base, x="production_at", text="production_label", dx=3)
    ).properties(
        width=150,
        height=alt.Step(18),
        title=alt.Title("Production: what is actually mined", fontSize=13),
    )
    seed = frame[frame.edition == EDITION_SEED].set_index("country")
    latest = frame[frame.edition == EDITION_LATEST].set_index("country")
    big_idle = [
        c
        for c in seed.index
        if pd.notna(seed.loc[c, "reserves_t"]) and seed.loc[c, "reserves_t"] >= 1e7 and c != "China"
    ]
    return charts.controls_below(
        charts.finish(
            alt.vconcat(left, right, spacing=20),  # stacked: each panel gets the column
            title="Reserves are not production",
            subtitle="Pick the figures in the buttons under the chart; countries sorted by reserves; hover or tap a bar for sources and notes",
            source=credit(
                list(frame["reserves_key"]) + list(frame["production_key"]),
                "The Caremag article credits its figures to IREF (reserves: USGS data of 2020); for countries "
                "it gives no 2019 production for, the revised USGS 2019 figure is shown.",
                width=110,
            ),
            description=(
                "Two bar charts one above the other, reserves and mine production of rare earths by country, "
                "with a choice of figures. In the figures quoted by the Caremag article, China has "
                f"{seed.loc['China', 'reserves_label']} of reserves and produced "
                f"{seed.loc['China', 'production_label']} in 2019, while "
                + ", ".join(
                    f"{c} ({seed.loc[c, 'reserves_label']}, {seed.loc[c, 'production_label']})"
                    for c in big_idle
                )
                + " mined little. In the latest USGS figures China has "
                f"{latest.loc['China', 'reserves_label']} and produced {latest.loc['China', 'production_label']} "
                f"in {latest_year}."
            ),
        )
    )


# --------------------------------------------------------------------------------------------
# Chapter 2: China's share at each stage of the value chain
# --------------------------------------------------------------------------------------------

STAGES = {
    "extraction": "Mining (extraction)",
    "refining/separation": "Separation and refining",
    "magnets": "Magnet making",
    "later stages": "Every stage after mining",
    "world supply": "'World supply' (no stage said)",
}
SOURCE_KINDS = {
    "seed": "Source documents",
    "dataset": "USGS tonnages (ratio computed)",
    "press": "IEA, reported second-hand",
}


def china_share_claims_table() -> pd.DataFrame:
    """Every row of table china_share_claims, with a stage label and the kind of source."""
    claims = load_table("china_share_claims")
    claims["stage_label"] = claims["stage"].map(STAGES)
    claims["source_kind"] = claims["source"].map(lambda k: SOURCE_KINDS[kind(k)])
    claims["source_short"] = claims["source"].map(short)
    claims["note"] = notes(claims["note"])
    return claims.reset_index(drop=True)


def china_share_by_stage() -> alt.VConcatChart:
    """Dot chart: every figure of China's share, by stage of the value chain and kind of source."""
    claims = china_share_claims_table()
    kinds = list(SOURCE_KINDS.values())
    by_kind = alt.selection_point(name="by_kind", fields=["source_kind"], bind="legend")
    chart = (
        alt.Chart(claims)
        .mark_point(filled=True, size=110, opacity=0.85)
        .encode(
            y=alt.Y(
                "stage_label:N",
                title=None,
                sort=list(STAGES.values()),
                # on a phone's column, each stage's name in lines rather than cut short
                axis=alt.Axis(
                    labelLimit=charts.label_limit(220),
                    labelExpr=charts.lines_on_a_phone(STAGES.values(), 18),
                ),
            ),
            yOffset=alt.YOffset("source_kind:N", sort=kinds),
            x=alt.X(
                "value_pct:Q",
                title="China's share (% of the world)",
                scale=alt.Scale(domain=[0, 100]),
            ),
            color=alt.Color(
                "source_kind:N",
                title=["Figure from", "(click to highlight)"],
                sort=kinds,
                scale=alt.Scale(
                    domain=kinds, range=[charts.colour_of("China"), charts.SLATE, charts.TEAL]
                ),
                legend=alt.Legend(
                    columns=1,
                    labelLimit=charts.label_limit(300, 260),
                    titleLimit=300,
                    orient="bottom",
                ),
            ),
            shape=alt.Shape(
                "source_kind:N",
                sort=kinds,
                scale=alt.Scale(domain=kinds, range=["diamond", "circle", "square"]),
            ),
            opacity=alt.when(by_kind).then(alt.value(0.9)).otherwise(alt.value(0.12)),
            tooltip=[
                alt.Tooltip("stage_label:N", title="Stage"),
                alt.Tooltip("value_text:N", title="As written"),
                alt.Tooltip("value_pct:Q", title="China's share (%)"),
                alt.Tooltip("year:N", title="Year"),
                alt.Tooltip("definition:N", title="What is measured"),
                alt.Tooltip("source_short:N", title="Source"),
                alt.Tooltip("note:N", title="Caveat"),
            ],
        )
        .add_params(by_kind)
        .properties(width=charts.PLOT_WIDTH - 160, height=alt.Step(16))
    )
    stage_range = claims.groupby("stage")["value_pct"].agg(["min", "max"])
    return charts.finish(
        chart,
        title="China's share of rare earths: one question, many figures",
        subtitle="Each dot is one published figure of China's share; hover or tap for its year, definition "
        "and caveat",
        source=credit(claims["source"], width=110),
        description=(
            f"Dot chart of the {len(claims)} figures the documents and datasets give for China's share of "
            "rare earths, by stage of the value chain. For mining they range from "
            f"{stage_range.loc['extraction', 'min']:g} to {stage_range.loc['extraction', 'max']:g} %; "
            f"for separation and refining from {stage_range.loc['refining/separation', 'min']:g} to "
            f"{stage_range.loc['refining/separation', 'max']:g} %; for magnet making "
            f"{stage_range.loc['magnets', 'max']:g} %. The share rises along the chain."
        ),
    )


# --------------------------------------------------------------------------------------------
# Chapter 1: a small market feeding big industries
# --------------------------------------------------------------------------------------------


def market_table() -> pd.DataFrame:
    """Tonnage and value comparisons of table market_figures, with the latest USGS world mine
    production beside the IFRI tonnage, in the units the chart shows."""
    market = load_table("market_figures")
    world = load_table("world_production")
    world = world[world["preferred"]].sort_values("year").iloc[-1]
    rows = []
    for r in market[market["comparison"].isin(["tonnage", "value"])].itertuples():
        scale = 1e6 if r.comparison == "tonnage" else 1e9
        rows.append(
            {
                "comparison": r.comparison,
                "item": r.figure,
                "value": r.value,
                "shown": r.value / scale,
                "as_written": r.as_written,
                "year": r.year,
                "source_short": short(r.source),
                "source": r.source,
                "note": readable(or_empty(r.note)),
            }
        )
    rows.append(
        {
            "comparison": "tonnage",
            "item": f"Rare earths mined in {int(world.year)} (USGS, oxide)",
            "value": float(world.world_t_reo),
            "shown": float(world.world_t_reo) / 1e6,
            "as_written": "",
            "year": str(int(world.year)),
            "source_short": short(world.source),
            "source": world.source,
            "note": readable(or_empty(world.note)),
        }
    )
    frame = pd.DataFrame(rows)
    frame["label"] = [
        f"{v:,.0f} t" if c == "tonnage" else f"{v / 1e9:,.0f} billion $"
        for v, c in zip(frame["value"], frame["comparison"], strict=True)
    ]
    return frame


def market_in_perspective() -> alt.VConcatChart:
    """Two bar charts: rare earths against iron in tonnes, and the rare-earth market against the
    industries it feeds in dollars (IFRI via caremag2025)."""
    frame = market_table()
    tooltip = [
        alt.Tooltip("item:N", title="Figure"),
        alt.Tooltip("label:N", title="Value"),
        alt.Tooltip("as_written:N", title="As written (French)"),
        alt.Tooltip("year:N", title="Year"),
        alt.Tooltip("source_short:N", title="Source"),
        alt.Tooltip("note:N", title="Caveat"),
    ]

    def panel(comparison: str, x_title: str | list[str], title: str):
        data = frame[frame.comparison == comparison]
        base = alt.Chart(data).encode(
            y=alt.Y(
                "item:N",
                title=None,
                sort="-x",
                # on a phone's column, each figure's name in lines rather than cut short
                axis=alt.Axis(
                    labelLimit=charts.label_limit(260, 160),
                    labelExpr=charts.lines_on_a_phone(data["item"], 24),
                ),
            ),
            x=alt.X(
                "shown:Q",
                title=x_title,
                scale=alt.Scale(domain=[0, float(data["shown"].max()) * 1.3]),
            ),
            tooltip=tooltip,
        )
        return (
            base.mark_bar(color=charts.COUNTRY_COLOURS["World"])
            + charts.bar_end_labels(base, x="shown", text="label")
        ).properties(width=300, height=alt.Step(32), title=title)

    tonnage = panel(
        # the axis title in two lines that fit a phone's plot (under its two-line row names)
        "tonnage",
        ["Tonnage", "(million tonnes per year)"],
        "How much is produced each year",
    )
    value = panel("value", "Value (billion US dollars)", "What it is worth")
    t = frame[frame.comparison == "tonnage"].set_index("source")
    ifri_t = frame[(frame.comparison == "tonnage") & (frame.source == "caremag2025")]
    iron = ifri_t["value"].max()
    rare = ifri_t["value"].min()
    v = frame[frame.comparison == "value"]["value"]
    return charts.finish(
        alt.vconcat(tonnage, value, spacing=18),
        title="A small market that feeds very large industries",
        subtitle="The rare-earth bars are so small next to the others that they barely show: read the labels",
        source=credit(
            frame["source"],
            "IFRI figures relayed by the Caremag article; year not stated.",
            width=110,
        ),
        description=(
            f"Two bar charts. In tonnes per year, rare earths ({rare:,.0f} t according to IFRI) are tiny "
            f"next to iron ({iron:,.0f} t): iron weighs {iron / rare:,.0f} times more. USGS counts "
            f"{t.loc[t.index != 'caremag2025', 'value'].iloc[0]:,.0f} t of rare-earth oxide mined in "
            f"{frame[frame.source != 'caremag2025']['year'].iloc[0]}. In value, a market of "
            f"{v.min() / 1e9:,.0f} billion dollars feeds industries worth {v.max() / 1e9:,.0f} billion dollars, "
            f"{v.max() / v.min():,.0f} times more."
        ),
    )
