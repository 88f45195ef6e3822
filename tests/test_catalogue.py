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


def test_the_data_page_explains_every_column_of_every_table_in_words():
    from widgets.catalogue import data_page
    from widgets.data import load_schema, table_names

    markup = data_page().data
    lists = re.findall(r'<dl class="csv-columns">(.*?)</dl>', markup, re.S)
    names = table_names()
    assert len(lists) == len(names)
    for name, columns in zip(names, lists, strict=True):
        schema = load_schema(name)
        terms = re.findall(r"<dt><code>([^<]+)</code></dt><dd>(.*?)</dd>", columns, re.S)
        assert [t for t, _ in terms] == [f["name"] for f in schema["fields"]], name
        for term, meaning in terms:
            words = visible_text(re.sub(r"<code>.*?</code>", "", meaning))
            assert len(words.split()) >= 2 and "data/" not in words, (name, term, words)
    # a column that names a source says so in words, not as "a key of data/sources.csv"
    assert (
        visible_text(markup).count("The source of the row: a source's short name") >= len(names) - 5
    )
    assert f'href="#table-{names[0]}"' in markup.split("</nav>")[0], "a list of the tables first"


def test_a_table_description_on_the_data_page_names_no_column_or_file():
    from widgets.data import load_schema, table_names

    for name in table_names():
        description = load_schema(name)["description"]
        assert not re.search(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|data/|\.csv|\.py", description), (
            name,
            description,
        )
