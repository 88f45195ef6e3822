"""The 17 rare earths as tiles, with the groups a reader can highlight: heavy ones, magnet
metals and the lists China put under licence (chapters 1 and 3)."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd

from widgets import charts
from widgets.data import load_table
from widgets.sources import credit, notes
from widgets.text import long_date

# --------------------------------------------------------------------------------------------
# Chapters 1 and 3: the 17 elements, and which of them China put under licence
# --------------------------------------------------------------------------------------------

ELEMENT_SYMBOL = re.compile(r"\b([A-Z][a-z]?)\b")


def licensed_element_lists() -> list[dict]:
    """China's licence measures on rare earths that name elements, from table export_controls:
    [{'key': 'april_2025', 'date': ..., 'symbols': {...}, 'label': ..., 'status': ...}, ...]."""
    symbols = set(load_table("rare_earth_elements")["symbol"])
    controls = load_table("export_controls")
    controls = controls[
        (controls["element_group"] == "rare earths") & (controls["instrument"] == "licence")
    ]
    lists = []
    for row in controls.sort_values("announced").itertuples():
        named = {s for s in ELEMENT_SYMBOL.findall(row.elements.split(" (")[0]) if s in symbols}
        if not named:
            continue
        stamp = pd.Timestamp(row.announced)
        suspended = pd.notna(row.suspended_until)
        # short enough for the menu to show it whole on a phone (46 characters)
        label = (
            f"Announced {long_date(stamp)}, suspended to {long_date(row.suspended_until)}"
            if suspended
            else f"Under licence since {long_date(stamp)}"
        )
        lists.append(
            {
                "key": f"{stamp:%B}_{stamp:%Y}".lower(),
                "date": stamp,
                "symbols": named,
                "label": label,
                "status": row.status,
                "source": row.source,
            }
        )
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
    table["note"] = notes(table["note"])
    return table


FOLD = 8  # lanthanides on the first row of a phone's table


def element_views() -> list[tuple[str, str]]:
    """(key, label) of every way the element chart can colour the elements."""
    return [
        ("heavy", "Heavy rare earths (USGS list)"),
        ("magnets", "Magnet metals named in the documents"),
    ] + [(i["key"], i["label"]) for i in licensed_element_lists()]


def rare_earth_elements(start: str = "heavy") -> charts.ControlsBelow:
    """The 17 rare earths as tiles (scandium and yttrium above the 15 lanthanides); a menu picks
    which group is highlighted: heavy ones, magnet metals, or those China put under licence."""
    table = elements_table()
    views = element_views()
    keys = [k for k, _ in views]
    if start not in keys:
        raise ValueError(f"unknown view {start!r}; choose one of {keys}")
    view = alt.param(
        name="element_view",
        value=start,
        bind=alt.binding_select(
            options=keys, labels=[label for _, label in views], name="Highlight: "
        ),
    )
    licence_tips = [
        alt.Tooltip(f"{i['key']}_text:N", title=i["label"]) for i in licensed_element_lists()
    ]
    base = (
        alt.Chart(table)
        .add_params(view)
        .transform_calculate(on="datum[element_view] ? 1 : 0")
        # on a phone's column the 15 lanthanides take two rows (La-Gd, then Tb-Lu)
        .transform_calculate(folded=f"containerSize()[0] < {charts.NARROW} && datum.col >= {FOLD}")
        .transform_calculate(
            tile_col=f"datum.folded ? datum.col - {FOLD} : datum.col",
            tile_row="datum.folded ? datum.row + 1 : datum.row",
        )
        .encode(
            x=alt.X("tile_col:O", axis=None),
            y=alt.Y("tile_row:O", axis=None),
            tooltip=[
                alt.Tooltip("name:N", title="Element"),
                alt.Tooltip("french:N", title="French"),
                alt.Tooltip("atomic_number:Q", title="Atomic number"),
                alt.Tooltip("heavy_text:N", title="Heavy for USGS"),
                alt.Tooltip("magnet_text:N", title="Magnet metal (named by the documents)"),
            ]
            + licence_tips
            + [alt.Tooltip("note:N", title="Note")],
        )
    )
    tiles = base.mark_rect(stroke="white", strokeWidth=2, cornerRadius=3).encode(
        color=alt.when("datum.on == 1")
        .then(alt.value(charts.HIGHLIGHT))
        .otherwise(alt.value(charts.LAND))
    )
    symbols = base.mark_text(fontSize=14, fontWeight="bold", dy=3).encode(
        text="symbol:N",
        color=alt.when("datum.on == 1")
        .then(alt.value(charts.WHITE))
        .otherwise(alt.value(charts.TEXT_COLOUR)),
    )
    numbers = base.mark_text(fontSize=11, dy=-11).encode(
        text="atomic_number:Q",
        color=alt.when("datum.on == 1")
        .then(alt.value(charts.WHITE))
        .otherwise(alt.value(charts.MUTED_COLOUR)),
    )
    grid = (tiles + symbols + numbers).properties(width=alt.Step(36), height=alt.Step(40))
    lanthanides = int((table.series == "lanthanide").sum())
    count = (
        alt.Chart(table)
        .transform_calculate(on="datum[element_view] ? 1 : 0")
        .transform_aggregate(n="sum(on)", total="count()")
        .transform_calculate(text="datum.n + ' of ' + datum.total + ' elements highlighted'")
        .mark_text(align="left", x=0, fontSize=12, color=charts.TEXT_COLOUR)
        .encode(text="text:N")
        .properties(height=16, width=FOLD * 36)
    )
    lists = licensed_element_lists()
    return charts.controls_below(
        charts.finish(
            alt.vconcat(grid, count, spacing=6),
            title=f"The {len(table)} rare earths",
            subtitle=f"Scandium and yttrium sit above the {lanthanides} lanthanides, as in the periodic "
            "table; hover or tap a tile",
            source=credit(
                ["lepesant2025", "iupac_periodic_table", "usgs_mcs2026_heavy", "caremag2025"]
                + [i["source"] for i in lists],
                "Licence lists: the export-control log of the Data page.",
                width=110,
            ),
            description=(
                f"Tiles of the {len(table)} rare-earth elements: scandium, yttrium and the "
                f"{(table.series == 'lanthanide').sum()} lanthanides from lanthanum to lutetium. A menu highlights "
                f"the heavy rare earths in USGS's list ({', '.join(table[table.heavy].name)}), the magnet metals "
                f"({', '.join(table[table.magnets].name)})"
                + "".join(
                    f", or those of the measure '{i['label']}' ({', '.join(sorted(i['symbols']))})"
                    for i in lists
                )
                + "."
            ),
        )
    )
