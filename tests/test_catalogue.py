"""The register of sources as "About the sources" shows it (widgets.catalogue.sources_table): one
card per source, in words a student reads (no internal keys), every URL a link that wraps."""

from __future__ import annotations

import html
import re

import pytest

from widgets.catalogue import published, sources_table
from widgets.data import load_table

REGISTER = load_table("sources")
KINDS = sorted(set(REGISTER["kind"]))


def visible_text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


@pytest.mark.parametrize("kind", KINDS)
def test_one_card_per_source_with_its_name_and_no_key(kind):
    markup = sources_table(kind).data
    rows = REGISTER[REGISTER["kind"] == kind]
    assert markup.count('<li class="source-card">') == len(rows)
    text = visible_text(markup)
    for row in rows.itertuples():
        assert html.escape(row.short) in markup, row.source
        assert not re.search(rf"\b{re.escape(row.source)}\b", text), f"key {row.source} shown"
        if isinstance(row.url, str):
            assert f'<a href="{html.escape(row.url)}">' in markup, row.source


def test_the_whole_register_is_one_card_per_source():
    assert sources_table().data.count('<li class="source-card">') == len(REGISTER)


def test_an_unknown_kind_is_refused_by_name():
    with pytest.raises(ValueError, match="'blog'"):
        sources_table("blog")


@pytest.mark.parametrize(
    ("value", "shown"),
    [("2012", "2012"), ("2025-11", "Nov 2025"), ("2026-02-02", "2 Feb 2026"), (None, "not stated")],
)
def test_publication_dates_read_as_words(value, shown):
    assert published(value) == shown


def test_a_malformed_publication_date_is_refused():
    with pytest.raises(ValueError, match="'2025/11'"):
        published("2025/11")


def test_the_notebook_links_list_the_chapters_not_the_landing_page():
    from widgets.catalogue import notebook_links

    markup = notebook_links().data
    assert "01-what-are-rare-earths.ipynb" in markup and "scenario-explorer.ipynb" in markup
    assert "index.ipynb" not in markup
