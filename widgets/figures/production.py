"""Rare-earth mine production by country with China's share, and two editions of the 2019
figures (chapters 1 and 2)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from widgets import charts
from widgets.data import load_table
from widgets.sources import credit, notes, short

# --------------------------------------------------------------------------------------------
# Production by country and China's share (chapters 1 and 2)
# --------------------------------------------------------------------------------------------

MAIN_PRODUCERS = ("China", "United States", "Burma (Myanmar)", "Australia")
OTHER_PRODUCERS = "Other countries"
USGS_DERIVED = "usgs_derived_"  # id prefix of the China-share ratios computed from USGS tonnages


def preferred_production() -> pd.DataFrame:
    """Preferred (latest USGS) mine production by country and year, without the world total."""
    table = load_table("production_by_country")
    table = table[table["preferred"] & (table["country"] != "World")].copy()
    table["year"] = table["year"].astype(int)
    table["note"] = notes(table["note"])
    return table.reset_index(drop=True)


def china_share_by_year() -> pd.DataFrame:
    """China's share of world mine production per year, from table china_share_claims: the
    USGS-derived ratio computed from the same USGS edition as the preferred world total."""
    claims = load_table("china_share_claims")
    production = load_table("production_by_country")
    world = production[production["preferred"] & (production["country"] == "World")]
    edition = {int(r.year): r.source for r in world.itertuples()}
    derived = claims[claims["id"].str.startswith(USGS_DERIVED)].copy()
    derived = derived[derived["year"].str.fullmatch(r"\d{4}")]
    derived["year"] = derived["year"].astype(int)
    derived = derived[
        [edition.get(y) == s for y, s in zip(derived["year"], derived["source"], strict=True)]
    ]
    derived["share_text"] = derived["value_text"].str.split(" \\(").str[0]
    return derived[["year", "value_pct", "share_text", "value_text", "source", "note"]].reset_index(
        drop=True
    )


def production_groups() -> pd.DataFrame:
    """Preferred production per year for the main producers and 'Other countries' (the sum of all
    the others, including USGS's own 'Other countries' line)."""
    table = preferred_production()
    table["group"] = table["country"].where(table["country"].isin(MAIN_PRODUCERS), OTHER_PRODUCERS)
    grouped = table.groupby(["year", "group"], as_index=False).agg(
        tonnes=("production_t_reo", "sum"),
        countries=("country", lambda c: ", ".join(sorted(c))),
        source=("source", "first"),
    )
    grouped["tonnes"] = grouped["tonnes"].astype(float)
    grouped["countries"] = grouped["countries"].where(grouped["group"] == OTHER_PRODUCERS, "")
    grouped["order"] = grouped["group"].map(
        {g: i for i, g in enumerate(MAIN_PRODUCERS + (OTHER_PRODUCERS,))}
    )
    grouped["source_short"] = grouped["source"].map(short)
    return grouped.sort_values(["year", "order"]).reset_index(drop=True)


def production_by_country() -> alt.VConcatChart:
    """Stacked bars of mine production by country, 2018-2025, with China's share on top of each
    bar; clicking a year lists every producer of that year in the chart below."""
    groups = production_groups()
    shares = china_share_by_year()
    countries = preferred_production()
    countries["source_short"] = countries["source"].map(short)
    first, last = int(groups["year"].min()), int(groups["year"].max())
    totals = (
        groups.groupby("year", as_index=False)["tonnes"].sum().merge(shares, on="year", how="left")
    )
    totals["label"] = "China " + totals["share_text"].fillna("n/a")
    totals["share_source"] = totals["source"].map(short)

    pick = alt.selection_point(
        name="pick_year",
        fields=["year"],
        value=[{"year": last}],
        on="click",
        clear=False,
        toggle=False,
    )
    colour = alt.Color(
        "group:N",
        title=None,
        scale=charts.country_scale(list(MAIN_PRODUCERS) + [OTHER_PRODUCERS]),
        sort=list(MAIN_PRODUCERS) + [OTHER_PRODUCERS],
    )
    bars = (
        alt.Chart(groups)
        .mark_bar()
        .encode(
            x=alt.X(
                "year:O",
                title="Year (click a bar to list its producers below)",
                axis=alt.Axis(labelAngle=charts.on_a_phone(-90, 0)),
            ),
            y=alt.Y(
                "tonnes:Q",
                title="Mine production (tonnes of rare-earth oxide)",
                axis=alt.Axis(format="~s"),
            ),
            color=colour,
            order=alt.Order("order:Q", sort="ascending"),
            opacity=alt.when(pick).then(alt.value(1)).otherwise(alt.value(0.45)),
            tooltip=[
                alt.Tooltip("group:N", title="Country"),
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("tonnes:Q", title="Tonnes", format=","),
                alt.Tooltip("countries:N", title="Countries grouped"),
                alt.Tooltip("source_short:N", title="Source"),
            ],
        )
        .add_params(pick)
    )
    share_labels = (
        alt.Chart(totals)
        # on a phone's column the bars are too narrow for the label: it stands upright on its bar
        .mark_text(
            fontSize=11,
            color=charts.colour_of("China"),
            angle=charts.on_a_phone(270, 0),
            align=charts.on_a_phone("left", "center"),
            baseline=charts.on_a_phone("middle", "alphabetic"),
            dx=charts.on_a_phone(4, 0),
            dy=charts.on_a_phone(0, -7),
        )
        .encode(
            x="year:O",
            y="tonnes:Q",
            text="label:N",
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("value_text:N", title="China's share"),
                alt.Tooltip("share_source:N", title="Computed from"),
                alt.Tooltip("note:N", title="Caveat"),
            ],
        )
    )
    top = (bars + share_labels).properties(height=280, width=charts.PLOT_WIDTH - 50)

    detail_base = alt.Chart(countries).transform_filter(pick)
    detail = detail_base.mark_bar().encode(
        y=alt.Y("country:N", sort="-x", title=None),
        x=alt.X(
            "production_t_reo:Q",
            title="Mine production in the year clicked (tonnes of rare-earth oxide)",
            axis=alt.Axis(format="~s"),
        ),
        color=alt.Color("country:N", legend=None, scale=charts.country_scale(countries["country"])),
        tooltip=[
            alt.Tooltip("country:N", title="Producer"),
            alt.Tooltip("year:O", title="Year"),
            alt.Tooltip("production_t_reo:Q", title="Tonnes", format=","),
            alt.Tooltip("status:N", title="Status"),
            alt.Tooltip("source_short:N", title="Source"),
            alt.Tooltip("note:N", title="Caveat"),
        ],
    )
    caption = (
        detail_base.transform_aggregate(year="max(year)")
        .transform_calculate(text="'Every producer in ' + datum.year")
        .mark_text(
            align="left", x=0, y=-8, fontSize=12, fontWeight="bold", color=charts.TEXT_COLOUR
        )
        .encode(text="text:N")
    )
    bottom = (detail + caption).properties(height=alt.Step(16), width=charts.PLOT_WIDTH - 50)

    china = groups[groups.group == "China"].set_index("year")["tonnes"]
    return charts.finish(
        alt.vconcat(top, bottom, spacing=24).resolve_scale(color="independent"),
        title=f"Rare-earth mine production by country, {first}-{last}",
        subtitle="Latest USGS figures; China's share of the world total on top of each bar",
        source=credit(
            countries["source"],
            "Shares: China's tonnage divided by the rounded USGS "
            "world total (the Data page's table of China's share). China's figure is its official quota.",
            width=110,
        ),
        description=(
            f"Stacked bar chart of rare-earth mine production from {first} to {last} for China, the "
            f"United States, Burma (Myanmar), Australia and all other countries, in tonnes of "
            f"rare-earth oxide. China produces {china.loc[first]:,.0f} tonnes in {first} and "
            f"{china.loc[last]:,.0f} in {last}; its share of the world total goes from "
            f"{shares.set_index('year').loc[first, 'share_text']} to "
            f"{shares.set_index('year').loc[last, 'share_text']}. Clicking a year lists every producer "
            f"of that year in a second bar chart."
        ),
    )


SEED_VINTAGE = "caremag2025 (IREF)"


def production_2019_editions() -> pd.DataFrame:
    """The 2019 figures of caremag2025 beside the revised USGS figures for the same countries."""
    table = load_table("production_by_country")
    table = table[table["year"] == 2019]
    seed = table[table["vintage"] == SEED_VINTAGE]
    usgs = table[table["preferred"] & table["country"].isin(seed["country"])]
    both = pd.concat([seed, usgs]).copy()
    both["edition"] = both["vintage"].map(
        lambda v: (
            "Caremag article (credited to IREF)" if v == SEED_VINTAGE else f"USGS {v}, revised"
        )
    )
    both["label"] = [
        f"{t:,.0f} t" + (f" ({s:g} %)" if pd.notna(s) else "")
        for t, s in zip(both["production_t_reo"], both["share_pct"], strict=True)
    ]
    both["share"] = both["share_pct"].map(lambda s: f"{s:g} %" if pd.notna(s) else "not printed")
    both["source_short"] = both["source"].map(short)
    both["note"] = notes(both["note"])
    return both.reset_index(drop=True)


def production_2019_compared() -> alt.VConcatChart:
    """Grouped bars: 2019 production of four countries as caremag2025 prints it and as USGS
    revised it."""
    frame = production_2019_editions()
    editions = list(dict.fromkeys(frame["edition"]))
    order = list(
        frame[frame.edition == editions[-1]].sort_values("production_t_reo", ascending=False)[
            "country"
        ]
    )
    base = alt.Chart(frame).encode(
        y=alt.Y("country:N", sort=order, title=None),
        yOffset=alt.YOffset("edition:N", sort=editions),
        x=alt.X(
            "production_t_reo:Q",
            title="Mine production in 2019 (tonnes of rare-earth oxide)",
            axis=alt.Axis(format="~s", tickCount=5),  # 17 ticks were a crowd
            scale=alt.Scale(domain=[0, float(frame.production_t_reo.max()) * 1.25]),
        ),
        tooltip=[
            alt.Tooltip("country:N", title="Country"),
            alt.Tooltip("edition:N", title="Figure from"),
            alt.Tooltip("production_t_reo:Q", title="Tonnes", format=","),
            alt.Tooltip("share:N", title="Share of world (as printed)"),
            alt.Tooltip("note:N", title="Note"),
        ],
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "edition:N",
            title=None,
            sort=editions,
            legend=alt.Legend(labelLimit=charts.label_limit(400, 290), columns=1),
            scale=alt.Scale(
                domain=editions, range=[charts.SILVER, charts.COUNTRY_COLOURS["World"]]
            ),
        )
    )
    # inside the longest bars: dark on the light bar of the article, white on USGS's dark one
    inside = alt.when(alt.datum.edition == editions[0]).then(alt.value(charts.TEXT_COLOUR))
    labels = charts.bar_end_labels(
        base,
        x="production_t_reo",
        text="label",
        inside_colour=inside.otherwise(alt.value(charts.WHITE)),
    )
    world = load_table("world_production")
    world_2019 = world[(world.year == 2019) & world.preferred]["world_t_reo"].iloc[0]
    seed = frame[frame.edition == editions[0]].set_index("country")
    usgs = frame[frame.edition == editions[-1]].set_index("country")
    differ = [
        c for c in seed.index if seed.loc[c, "production_t_reo"] != usgs.loc[c, "production_t_reo"]
    ]
    return charts.finish(
        (bars + labels).properties(height=alt.Step(18), width=charts.PLOT_WIDTH - 60),
        title="2019 production: two editions of the same statistics",
        subtitle="The figures the Caremag article prints (with its shares) beside USGS's revised "
        "figures",
        source=credit(
            frame["source"], f"USGS world total for 2019: {world_2019:,.0f} t.", width=110
        ),
        description=(
            "Grouped bar chart of 2019 rare-earth mine production for "
            + ", ".join(order)
            + ": the figures printed in the Caremag article (credited to IREF) beside the revised USGS "
            "figures. They differ for "
            + ", ".join(
                f"{c} ({seed.loc[c, 'production_t_reo']:,.0f} against {usgs.loc[c, 'production_t_reo']:,.0f} t)"
                for c in differ
            )
            + "; China's figure is the same in both."
        ),
    )
