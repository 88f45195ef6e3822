"""Checks of the built site that need no browser: links and build-to-build differences.

As a module (used by tests/test_built_site.py)::

    check_links(site)           -> LinkReport(broken=[...], external={url: {pages}})
    compare_builds(a, b)        -> list of differences after normalising ids random by design

As a command::

    python -m tools.check_site links [SITE]   prints broken internal links (exit 1 if any) and
                                                 writes the external ones to _build/external-links.txt
    python -m tools.check_site compare A B     compares two built sites (exit 1 if they differ)
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from tools.site import site_pages
from widgets.paths import BUILD, ROOT, SITE  # noqa: F401

EXTERNAL_LIST = BUILD / "external-links.txt"

EXTERNAL_SCHEMES = {"http", "https", "mailto"}
INLINE_SCHEMES = {"data"}
# Attributes that make the browser (or the reader) go to another address.
URL_ATTRIBUTES = ("href", "src", "action", "poster", "data", "cite", "formaction")
# Page-relative paths to files of the site written inside inline scripts (Altair's loader asks
# require.js or a <script> tag for "../_static/vendor/vega/vega.min.js?noext").
SCRIPT_PATH = re.compile(r"""["']((?:\.\./|\./)*_static/[^"'?#\s]+)""")
META_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\"\s;]+)", re.IGNORECASE)


# --------------------------------------------------------------------------------------- links
@dataclass
class Link:
    page: str  # relative to the site root
    url: str  # as written
    where: str  # e.g. '<a href>'


@dataclass
class LinkReport:
    pages: int = 0
    internal: int = 0
    broken: list[str] = field(default_factory=list)
    external: dict[str, set[str]] = field(default_factory=dict)

    def external_lines(self) -> list[str]:
        return sorted(self.external)


def _links_of(soup: BeautifulSoup, page: str) -> list[Link]:
    links = []
    for tag in soup.find_all(True):
        for attribute in URL_ATTRIBUTES:
            value = tag.get(attribute)
            if isinstance(value, str):
                links.append(Link(page, value.strip(), f"<{tag.name} {attribute}>"))
        srcset = tag.get("srcset")
        if isinstance(srcset, str):
            for candidate in srcset.split(","):
                if candidate.strip():
                    links.append(Link(page, candidate.split()[0], f"<{tag.name} srcset>"))
        if tag.name == "meta" and (tag.get("http-equiv") or "").lower() == "refresh":
            match = META_REFRESH_URL.search(tag.get("content") or "")
            if match:
                links.append(Link(page, match[1], "<meta http-equiv=refresh>"))
        if tag.name == "script" and not tag.get("src") and tag.string:
            for match in SCRIPT_PATH.finditer(tag.string):
                links.append(Link(page, match[1], "inline <script>"))
    return links


def _anchors_of(soup: BeautifulSoup) -> set[str]:
    ids = {tag["id"] for tag in soup.find_all(id=True)}
    ids |= {tag["name"] for tag in soup.find_all("a", attrs={"name": True})}
    return ids


def _app_state_problem(soup: BeautifulSoup, fragment: str) -> str | None:
    """A fragment such as 'preset=busan-suspension&stockpile_days=90' (still percent-encoded)
    is state for a page script (the scenario explorer), not an id: the page must declare the
    link protocol it reads (its data-config "link", written by widgets/explorer/links.py),
    and the fragment must pass it as the page script would read it."""
    holder = soup.find(attrs={"data-config": True})
    if holder is None:
        return "no element with this id, and the page reads no state from its address"
    try:
        config = json.loads(holder["data-config"])
    except ValueError:
        return "the page's data-config is not JSON"
    if not isinstance(config, dict) or not isinstance(config.get("link"), dict):
        return "the page's data-config declares no link protocol"
    # imported here: `check_site.py compare` runs as a plain script, without the package
    from widgets.explorer.links import fragment_problems

    return "; ".join(fragment_problems(fragment, config["link"])) or None


def check_links(site: Path = SITE) -> LinkReport:
    """Every internal link of every page resolves to a file of the site, anchors included."""
    site = site.resolve()
    report = LinkReport()
    soups: dict[Path, BeautifulSoup] = {}
    anchors: dict[Path, set[str]] = {}  # a page's ids, found once (a thousand links point to them)

    def soup_of(path: Path) -> BeautifulSoup:
        if path not in soups:
            soups[path] = BeautifulSoup(
                path.read_text(encoding="utf-8", errors="replace"), "html.parser"
            )
        return soups[path]

    def anchors_of(path: Path) -> set[str]:
        if path not in anchors:
            anchors[path] = _anchors_of(soup_of(path))
        return anchors[path]

    for page_path in (site / page for page in site_pages(site)):
        report.pages += 1
        page = page_path.relative_to(site).as_posix()
        for link in _links_of(soup_of(page_path), page):
            url = link.url
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            where = f"{page}: {link.where} {url!r}"
            if url.startswith("//") or scheme in EXTERNAL_SCHEMES:
                report.external.setdefault(url, set()).add(page)
                continue
            if scheme in INLINE_SCHEMES:
                continue
            if scheme:
                report.broken.append(f"{where}: scheme {scheme!r} does not work on a static host")
                continue
            report.internal += 1
            path = unquote(parts.path)
            if path.startswith("/"):
                report.broken.append(
                    f"{where}: root-absolute, breaks when the site lives under a sub-path"
                )
                continue
            target = (page_path.parent / path).resolve() if path else page_path
            if target != site and site not in target.parents:
                report.broken.append(f"{where}: points outside the site")
                continue
            if path.endswith("/") or target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                report.broken.append(f"{where}: no file {target.relative_to(site).as_posix()}")
                continue
            fragment = unquote(parts.fragment)
            if not fragment or target.suffix != ".html":
                continue
            if fragment in anchors_of(target):
                continue
            problem = (
                _app_state_problem(soup_of(target), parts.fragment)
                if "=" in fragment
                else "no element with this id"
            )
            if problem:
                report.broken.append(
                    f"{where}: #{fragment} in {target.relative_to(site).as_posix()}: {problem}"
                )
    return report


def write_external_list(report: LinkReport, path: Path = EXTERNAL_LIST) -> list[str]:
    lines = report.external_lines()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return lines


# ------------------------------------------------------------------------- reproducible builds
# Ids that differ between two builds of unchanged sources by design, each replaced by a
# placeholder numbered in order of first appearance in its file (so that two elements swapping
# their ids is still a difference). Found by diffing two real clean builds. name -> (pattern,
# file suffixes it applies to, or None for every text file).
RANDOM_IDS: dict[str, tuple[re.Pattern, tuple[str, ...] | None]] = {
    # Altair's HTML renderer: uuid4 per chart output (div id, its CSS and its loader script).
    "altair-viz": (re.compile(r"altair-viz-[0-9a-f]{32}"), None),
    # widgets/explorer/static.py: uuid4().hex[:8] for the explorer's root element.
    "scenario-explorer": (re.compile(r"scenario-explorer-[0-9a-f]{8}"), None),
    # pandas Styler: uuid4().hex[:5] for the table's ids and its <style> selectors (T_3b23a_row0_col1).
    "pandas-styler": (re.compile(r"(?<![\w-])T_[0-9a-f]{5}(?![0-9a-f])"), None),
    # The published notebooks (_static/notebooks/*.ipynb): jupytext reads the MyST chapters, and
    # nbformat gives every cell a random id (uuid4().hex[:8]).
    "notebook-cell-id": (re.compile(r'"id": "[0-9a-f]{8}"'), (".ipynb",)),
    # Python's default repr in a text/plain output: "<pandas.io.formats.style.Styler at 0x7f4f...>".
    "object-address": (re.compile(r"(?<= at )0x[0-9a-f]{6,16}(?=>)"), None),
}
# Files left out of the comparison, with the reason.
NOT_COMPARED = {
    # Sphinx's incremental-build stamp, not something readers get: a hash of the configuration,
    # which holds the absolute output folder (the extension adds <output>/_build/downloads to
    # html_static_path), so it differs between two output folders by construction.
    ".buildinfo": "hash of a configuration that contains the output folder's absolute path",
}


def normalise(text: str, name: str = "") -> str:
    for label, (pattern, suffixes) in RANDOM_IDS.items():
        if suffixes is not None and not name.endswith(suffixes):
            continue
        seen: dict[str, str] = {}

        def placeholder(match, seen=seen, label=label):
            return seen.setdefault(match[0], f"{label}-RANDOM{len(seen) + 1}")

        text = pattern.sub(placeholder, text)
    return text


def _files(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}


def compare_builds(a: Path, b: Path, context_lines: int = 2, max_lines: int = 40) -> list[str]:
    """Differences between two built sites, every file compared (pages, search index, static
    files, images, published notebooks) but NOT_COMPARED; text files after normalising
    RANDOM_IDS, other files byte for byte."""
    files_a, files_b = _files(a), _files(b)
    differences = [f"only in {a}: {name}" for name in sorted(files_a.keys() - files_b.keys())]
    differences += [f"only in {b}: {name}" for name in sorted(files_b.keys() - files_a.keys())]
    for name in sorted(files_a.keys() & files_b.keys()):
        if name in NOT_COMPARED:
            continue
        bytes_a, bytes_b = files_a[name].read_bytes(), files_b[name].read_bytes()
        if bytes_a == bytes_b:
            continue
        try:
            text_a, text_b = (
                normalise(bytes_a.decode("utf-8"), name),
                normalise(bytes_b.decode("utf-8"), name),
            )
        except UnicodeDecodeError:
            differences.append(f"{name}: binary files differ")
            continue
        if text_a == text_b:
            continue
        diff = list(
            difflib.unified_diff(
                text_a.splitlines(),
                text_b.splitlines(),
                f"a/{name}",
                f"b/{name}",
                n=context_lines,
                lineterm="",
            )
        )
        shown = [line[:300] for line in diff[:max_lines]]
        more = f"\n  … {len(diff) - max_lines} more diff lines" if len(diff) > max_lines else ""
        differences.append(f"{name} differs:\n  " + "\n  ".join(shown) + more)
    return differences


def main(argv: list[str]) -> int:
    if len(argv) >= 1 and argv[0] == "links":
        site = Path(argv[1]) if len(argv) > 1 else SITE
        report = check_links(site)
        lines = write_external_list(report)
        print(
            f"{report.pages} pages, {report.internal} internal links, {len(report.broken)} broken; "
            f"{len(lines)} external links listed in {EXTERNAL_LIST}"
        )
        for problem in report.broken:
            print("  " + problem)
        return 1 if report.broken else 0
    if len(argv) == 3 and argv[0] == "compare":
        differences = compare_builds(Path(argv[1]), Path(argv[2]))
        for difference in differences:
            print(difference)
        print(f"{len(differences)} difference(s) after normalising: {', '.join(RANDOM_IDS)}")
        return 1 if differences else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
