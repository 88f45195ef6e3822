"""The map: places with coordinates and sources, ties to countries of the world outline."""

from __future__ import annotations

import json

import pytest

from widgets.data import load_table
from widgets.figures import world_map

SOURCE_KEYS = set(load_table("sources")["source"])


def test_every_place_has_coordinates_and_two_sources():
    places = load_table("places")
    assert places[["latitude", "longitude"]].notna().all().all()
    assert (
        places["latitude"].between(-90, 90).all() and places["longitude"].between(-180, 180).all()
    )
    assert set(places["source"]) <= SOURCE_KEYS and set(places["location_source"]) <= SOURCE_KEYS
    assert places["location_url"].str.match(r"https?://").all()


def test_the_places_named_in_the_brief_are_on_the_map():
    names = " ".join(load_table("places")["place"])
    for place in [
        "Mount Weld",
        "Kalgoorlie",
        "Malaysia",
        "Goiás",
        "Mountain Pass",
        "Tomtor",
        "Lacq",
        "La Rochelle",
        "Narva",
        "Murmansk",
        "Kutessay",
    ]:
        assert place in names, place
    partners = set(load_table("relations")["partner"])
    assert {"Kazakhstan", "Uzbekistan", "Greenland", "Ukraine", "Saudi Arabia"} <= partners


def test_middle_corridor_stops_are_numbered_in_order():
    stops = load_table("places").dropna(subset=["route_order"]).sort_values("route_order")
    assert list(stops["route_order"]) == list(range(1, len(stops) + 1))
    assert stops["longitude"].is_monotonic_decreasing, "the corridor runs from east to west"


def test_every_tied_country_is_a_country_of_the_world_outline():
    ids = world_map.atlas_country_ids()
    for partner in set(load_table("relations")["partner"]):
        assert world_map.ATLAS_NAMES.get(partner, partner) in ids, partner
    frame = world_map.map_relations_frame()
    assert len(frame) == load_table("relations")["partner"].nunique()


def test_the_map_inlines_the_world_outline():
    spec = world_map.partners_map().to_dict()
    topologies = [
        d for d in spec["datasets"].values() if isinstance(d, dict) and d.get("type") == "Topology"
    ]
    assert len(topologies) == 1 and len(topologies[0]["objects"]["countries"]["geometries"]) > 150
    assert '"feature": "countries"' in json.dumps(spec)
    assert "http" not in json.dumps(
        list(spec.get("data", {}).values()) if isinstance(spec.get("data"), dict) else []
    )


def test_a_missing_world_outline_names_make_vendor(tmp_path):
    with pytest.raises(FileNotFoundError, match="make vendor"):
        world_map.world_atlas_topology(tmp_path / "countries-110m.json")


def test_the_map_filter_counts_places_by_actor():
    places = load_table("places")
    for actor in ("Japan", "China", "European Union"):
        expected = places["actors"].str.split("; ").apply(lambda a, actor=actor: actor in a).sum()
        description = world_map.partners_map(actor=actor).to_dict()["description"]
        assert f"Showing {actor}: {expected} places" in description
