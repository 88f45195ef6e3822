"""The scoreboard agrees with the model run independently; its links open existing presets."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from widgets import scenario as sc
from widgets.data import load_table
from widgets.explorer import preset_slug
from widgets.figures import answers

SOURCE_KEYS = set(load_table("sources")["source"])


def test_scoreboard_matches_the_model_run_independently():
    frame = answers.scoreboard_frame()
    for name in answers.SCOREBOARD_PRESETS:
        base = sc.preset(name)
        params = sc.parameter_table(base.importer, base.element_group).set_index("parameter")
        demand = sc.summarize(base)["demand_tonnes"]
        rows = frame[frame["preset"] == name].set_index("lever")
        assert rows.loc[answers.NO_LEVER, "unmet_tonnes"] == pytest.approx(
            sc.summarize(base)["unmet_tonnes"]
        )
        for label, field in answers.LEVERS:
            changed = base.with_changes(
                **{field: float(params.loc[field, "high"])}
                if field not in sc.MONTH_PARAMETERS
                else {field: int(params.loc[field, "high"])}
            )
            unmet = sc.summarize(changed)["unmet_tonnes"]
            assert rows.loc[label, "unmet_share_of_base"] == pytest.approx(unmet / demand), (
                name,
                label,
            )


def test_a_lever_never_makes_things_worse():
    frame = answers.scoreboard_frame()
    for name, rows in frame.groupby("preset"):
        base = rows[rows["lever"] == answers.NO_LEVER]["unmet_tonnes"].iloc[0]
        assert (rows["unmet_tonnes"] <= base + 1e-9).all(), name


def test_every_scoreboard_link_opens_an_existing_preset_with_valid_fields():
    slugs = {preset_slug(n) for n in sc.preset_names()}
    for link in answers.scoreboard_frame()["link"]:
        page, fragment = link.split("#", 1)
        assert page == "scenario-explorer.html"
        query = dict(parse_qsl(fragment))
        assert query.pop("preset") in slugs
        assert set(query) <= set(sc.PARAMETERS), query


def test_scoreboard_table_has_one_link_per_answer():
    html = answers.scoreboard_table().data
    assert html.count('<a href="scenario-explorer.html#preset=') == len(answers.LEVERS) + 2


def test_explorer_links_open_the_presets_of_the_scenario_model():
    from widgets import explorer
    from widgets import scenario as sc

    names = sc.preset_names()[:2]
    html = answers.explorer_links(*names).data
    for name in names:
        assert f'href="{explorer.explorer_link(name)}"' in html


def test_the_scoreboard_writes_shares_with_the_result_sentences_rounding_rule():
    """One rounding rule for every share of demand the site prints (reliability review, F1):
    the scoreboard's labels are the words of scenario.percent_words, ties rounded half up."""
    frame = answers.scoreboard_frame()
    expected = frame["unmet_share_of_base"].map(sc.percent_words)
    assert list(frame["percent_text"]) == list(expected)
    assert (
        sc.percent_words(0.125) == "13\u00a0%" and sc.percent_words(0.001) == "less than 1\u00a0%"
    )
