"""The reader's first pages and the citations, as built (_build/html, no browser): the landing
page, the tab titles, the bibliography's labels against the text's, one citation per run, the
source cards, and the search page's script."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tools.site import site_pages
from widgets.data import load_table
from widgets.paths import SITE, toc_pages

BOOK_HTML = SITE / "book"
LANDING = BOOK_HTML / "index.html"
CITATION = re.compile(r'<span class="bibtex-citation"[^>]*>(.*?)</span>', re.S)
WORK = re.compile(r'<a class="reference internal" href="references\.html#([^"]+)"[^>]*>([^<]+)</a>')
PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def main_text(markup: str) -> str:
    """What a reader reads in a page's article: no scripts, no styles, no tags."""
    body = markup[markup.index('<main id="main-content"') : markup.index("</main>")]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", body)).split())


def citations_in(markup: str) -> list[tuple[tuple[str, str], ...]]:
    """Each citation of ``markup`` as its works: ((entry id, label as printed), ...)."""
    return [tuple(WORK.findall(span)) for span in CITATION.findall(markup)]


@pytest.fixture(scope="module")
def book_pages() -> dict[str, str]:
    return {page: read(SITE / f"{page}.html") for page in toc_pages()}


def title_of(markup: str) -> str:
    return html.unescape(re.search(r"<title>(.*?)</title>", markup, re.S).group(1).strip())


def test_the_landing_page_names_the_site_once_in_its_tab(book_pages):
    site = title_of(read(LANDING))
    assert site == "Terres rares: the geopolitics of rare earths"
    for page, markup in book_pages.items():
        title = title_of(markup)
        assert title.count(site) == 1, (page, title)
        if page != "book/index":
            assert title.endswith(f" — {site}") and len(title) > len(site) + 3, (page, title)


def test_the_landing_page_opens_with_a_chart_and_two_ways_in():
    markup = read(LANDING)
    actions = re.search(r'<div class="hero-actions[^"]*">(.*?)</div>', markup, re.S).group(1)
    links = re.findall(r'<a class="reference internal" href="([^"]+)">(.*?)</a>', actions, re.S)
    links = [(href, re.sub(r"<[^>]+>", "", text).strip()) for href, text in links]
    assert links == [
        ("01-what-are-rare-earths.html", "Start reading"),
        ("scenario-explorer.html", "Open the scenario explorer"),
    ]
    assert markup.count('class="vega-embed tr-chart"') == 1, "one chart on the landing page"
    assert markup.index("hero-actions") < markup.index('class="vega-embed tr-chart"')


def test_running_the_chapters_live_is_in_the_instructor_guide_not_on_the_landing_page():
    landing = main_text(read(LANDING))
    guide = main_text(read(BOOK_HTML / "instructor-guide.html"))
    for words in ("make live", ".venv", "Running the chapters live"):
        assert words not in landing, words
        assert words in guide, words


def bibliography_labels() -> dict[str, str]:
    """Entry id on references.html -> its label as printed ("Lepesant, 2025")."""
    markup = read(BOOK_HTML / "references.html")
    found = re.findall(
        r'<div class="citation" id="([^"]+)" role="doc-biblioentry">\s*'
        r'<span class="label"><span class="fn-bracket">\[</span>([^<]+)<span',
        markup,
    )
    return {anchor: html.unescape(label) for anchor, label in found}


def test_the_text_cites_a_work_by_the_label_the_bibliography_prints(book_pages):
    labels = bibliography_labels()
    assert len(labels) == len(load_table("sources")) - 1  # iso3166 is a code list, not a work
    assert len(set(labels.values())) == len(labels), "two entries share a label"
    seen, several = 0, 0
    for page, markup in book_pages.items():
        for span in CITATION.findall(markup):
            works = WORK.findall(span)
            assert works, (page, span)
            seen += len(works)
            for anchor, text in works:
                assert html.unescape(text) == labels[anchor], (page, text, labels[anchor])
            # "[USGS, 2026a; USGS, 2025]": a label holds a comma, so works are split by "; "
            printed = html.unescape(re.sub(r"<[^>]+>", "", span))
            assert printed == "[" + "; ".join(html.unescape(t) for _, t in works) + "]", printed
            several += len(works) > 1
    assert seen > 100 and several > 0


def test_the_bibliography_lists_the_five_documents_first_each_part_in_the_order_of_its_labels():
    markup = read(BOOK_HTML / "references.html")
    parts = markup.split("<h2>")[2:]  # [0]: before the text, [1]: the theme's page contents
    assert [p.split("<", 1)[0].strip() for p in parts] == [
        "The five documents this site retells",
        "Datasets, official texts and press reports",
    ]
    register = load_table("sources").set_index("source")
    labels = bibliography_labels()
    for index, part in enumerate(parts):
        ids = re.findall(r'<div class="citation" id="([^"]+)"', part)
        assert ids, index
        printed = [re.sub(r"[^a-z0-9 ]", "", labels[i].lower()) for i in ids]
        assert printed == sorted(printed), index
    seeds = re.findall(r'<div class="citation" id="([^"]+)"', parts[0])
    assert len(seeds) == (register["kind"] == "seed").sum()


def test_a_paragraph_never_cites_the_same_work_twice_in_a_row(book_pages):
    """book/_ext/terres_rares_citations.py drops a citation that the next one repeats; in
    the sources, chapter 2 alone cites Lepesant more than 20 times."""
    repeats, kept = [], 0
    for page, markup in book_pages.items():
        for paragraph in PARAGRAPH.findall(markup):
            anchors = citations_in(paragraph)
            kept += len(anchors)
            repeats += [(page, a) for a, b in zip(anchors, anchors[1:], strict=False) if a == b]
    assert kept > 100 and not repeats, repeats[:5]


def test_about_the_sources_shows_cards_and_no_internal_key():
    markup = read(BOOK_HTML / "about-sources.html")
    register = load_table("sources")
    assert markup.count('<li class="source-card">') == len(register), "every source, once"
    text = main_text(markup)
    shown = [key for key in register["source"] if re.search(rf"\b{re.escape(key)}\b", text)]
    assert not shown, shown
    assert "<table" not in markup[markup.index('<main id="main-content"') :]


def test_the_search_page_alone_loads_the_search_tweaks():
    pages = site_pages(SITE)
    with_script = [p for p in pages if "search-tweaks.js" in read(SITE / p)]
    assert with_script == ["search.html"]


# Reader-facing text names no internals (issue 12, item 2): no column names written as code
# (claim_pct), no snake_case key, no path or file of the project (data/, widgets/, a .csv or a
# .py file), except where a reader needs them: code blocks, the names of downloaded files, and
# the Data page's lists of what each column of a downloaded CSV means (and the key each source
# has in those files), and the code of the explorer's table of equations (each name explained
# beside it).
IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
PROJECT_PATH = re.compile(r"(?<![\w/.])(?:data|widgets|book|tests|tools)/|\b[\w-]+\.(?:csv|py)\b")
DOWNLOAD_LINK = re.compile(r"<a\b[^>]*\bdownload\b[^>]*>.*?</a>", re.S)
COLUMN_LISTS = re.compile(
    r'<dl class="csv-columns">.*?</dl>|<table\b[^>]*(?:catalogue-table|model-formulas).*?</table>',
    re.S,
)
CODE = re.compile(r"<code\b.*?</code>", re.S)
URL = re.compile(r"\bhttps?://\S+")
# Pages written for someone who runs the project (its set-up names its folders and commands).
FOR_THE_PROJECT = {"book/instructor-guide"}


def reader_text(markup: str) -> str:
    """A page's article as a student reads it, without code blocks, the names of downloaded
    files, and the column names and source keys inside the Data page's column lists."""
    body = markup[markup.index('<main id="main-content"') : markup.index("</main>")]
    body = re.sub(r"<(script|style|pre)\b.*?</\1>", " ", body, flags=re.S)
    body = DOWNLOAD_LINK.sub(" ", body)
    body = COLUMN_LISTS.sub(lambda m: CODE.sub(" ", m.group(0)), body)
    return URL.sub(" ", " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split()))


def test_reader_text_names_no_column_key_or_project_file(book_pages):
    found = {}
    for page, markup in book_pages.items():
        if page in FOR_THE_PROJECT:
            continue
        text = reader_text(markup)
        hits = IDENTIFIER.findall(text) + PROJECT_PATH.findall(text)
        if hits:
            found[page] = sorted(set(hits))
    assert not found, found


def test_the_reader_text_check_sees_what_it_must_refuse():
    page = (
        '<main id="main-content"><p>kept in <code>claim_pct</code>, see data/events.csv</p>'
        '<a href="x.csv" download>Download events.csv</a><pre>load_table("events")</pre>'
        "<p>https://www.wto.org/english/tratop_e/dispu_e/cases_e/ds431_e.htm</p>"
        '<dl class="csv-columns"><dt><code>date_precision</code></dt><dd>How precise</dd></dl>'
        "</main>"
    )
    text = reader_text(page)
    assert IDENTIFIER.findall(text) == ["claim_pct"]
    assert PROJECT_PATH.findall(text) == ["data/", "events.csv"]


TABLE = re.compile(r"<table\b([^>]*)>(.*?)</table>", re.S)


def test_every_table_of_the_book_has_a_phone_layout_and_keeps_its_headers(book_pages):
    """book/_ext/terres_rares_tables.py: a prose table's body cells carry their column's header
    (the stylesheet prints it on a phone); a short-celled table sits in a box that scrolls
    sideways, with its hint. Either way it is still a table with a header row."""
    kinds = {"cards": 0, "scroll": 0}
    for page, markup in book_pages.items():
        main = markup[markup.index('<main id="main-content"') :]
        for match in TABLE.finditer(main):
            attrs, inside = match.groups()
            headers = [
                html.unescape(" ".join(re.sub(r"<[^>]+>", " ", h).split()))
                for h in re.findall(r"<th\b[^>]*>(.*?)</th>", inside.split("</thead>")[0], re.S)
            ]
            assert "<thead" in inside and headers, (page, inside[:200])
            if "tr-cards" in attrs:
                kinds["cards"] += 1
                for row in re.findall(r"<tr\b[^>]*>(.*?)</tr>", inside.split("<tbody")[1], re.S):
                    labels = re.findall(r'<t[dh]\b[^>]*data-label="([^"]*)"', row)
                    assert [html.unescape(x) for x in labels] == headers, (page, row[:200])
            else:
                before = main[: match.start()]
                assert "tr-scroll-table" in attrs, (page, attrs, inside[:200])
                assert before.rstrip().endswith("scroll sideways →</span>"), (page, inside[:200])
                kinds["scroll"] += 1
    assert kinds["cards"] > 20 and kinds["scroll"] > 0, kinds
