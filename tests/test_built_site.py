"""Gates on the built site (_build/html) that need no browser.

1. Links: every internal link of every page (href, src, srcset, action, meta refresh, and the
   page-relative paths Altair's loader writes into inline scripts) resolves to a file of the site,
   and its #anchor to an id of the target page. On the scenario explorer a fragment such as
   ``#preset=busan-suspension`` is state for the page script: it must name a field and a preset
   the page declares. External links (http, https, mailto) are listed in
   _build/external-links.txt, never fetched. Implemented in tools/check_site.py.
2. HTML validity: the Nu Html Checker (vnu.jar, npm package vnu-jar, run once per session under
   Java 17+) finds no error in the pages and in book/_static/site.css, except the errors listed
   below, each matched by page, exact message and a fragment of the checker's extract.
3. Reproducibility: the comparison used by ``make reproducible`` (tools/reproducible.sh builds
   the site twice from scratch) hides only the ids that are random by design; see
   tools/check_site.RANDOM_IDS. And no file of the site holds an absolute path of the project.
"""

from __future__ import annotations

import fnmatch
import html
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools import check_site
from tools.site import site_pages
from widgets.paths import ROOT, SITE, STATIC

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SITE_CSS = STATIC / "site.css"


@pytest.fixture(scope="module")
def pages() -> list[Path]:
    return [SITE / page for page in site_pages(SITE)]


# ---------------------------------------------------------------------------------------- links
@pytest.fixture(scope="module")
def link_report(pages) -> check_site.LinkReport:
    report = check_site.check_links(SITE)
    check_site.write_external_list(report)
    return report


def test_every_internal_link_resolves(pages, link_report):
    assert link_report.pages == len(pages) and link_report.internal > len(pages)
    # Every page names the site's icon (the link check below finds its file), so no browser asks
    # for a /favicon.ico that the site does not have; the root page only redirects at once (an
    # icon there is a request the redirect aborts: tests/browser/test_reading.py).
    texts = {p.relative_to(SITE).as_posix(): p.read_text("utf-8") for p in pages}
    redirects = [p for p, text in texts.items() if 'http-equiv="refresh"' in text]
    assert redirects == ["index.html"]
    no_icon = [
        p
        for p, text in texts.items()
        if p not in redirects
        and not re.search(r'<link rel="icon" href="[^"]*_static/favicon\.svg"', text)
    ]
    assert no_icon == [], f"pages without the site's icon: {no_icon}"
    assert link_report.broken == [], "broken internal links:\n" + "\n".join(link_report.broken)


def test_external_links_are_listed_not_fetched(pages, link_report):
    lines = check_site.EXTERNAL_LIST.read_text(encoding="utf-8").splitlines()
    assert lines == sorted(set(lines)), "the list of external links is not sorted and unique"
    # Cross-check with a plain search of the pages' markup (independent of the parser).
    found = {
        html.unescape(m[1])
        for page in pages
        for m in re.finditer(
            r"""\b(?:href|src)=["']((?:https?:|mailto:|//)[^"']+)""",
            page.read_text(encoding="utf-8"),
        )
    }
    assert set(lines) == found
    # The bibliography links every source of data/sources.csv that has a URL: the list is never empty.
    assert lines, "no external link found: the references page should link the sources' URLs"


def _write(site: Path, relative: str, body: str) -> None:
    path = site / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>{body}</body></html>',
        encoding="utf-8",
    )


def test_the_link_check_finds_each_kind_of_broken_link(tmp_path):
    protocol = {
        "preset_key": "preset",
        "presets": ["busan"],
        "number_syntax": r"^(\d+(\.\d*)?|\.\d+)$",
        "fields": {"stockpile_days": {"kind": "number", "min": 0, "max": 365, "step": 5}},
    }
    config = html.escape(json.dumps({"link": protocol}), quote=True)
    _write(tmp_path, "index.html", '<a href="book/a.html#there">ok</a> <a href="book/">dir</a>')
    _write(tmp_path, "book/index.html", f'<div id="x" data-config="{config}"></div>')
    _write(
        tmp_path,
        "book/a.html",
        """
        <h2 id="there">A</h2><a name="old"></a>
        <a href="#there">ok</a> <a href="#old">ok</a> <a href="#">ok</a> <a href="a.html?v=1#there">ok</a>
        <img src="../_static/x.png" srcset="../_static/x.png 1x, ../_static/missing2x.png 2x">
        <a href="https://example.org/">external</a> <a href="mailto:a@example.org">mail</a>
        <img src="data:image/png;base64,AA==">
        <a href="index.html#preset=busan&amp;stockpile_days=90">ok</a>
        <a href="missing.html">1</a>
        <a href="a.html#nowhere">2</a>
        <a href="/book/a.html">3</a>
        <a href="../../outside.html">4</a>
        <a href="index.html#preset=nope">5</a>
        <a href="index.html#colour=red">6</a>
        <a href="index.html#stockpile_days=50%25">6b</a>
        <a href="file:///etc/passwd">7</a>
        <script>var paths = {"vega": "../_static/vendor/vega.min.js?noext"};</script>
        <meta http-equiv="refresh" content="0; url=gone.html">
        """,
    )
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "x.png").write_bytes(b"")
    report = check_site.check_links(tmp_path)
    broken = "\n".join(report.broken)
    for expected in [
        "missing2x.png",
        "'missing.html': no file",
        "#nowhere",
        "'/book/a.html': root-absolute",
        "'../../outside.html': points outside",
        'unknown preset "nope"',
        'unknown parameter "colour"',
        'stockpile_days = "50%" is not a plain number',
        "scheme 'file'",
        "inline <script> '../_static/vendor/vega.min.js'",
        "'gone.html': no file",
    ]:
        assert expected in broken, f"{expected!r} not reported in:\n{broken}"
    assert len(report.broken) == 11, broken
    assert sorted(report.external) == ["https://example.org/", "mailto:a@example.org"]


# --------------------------------------------------------------------------------- Nu checker
@dataclass(frozen=True)
class Allowed:
    page: str  # fnmatch pattern, relative to the site root
    message: str  # the checker's message, exactly
    fragment: str  # a distinctive part of the checker's extract
    why: str


# Errors in markup we do not write and cannot change from this project.
UPSTREAM_HTML_ERRORS = [
    Allowed(
        "book/*.html",
        "Duplicate ID “exercise-content”.",
        '<section id="exercise-content">',
        "sphinx-exercise 1.2.1 gives every exercise body the fixed id exercise-content (directive.py)",
    ),
    # The checker's CSS validator predates container queries (CSS Containment Level 3, in
    # Chromium 105+, Firefox 110+, Safari 16+); the explorer lays itself out by its own width.
    Allowed(
        "book/_static/site.css",
        "CSS: “container-type”: Property “container-type” doesn't exist.",
        "container-type: inline-size",
        "vnu's CSS validator does not know container-type (CSS Containment Level 3)",
    ),
    Allowed(
        "book/_static/site.css",
        "CSS: Unrecognized at-rule “@container”",
        "@container (min-",
        "vnu's CSS validator does not know @container (CSS Containment Level 3)",
    ),
    Allowed(
        "book/_static/site.css",
        "CSS: Unrecognized at-rule “@container”",
        "@container (max-",
        "vnu's CSS validator does not know @container (CSS Containment Level 3)",
    ),
    # A table's sideways-scrolling box shows its hint only while it can scroll: a scroll-state
    # container query (CSS Conditional Rules Level 5, Chromium 133+; elsewhere the hint shows).
    Allowed(
        "book/_static/site.css",
        "CSS: “container-type”: Property “container-type” doesn't exist.",
        "container-type: scroll-state",
        "vnu's CSS validator does not know container-type (CSS Containment Level 3)",
    ),
    Allowed(
        "book/_static/site.css",
        "CSS: Unrecognized at-rule “@container”",
        "@container scrol",
        "vnu's CSS validator does not know @container (CSS Containment Level 3)",
    ),
    Allowed(
        "book/*.html",
        "Duplicate ID “solution-content”.",
        '<section id="solution-content">',
        "sphinx-exercise 1.2.1 gives every solution body the fixed id solution-content (directive.py)",
    ),
]

CANARY = (
    '<!DOCTYPE html><html lang="en"><head><title>canary</title></head>'
    '<body><p id="same"></p><p id="same"></p></body></html>'
)


@dataclass(frozen=True)
class NuError:
    page: str
    line: int
    message: str
    extract: str

    def matches(self, allowed: Allowed) -> bool:
        return (
            fnmatch.fnmatchcase(self.page, allowed.page)
            and self.message == allowed.message
            and allowed.fragment in self.extract
        )

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.message} — {self.extract.strip()!r}"


@pytest.fixture(scope="module")
def nu_errors(pages, tmp_path_factory) -> dict[str, list[NuError]]:
    """The checker's errors for every page, site.css and a canary page, from one run."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.is_file():
        raise RuntimeError(
            f"the Nu Html Checker needs Java 17+ ({java or 'java not found'}) and {VNU_JAR}: "
            "run `make checker` (npm ci, and a JRE through apt-get)"
        )
    canary = tmp_path_factory.mktemp("nu") / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")
    files = [str(p) for p in pages] + [str(SITE_CSS), str(canary)]
    result = subprocess.run(
        [
            java,
            # One short run: the JVM's quick compiler alone costs a third of the CPU time of the
            # default two (measured: 3.0 s against 8.3 s of user time, the same messages); its
            # deeper frames need a larger stack than the checker's default.
            "-XX:TieredStopAtLevel=1",
            "-Xss16m",
            "-jar",
            str(VNU_JAR),
            "--format",
            "json",
            "--errors-only",
            "--no-langdetect",  # language guesses are warnings, which --errors-only drops anyway
            "--stdout",
            "--exit-zero-always",
            "--also-check-css",
            *files,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    errors: dict[str, list[NuError]] = {}
    for message in json.loads(result.stdout)["messages"]:
        path = Path(message.get("url", "").removeprefix("file:"))
        page = (
            path.relative_to(SITE).as_posix()
            if SITE in path.parents
            else "canary"
            if path == canary
            else path.relative_to(ROOT).as_posix()
            if ROOT in path.parents
            else str(path)
        )
        errors.setdefault(page, []).append(
            NuError(
                page,
                message.get("lastLine", 0),
                f"{message['type']}: {message['message']}"
                if message["type"] != "error"
                else message["message"],
                message.get("extract", ""),
            )
        )
    return errors


def test_the_checker_really_checks(nu_errors):
    assert [e.message for e in nu_errors.get("canary", [])] == ["Duplicate ID “same”."]


def test_no_html_errors_in_the_sites_own_markup(nu_errors):
    unexpected = [
        str(e)
        for page, errors in nu_errors.items()
        if page != "canary"
        for e in errors
        if not any(e.matches(a) for a in UPSTREAM_HTML_ERRORS)
    ]
    assert unexpected == [], "the Nu Html Checker finds:\n" + "\n".join(unexpected)


def test_every_listed_html_error_still_occurs(nu_errors):
    """Keeps the lists precise: an entry that matches nothing any more (fixed upstream or here)
    must be removed, or it would hide the same error if it came back elsewhere."""
    everything = [e for errors in nu_errors.values() for e in errors]
    stale = [
        f"{a.page}: {a.message} ({a.why})"
        for a in UPSTREAM_HTML_ERRORS
        if not any(e.matches(a) for e in everything)
    ]
    assert stale == [], "listed HTML errors that no longer occur (remove them):\n" + "\n".join(
        stale
    )


# ------------------------------------------------------------------------------ reproducibility
def test_normalising_hides_only_the_random_ids():
    one = (
        "<style>#altair-viz-0123456789abcdef0123456789abcdef.vega-embed{}</style>"
        '<div id="altair-viz-0123456789abcdef0123456789abcdef"></div>'
        '<div id="scenario-explorer-0a1b2c3d"></div><table id="T_3b23a"><td id="T_3b23a_row0_col1">'
    )
    two = (
        one.replace("0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210")
        .replace("0a1b2c3d", "99999999")
        .replace("3b23a", "00f0e")
    )
    assert one != two and check_site.normalise(one) == check_site.normalise(two)
    assert check_site.normalise(one) != check_site.normalise(two.replace("<td", "<th"))


def test_notebook_cell_ids_and_object_addresses_are_normalised_only_where_they_occur():
    cell = '{"cell_type": "code", "id": "e3bfd1b3", "outputs": ["<pandas.io.formats.style.Styler at 0x7f4f4131c110>"]}'
    other = cell.replace("e3bfd1b3", "1404c805").replace("0x7f4f4131c110", "0x7f9f0c342910")
    assert check_site.normalise(cell, "_static/notebooks/x.ipynb") == check_site.normalise(
        other, "_static/notebooks/x.ipynb"
    )
    assert check_site.normalise(cell, "book/x.html") != check_site.normalise(
        other, "book/x.html"
    )  # ids kept outside notebooks
    assert check_site.normalise('"id": "e3bfd1b3"', "x.ipynb") != check_site.normalise(
        '"id": "table-row"', "x.ipynb"
    )


def test_no_file_of_the_site_holds_a_path_of_the_build_machine(pages):
    """The site is copied to other machines and hosts: no absolute path of the project may leak
    into it (the reproducible gate builds in two temporary folders, so it sees output paths only)."""
    leaks = [
        p.relative_to(SITE).as_posix()
        for p in SITE.rglob("*")
        if p.is_file()
        and p.name not in check_site.NOT_COMPARED
        and str(ROOT).encode() in p.read_bytes()
    ]
    assert leaks == [], f"files holding {ROOT}: {leaks}"


def test_two_charts_swapping_their_ids_is_a_difference():
    a, b = "altair-viz-" + "a" * 32, "altair-viz-" + "b" * 32
    first = f'<div id="{a}"></div><div id="{b}"></div><script>embed("{a}", spec1); embed("{b}", spec2)</script>'
    swapped = f'<div id="{a}"></div><div id="{b}"></div><script>embed("{b}", spec1); embed("{a}", spec2)</script>'
    assert check_site.normalise(first) != check_site.normalise(swapped)


def test_comparing_two_builds_reports_real_differences(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for site, chart_id, figure in [(a, "1" * 32, "1,040"), (b, "2" * 32, "1,040")]:
        _write(site, "book/x.html", f'<div id="altair-viz-{chart_id}">{figure}</div>')
        (site / "searchindex.js").parent.mkdir(parents=True, exist_ok=True)
        (site / "searchindex.js").write_text('Search.setIndex({"docnames": ["x"]})')
    (a / ".buildinfo").write_text("config: 1")
    (b / ".buildinfo").write_text("config: 2")
    assert check_site.compare_builds(a, b) == []
    (b / "searchindex.js").write_text('Search.setIndex({"docnames": ["y"]})')
    (b / "extra.png").write_bytes(b"\x89PNG")
    differences = check_site.compare_builds(a, b)
    assert any(d.startswith("searchindex.js differs") for d in differences), differences
    assert any("only in" in d and "extra.png" in d for d in differences), differences


def test_no_page_carries_live_code_configuration_or_a_cdn_url(pages):
    """Live code (thebe) is off: no page may ship its script, its config or its unpkg/Binder URLs,
    which would load unpinned code from another host the day the setting flips (reliability
    review, F12). The offline gate of the extension fails the build on such a load; this checks
    the pages as published."""
    found = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for needle in ("thebe", "unpkg.com", "mybinder.org", "binder-examples", "cdn.jsdelivr"):
            if needle in text.lower():
                found.append(f"{page.relative_to(SITE)}: {needle}")
    assert not found, found


def test_every_link_that_opens_a_new_tab_says_noopener(pages):
    anchor = re.compile(r"<a\b[^>]*\btarget=\"_blank\"[^>]*>")
    missing, seen = [], 0
    for page in pages:
        for tag in anchor.findall(page.read_text(encoding="utf-8")):
            seen += 1
            rel = re.search(r'\brel="([^"]*)"', tag)
            if not rel or "noopener" not in rel.group(1).split():
                missing.append(f"{page.relative_to(SITE)}: {tag}")
    assert seen, "the theme's download link opens a new tab: the test must see it"
    assert not missing, missing


def test_the_instructor_guide_numbers_exercises_as_the_chapters_do():
    """The guide gathers every exercise with its answer; an instructor who sets 'Exercise 8' from it
    must send students to the chapter's Exercise 8 (sphinx-exercise numbers through the book)."""
    in_chapters = []
    for page in pages_in_reading_order():
        text = page.read_text(encoding="utf-8")
        in_chapters += [int(n) for n in re.findall(r'class="caption-number">Exercise (\d+)', text)]
    guide = (SITE / "book" / "instructor-guide.html").read_text(encoding="utf-8")
    in_guide = [int(n) for n in re.findall(r"<strong>Exercise (\d+)\.</strong>", guide)]
    assert in_chapters and in_guide == in_chapters


def pages_in_reading_order() -> list[Path]:
    from widgets.paths import toc_pages

    return [SITE / f"{page}.html" for page in toc_pages() if (SITE / f"{page}.html").is_file()]
