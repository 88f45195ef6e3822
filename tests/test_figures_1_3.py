"""The charts of chapters 1-3: each is complete (title, source line, description, units) and
shows exactly the rows of its tables in data/. Expected values are computed from the tables, never
copied from a chart."""
from __future__ import annotations

import re
from pathlib import Path

import altair as alt
import jupytext
import pandas as pd
import pytest

from widgets import charts, figures
from widgets.data import load_table

BOOK = Path(__file__).resolve().parent.parent / "book"
CHAPTERS = ["01-what-are-rare-earths", "02-china-supremacy", "03-busan-truce"]
FIGURES = [figures.world_production, figures.production_by_country, figures.production_2019_compared,
           figures.reserves_and_production, figures.china_share_by_stage, figures.market_in_perspective,
           figures.rare_earth_elements, figures.export_controls_timeline, figures.measures_in_force,
           figures.truce_timeline]


TIME_ONLY = {figures.export_controls_timeline, figures.measures_in_force, figures.truce_timeline}


def _views(spec: dict):
    yield spec
    for key in ("vconcat", "hconcat", "concat", "layer"):
        for child in spec.get(key, []):
            yield from _views(child)


def _datasets(spec: dict) -> list[list[dict]]:
    return list(spec.get("datasets", {}).values())


def _params(spec: dict) -> list[dict]:
    return [p for view in _views(spec) for p in view.get("params", [])]


def _source_line(spec: dict) -> str:
    text = spec["title"]["text"]
    return " ".join(text) if isinstance(text, list) else text


@pytest.mark.parametrize("build", FIGURES, ids=lambda f: f.__name__)
def test_every_chart_of_chapters_1_to_3_has_title_source_and_description(build):
    spec = build().to_dict()
    assert _source_line(spec).startswith("Source:")
    assert spec["title"]["orient"] == "bottom"
    assert len(spec["description"]) > 80
    inner_titles = [v.get("title") for v in _views(spec) if v is not spec and v.get("title")]
    assert inner_titles, "the chart has no title of its own"


@pytest.mark.parametrize("build", FIGURES, ids=lambda f: f.__name__)
def test_quantities_on_axes_carry_their_unit(build):
    spec = build().to_dict()
    titles = [enc[ch].get("title") for view in _views(spec) for enc in [view.get("encoding", {})]
              for ch in ("x", "y") if ch in enc and enc[ch].get("type") == "quantitative"
              and enc[ch].get("title") and enc[ch]["title"] != "Year"]
    assert titles or build is figures.rare_earth_elements or build in TIME_ONLY
    for title in titles:
        assert "(" in title, f"axis title without a unit: {title!r}"


def test_every_chart_called_by_the_chapters_exists_and_chapters_show_at_least_two():
    for name in CHAPTERS:
        cells = [c.source for c in jupytext.read(BOOK / f"{name}.md", fmt="md:myst").cells
                 if c.cell_type == "code"]
        called = re.findall(r"figures\.(\w+)\(", "\n".join(cells))
        assert len(called) >= 2, name
        for function in called:
            assert callable(getattr(figures, function, None)), f"{name} calls figures.{function}"


def test_each_chapter_has_a_chart_that_reacts_to_the_reader():
    interactive = set()
    for build in FIGURES:
        if _params(build().to_dict()):
            interactive.add(build.__name__)
    for name in CHAPTERS:
        text = (BOOK / f"{name}.md").read_text(encoding="utf-8")
        used = set(re.findall(r"figures\.(\w+)\(", text))
        assert used & interactive, f"{name} has no chart with a menu, a selection or a brush"


# --- the century chart ------------------------------------------------------------------------

def test_the_century_chart_marks_every_chinese_export_control_and_the_key_milestones():
    events = load_table("events")
    markers = figures.world_production_events(1900, 2025)
    listed = " ".join(markers["events"])
    controls = events[(events["kind"] == "export control") & events["actors"].str.startswith("China")
                      & (events["year"] <= 2025)]
    assert len(controls) > 5
    for title in controls["title"]:
        assert title in listed, title
    for year, title in [(1973, "export"), (1975, "strateg"), (2012, "Mountain Pass")]:
        row = events[(events["year"] == year) & events["title"].str.contains(title)]
        assert not row.empty and row["title"].iloc[0] in listed


def test_event_labels_of_the_century_chart_never_overlap():
    markers = figures.world_production_events(1900, 2025)
    spans = {}
    for r in markers.itertuples():
        x = (r.year - 1900) / (2025 - 1900) * figures.PLOT_WIDTH
        width = len(r.label) * figures.LABEL_PX_PER_CHAR
        span = (x - width, x) if r.align == "right" else (x, x + width)
        for other in spans.get(r.row, []):
            assert span[1] < other[0] or span[0] > other[1], f"{r.label} overlaps on line {r.row}"
        spans.setdefault(r.row, []).append(span)


# --- production by country and China's share ------------------------------------------------------

def test_production_groups_add_up_to_every_preferred_country_figure():
    table = load_table("production_by_country")
    table = table[table["preferred"] & (table["country"] != "World")]
    expected = table.groupby("year")["production_t_reo"].sum()
    expected.index = expected.index.astype(int)
    groups = figures.production_groups().groupby("year")["tonnes"].sum()
    pd.testing.assert_series_equal(groups.sort_index(), expected.astype(float).rename("tonnes").sort_index(),
                                   check_names=False, check_index_type=False)


def test_china_share_shown_each_year_is_computed_from_the_edition_of_that_years_world_total():
    table = load_table("production_by_country")
    world = table[table["preferred"] & (table["country"] == "World")].set_index("year")
    china = table[table["preferred"] & (table["country"] == "China")].set_index("year")
    shares = figures.china_share_by_year().set_index("year")
    assert set(shares.index) == set(int(y) for y in world.index)
    for year in shares.index:
        ratio = 100 * china.loc[year, "production_t_reo"] / world.loc[year, "production_t_reo"]
        assert shares.loc[year, "value_pct"] == pytest.approx(ratio, abs=0.05), year


def test_the_2019_chart_sets_every_figure_of_caremag2025_beside_the_revised_usgs_one():
    table = load_table("production_by_country")
    seed = table[table["vintage"] == figures.SEED_VINTAGE]
    frame = figures.production_2019_editions()
    for row in seed.itertuples():
        shown = frame[(frame.country == row.country) & (frame.source == "caremag2025")]
        assert shown["production_t_reo"].iloc[0] == row.production_t_reo
        revised = table[(table.year == 2019) & table.preferred & (table.country == row.country)]
        usgs = frame[(frame.country == row.country) & (frame.source != "caremag2025")]
        assert usgs["production_t_reo"].iloc[0] == revised["production_t_reo"].iloc[0]


def test_reserves_chart_holds_the_quoted_and_the_latest_reserves():
    reserves = load_table("reserves")
    frame = figures.reserves_and_production_table()
    seed = frame[frame.edition == figures.EDITION_SEED].set_index("country")
    for row in reserves[reserves["vintage"] == figures.SEED_VINTAGE].itertuples():
        assert seed.loc[row.country, "reserves_t"] == row.reserves_t_reo
    latest = frame[frame.edition == figures.EDITION_LATEST].set_index("country")
    for row in reserves[reserves["preferred"] & (reserves["country"] != "World")].itertuples():
        value = latest.loc[row.country, "reserves_t"]
        assert (pd.isna(value) and pd.isna(row.reserves_t_reo)) or value == row.reserves_t_reo
    # Where caremag2025 gives no 2019 production, the USGS figure is shown and says so.
    borrowed = seed[seed["production_source"].str.contains("gives no figure")]
    assert not borrowed.empty and "Caremag" not in " ".join(borrowed["production_source"])


def test_the_china_share_chart_contains_every_row_of_china_share_claims():
    claims = load_table("china_share_claims")
    spec = figures.china_share_by_stage().to_dict()
    rows = [r for data in _datasets(spec) for r in data]
    shown = {(r["id"], r["value_pct"], r["stage"]) for r in rows}
    expected = {(r.id, r.value_pct, r.stage) for r in claims.itertuples()}
    assert shown == expected
    assert set(figures.STAGES) >= set(claims["stage"])


# --- market, elements --------------------------------------------------------------------------

def test_market_chart_shows_the_ifri_figures_and_the_latest_usgs_tonnage():
    market = load_table("market_figures")
    frame = figures.market_table()
    for row in market[market["comparison"].isin(["tonnage", "value"])].itertuples():
        assert row.value in set(frame["value"])
    world = load_table("world_production")
    latest = world[world["preferred"]].sort_values("year").iloc[-1]
    assert float(latest.world_t_reo) in set(frame["value"])


def test_the_licence_lists_of_the_element_chart_come_from_export_controls():
    controls = load_table("export_controls")
    lists = figures.licensed_element_lists()
    assert len(lists) >= 2
    for item in lists:
        row = controls[(controls["announced"] == item["date"]) & (controls["element_group"] == "rare earths")]
        for symbol in item["symbols"]:
            assert re.search(rf"\b{symbol}\b", " ".join(row["elements"])), symbol
    # The reference data say the October 2025 measures bring the controlled rare earths to "12 of 17".
    note = " ".join(controls["note"].dropna())
    controlled, total = map(int, re.search(r"(\d+) of (\d+)", note).groups())
    assert len(set().union(*(i["symbols"] for i in lists))) == controlled
    assert len(load_table("rare_earth_elements")) == total
    october = load_table("quoted_figures").set_index("id").loc["october_2025_licensed_elements", "value"]
    assert len(lists[-1]["symbols"]) == october


def test_the_element_chart_menu_offers_every_view_and_refuses_an_unknown_one():
    spec = figures.rare_earth_elements().to_dict()
    param = next(p for p in _params(spec) if p["name"] == "element_view")
    assert param["bind"]["options"] == [key for key, _ in figures.element_views()]
    table = figures.elements_table()
    for key, _ in figures.element_views():
        assert table[key].dtype == bool and table[key].any()
    with pytest.raises(ValueError):
        figures.rare_earth_elements(start="no such view")


# --- export controls timeline and the Busan charts -----------------------------------------------

def test_the_timeline_holds_every_measure_and_every_quota_step():
    measures = figures.export_measures()
    controls = load_table("export_controls")
    quotas = load_table("export_quotas")
    assert len(measures) == len(controls) + len(quotas) + (measures["kind"] == figures.POLICY).sum()
    assert set(controls["measure"]) <= set(measures["what"])
    assert set(quotas["measure"]) <= set(measures["what"])
    assert measures["row"].is_unique
    assert measures["date"].is_monotonic_increasing
    assert set(measures["kind"]) <= set(figures.KIND_ORDER)
    assert "quota" in set(measures["kind"]) and "licence" in set(measures["kind"])


def test_timeline_menus_list_the_kinds_and_targets_present():
    spec = figures.export_controls_timeline().to_dict()
    params = {p["name"]: p for p in _params(spec)}
    measures = figures.export_measures()
    assert set(params["kind"]["bind"]["options"]) == {"all"} | set(measures["kind"])
    assert set(params["target"]["bind"]["options"]) == {"all"} | set(measures["target_group"])
    periods = params["period"]["bind"]["options"]
    first_year = int(measures["date"].min()[:4])
    assert periods[0] == first_year and periods == sorted(periods) and len(periods) >= 2


def test_busan_chart_suspends_the_october_measures_until_the_date_set_by_the_suspension():
    controls = load_table("export_controls")
    measures, segments = figures.measures_in_force_table()
    suspended = segments[segments.phase.isin(["suspended", "partly suspended"])]
    for row in controls[controls["suspended_until"].notna() & (controls["instrument"] != "suspension")].itertuples():
        rows = suspended[suspended["row"].str.startswith(figures.long_date(row.announced))]
        assert figures.day(row.suspended_until) in set(rows["end"])
    april = measures[measures["row"].str.contains("Sm, Gd, Tb, Dy")]
    assert len(april) == 1 and pd.isna(april["s_ms"].iloc[0]), "the April 2025 licences were not suspended"


def test_busan_menu_offers_the_truce_dates_and_refuses_others():
    events = load_table("events")
    truce_days = set(events[(events["kind"] == "truce") & (events["date_precision"] == "day")]["date"])
    assert truce_days <= set(figures.key_dates()["date"])
    with pytest.raises(ValueError):
        figures.measures_in_force(start="1999-01-01")


def test_events_known_to_the_month_span_their_month_in_the_truce_timeline():
    frame = figures.truce_events()
    months = frame[frame["start"] != frame["end"]]
    assert not months.empty
    for r in months.itertuples():
        start, end = pd.Timestamp(r.start), pd.Timestamp(r.end)
        assert start.day == 1 and (end + pd.Timedelta(days=1)).day == 1 and start.month == end.month


# --- helpers -------------------------------------------------------------------------------------

def test_charts_with_menus_put_them_under_the_chart_without_changing_the_spec():
    chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_point().encode(x="a:Q")
    wrapped = charts.controls_below(chart)
    assert wrapped.to_dict() == chart.to_dict()
    bundle = wrapped._repr_mimebundle_()
    html = (bundle[0] if isinstance(bundle, tuple) else bundle)["text/html"]
    assert "flex-direction: column" in html


def test_short_labels_keep_the_first_item_only():
    assert figures.short_items("Sm, Gd, Tb (metals, oxides)") == "Sm, Gd, Tb"
    assert figures.short_items("Gallium and germanium: metals, compounds") == "Gallium and germanium"
    assert figures.short_items("Technologies: extraction; metals") == "technologies of extraction …"


def test_explorer_links_open_the_presets_of_the_scenario_model():
    from widgets import explorer
    from widgets import scenario as sc

    names = sc.preset_names()[:2]
    html = figures.explorer_links(*names).data
    for name in names:
        assert f'href="{explorer.explorer_link(name)}"' in html


# --- figures the chapters quote in their prose --------------------------------------------------

def _chapter_text(name: str) -> str:
    return re.sub(r"\s+", " ", (BOOK / f"{name}.md").read_text(encoding="utf-8"))


def _tonnes(value) -> str:
    """'25 300' for 25300.0: how the chapters write tonnages."""
    return f"{float(value):,.0f}".replace(",", " ")


def _zero_runs(series: pd.Series) -> list[tuple[int, int]]:
    runs: list[list[int]] = []
    for year in sorted(int(y) for y in series[series == 0].index):
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return [tuple(r) for r in runs]


def test_chapter_2_tells_us_output_as_the_usgs_table_records_it():
    text = _chapter_text("02-china-supremacy")
    series = figures.world_production_series()
    us = series[series.country == "United States"].set_index("year")["tonnes"]
    runs = _zero_runs(us)
    assert len(runs) == 2
    (a, b), (c, d) = runs
    # the peak before the first stop, and when it was passed again
    peak = int(us.loc[:a].idxmax())
    passed = int(us[(us.index > peak) & (us > us.loc[peak])].index.min())
    assert f"a peak of {_tonnes(us.loc[peak])} tonnes in {peak}, a level it did not pass again until {passed}" in text
    # the decline came long after China's first exports
    for year in (1997, 1999):
        assert f"{_tonnes(us.loc[year])} tonnes in {year}" in text, year
    # both stops, the restart between them and the output once mining was back
    assert f"from {a} to {b}" in text and f"in {c} and {d}" in text
    assert f"again in {b + 1}, with {_tonnes(us.loc[b + 1])} tonnes" in text
    assert f"in {d + 1}, at {_tonnes(us.loc[d + 1])} tonnes" in text


def test_chapter_2_names_every_fall_of_world_output_of_more_than_a_fifth():
    text = _chapter_text("02-china-supremacy")
    series = figures.world_production_series()
    world = series[series.country == "World"].set_index("year")["tonnes"].sort_index()
    # Before 1970 output was tiny (the chapter says so) and swung widely from year to year.
    modern = world[world.index >= 1970]
    falls = [(y, world.loc[y - 1], world.loc[y]) for y in modern.index
             if y - 1 in world.index and world.loc[y] < 0.8 * world.loc[y - 1]]
    assert len(falls) >= 2
    for year, before, after in falls:
        assert f"{_tonnes(before)} tonnes in {year - 1} to {_tonnes(after)} in {year}" in text \
            or f"from {_tonnes(before)} tonnes in {year - 1} to {_tonnes(after)}" in text, year
    assert "almost without pause" not in text


def test_japan_import_shares_in_chapter_2_come_from_quoted_figures_with_their_sources():
    text = _chapter_text("02-china-supremacy")
    quoted = load_table("quoted_figures")
    shares = quoted[quoted["id"].str.startswith("japan_import_share")]
    assert set(shares["source"]) >= {"japan2026"} and len(shares) >= 4
    for row in shares.itertuples():
        assert f"{row.value:g} %" in text, row.id
        assert row.source in text, row.id
    before = shares.set_index("id").loc["japan_import_share_china_before", "value"]
    after = shares.set_index("id").loc["japan_import_share_china_after", "value"]
    assert f"about {before:g} % to {after:g} %" in text


def test_prose_figures_of_chapters_2_and_3_come_from_quoted_figures():
    quoted = load_table("quoted_figures").set_index("id")
    ch2, ch3 = _chapter_text("02-china-supremacy"), _chapter_text("03-busan-truce")
    rank = quoted.loc["south_korea_semiconductor_rank"]
    assert rank["value"] == 2 and "second producer of semiconductors since 2013" in ch2
    assert "2013" in rank["as_written"]
    afp, dpa = quoted.loc["washington_countries_afp"], quoted.loc["washington_countries_dpa"]
    assert afp["source"] == "afp_washington" and dpa["source"] == "dpa_ministerial2026"
    assert f"{dpa['value']:g} countries plus the European Commission" in ch3
    assert '"about fifty" countries' in ch3 and "cinquantaine" in afp["as_written"]


def test_the_two_readings_of_the_0_1_percent_rule_are_shown_everywhere_it_is_explained():
    threshold = load_table("quoted_figures").set_index("id").loc["extraterritorial_threshold"]
    ch3 = _chapter_text("03-busan-truce")
    glossary = load_table("glossary").set_index("term").loc["extraterritorial rule"]
    answer = ch3[ch3.index("What did the 0.1 % rule"):ch3.index("True or false")]
    for text in (ch3, answer, glossary["definition"]):
        assert f"{threshold['value']:g} %" in text
        assert "share of content" in text and "share of value" in text
    assert "value" in load_table("export_controls").set_index("announced").loc["2025-10-09", "measure"].str.cat()
