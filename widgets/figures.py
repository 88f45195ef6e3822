"""The book's charts: each function picks its table in ``data/`` and calls a builder of
:mod:`widgets.charts`. A chapter shows a chart with one call, e.g. ``figures.world_production()``.
"""
from __future__ import annotations

import re

import altair as alt
import pandas as pd

from widgets import charts
from widgets.data import load_table, source_of


def world_production_series() -> pd.DataFrame:
    """World and US mine production per year (preferred USGS vintage), long format."""
    table = load_table("world_production")
    table = table[table["preferred"]].sort_values("year")
    long = table.melt(id_vars=["year", "source", "note"], value_vars=["world_t_reo", "us_t_reo"],
                      var_name="series", value_name="tonnes")
    long["country"] = long["series"].map({"world_t_reo": "World", "us_t_reo": "United States"})
    long = long.dropna(subset=["tonnes"])
    long["tonnes"] = long["tonnes"].astype(float)
    long["year"] = long["year"].astype(int)
    long["note"] = long["note"].fillna("")
    return long[["year", "country", "tonnes", "source", "note"]].reset_index(drop=True)


def year_ranges(years) -> str:
    """'2001-2011 and 2016-2017' from a list of years (consecutive years are merged)."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    parts = [f"{a}" if a == b else f"{a}-{b}" for a, b in runs]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


# --------------------------------------------------------------------------------------------
# Helpers shared by the charts of chapters 1-3
# --------------------------------------------------------------------------------------------

UTC = alt.Scale(type="utc")  # dates in data/ are calendar days: draw them the same in every time zone
NEUTRAL = "#e4e7eb"
HIGHLIGHT = "#2b6777"  # not a country colour: used for "this is the selected group"


def source_short(key: str) -> str:
    """The short credit of a key of data/sources.csv (e.g. 'Lepesant (2025)')."""
    return str(load_table("sources").set_index("source").loc[key, "short"])


def credit(keys) -> str:
    """'Source: A; B' for the given keys of data/sources.csv, in order and without repeats."""
    keys = list(dict.fromkeys(k for k in keys if isinstance(k, str) and k))
    return "Source: " + "; ".join(source_short(k) for k in keys)


def wrap(text: str, width: int = 110) -> list[str]:
    """A long line cut into lines of at most ``width`` characters (for source lines under charts)."""
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + [line]


def text_or_empty(value) -> str:
    """A text cell, or '' where the table leaves it empty."""
    return "" if value is None or pd.isna(value) else str(value)


def day(value) -> str:
    """'2025-10-09' from a timestamp (the form Vega reads as a UTC calendar day)."""
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def epoch_ms(value) -> int:
    """Milliseconds since 1970-01-01 UTC: how Vega expressions compare dates."""
    return int(pd.Timestamp(value).value // 1_000_000)


def long_date(value) -> str:
    """'9 Oct 2025'."""
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp:%b %Y}"


def when_text(date: str, precision: str) -> str:
    """How precisely a date of data/events.csv is known, as a reader sees it: '1990s', 'Oct 2025'."""
    if precision == "decade":
        return f"{date[:4]}s"
    if precision == "year":
        return date[:4]
    if precision == "month":
        return f"{pd.Timestamp(date + '-01'):%b %Y}"
    return long_date(date)


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
    return first.strip() + (" …" if more.strip() else "")


# --------------------------------------------------------------------------------------------
# Chapter 2: a century of production, with the events that shaped it
# --------------------------------------------------------------------------------------------

MILESTONE_KINDS = ("industry", "policy", "production")
MILESTONES_UNTIL = 2012        # later industry news is left to the chapters; controls are all marked
RECENT_CONTROLS_FROM = 2023    # the export controls from this year on share one marker
LABEL_PX_PER_CHAR = 6.3        # width of an 11 px label character, to keep labels from overlapping
PLOT_WIDTH = 560               # the theme's continuousWidth


def world_production_events(first_year: int, last_year: int) -> pd.DataFrame:
    """The events marked on the century chart, one row per marker.

    From data/events.csv: China's and the United States' industry, policy and production
    milestones up to MILESTONES_UNTIL, and every Chinese export control up to ``last_year``. The
    controls from RECENT_CONTROLS_FROM on form one marker; other events of one year share one.
    Columns: year, label, when, events, sources, row (the label's line, so labels never overlap).
    """
    events = load_table("events")
    first_actor = events["actors"].str.split("; ").str[0]
    milestone = (events["kind"].isin(MILESTONE_KINDS) & first_actor.isin(["China", "United States"])
                 & (events["year"] <= MILESTONES_UNTIL))
    control = (events["kind"] == "export control") & (first_actor == "China")
    chosen = events[(milestone | control) & events["year"].between(first_year, last_year)].copy()
    chosen = chosen.sort_values(["date"])
    recent = (chosen["kind"] == "export control") & (chosen["year"] >= RECENT_CONTROLS_FROM)
    chosen["group"] = chosen["year"].astype(int).astype(str).where(~recent, "recent")
    markers = []
    for _, rows in chosen.groupby("group", sort=False):
        years = sorted(set(rows["year"].astype(int)))
        if len(years) > 1:
            label = f"{years[0]}-{years[-1]}: {len(rows)} export controls"
            when = f"{years[0]}-{years[-1]}"
        else:
            first = rows.iloc[0]
            precision = "decade" if first["date_precision"] == "decade" else "year"
            when = when_text(str(first["date"]), precision)
            label = f"{when}: {first['title']}"
        markers.append({
            "year": years[-1] if len(years) > 1 else years[0],
            "years": years,
            "label": label,
            "when": when,
            "events": " · ".join(f"{when_text(str(r.date), str(r.date_precision))}: {r.title}"
                                 for r in rows.itertuples()),
            "sources": "; ".join(dict.fromkeys(source_short(k) for k in rows["source"])),
        })
    frame = pd.DataFrame(markers)
    frame["row"] = _label_rows(frame, first_year, last_year)
    frame["align"] = [_align(y, first_year, last_year) for y in frame["year"]]
    return frame


def _align(year: float, first: float, last: float) -> str:
    return "right" if (year - first) / (last - first) > 0.5 else "left"


def _label_rows(frame: pd.DataFrame, first: float, last: float) -> list[int]:
    """Greedy layout: each label goes on the first line where it overlaps no other label."""
    taken: list[list[tuple[float, float]]] = []
    rows = []
    for year, label in zip(frame["year"], frame["label"]):
        x = (year - first) / (last - first) * PLOT_WIDTH
        width = len(label) * LABEL_PX_PER_CHAR + 12
        span = (x - width, x) if _align(year, first, last) == "right" else (x, x + width)
        for i, spans in enumerate(taken):
            if all(span[1] < a or span[0] > b for a, b in spans):
                spans.append(span)
                rows.append(i)
                break
        else:
            taken.append([span])
            rows.append(len(taken) - 1)
    return rows


def world_production() -> alt.VConcatChart:
    """Line chart: world and US rare-earth mine production, 1900-2025 (t REO), with the events
    that shaped it marked above (details on hover)."""
    series = world_production_series()
    first, last = int(series["year"].min()), int(series["year"].max())
    line = charts.time_series(
        series, x="year", y="tonnes", series="country",
        x_title="Year", y_title="Mine production (tonnes of rare-earth oxide)",
        tooltip=[alt.Tooltip("country:N", title="Series"), alt.Tooltip("year:Q", title="Year", format="d"),
                 alt.Tooltip("tonnes:Q", title="Tonnes REO", format=","),
                 alt.Tooltip("note:N", title="Note")],
    )
    line.encoding.x.scale = alt.Scale(domain=[first, last], nice=False)
    markers = world_production_events(first, last)
    rule_years = markers.explode("years")[["years", "when", "events", "sources"]].rename(
        columns={"years": "year"})
    detail = [alt.Tooltip("when:N", title="When"), alt.Tooltip("events:N", title="Events"),
              alt.Tooltip("sources:N", title="Sources")]
    rules = alt.Chart(rule_years).mark_rule(color=charts.MUTED_COLOUR, strokeDash=[3, 3],
                                            strokeWidth=1.5).encode(x="year:Q", tooltip=detail)
    x_shared = alt.X("year:Q", axis=None, scale=alt.Scale(domain=[first, last], nice=False))
    base = alt.Chart(markers).encode(x=x_shared, y=alt.Y("row:O", axis=None), tooltip=detail)
    dots = base.mark_point(filled=True, size=45, color=charts.TEXT_COLOUR)
    left = base.transform_filter("datum.align == 'left'").mark_text(
        align="left", dx=6, fontSize=11, color=charts.TEXT_COLOUR).encode(text="label:N")
    right = base.transform_filter("datum.align == 'right'").mark_text(
        align="right", dx=-6, fontSize=11, color=charts.TEXT_COLOUR).encode(text="label:N")
    strip = (dots + left + right).properties(height=alt.Step(15))
    # Rules under the line, so that hovering a year on the line still shows its figure.
    chart = alt.vconcat(strip, rules + line, spacing=2).resolve_scale(x="shared")
    world = series[series.country == "World"].set_index("year")["tonnes"]
    us = series[series.country == "United States"].set_index("year")["tonnes"]
    us_peak_year = int(us.idxmax())
    us_zero = [int(y) for y in us[us == 0].index]
    return charts.finish(
        chart,
        title=f"World rare-earth mine production, {first}-{last}",
        subtitle=["World total and United States; dots and dashed lines mark events (hover for details).",
                  "Figures after 2022 are rounded estimates."],
        source="Source: USGS DS140 (2023), Minerals Yearbook 2022, MCS 2025 and MCS 2026 v1.3; "
               "events: data/events.csv (sources on hover).",
        description=(
            f"Line chart of world and US rare-earth mine production from {first} to {last}, in "
            f"tonnes of rare-earth oxide. World output stays under {world.loc[:1960].max():,.0f} "
            f"tonnes until 1960 and reaches about {world.loc[last]:,.0f} tonnes in {last}. "
            f"US output peaks at {us.loc[us_peak_year]:,.0f} tonnes in {us_peak_year} and is zero in "
            f"{year_ranges(us_zero)}. Marked events: " + "; ".join(markers["label"]) + "."
        ),
    )


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
    table["note"] = table["note"].fillna("")
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
    derived = derived[[edition.get(y) == s for y, s in zip(derived["year"], derived["source"])]]
    derived["share_text"] = derived["value_text"].str.split(" \\(").str[0]
    return derived[["year", "value_pct", "share_text", "value_text", "source", "note"]].reset_index(drop=True)


def production_groups() -> pd.DataFrame:
    """Preferred production per year for the main producers and 'Other countries' (the sum of all
    the others, including USGS's own 'Other countries' line)."""
    table = preferred_production()
    table["group"] = table["country"].where(table["country"].isin(MAIN_PRODUCERS), OTHER_PRODUCERS)
    grouped = table.groupby(["year", "group"], as_index=False).agg(
        tonnes=("production_t_reo", "sum"),
        countries=("country", lambda c: ", ".join(sorted(c))),
        source=("source", "first"))
    grouped["tonnes"] = grouped["tonnes"].astype(float)
    grouped["countries"] = grouped["countries"].where(grouped["group"] == OTHER_PRODUCERS, "")
    grouped["order"] = grouped["group"].map({g: i for i, g in enumerate(MAIN_PRODUCERS + (OTHER_PRODUCERS,))})
    grouped["source_short"] = grouped["source"].map(source_short)
    return grouped.sort_values(["year", "order"]).reset_index(drop=True)


def production_by_country() -> alt.VConcatChart:
    """Stacked bars of mine production by country, 2018-2025, with China's share on top of each
    bar; clicking a year lists every producer of that year in the chart below."""
    groups = production_groups()
    shares = china_share_by_year()
    countries = preferred_production()
    countries["source_short"] = countries["source"].map(source_short)
    first, last = int(groups["year"].min()), int(groups["year"].max())
    totals = groups.groupby("year", as_index=False)["tonnes"].sum().merge(shares, on="year", how="left")
    totals["label"] = "China " + totals["share_text"].fillna("n/a")
    totals["share_source"] = totals["source"].map(source_short)

    pick = alt.selection_point(name="pick_year", fields=["year"], value=[{"year": last}],
                               on="click", clear=False, toggle=False)
    colour = alt.Color("group:N", title=None, scale=charts.country_scale(list(MAIN_PRODUCERS) + [OTHER_PRODUCERS]),
                       sort=list(MAIN_PRODUCERS) + [OTHER_PRODUCERS])
    bars = alt.Chart(groups).mark_bar().encode(
        x=alt.X("year:O", title="Year (click a bar to list its producers below)", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("tonnes:Q", title="Mine production (tonnes of rare-earth oxide)", axis=alt.Axis(format="~s")),
        color=colour,
        order=alt.Order("order:Q", sort="ascending"),
        opacity=alt.condition(pick, alt.value(1), alt.value(0.45)),
        tooltip=[alt.Tooltip("group:N", title="Country"), alt.Tooltip("year:O", title="Year"),
                 alt.Tooltip("tonnes:Q", title="Tonnes", format=","),
                 alt.Tooltip("countries:N", title="Countries grouped"),
                 alt.Tooltip("source_short:N", title="Source")],
    ).add_params(pick)
    share_labels = alt.Chart(totals).mark_text(dy=-7, fontSize=11, color=charts.colour_of("China")).encode(
        x="year:O", y="tonnes:Q", text="label:N",
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("value_text:N", title="China's share"),
                 alt.Tooltip("share_source:N", title="Computed from"), alt.Tooltip("note:N", title="Caveat")])
    top = (bars + share_labels).properties(height=280, width=PLOT_WIDTH - 50)

    detail_base = alt.Chart(countries).transform_filter(pick)
    detail = detail_base.mark_bar().encode(
        y=alt.Y("country:N", sort="-x", title=None),
        x=alt.X("production_t_reo:Q", title="Mine production in the year clicked (tonnes of rare-earth oxide)",
                axis=alt.Axis(format="~s")),
        color=alt.Color("country:N", legend=None, scale=charts.country_scale(countries["country"])),
        tooltip=[alt.Tooltip("country:N", title="Producer"), alt.Tooltip("year:O", title="Year"),
                 alt.Tooltip("production_t_reo:Q", title="Tonnes", format=","),
                 alt.Tooltip("status:N", title="Status"), alt.Tooltip("source_short:N", title="Source"),
                 alt.Tooltip("note:N", title="Caveat")])
    caption = detail_base.transform_aggregate(year="max(year)").transform_calculate(
        text="'Every producer in ' + datum.year").mark_text(
        align="left", x=0, y=-8, fontSize=12, fontWeight="bold", color=charts.TEXT_COLOUR).encode(text="text:N")
    bottom = (detail + caption).properties(height=alt.Step(16), width=PLOT_WIDTH - 50)

    china = groups[groups.group == "China"].set_index("year")["tonnes"]
    return charts.finish(
        alt.vconcat(top, bottom, spacing=24).resolve_scale(color="independent"),
        title=f"Rare-earth mine production by country, {first}-{last}",
        subtitle="Latest USGS figures; China's share of the world total on top of each bar",
        source=wrap(credit(countries["source"]) + ". Shares: China's tonnage divided by the rounded USGS "
                    "world total (table china_share_claims). China's figure is its official quota."),
        description=(
            f"Stacked bar chart of rare-earth mine production from {first} to {last} for China, the "
            f"United States, Burma (Myanmar), Australia and all other countries, in tonnes of "
            f"rare-earth oxide. China produces {china.loc[first]:,.0f} tonnes in {first} and "
            f"{china.loc[last]:,.0f} in {last}; its share of the world total goes from "
            f"{shares.set_index('year').loc[first, 'share_text']} to "
            f"{shares.set_index('year').loc[last, 'share_text']}. Clicking a year lists every producer "
            f"of that year in a second bar chart."),
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
        lambda v: "caremag2025 (credited to IREF)" if v == SEED_VINTAGE
        else f"USGS {v}, revised")
    both["label"] = [f"{t:,.0f} t" + (f" ({s:g} %)" if pd.notna(s) else "")
                     for t, s in zip(both["production_t_reo"], both["share_pct"])]
    both["share"] = both["share_pct"].map(lambda s: f"{s:g} %" if pd.notna(s) else "not printed")
    both["source_short"] = both["source"].map(source_short)
    both["note"] = both["note"].fillna("")
    return both.reset_index(drop=True)


def production_2019_compared() -> alt.VConcatChart:
    """Grouped bars: 2019 production of four countries as caremag2025 prints it and as USGS
    revised it."""
    frame = production_2019_editions()
    editions = list(dict.fromkeys(frame["edition"]))
    order = list(frame[frame.edition == editions[-1]].sort_values("production_t_reo", ascending=False)["country"])
    base = alt.Chart(frame).encode(
        y=alt.Y("country:N", sort=order, title=None),
        yOffset=alt.YOffset("edition:N", sort=editions),
        x=alt.X("production_t_reo:Q", title="Mine production in 2019 (tonnes of rare-earth oxide)",
                axis=alt.Axis(format="~s"), scale=alt.Scale(domain=[0, float(frame.production_t_reo.max()) * 1.25])),
        tooltip=[alt.Tooltip("country:N", title="Country"), alt.Tooltip("edition:N", title="Figure from"),
                 alt.Tooltip("production_t_reo:Q", title="Tonnes", format=","),
                 alt.Tooltip("share:N", title="Share of world (as printed)"),
                 alt.Tooltip("note:N", title="Note")])
    bars = base.mark_bar().encode(color=alt.Color(
        "edition:N", title=None, sort=editions, legend=alt.Legend(labelLimit=400, columns=1),
        scale=alt.Scale(domain=editions, range=["#9aa5b1", charts.COUNTRY_COLOURS["World"]])))
    labels = base.mark_text(align="left", dx=4, fontSize=11, color=charts.TEXT_COLOUR).encode(text="label:N")
    world = load_table("world_production")
    world_2019 = world[(world.year == 2019) & world.preferred]["world_t_reo"].iloc[0]
    seed = frame[frame.edition == editions[0]].set_index("country")
    usgs = frame[frame.edition == editions[-1]].set_index("country")
    differ = [c for c in seed.index if seed.loc[c, "production_t_reo"] != usgs.loc[c, "production_t_reo"]]
    return charts.finish(
        (bars + labels).properties(height=alt.Step(18), width=PLOT_WIDTH - 60),
        title="2019 production: two editions of the same statistics",
        subtitle="The figures caremag2025 prints (with its shares) beside USGS's revised figures",
        source=credit(frame["source"]) + f". USGS world total for 2019: {world_2019:,.0f} t.",
        description=(
            "Grouped bar chart of 2019 rare-earth mine production for " + ", ".join(order)
            + ": the figures printed in caremag2025 beside the revised USGS figures. They differ for "
            + ", ".join(f"{c} ({seed.loc[c, 'production_t_reo']:,.0f} against {usgs.loc[c, 'production_t_reo']:,.0f} t)"
                        for c in differ)
            + "; China's figure is the same in both."),
    )


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
    seed_countries = list(dict.fromkeys(list(seed_reserves["country"]) + list(seed_prod["country"])))
    for country in seed_countries:
        r = seed_reserves[seed_reserves.country == country]
        p = seed_prod[seed_prod.country == country]
        fallback = p.empty
        if fallback:
            p = usgs_2019[usgs_2019.country == country]
        rows.append(_reserves_row(EDITION_SEED, country, r, p, 2019, fallback))
    latest_year = int(production[production["preferred"]]["year"].max())
    latest_reserves = reserves[reserves["preferred"] & (reserves["country"] != "World")]
    latest_prod = production[production["preferred"] & (production["year"] == latest_year)
                             & ~production["country"].isin(["World", OTHER_PRODUCERS])]
    for country in dict.fromkeys(list(latest_reserves["country"]) + list(latest_prod["country"])):
        r = latest_reserves[latest_reserves.country == country]
        p = latest_prod[latest_prod.country == country]
        rows.append(_reserves_row(EDITION_LATEST, country, r, p, latest_year, False))
    frame = pd.DataFrame(rows)
    frame["sort_key"] = frame["reserves_t"].fillna(-1)
    return frame


def _reserves_row(edition, country, r, p, year, fallback) -> dict:
    reserves_t = float(r["reserves_t_reo"].iloc[0]) if not r.empty and pd.notna(r["reserves_t_reo"].iloc[0]) else None
    production_t = float(p["production_t_reo"].iloc[0]) if not p.empty else None
    note = []
    if not r.empty and isinstance(r["note"].iloc[0], str):
        note.append("Reserves: " + r["note"].iloc[0])
    if not p.empty and isinstance(p["note"].iloc[0], str):
        note.append("Production: " + p["note"].iloc[0])
    prod_source = source_short(p["source"].iloc[0]) if not p.empty else "none"
    if fallback and not p.empty:
        prod_source += " (caremag2025 gives no figure for this country)"
    return {
        "edition": edition, "country": country,
        "reserves_t": reserves_t, "production_t": production_t,
        "reserves_mt": None if reserves_t is None else reserves_t / 1e6,
        "production_kt": None if production_t is None else production_t / 1e3,
        "reserves_label": _megatonnes(reserves_t),
        "production_label": "no figure" if production_t is None else f"{production_t:,.0f} t",
        "reserves_as_of": r["as_of"].iloc[0] if not r.empty else "",
        "production_year": year,
        "reserves_source": source_short(r["source"].iloc[0]) if not r.empty else "none",
        "production_source": prod_source,
        "note": " ".join(note),
    }


def reserves_and_production(start: str = EDITION_SEED) -> charts.ControlsBelow:
    """Two bar charts side by side: reserves and mine production by country, for the edition the
    reader picks (caremag2025's USGS-2020 reserves with 2019 production, or the latest USGS)."""
    frame = reserves_and_production_table()
    latest_year = int(frame[frame.edition == EDITION_LATEST]["production_year"].iloc[0])
    edition = alt.param(name="edition", value=start, bind=alt.binding_radio(
        options=[EDITION_SEED, EDITION_LATEST],
        labels=["caremag2025: USGS 2020 reserves, 2019 production",
                f"USGS MCS 2026: latest reserves, {latest_year} production"],
        name="Figures: "))
    tooltip = [alt.Tooltip("country:N", title="Country"),
               alt.Tooltip("reserves_label:N", title="Reserves (t REO)"),
               alt.Tooltip("reserves_as_of:N", title="Reserves as of"),
               alt.Tooltip("reserves_source:N", title="Reserves source"),
               alt.Tooltip("production_label:N", title="Mine production"),
               alt.Tooltip("production_year:O", title="Production year"),
               alt.Tooltip("production_source:N", title="Production source"),
               alt.Tooltip("note:N", title="Notes")]
    base = alt.Chart(frame).add_params(edition).transform_filter(alt.datum.edition == edition).encode(
        y=alt.Y("country:N", title=None, sort=alt.EncodingSortField("sort_key", op="max", order="descending")),
        tooltip=tooltip)
    # A missing value would drop the label: draw it at zero instead.
    left_base = base.transform_calculate(reserves_at="isValid(datum.reserves_mt) ? datum.reserves_mt : 0")
    left = (left_base.mark_bar().encode(
                x=alt.X("reserves_mt:Q", title="Reserves (million t of rare-earth oxide)"),
                color=alt.Color("country:N", legend=None, scale=charts.country_scale(frame["country"])))
            + left_base.mark_text(align="left", dx=3, fontSize=11, color=charts.TEXT_COLOUR).encode(
                x=alt.X("reserves_at:Q"), text="reserves_label:N")
            ).properties(width=160, height=alt.Step(18),
                         title=alt.Title("Reserves: what could be mined", fontSize=13))
    right_base = base.transform_calculate(
        production_at="isValid(datum.production_kt) ? datum.production_kt : 0").encode(
        y=alt.Y("country:N", title=None, axis=None,
                sort=alt.EncodingSortField("sort_key", op="max", order="descending")))
    right = (right_base.mark_bar().encode(
                x=alt.X("production_kt:Q", title="Mine production in a year (thousand t of REO)"),
                color=alt.Color("country:N", legend=None, scale=charts.country_scale(frame["country"])))
             + right_base.mark_text(align="left", dx=3, fontSize=11, color=charts.TEXT_COLOUR).encode(
                x=alt.X("production_at:Q"), text="production_label:N")
             ).properties(width=150, height=alt.Step(18),
                          title=alt.Title("Production: what is actually mined", fontSize=13))
    seed = frame[frame.edition == EDITION_SEED].set_index("country")
    latest = frame[frame.edition == EDITION_LATEST].set_index("country")
    big_idle = [c for c in seed.index if pd.notna(seed.loc[c, "reserves_t"]) and seed.loc[c, "reserves_t"] >= 1e7
                and c != "China"]
    return charts.controls_below(charts.finish(
        alt.hconcat(left, right, spacing=45),
        title="Reserves are not production",
        subtitle="Pick the figures in the buttons under the chart; countries sorted by reserves; hover a bar for sources and notes",
        source=wrap(credit(list(frame["reserves_source"].map(_key_of_short).dropna())
                           + list(frame["production_source"].map(_key_of_short).dropna()))
                    + ". caremag2025 credits its figures to IREF (reserves: USGS data of 2020); for countries "
                      "it gives no 2019 production for, the revised USGS 2019 figure is shown."),
        description=(
            "Two bar charts side by side, reserves and mine production of rare earths by country, "
            "with a choice of figures. In the figures quoted by caremag2025, China has "
            f"{seed.loc['China', 'reserves_label']} of reserves and produced "
            f"{seed.loc['China', 'production_label']} in 2019, while "
            + ", ".join(f"{c} ({seed.loc[c, 'reserves_label']}, {seed.loc[c, 'production_label']})" for c in big_idle)
            + " mined little. In the latest USGS figures China has "
            f"{latest.loc['China', 'reserves_label']} and produced {latest.loc['China', 'production_label']} "
            f"in {latest_year}."),
    ))


def _key_of_short(short: str):
    """The source key whose short credit starts ``short`` (None for 'none')."""
    sources = load_table("sources")
    for key, name in zip(sources["source"], sources["short"]):
        if short.startswith(str(name)):
            return key
    return None


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
    sources = load_table("sources").set_index("source")
    claims["stage_label"] = claims["stage"].map(STAGES)
    claims["source_kind"] = claims["source"].map(lambda k: SOURCE_KINDS[sources.loc[k, "kind"]])
    claims["source_short"] = claims["source"].map(source_short)
    claims["note"] = claims["note"].fillna("")
    return claims.reset_index(drop=True)


def china_share_by_stage() -> alt.VConcatChart:
    """Dot chart: every figure of China's share, by stage of the value chain and kind of source."""
    claims = china_share_claims_table()
    kinds = list(SOURCE_KINDS.values())
    by_kind = alt.selection_point(name="by_kind", fields=["source_kind"], bind="legend")
    chart = alt.Chart(claims).mark_point(filled=True, size=110, opacity=0.85).encode(
        y=alt.Y("stage_label:N", title=None, sort=list(STAGES.values()),
                axis=alt.Axis(labelLimit=220)),
        yOffset=alt.YOffset("source_kind:N", sort=kinds),
        x=alt.X("value_pct:Q", title="China's share (% of the world)", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("source_kind:N", title="Figure from (click to highlight)", sort=kinds,
                        scale=alt.Scale(domain=kinds, range=[charts.colour_of("China"), "#323f4b", "#3f9a9a"]),
                        legend=alt.Legend(columns=1, labelLimit=300, titleLimit=300, orient="bottom")),
        shape=alt.Shape("source_kind:N", sort=kinds, scale=alt.Scale(domain=kinds, range=["diamond", "circle", "square"])),
        opacity=alt.condition(by_kind, alt.value(0.9), alt.value(0.12)),
        tooltip=[alt.Tooltip("stage_label:N", title="Stage"), alt.Tooltip("value_text:N", title="As written"),
                 alt.Tooltip("value_pct:Q", title="China's share (%)"), alt.Tooltip("year:N", title="Year"),
                 alt.Tooltip("definition:N", title="What is measured"),
                 alt.Tooltip("source_short:N", title="Source"), alt.Tooltip("note:N", title="Caveat")],
    ).add_params(by_kind).properties(width=PLOT_WIDTH - 160, height=alt.Step(16))
    stage_range = claims.groupby("stage")["value_pct"].agg(["min", "max"])
    return charts.finish(
        chart,
        title="China's share of rare earths: one question, many figures",
        subtitle="Each dot is one figure of table china_share_claims; hover for its year, definition and caveat",
        source=wrap(credit(claims["source"])),
        description=(
            f"Dot chart of the {len(claims)} figures the documents and datasets give for China's share of "
            "rare earths, by stage of the value chain. For mining they range from "
            f"{stage_range.loc['extraction', 'min']:g} to {stage_range.loc['extraction', 'max']:g} %; "
            f"for separation and refining from {stage_range.loc['refining/separation', 'min']:g} to "
            f"{stage_range.loc['refining/separation', 'max']:g} %; for magnet making "
            f"{stage_range.loc['magnets', 'max']:g} %. The share rises along the chain."),
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
        rows.append({"comparison": r.comparison, "item": r.figure, "value": r.value,
                     "shown": r.value / scale, "as_written": r.as_written, "year": r.year,
                     "source_short": source_short(r.source), "source": r.source, "note": text_or_empty(r.note)})
    rows.append({"comparison": "tonnage",
                 "item": f"Rare earths mined in {int(world.year)} (USGS, oxide)",
                 "value": float(world.world_t_reo), "shown": float(world.world_t_reo) / 1e6,
                 "as_written": "", "year": str(int(world.year)), "source_short": source_short(world.source),
                 "source": world.source, "note": text_or_empty(world.note)})
    frame = pd.DataFrame(rows)
    frame["label"] = [f"{v:,.0f} t" if c == "tonnage" else f"{v / 1e9:,.0f} billion $"
                      for v, c in zip(frame["value"], frame["comparison"])]
    return frame


def market_in_perspective() -> alt.VConcatChart:
    """Two bar charts: rare earths against iron in tonnes, and the rare-earth market against the
    industries it feeds in dollars (IFRI via caremag2025)."""
    frame = market_table()
    tooltip = [alt.Tooltip("item:N", title="Figure"), alt.Tooltip("label:N", title="Value"),
               alt.Tooltip("as_written:N", title="As written (French)"), alt.Tooltip("year:N", title="Year"),
               alt.Tooltip("source_short:N", title="Source"), alt.Tooltip("note:N", title="Caveat")]

    def panel(comparison: str, x_title: str, title: str):
        data = frame[frame.comparison == comparison]
        base = alt.Chart(data).encode(
            y=alt.Y("item:N", title=None, sort="-x", axis=alt.Axis(labelLimit=260)),
            x=alt.X("shown:Q", title=x_title, scale=alt.Scale(domain=[0, float(data["shown"].max()) * 1.3])),
            tooltip=tooltip)
        return (base.mark_bar(color=charts.COUNTRY_COLOURS["World"])
                + base.mark_text(align="left", dx=4, fontSize=11, color=charts.TEXT_COLOUR).encode(text="label:N")
                ).properties(width=300, height=alt.Step(26), title=title)

    tonnage = panel("tonnage", "Tonnage (million tonnes per year)", "How much is produced each year")
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
        source=credit(frame["source"]) + " (IFRI figures relayed by caremag2025; year not stated).",
        description=(
            f"Two bar charts. In tonnes per year, rare earths ({rare:,.0f} t according to IFRI) are tiny "
            f"next to iron ({iron:,.0f} t): iron weighs {iron / rare:,.0f} times more. USGS counts "
            f"{t.loc[t.index != 'caremag2025', 'value'].iloc[0]:,.0f} t of rare-earth oxide mined in "
            f"{frame[frame.source != 'caremag2025']['year'].iloc[0]}. In value, a market of "
            f"{v.min() / 1e9:,.0f} billion dollars feeds industries worth {v.max() / 1e9:,.0f} billion dollars, "
            f"{v.max() / v.min():,.0f} times more."),
    )


# --------------------------------------------------------------------------------------------
# Chapters 1 and 3: the 17 elements, and which of them China put under licence
# --------------------------------------------------------------------------------------------

ELEMENT_SYMBOL = re.compile(r"\b([A-Z][a-z]?)\b")


def licensed_element_lists() -> list[dict]:
    """China's licence measures on rare earths that name elements, from table export_controls:
    [{'key': 'april_2025', 'date': ..., 'symbols': {...}, 'label': ..., 'status': ...}, ...]."""
    symbols = set(load_table("rare_earth_elements")["symbol"])
    controls = load_table("export_controls")
    controls = controls[(controls["element_group"] == "rare earths") & (controls["instrument"] == "licence")]
    lists = []
    for row in controls.sort_values("announced").itertuples():
        named = {s for s in ELEMENT_SYMBOL.findall(row.elements.split(" (")[0]) if s in symbols}
        if not named:
            continue
        stamp = pd.Timestamp(row.announced)
        suspended = pd.notna(row.suspended_until)
        label = (f"Licences announced {long_date(stamp)}, suspended until {long_date(row.suspended_until)}"
                 if suspended else f"Under licence since {long_date(stamp)}")
        lists.append({"key": f"{stamp:%B}_{stamp:%Y}".lower(), "date": stamp, "symbols": named,
                      "label": label, "status": row.status, "source": row.source})
    return lists


def elements_table() -> pd.DataFrame:
    """The 17 elements with their place in the tile layout and one true/false column per view."""
    table = load_table("rare_earth_elements").sort_values("atomic_number").reset_index(drop=True)
    lanthanides = table[table["series"] == "lanthanide"]["symbol"].tolist()
    others = table[table["series"] != "lanthanide"]["symbol"].tolist()
    table["col"] = [lanthanides.index(s) if s in lanthanides else 0 for s in table["symbol"]]
    table["row"] = [len(others) if s in lanthanides else others.index(s) for s in table["symbol"]]
    table["heavy"] = table["usgs_heavy"].astype(bool)
    table["magnets"] = table["magnet_metal"].astype(bool)
    table["heavy_text"] = table["heavy"].map({True: "yes", False: "no"})
    table["magnet_text"] = table["magnets"].map({True: "yes", False: "not named"})
    for item in licensed_element_lists():
        table[item["key"]] = table["symbol"].isin(item["symbols"])
        table[item["key"] + "_text"] = table[item["key"]].map({True: "yes", False: "no"})
    table["note"] = table["note"].fillna("")
    return table


def element_views() -> list[tuple[str, str]]:
    """(key, label) of every way the element chart can colour the elements."""
    return ([("heavy", "Heavy rare earths (USGS list)"), ("magnets", "Magnet metals named in the documents")]
            + [(i["key"], i["label"]) for i in licensed_element_lists()])


def rare_earth_elements(start: str = "heavy") -> charts.ControlsBelow:
    """The 17 rare earths as tiles (scandium and yttrium above the 15 lanthanides); a menu picks
    which group is highlighted: heavy ones, magnet metals, or those China put under licence."""
    table = elements_table()
    views = element_views()
    keys = [k for k, _ in views]
    if start not in keys:
        raise ValueError(f"unknown view {start!r}; choose one of {keys}")
    view = alt.param(name="element_view", value=start,
                     bind=alt.binding_select(options=keys, labels=[label for _, label in views],
                                             name="Highlight: "))
    licence_tips = [alt.Tooltip(f"{i['key']}_text:N", title=i["label"]) for i in licensed_element_lists()]
    base = alt.Chart(table).add_params(view).transform_calculate(
        on="datum[element_view] ? 1 : 0").encode(
        x=alt.X("col:O", axis=None), y=alt.Y("row:O", axis=None),
        tooltip=[alt.Tooltip("name:N", title="Element"), alt.Tooltip("french:N", title="French"),
                 alt.Tooltip("atomic_number:Q", title="Atomic number"),
                 alt.Tooltip("heavy_text:N", title="Heavy for USGS"),
                 alt.Tooltip("magnet_text:N", title="Magnet metal in the documents")] + licence_tips
                + [alt.Tooltip("note:N", title="Note")])
    tiles = base.mark_rect(stroke="white", strokeWidth=2, cornerRadius=3).encode(
        color=alt.condition("datum.on == 1", alt.value(HIGHLIGHT), alt.value(NEUTRAL)))
    symbols = base.mark_text(fontSize=14, fontWeight="bold", dy=3).encode(
        text="symbol:N", color=alt.condition("datum.on == 1", alt.value("white"), alt.value(charts.TEXT_COLOUR)))
    numbers = base.mark_text(fontSize=9, dy=-11).encode(
        text="atomic_number:Q", color=alt.condition("datum.on == 1", alt.value("white"), alt.value(charts.MUTED_COLOUR)))
    grid = (tiles + symbols + numbers).properties(width=alt.Step(36), height=alt.Step(40))
    count = alt.Chart(table).transform_calculate(on="datum[element_view] ? 1 : 0").transform_aggregate(
        n="sum(on)", total="count()").transform_calculate(
        text="datum.n + ' of ' + datum.total + ' elements highlighted'").mark_text(
        align="left", x=0, fontSize=12, color=charts.TEXT_COLOUR).encode(text="text:N").properties(
        height=16, width=15 * 36)
    lists = licensed_element_lists()
    return charts.controls_below(charts.finish(
        alt.vconcat(grid, count, spacing=6),
        title="The 17 rare earths",
        subtitle="Scandium and yttrium sit above the 15 lanthanides, as in the periodic table; hover a tile",
        source=wrap(credit(["lepesant2025", "iupac_periodic_table", "usgs_mcs2026_heavy", "caremag2025"]
                           + [i["source"] for i in lists]) + ". Licence lists from table export_controls."),
        description=(
            f"Tiles of the {len(table)} rare-earth elements: scandium, yttrium and the "
            f"{(table.series == 'lanthanide').sum()} lanthanides from lanthanum to lutetium. A menu highlights "
            f"the heavy rare earths in USGS's list ({', '.join(table[table.heavy].name)}), the magnet metals "
            f"({', '.join(table[table.magnets].name)})"
            + "".join(f", or those of the measure '{i['label']}' ({', '.join(sorted(i['symbols']))})" for i in lists)
            + "."),
    ))


# --------------------------------------------------------------------------------------------
# Chapter 2: China's export controls, 1973-2026, filterable by kind and target
# --------------------------------------------------------------------------------------------

POLICY = "policy or milestone"
KIND_ORDER = [POLICY, "quota", "de facto halt", "licence", "ban", "technology", "suspension"]
KIND_COLOURS = ["#52606d", "#7b3fa0", "#8c564b", "#1f5fa8", "#b03a2e", "#0f8a5f", "#9aa5b1"]
TARGET_ORDER = ["All destinations", "United States", "Japan", "Foreign goods and re-exports", "Not stated"]


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
    early = events[(events["actors"] == "China") & events["kind"].isin(["industry", "policy"])
                   & (events["year"] < 2010)]
    rows = [{"date": f"{r.year}-01-01", "when": when_text(str(r.date), str(r.date_precision)),
             "kind": POLICY, "short": r.title, "target": "not stated", "what": r.summary,
             "status": "", "source": r.source, "confidence": "", "note": text_or_empty(r.note)}
            for r in early.itertuples()]
    quotas = load_table("export_quotas")
    rows += [{"date": day(r.date), "when": long_date(r.date), "kind": r.instrument, "short": r.title,
              "target": r.target, "what": r.measure, "status": "", "source": r.source,
              "confidence": r.confidence, "note": text_or_empty(r.note)} for r in quotas.itertuples()]
    controls = load_table("export_controls")
    rows += [{"date": day(r.announced), "when": long_date(r.announced), "kind": r.instrument,
              "short": measure_label(r.elements, r.target), "target": r.target, "what": r.measure,
              "status": r.status, "source": r.source, "confidence": r.confidence, "note": text_or_empty(r.note)}
             for r in controls.itertuples()]
    frame = pd.DataFrame(rows).sort_values(["date"], kind="stable").reset_index(drop=True)
    frame["target_group"] = frame["target"].map(target_group)
    frame["row"] = [f"{w} · {k}: {s}" for w, k, s in zip(frame["when"], frame["kind"], frame["short"])]
    frame["order"] = range(len(frame))
    frame["source_short"] = frame["source"].map(source_short)
    return frame


def export_controls_timeline() -> charts.ControlsBelow:
    """China's export measures 1973-2026, one line each, with menus to filter by kind of measure,
    by target and by period (from the first year, the first export control, or recent years)."""
    frame = export_measures()
    kinds = [k for k in KIND_ORDER if k in set(frame["kind"])]
    targets = [t for t in TARGET_ORDER if t in set(frame["target_group"])]
    kind = alt.param(name="kind", value="all", bind=alt.binding_select(
        options=["all"] + kinds, labels=["every kind"] + kinds, name="Kind of measure: "))
    target = alt.param(name="target", value="all", bind=alt.binding_select(
        options=["all"] + targets, labels=["every target"] + targets, name="Aimed at: "))
    years = pd.to_datetime(frame["date"]).dt.year
    first_control = int(years[frame["kind"].isin(KIND_ORDER[1:])].min())
    starts = sorted({int(years.min()), first_control, RECENT_CONTROLS_FROM})
    last = int(years.max())
    period = alt.param(name="period", value=starts[0], bind=alt.binding_select(
        options=starts, labels=[f"{y}-{last}" for y in starts], name="Period: "))
    colour = alt.Color("kind:N", title="Kind of measure", sort=kinds,
                       scale=alt.Scale(domain=KIND_ORDER, range=KIND_COLOURS),
                       legend=alt.Legend(columns=1, labelLimit=200))
    tooltip = [alt.Tooltip("when:N", title="When"), alt.Tooltip("kind:N", title="Kind"),
               alt.Tooltip("target:N", title="Aimed at"), alt.Tooltip("what:N", title="What"),
               alt.Tooltip("status:N", title="Status (2026)"), alt.Tooltip("source_short:N", title="Source"),
               alt.Tooltip("note:N", title="Note")]
    filtered = (alt.Chart(frame).add_params(kind, target, period)
                .transform_filter("kind == 'all' || datum.kind == kind")
                .transform_filter("target == 'all' || datum.target_group == target")
                .transform_filter("utcyear(datum.date) >= period"))
    detail = filtered.mark_point(filled=True, size=90, opacity=1).encode(
        x=alt.X("date:T", title="Date announced", scale=UTC, axis=alt.Axis(format="%Y", labelAngle=0)),
        y=alt.Y("row:N", title=None, sort=alt.EncodingSortField("order", op="min"),
                axis=alt.Axis(labelLimit=250, labelFontSize=11)),
        color=colour, shape=alt.Shape("target_group:N", title="Aimed at", sort=targets,
                                      legend=alt.Legend(columns=1, labelLimit=220)),
        tooltip=tooltip,
    ).properties(width=225, height=alt.Step(19))
    counts = frame["kind"].value_counts()
    return charts.controls_below(charts.finish(
        detail,
        title=f"China's export measures, {frame['date'].min()[:4]}-{frame['date'].max()[:4]}",
        subtitle="Choose a kind, a target or a period in the menus under the chart; hover a dot for details",
        source=wrap(credit(frame["source"]), 100),
        description=(
            f"Timeline of {len(frame)} steps of China's rare-earth and critical-metal export regime from "
            f"{frame['when'].iloc[0]} to {frame['when'].iloc[-1]}, one line each: "
            + ", ".join(f"{counts.get(k, 0)} {k}" for k in kinds)
            + ". Menus filter by kind of measure, by target and by period."),
    ))


# --------------------------------------------------------------------------------------------
# Chapter 3: what the Busan truce suspended, and what stayed in force
# --------------------------------------------------------------------------------------------

HORIZON = ("2023-01-01", "2026-12-31")
PHASES = ["announced, not yet applied", "in force", "partly suspended", "suspended",
          "after the suspension: not known"]
PHASE_COLOURS = ["#e0b84c", "#1f2933", "#7b8794", "#c5ccd3", "#ffffff"]
STATUS_ORDER = ["not yet announced"] + PHASES
STATUS_COLOURS = ["#9aa5b1", "#a87d00", "#1f2933", "#52606d", "#7b8794", "#7b8794"]


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
    measures = controls[(controls["instrument"] != "suspension") & (controls["announced"] >= HORIZON[0])]
    measures = measures.sort_values("announced", kind="stable").reset_index(drop=True)
    end = pd.Timestamp(HORIZON[1])
    rows, segments = [], []
    for i, m in enumerate(measures.itertuples()):
        applies = m.effective if pd.notna(m.effective) else m.announced
        s_start = start_of.get(m.suspended_until) if pd.notna(m.suspended_until) else None
        partly = "remains" in m.status
        label = f"{long_date(m.announced)} · {m.instrument}: {measure_label(m.elements, m.target)}"
        rows.append({"row": label, "order": i, "a_ms": epoch_ms(m.announced), "f_ms": epoch_ms(applies),
                     "s_ms": epoch_ms(s_start) if s_start is not None else None,
                     "e_ms": epoch_ms(m.suspended_until) if s_start is not None else None,
                     "partly": partly, "target": m.target, "status": m.status,
                     "source_short": source_short(m.source),
                     "effective_text": long_date(m.effective) if pd.notna(m.effective) else "not verified",
                     "measure": m.measure})
        stop = s_start if s_start is not None else end
        if applies > m.announced:
            segments.append((label, i, m.announced, min(applies, stop), PHASES[0]))
        if applies < stop:
            segments.append((label, i, applies, stop, PHASES[1]))
        if s_start is not None:
            segments.append((label, i, s_start, m.suspended_until, PHASES[2] if partly else PHASES[3]))
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
    chosen = events[events["kind"].isin(["export control", "truce"]) & (events["date_precision"] == "day")
                    & (events["year"] >= int(HORIZON[0][:4]))]
    dates = chosen.groupby("date", as_index=False).agg(title=("title", " + ".join)).sort_values("date")
    dates["ms"] = dates["date"].map(epoch_ms)
    dates["label"] = [f"{long_date(d)}: {t}" for d, t in zip(dates["date"], dates["title"])]
    return dates.reset_index(drop=True)


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
    on_date = alt.param(name="on_date", value=int(dates.set_index("date").loc[start, "ms"]),
                        bind=alt.binding_select(options=[int(v) for v in dates["ms"]],
                                                labels=list(dates["label"]), name="Situation on: "))
    y = alt.Y("row:N", title=None, sort=alt.EncodingSortField("order", op="min"),
              axis=alt.Axis(labelLimit=255, labelFontSize=11))
    bars = alt.Chart(segments).mark_bar(height=12, stroke="#7b8794", strokeWidth=0.5).encode(
        x=alt.X("start:T", title="Date", scale=alt.Scale(type="utc", domain=list(HORIZON)),
                axis=alt.Axis(format="%Y", labelAngle=0, tickCount="year")),
        x2="end:T", y=y,
        color=alt.Color("phase:N", title="Phase", sort=PHASES,
                        scale=alt.Scale(domain=PHASES, range=PHASE_COLOURS),
                        legend=alt.Legend(columns=1, labelLimit=260)),
        tooltip=[alt.Tooltip("row:N", title="Measure"), alt.Tooltip("phase:N", title="Phase"),
                 alt.Tooltip("from_text:N", title="From"), alt.Tooltip("to_text:N", title="To")])
    rule = alt.Chart(pd.DataFrame({"one": [1]})).transform_calculate(when="on_date").mark_rule(
        color=charts.colour_of("China"), strokeWidth=2).encode(x=alt.X("when:T", scale=UTC))
    left = (bars + rule).add_params(on_date).properties(width=230, height=alt.Step(22))
    status = alt.Chart(measures).transform_calculate(state=STATUS_EXPR).mark_text(
        align="left", x=0, fontSize=12, fontWeight="bold").encode(
        y=alt.Y("row:N", axis=None, sort=alt.EncodingSortField("order", op="min")),
        text="state:N",
        color=alt.Color("state:N", legend=None, scale=alt.Scale(domain=STATUS_ORDER, range=STATUS_COLOURS)),
        tooltip=[alt.Tooltip("measure:N", title="Measure"), alt.Tooltip("target:N", title="Aimed at"),
                 alt.Tooltip("effective_text:N", title="Applies from"),
                 alt.Tooltip("status:N", title="Status (2026)"), alt.Tooltip("source_short:N", title="Source")],
    ).properties(width=150, height=alt.Step(22), title=alt.Title("On the date chosen", fontSize=13))
    sources = load_table("export_controls")
    return charts.controls_below(charts.finish(
        alt.hconcat(left, status, spacing=6).resolve_scale(color="independent"),
        title="What the Busan truce suspended, and what stayed in force",
        subtitle="Choose a date in the menu under the chart; the red line moves and the right column updates",
        source=wrap(credit(sources[sources["announced"] >= HORIZON[0]]["source"]), 100),
        description=(
            f"Gantt chart of {len(measures)} Chinese export measures announced from 2023 on, showing when each "
            "was announced, applied and suspended. "
            + " ".join(f"{len(g)} measure{'s' if len(g) > 1 else ''} ({'; '.join(g['row'])}) "
                       f"{'are' if len(g) > 1 else 'is'} {'partly ' if g['partly'].any() else ''}suspended from "
                       f"{long_date(pd.Timestamp(s, unit='ms'))} until {long_date(pd.Timestamp(e, unit='ms'))}."
                       for (s, e), g in measures.dropna(subset=['s_ms']).groupby(['s_ms', 'e_ms']))
            + f" {int(measures['s_ms'].isna().sum())} measures, among them the April 2025 licences, are never "
              "suspended. A menu of key dates shows the status of every measure on that day."),
    ))


def truce_events() -> pd.DataFrame:
    """The events of data/events.csv from October 2025 to the end of 2026 (controls, diplomacy,
    truce), with a start and end date: a month-precise event spans its month."""
    events = load_table("events")
    chosen = events[(events["date"] >= "2025-10") & events["kind"].isin(["export control", "diplomacy", "truce"])].copy()
    start = [pd.Timestamp(d + "-01") if p == "month" else pd.Timestamp(d)
             for d, p in zip(chosen["date"], chosen["date_precision"])]
    chosen["start"] = [day(s) for s in start]
    chosen["end"] = [day(s + pd.offsets.MonthEnd(0)) if p == "month" else day(s)
                     for s, p in zip(start, chosen["date_precision"])]
    chosen["when"] = [when_text(d, p) for d, p in zip(chosen["date"], chosen["date_precision"])]
    chosen["precise"] = chosen["date_precision"].map(
        lambda p: "to the day" if p == "day" else "to the month only: the bar spans the month")
    chosen = chosen.sort_values(["start", "title"]).reset_index(drop=True)
    chosen["row"] = [f"{w} · {t}" for w, t in zip(chosen["when"], chosen["title"])]
    chosen["order"] = range(len(chosen))
    chosen["source_short"] = chosen["source"].map(source_short)
    chosen["note"] = chosen["note"].fillna("")
    return chosen[["row", "order", "start", "end", "when", "precise", "title", "summary", "actors",
                   "kind", "source", "source_short", "note"]]


def truce_timeline() -> alt.VConcatChart:
    """Timeline of the Busan episode, October 2025 to November 2026: dots for events known to the
    day, bars for those known only to the month; click a kind in the legend to highlight it."""
    frame = truce_events()
    kinds = ["export control", "diplomacy", "truce"]
    pick = alt.selection_point(name="pick_kind", fields=["kind"], bind="legend")
    colour = alt.Color("kind:N", title="Kind (click to highlight)", sort=kinds,
                       scale=alt.Scale(domain=kinds, range=["#b03a2e", "#1f5fa8", "#0f8a5f"]))
    base = alt.Chart(frame).encode(
        y=alt.Y("row:N", title=None, sort=alt.EncodingSortField("order", op="min"),
                axis=alt.Axis(labelLimit=330, labelFontSize=11)),
        x=alt.X("start:T", title="Date", axis=alt.Axis(format="%b %Y", labelAngle=0),
                scale=alt.Scale(type="utc", domain=[day(pd.Timestamp(frame["start"].min()) - pd.Timedelta(days=20)),
                                                    day(pd.Timestamp(frame["end"].max()) + pd.Timedelta(days=20))])),
        color=colour, opacity=alt.condition(pick, alt.value(1), alt.value(0.15)),
        tooltip=[alt.Tooltip("when:N", title="When"), alt.Tooltip("precise:N", title="Date known"),
                 alt.Tooltip("summary:N", title="What happened"), alt.Tooltip("actors:N", title="Actors"),
                 alt.Tooltip("source_short:N", title="Source"), alt.Tooltip("note:N", title="Note")])
    spans = base.transform_filter("datum.start != datum.end").mark_bar(height=10).encode(x2="end:T")
    dots = base.transform_filter("datum.start == datum.end").mark_point(filled=True, size=90)
    chart = (spans + dots).add_params(pick).properties(width=300, height=alt.Step(20))
    return charts.finish(
        chart,
        title="From the October 2025 licences to the end of the truce",
        subtitle="Events of data/events.csv; bars are events known only to the month; hover for details",
        source=wrap(credit(frame["source"]), 100),
        description=(
            f"Timeline of {len(frame)} events from {frame['when'].iloc[0]} to {frame['when'].iloc[-1]}: "
            + "; ".join(frame["row"]) + "."),
    )


# --------------------------------------------------------------------------------------------
# Links from a chapter into the scenario explorer
# --------------------------------------------------------------------------------------------

def explorer_links(*presets: str):
    """A list of links that open the scenario explorer page on the given presets (as HTML, so
    that the static page needs no Sphinx cross-reference)."""
    import html

    from IPython.display import HTML

    from widgets import explorer

    items = [f'<li><a href="{html.escape(explorer.explorer_link(name))}">{html.escape(name)}</a></li>'
             for name in presets]
    return HTML('<ul class="explorer-links">' + "".join(items) + "</ul>")
