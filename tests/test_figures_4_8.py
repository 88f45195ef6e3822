"""Charts and tables of chapters 4-8 (widgets/figures_responses.py and its data).

Every chart has a title, a source line and a description; every cell of the instrument matrix
and every place of the map cites a known source; the figures that the seed documents give are
the ones in data/ (parsed from the seed text itself where the seeds are available); the numbers
each chart is built from are recomputed here from the tables, never copied from an output.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qsl

import altair as alt
import pandas as pd
import pytest

from widgets import charts
from widgets import figures_responses as fr
from widgets import scenario as sc
from widgets.data import load_table
from widgets.explorer import preset_slug

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
CHAPTERS = ["04-asia", "05-united-states", "06-europe", "07-caremag", "08-conclusion"]
SOURCE_KEYS = set(load_table("sources")["source"])


def spec_of(chart) -> dict:
    return chart.to_dict()


def all_titles(spec) -> list[str]:
    """Every title text in a spec, flattened (titles may be lists of lines)."""
    found = []
    if isinstance(spec, dict):
        title = spec.get("title")
        if isinstance(title, dict):
            text = title.get("text", "")
            found += text if isinstance(text, list) else [text]
        elif isinstance(title, str):
            found.append(title)
        for value in spec.values():
            found += all_titles(value)
    elif isinstance(spec, list):
        for value in spec:
            found += all_titles(value)
    return found


# --------------------------------------------------------------------------- every figure
@pytest.mark.parametrize("name", sorted(fr.figure_functions()))
def test_every_figure_has_a_title_a_source_line_and_a_description(name):
    spec = spec_of(fr.figure_functions()[name]())
    source_lines = spec["title"]["text"]
    source = " ".join(source_lines) if isinstance(source_lines, list) else source_lines
    assert source.startswith("Source:"), source
    assert len(spec["description"]) > 80, "the description says what the chart shows"
    heading = spec["vconcat"][0]["title"]["text"]
    assert heading and not heading.startswith("Source"), heading


@pytest.mark.parametrize("name", sorted(fr.figure_functions()))
def test_every_figure_names_only_registered_sources(name):
    spec = spec_of(fr.figure_functions()[name]())
    source = " ".join(spec["title"]["text"])
    shorts = load_table("sources")["short"]
    named = [s for s in shorts if s in source]
    assert named or "scenario model" in source, f"{name}: its source line names no registered source"


@pytest.mark.parametrize("name", sorted(fr.figure_functions()))
def test_every_figure_can_be_read_by_hovering(name):
    spec = json.dumps(spec_of(fr.figure_functions()[name]()))
    assert '"tooltip"' in spec, f"{name}: nothing to read on hover"


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_chapter_has_a_chart_with_a_selection_or_an_input(name):
    text = (BOOK / f"{name}.md").read_text(encoding="utf-8")
    calls = re.findall(r"figures_responses\.(\w+)\(([^)]*)\)", text)
    interactive = []
    for function, args in calls:
        if function not in fr.figure_functions():
            continue
        kwargs = dict(re.findall(r'(\w+)="([^"]*)"', args))
        if '"params"' in json.dumps(fr.figure_functions()[function](**kwargs).to_dict()):
            interactive.append(function)
    assert len([c for c in calls if c[0] in fr.figure_functions()]) >= 2, f"{name}: fewer than two charts"
    assert interactive, f"{name}: no chart with a selection or a bound input"


@pytest.mark.parametrize("name", sorted(fr.figure_functions()))
def test_every_figure_fits_the_page_column(name):
    import vl_convert
    svg = vl_convert.vegalite_to_svg(spec_of(fr.figure_functions()[name]()))
    width = float(re.search(r'width="([\d.]+)"', svg).group(1))
    assert width <= 690, f"{name} is {width:.0f} px wide; the page column is about 690 px"


def test_source_lines_are_cut_into_short_lines():
    lines = fr.sources_line(["lepesant2025"] * 3 + list(SOURCE_KEYS), "a caveat")
    assert len(lines) > 1 and all(len(line) <= fr.SOURCE_WIDTH for line in lines)
    assert lines[0].startswith("Source: ")


# --------------------------------------------------------------------------- chapter 4
def test_japan_chart_plots_every_estimate_of_the_table():
    table = load_table("japan_china_share")
    spec = spec_of(fr.japan_import_share())
    data = [d for d in spec["datasets"].values() if isinstance(d, list) and d and "value_pct" in d[0]]
    shown = {(row["id"], row["value_pct"]) for dataset in data for row in dataset}
    assert {(r.id, r.value_pct) for r in table.itertuples()} <= shown


def test_japan_chart_draws_japans_targets_from_the_targets_table():
    targets = load_table("policy_targets").set_index("id")
    text = " ".join(all_titles({"x": spec_of(fr.japan_import_share())}))
    spec = json.dumps(spec_of(fr.japan_import_share()))
    assert f"under {targets.loc['jp_single_supplier', 'value']:g} %" in spec
    assert f"{int(targets.loc['jp_self_sufficiency', 'deadline_year'])}: " \
           f"{targets.loc['jp_self_sufficiency', 'value']:g} % self-sufficiency" in spec
    assert "Japan" in text


def test_every_japan_estimate_has_a_definition_and_a_registered_source():
    table = load_table("japan_china_share")
    assert table["measure"].str.len().min() > 20
    assert set(table["source"]) <= SOURCE_KEYS
    ranges = table[table["bound"] == "range"]
    assert (ranges["value_high_pct"] > ranges["value_pct"]).all()
    assert table[table["bound"] != "range"]["value_high_pct"].isna().all()


def test_both_the_60_and_the_70_percent_figures_are_kept():
    values = set(load_table("japan_china_share")["value_pct"])
    assert {60, 70} <= values


def test_label_offsets_keep_labels_apart():
    xs, ys = [100, 102, 104, 106], [50, 50, 51, 50]
    offsets = fr.label_offsets(xs, ys, [40] * 4)
    boxes = [(x + dx, y + dy - 6.5, x + dx + 40, y + dy + 6.5) for (x, y), (dx, dy) in zip(zip(xs, ys), offsets)]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)


# --------------------------------------------------------------------------- the matrix
def test_matrix_has_every_actor_and_instrument_pair_with_the_table_counts():
    table = load_table("policy_instruments")
    cells = fr.instrument_cells()
    assert len(cells) == len(fr.ACTORS) * len(fr.INSTRUMENTS)
    expected = table.groupby(["actor", "instrument"]).size()
    for row in cells.itertuples():
        assert row.count == expected.get((row.actor, row.instrument), 0), (row.actor, row.instrument)
    assert cells["count"].sum() == len(table)


def test_every_matrix_measure_cites_a_registered_source():
    table = load_table("policy_instruments")
    assert table["source"].notna().all()
    assert set(table["source"]) <= SOURCE_KEYS
    assert set(table["actor"]) == set(fr.ACTORS)
    assert set(table["instrument"]) <= set(fr.INSTRUMENTS)


def test_matrix_panel_lists_every_measure_with_its_source():
    measures = fr.instrument_measures()
    assert len(measures) == len(load_table("policy_instruments"))
    sources = load_table("sources").set_index("source")
    for row in measures.itertuples():
        assert f"source: {sources.loc[row.source, 'short']}" in row.detail


def test_only_china_uses_export_controls():
    cells = fr.instrument_cells()
    controls = cells[(cells["instrument"] == "export controls and market access") & (cells["count"] > 0)]
    assert list(controls["actor"]) == ["China"]


def test_matrix_opens_on_the_focus_actor():
    spec = spec_of(fr.instrument_matrix(focus="South Korea"))
    params = [p for p in json.dumps(spec).split('"name": "cell"')]
    assert len(params) > 1
    assert '"actor": "South Korea"' in json.dumps(spec)
    with pytest.raises(ValueError):
        fr.instrument_matrix(focus="Atlantis")


# --------------------------------------------------------------------------- the map
def test_every_place_has_coordinates_and_two_sources():
    places = load_table("places")
    assert places[["latitude", "longitude"]].notna().all().all()
    assert places["latitude"].between(-90, 90).all() and places["longitude"].between(-180, 180).all()
    assert set(places["source"]) <= SOURCE_KEYS and set(places["location_source"]) <= SOURCE_KEYS
    assert places["location_url"].str.match(r"https?://").all()


def test_the_places_named_in_the_brief_are_on_the_map():
    names = " ".join(load_table("places")["place"])
    for place in ["Mount Weld", "Kalgoorlie", "Malaysia", "Goiás", "Mountain Pass", "Tomtor", "Lacq",
                  "La Rochelle", "Narva", "Murmansk", "Kutessay"]:
        assert place in names, place
    partners = set(load_table("relations")["partner"])
    assert {"Kazakhstan", "Uzbekistan", "Greenland", "Ukraine", "Saudi Arabia"} <= partners


def test_middle_corridor_stops_are_numbered_in_order():
    stops = load_table("places").dropna(subset=["route_order"]).sort_values("route_order")
    assert list(stops["route_order"]) == list(range(1, len(stops) + 1))
    assert stops["longitude"].is_monotonic_decreasing, "the corridor runs from east to west"


def test_every_tied_country_is_a_country_of_the_world_outline():
    ids = charts.atlas_country_ids()
    for partner in set(load_table("relations")["partner"]):
        assert fr.ATLAS_NAMES.get(partner, partner) in ids, partner
    frame = fr.map_relations_frame()
    assert len(frame) == load_table("relations")["partner"].nunique()


def test_the_map_inlines_the_world_outline():
    spec = spec_of(fr.partners_map())
    topologies = [d for d in spec["datasets"].values() if isinstance(d, dict) and d.get("type") == "Topology"]
    assert len(topologies) == 1 and len(topologies[0]["objects"]["countries"]["geometries"]) > 150
    assert '"feature": "countries"' in json.dumps(spec)
    assert "http" not in json.dumps([d for d in spec.get("data", {}).values()] if isinstance(spec.get("data"), dict) else [])


def test_a_missing_world_outline_names_make_vendor(tmp_path):
    with pytest.raises(FileNotFoundError, match="make vendor"):
        charts.world_atlas_topology(tmp_path / "countries-110m.json")


def test_the_map_filter_counts_places_by_actor():
    places = load_table("places")
    for actor in ("Japan", "China", "European Union"):
        expected = places["actors"].str.split("; ").apply(lambda a: actor in a).sum()
        description = spec_of(fr.partners_map(actor=actor))["description"]
        assert f"Showing {actor}: {expected} places" in description


# --------------------------------------------------------------------------- chapters 5 to 7
def test_parts_of_a_sum_point_to_it_and_do_not_exceed_it():
    money = load_table("financing").set_index("id")
    parts = money.dropna(subset=["part_of"])
    assert len(parts) >= 3
    for parent, group in parts.groupby("part_of"):
        assert parent in money.index
        assert group["amount_million"].sum() <= money.loc[parent, "amount_million"]


def test_money_chart_keeps_each_part_right_under_its_sum():
    frame = fr.us_money_frame()
    for i, row in frame.iterrows():
        if row["part_of"]:
            above = frame.loc[:i - 1]
            parent_position = above.index[above["id"] == row["part_of"]]
            assert len(parent_position) == 1, row["id"]
            between = frame.loc[parent_position[0] + 1:i - 1]
            assert between["part_of"].eq(row["part_of"]).all(), row["id"]


def test_price_floor_top_up_is_the_gap_below_the_floor():
    frame = fr.price_floor_frame()
    floor = load_table("price_floors").set_index("id").loc["ndpr_mp", "level_usd_per_kg"]
    prices = load_table("magnet_oxide_prices")
    prices = prices[prices["product"] == "NdPr oxide"].set_index("year")["price_usd_per_kg"]
    for row in frame.itertuples():
        assert row.top_up == max(0.0, floor - prices.loc[row.year])


def test_both_versions_of_the_price_floor_are_kept():
    floors = load_table("price_floors").set_index("id")
    assert floors.loc["ndpr_mp", "product"] == "NdPr oxide" and floors.loc["ndpr_mp", "source"] == "defence_mp2025"
    assert floors.loc["dysprosium_lepesant", "product"] == "Dysprosium oxide"
    assert pd.isna(floors.loc["dysprosium_lepesant", "level_usd_per_kg"])


def test_eu_targets_chart_sets_every_target_against_a_situation():
    frame = fr.eu_targets_frame()
    targets = load_table("policy_targets")
    eu = targets[targets["actor"] == "European Union"].set_index("stage")["value"]
    assert dict(zip(frame["stage"], frame["value"])) == eu.to_dict()
    assert frame["situation"].str.len().min() > 20
    assert frame.set_index("stage").loc["extraction", "share_pct"] == 0


def test_caremag_coverage_uses_the_scenario_defaults_and_the_plant_output():
    plant = load_table("caremag_plant").set_index("id")
    frame = fr.caremag_coverage_frame().set_index("importer")
    for importer in sc.IMPORTERS:
        scenario = sc.default_scenario(importer, "heavy_dytb")
        expected = plant.loc["dy_tb_oxides", "tonnes_per_year"] / scenario.annual_demand_t
        assert frame.loc[importer, "cover_all"] == pytest.approx(expected)
        assert frame.loc[importer, "demand_basis"] in ("document", "dataset", "assumption")


def test_caremag_claim_is_flagged_as_the_companys():
    plant = load_table("caremag_plant")
    claims = plant.dropna(subset=["claim_pct"])
    assert list(claims["id"]) == ["dy_tb_oxides"]
    assert "claim" in json.dumps(spec_of(fr.caremag_flows())).lower()


# --------------------------------------------------------------------------- chapter 8
def test_scoreboard_matches_the_model_run_independently():
    frame = fr.scoreboard_frame()
    for name in fr.SCOREBOARD_PRESETS:
        base = sc.preset(name)
        params = sc.parameter_table(base.importer, base.element_group).set_index("parameter")
        demand = sc.summarize(base)["demand_tonnes"]
        rows = frame[frame["preset"] == name].set_index("lever")
        assert rows.loc[fr.NO_LEVER, "unmet_tonnes"] == pytest.approx(sc.summarize(base)["unmet_tonnes"])
        for label, field in fr.LEVERS:
            changed = base.with_changes(**{field: float(params.loc[field, "high"])}
                                        if field not in sc.MONTH_PARAMETERS else {field: int(params.loc[field, "high"])})
            unmet = sc.summarize(changed)["unmet_tonnes"]
            assert rows.loc[label, "unmet_share_of_base"] == pytest.approx(unmet / demand), (name, label)


def test_a_lever_never_makes_things_worse():
    frame = fr.scoreboard_frame()
    for name, rows in frame.groupby("preset"):
        base = rows[rows["lever"] == fr.NO_LEVER]["unmet_tonnes"].iloc[0]
        assert (rows["unmet_tonnes"] <= base + 1e-9).all(), name


def test_every_scoreboard_link_opens_an_existing_preset_with_valid_fields():
    slugs = {preset_slug(n) for n in sc.preset_names()}
    for link in fr.scoreboard_frame()["link"]:
        page, fragment = link.split("#", 1)
        assert page == "scenario-explorer.html"
        query = dict(parse_qsl(fragment))
        assert query.pop("preset") in slugs
        assert set(query) <= set(sc.PARAMETERS), query


def test_scoreboard_table_has_one_link_per_answer():
    html = fr.scoreboard_table().data
    assert html.count("<a href=\"scenario-explorer.html#preset=") == len(fr.LEVERS) + 2


def test_timeline_counts_what_is_due_by_bessents_deadline():
    frame = fr.milestones_frame()
    claim = frame.set_index("id").loc["bessent_claim"]
    due = int((frame["start_year"] <= claim["end_year"]).sum())
    assert f"{due} of them are due" in spec_of(fr.bessent_timeline())["description"]
    assert fr._month_text(float(claim["end_year"])) == "October 2027"


# --------------------------------------------------------------------------- the chapters
@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_links_into_the_explorer_open_existing_presets(name):
    text = (BOOK / f"{name}.md").read_text(encoding="utf-8")
    slugs = {preset_slug(n) for n in sc.preset_names()}
    for fragment in re.findall(r"scenario-explorer\.html#([^\"')\s]+)", text):
        query = dict(parse_qsl(fragment))
        assert query.get("preset") in slugs, fragment


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_cites_only_known_references_and_links_known_terms(name):
    text = (BOOK / f"{name}.md").read_text(encoding="utf-8")
    bib = (BOOK / "references.bib").read_text(encoding="utf-8")
    keys = set(re.findall(r"@\w+\{([^,]+),", bib))
    for key in re.findall(r"\{cite\}`([^`]+)`", text):
        assert key in keys, key
    terms = {t.lower() for t in load_table("glossary")["term"]}
    for term in re.findall(r"\{term\}`([^`]+)`", text):
        term = " ".join(term.split())
        target = re.search(r"<([^>]+)>$", term)
        assert (target.group(1) if target else term).lower() in terms, term


def test_chapters_show_every_chart_of_the_module():
    text = " ".join((BOOK / f"{name}.md").read_text(encoding="utf-8") for name in CHAPTERS)
    for name in fr.figure_functions():
        assert f"figures_responses.{name}(" in text, name


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_has_exercises_a_discussion_and_a_self_check(name):
    text = (BOOK / f"{name}.md").read_text(encoding="utf-8")
    exercises = re.findall(r"```\{exercise\}\n:label: ([\w-]+)\n\n(.*?)```", text, flags=re.S)
    assert len(exercises) >= 3
    assert any("Discussion" in body for _, body in exercises), "one discussion question"
    assert any(re.search(r"\bchart|the map|the matrix|the timeline|the scoreboard", body) for _, body in exercises), \
        "a data question answered with the charts"
    quiz = re.search(r"## Check your understanding\n(.*?)\n## ", text, flags=re.S)
    assert quiz, "a self-check section"
    questions = re.findall(r"^\d+\. ", quiz.group(1), flags=re.M)
    answers = re.findall(r"```\{admonition\} Answer\n\s*:class: dropdown", quiz.group(1))
    assert len(questions) >= 3 and len(answers) == len(questions), "every question has a hidden answer"
    assert "{term}" in text and "{cite}" in text
