"""The one helper that turns keys of data/sources.csv into what a reader sees."""

from __future__ import annotations

import re

import pytest

from widgets import sources
from widgets.data import load_table
from widgets.text import SOURCE_WIDTH

KEYS = list(load_table("sources")["source"])


def test_a_credit_names_each_source_once_in_order_of_first_use():
    register = load_table("sources").set_index("source")
    first, second = KEYS[0], KEYS[1]
    line = " ".join(sources.credit([second, first, second, None, float("nan")]))
    assert line == f"Source: {register.loc[second, 'short']}; {register.loc[first, 'short']}"


def test_source_lines_are_cut_into_short_lines():
    lines = sources.credit(["lepesant2025"] * 3 + KEYS, "a caveat")
    assert len(lines) > 1 and all(len(line) <= SOURCE_WIDTH for line in lines)
    assert lines[0].startswith("Source: ") and lines[-1].endswith("a caveat")


def test_an_unknown_key_is_an_error_that_names_it():
    with pytest.raises(KeyError, match="atlantis2030"):
        sources.short("atlantis2030")
    with pytest.raises(ValueError, match="at least one key"):
        sources.credit([None])


def test_the_kind_of_a_source_comes_from_the_register():
    register = load_table("sources").set_index("source")
    for key in KEYS:
        assert sources.kind(key) == register.loc[key, "kind"]


def test_a_note_shows_short_credits_where_the_table_names_keys():
    register = load_table("sources").set_index("source")
    note = "lepesant2025 cites a figure; japan2026_before stays (not a key)"
    shown = sources.readable(note)
    assert shown.startswith(register.loc["lepesant2025", "short"]) and "japan2026_before" in shown
    import pandas as pd

    assert list(sources.notes(pd.Series([None, "caremag2025"]))) == [
        "",
        register.loc["caremag2025", "short"],
    ]


def test_the_generated_glossary_names_sources_as_readers_know_them_never_by_key():
    import sys

    from widgets.paths import BOOK

    sys.path.insert(0, str(BOOK / "_ext"))
    import terres_rares_site

    page = terres_rares_site.glossary_markdown()
    keys = set(sources.register().index)
    cited = set(re.findall(r"\(Source: ([^)]*(?:\([^)]*\))?)\.\)", page))
    assert cited, "every glossary entry ends with its source"
    assert not cited & keys, f"raw source keys in the glossary: {sorted(cited & keys)}"
    assert cited <= set(sources.register()["short"]), sorted(
        cited - set(sources.register()["short"])
    )
