"""Reading the charts of the published site in Debian's chromium: the values Vega draws (read
from each mark's aria-label) and the tooltips equal the rows of the tables in data/. Each page is opened once for the module
(``shared_visit``): the tests only read it and hover its marks."""

from __future__ import annotations

from widgets.data import load_table

from .pages import ASIA, CH2
from .vega import aria_fields, aria_labels, chart_at, chart_titled, tooltip


def test_production_bars_read_back_equal_the_usgs_table(shared_visit):
    page = shared_visit(CH2).page
    chart = chart_titled(page, "Rare-earth mine production by country")
    shown = {
        (f["Country"], int(f["Year"])): float(f["Tonnes"].replace(",", ""))
        for f in aria_fields(chart, "g.mark-rect.role-mark path")
        if {"Country", "Year", "Tonnes"} <= f.keys()
    }
    table = load_table("production_by_country")
    table = table[table["preferred"] & (table["country"] != "World")]
    main = ["China", "United States", "Burma (Myanmar)", "Australia"]
    expected = {}
    for row in table.itertuples():
        key = (row.country if row.country in main else "Other countries", int(row.year))
        expected[key] = expected.get(key, 0.0) + float(row.production_t_reo)
    assert shown == expected


def test_hovering_china_in_2019_shows_its_tonnage_from_the_table(shared_visit):
    page = shared_visit(CH2).page
    chart = chart_titled(page, "Rare-earth mine production by country")
    china = load_table("production_by_country")
    china = china[china["preferred"] & (china["country"] == "China") & (china["year"] == 2019)]
    chart.locator(
        "g.mark-rect.role-mark path[aria-label*='Country: China;'][aria-label*='Year: 2019;']"
    ).first.hover(force=True)
    assert f"{china['production_t_reo'].iloc[0]:,.0f}" in tooltip(page)


def test_hovering_an_event_of_the_century_chart_names_it(shared_visit):
    page = shared_visit(CH2).page
    chart = chart_titled(page, "World rare-earth mine production")
    events = load_table("events")
    first = events.sort_values("date").iloc[0]
    chart.locator("g.mark-text.role-mark text", has_text=str(first["title"])).first.hover(
        force=True
    )
    assert str(first["title"]) in tooltip(page)


def test_the_china_share_chart_shows_one_dot_per_claim(shared_visit):
    page = shared_visit(CH2).page
    chart = chart_titled(page, "China's share of rare earths")
    shown = sorted(
        float(f["China's share (%)"])
        for f in aria_fields(chart, "g.mark-symbol.role-mark path")
        if "China's share (%)" in f
    )
    assert shown == sorted(load_table("china_share_claims")["value_pct"].astype(float))


def test_japan_chart_shows_every_estimate_of_the_table(shared_visit):
    page = shared_visit(ASIA).page
    labels = aria_labels(
        chart_at(page, 0), "g.mark-symbol.role-mark path, g.mark-rule.role-mark line"
    )
    shown = " | ".join(labels)
    for row in load_table("japan_china_share").itertuples():
        assert f"As written: {row.value_text}" in shown, row.id


def test_hovering_a_matrix_cell_shows_its_measures(shared_visit):
    page = shared_visit(ASIA).page
    matrix = chart_at(page, 1)
    table = load_table("policy_instruments")
    first = table[
        (table["actor"] == "South Korea")
        & (table["instrument"] == "alliances and trade agreements")
    ]
    first = first.sort_values("year").iloc[0]
    cell = matrix.locator(
        "g.mark-rect.role-mark path[aria-label*='Actor: South Korea; Instrument: alliances and trade agreements;']"
    ).first
    cell.hover(force=True)
    assert first["measure"] in tooltip(page)
