"""The world map of the places and partnerships the documents name (chapters 5 and 6)."""

from __future__ import annotations

import json
from pathlib import Path

import altair as alt
import pandas as pd

from widgets import charts, paths
from widgets.data import load_table
from widgets.figures.instruments import ACTORS
from widgets.sources import credit, notes, short

MAP_ACTORS = ACTORS + ("Australia", "Russia")
ALL = "All"
# Names of the site (data/countries.csv) that the world outline spells differently.
ATLAS_NAMES = {
    "United States": "United States of America",
    "Burma (Myanmar)": "Myanmar",
    "Democratic Republic of the Congo": "Dem. Rep. Congo",
    "Türkiye": "Turkey",
}
WORLD_ATLAS = paths.VENDOR / "world-atlas" / "countries-110m.json"  # vendored by `make vendor`


# --------------------------------------------------------------------------- the world outline
def world_atlas_topology(path: Path | None = None) -> dict:
    """The world outline (npm package world-atlas, countries at 1:110 million) as a TopoJSON dict.

    The file is vendored by ``make vendor``; it is read here and inlined in each map's spec, so
    that maps draw offline, in live notebooks and in PNG exports alike.
    """
    path = Path(path) if path is not None else WORLD_ATLAS
    if not path.is_file():
        raise FileNotFoundError(
            f"world outline not found at {path}: run `make vendor` (it copies the npm package "
            "world-atlas into book/_vendor/vendor/world-atlas/)"
        )
    return json.loads(path.read_text(encoding="utf-8"))


def world_countries_data(path: Path | None = None) -> alt.InlineData:
    """The countries of the world outline, inlined in the spec (each feature keeps its ISO
    numeric ``id`` and ``properties.name``)."""
    return alt.InlineData(
        values=world_atlas_topology(path),
        format=alt.DataFormat(type="topojson", feature="countries"),
    )


def atlas_country_ids(path: Path | None = None) -> dict[str, str]:
    """{country name in the atlas: ISO numeric id} for every country of the world outline."""
    geometries = world_atlas_topology(path)["objects"]["countries"]["geometries"]
    return {g["properties"]["name"]: g["id"] for g in geometries if g.get("id")}


# --------------------------------------------------------------------------- the map
def map_relations_frame() -> pd.DataFrame:
    """One row per country of the world outline tied to at least one actor: its atlas id and,
    per actor, the ties the documents name (empty when none), plus an 'All' summary."""
    relations = load_table("relations")
    ids = atlas_country_ids()
    records = {}
    for row in relations.itertuples(index=False):
        atlas_name = ATLAS_NAMES.get(row.partner, row.partner)
        if atlas_name not in ids:
            raise ValueError(
                f"data/relations.csv: {row.partner!r} is not a country of the world outline"
            )
        rec = records.setdefault(
            ids[atlas_name], {"atlas_id": ids[atlas_name], "country": row.partner}
        )
        text = f"{row.what} ({row.when})"
        rec[row.actor] = f"{rec[row.actor]}; {text}" if row.actor in rec else text
    frame = pd.DataFrame(list(records.values()))
    for actor in MAP_ACTORS:
        if actor not in frame:
            frame[actor] = None
    frame[ALL] = [
        ", ".join(a for a in ACTORS if isinstance(r[a], str)) for _, r in frame.iterrows()
    ]
    frame[ALL] = "Tied to: " + frame[ALL]
    return frame.astype(object).where(frame.notna(), None)


def map_places_frame() -> pd.DataFrame:
    """The places of data/places.csv with the texts the map shows."""
    places = load_table("places").copy()
    places["note"] = notes(places["note"])
    places["precision_text"] = places["precision"].map(
        {
            "site": "the site itself (approximate)",
            "town": "the town (approximate)",
            "region": "a whole region, drawn at its capital",
        }
    )
    places["source_short"] = places["source"].map(short)
    places["route_order"] = places["route_order"].astype("Float64")
    return places


def partners_map(actor: str = ALL) -> charts.ControlsBelow:
    """World map of the places and partnerships the documents name, with a menu to show one
    actor's places (symbols) and the countries it is tied to (shaded)."""
    if actor not in (ALL,) + MAP_ACTORS:
        raise ValueError(f"actor must be {ALL!r} or one of {', '.join(MAP_ACTORS)}, not {actor!r}")
    places = map_places_frame()
    relations = map_relations_frame()
    lookup_fields = [ALL] + list(MAP_ACTORS)
    chosen = alt.param(
        name="actor",
        value=actor,
        bind=alt.binding_select(
            options=[ALL] + list(MAP_ACTORS), name="Show the places and ties of: "
        ),
    )
    projection = "equalEarth"
    world = (
        alt.Chart(world_countries_data())
        .transform_filter(
            "datum.id != '010'"  # Antarctica: no place of the documents, much space
        )
        .transform_lookup(
            lookup="id",
            from_=alt.LookupData(
                data=alt.InlineData(values=relations.to_dict("records")),
                key="atlas_id",
                fields=lookup_fields,
            ),
        )
        .transform_calculate(
            tie="datum[actor]",
            shade="actor",
            tie_text="isValid(datum[actor]) ? datum[actor] : 'No tie named in the documents'",
        )
        .mark_geoshape(stroke="white", strokeWidth=0.5)
        .encode(
            color=alt.when("isValid(datum.tie)")
            .then(
                alt.Color(
                    "shade:N",
                    legend=None,
                    scale=alt.Scale(
                        domain=[ALL] + list(MAP_ACTORS),
                        range=[charts.GREY] + [charts.colour_of(a) for a in MAP_ACTORS],
                    ),
                )
            )
            .otherwise(alt.value(charts.LAND)),
            opacity=alt.when("isValid(datum.tie)").then(alt.value(0.55)).otherwise(alt.value(1)),
            tooltip=[
                alt.Tooltip("properties.name:N", title="Country"),
                alt.Tooltip("tie_text:N", title="Ties"),
            ],
        )
        .project(type=projection)
    )
    visible = "actor == 'All' || indexof(split(datum.actors, '; '), actor) >= 0"
    corridor = (
        alt.Chart(places)
        .transform_filter("isValid(datum.route_order)")
        .transform_filter(visible)
        .mark_line(
            strokeDash=[5, 3],
            strokeWidth=2.5,
            color=charts.colour_of("European Union"),
            # no ARIA role: the line is empty for most actors, and an empty
            # graphics-symbol without a label is an accessibility error; the
            # chart's description and the corridor stops say where it runs.
            aria=False,
        )
        .encode(longitude="longitude:Q", latitude="latitude:Q", order="route_order:Q")
        .project(type=projection)
    )
    kinds = [
        "mine or deposit",
        "refinery",
        "recycling and refining plant",
        "company base",
        "meeting",
        "corridor stop",
    ]
    symbols = (
        alt.Chart(places)
        .transform_filter(visible)
        .mark_point(filled=True, size=95, stroke="white", strokeWidth=1, opacity=0.95)
        .encode(
            longitude="longitude:Q",
            latitude="latitude:Q",
            shape=alt.Shape(
                "kind:N",
                title="Kind of place",
                scale=alt.Scale(
                    domain=kinds,
                    range=["triangle-up", "square", "diamond", "cross", "circle", "circle"],
                ),
            ),
            color=alt.Color(
                "kind:N",
                title="Kind of place",
                scale=alt.Scale(
                    domain=kinds,
                    range=[
                        charts.CAVEAT,
                        charts.TEXT_COLOUR,
                        charts.GREEN,
                        charts.MUTED_COLOUR,
                        charts.ROSE,
                        charts.NAVY,
                    ],
                ),
            ),
            tooltip=[
                alt.Tooltip("place:N", title="Place"),
                alt.Tooltip("what:N", title="What"),
                alt.Tooltip("actors:N", title="Whose strategy"),
                alt.Tooltip("precision_text:N", title="The point marks"),
                alt.Tooltip("source_short:N", title="Source"),
                alt.Tooltip("note:N", title="Note"),
            ],
        )
        .project(type=projection)
    )
    chart = (
        alt.layer(world, corridor, symbols)
        .add_params(chosen)
        .resolve_scale(color="independent", shape="independent")
        .properties(width=610, height=330)
    )
    shown = (
        places
        if actor == ALL
        else places[places["actors"].str.split("; ").apply(lambda a: actor in a)]
    )
    keys = (
        list(places["source"])
        + list(places["location_source"])
        + list(load_table("relations")["source"])
    )
    return charts.controls_below(
        charts.finish(
            chart,
            title="Where the answers to China take place",
            subtitle=[
                "Symbols: mines, refineries, plants and meetings named in the documents",
                "Shaded: the countries tied to the chosen actor",
                "Pick an actor in the menu under the map; hover or tap a symbol or a country for details",
            ],
            source=credit(
                keys,
                "Locations approximate; Texas, Goiás and Murmansk oblast are drawn at their "
                "capitals; the Middle Corridor line is schematic. World outline: world-atlas "
                "(Natural Earth).",
            ),
            description=(
                f"World map with {len(places)} places named in the documents and {len(relations)} countries "
                f"tied to one of the actors. Showing {actor if actor != ALL else 'all actors'}: "
                f"{len(shown)} places, for example {', '.join(shown['place'].head(4))}. A menu chooses the actor; "
                f"the dashed line is the Middle Corridor from Kazakhstan to Türkiye."
            ),
        )
    )
