"""Local Sphinx extension: make every page of the book self-contained and offline-safe.

* Serves Vega, Vega-Lite and Vega-Embed from the vendored copies (book/_vendor, filled by
  ``make vendor``) instead of the jsdelivr CDN that Altair's HTML output points to. The URLs are
  rewritten page-relative, so the site works at any depth, under a sub-path and from file://.
  ``?noext`` is kept: it stops require.js from appending ``.js``.
* Removes docutils' role="list" on bibliography entries that are not list items (axe).
* Removes the duplicated inline script that sphinx-thebe 0.3.1 emits under Sphinx 7.4.
* Writes book/glossary.md from data/glossary.csv (validated), so that the glossary has one
  source of truth that chapters extend by adding rows, and links resolve with {term}`...`.
* Fails the build if any written page still loads a script, stylesheet, image or frame from
  another host.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

VENDOR_ROOT = Path(__file__).resolve().parent.parent / "_vendor"
VENDOR_DIR = VENDOR_ROOT / "vendor"

# What Altair 6's HTML renderer asks the CDN for -> the vendored file (under _static/).
CDN_TO_LOCAL = {
    r"https://cdn\.jsdelivr\.net/npm/vega@[\w.\-]+": "vendor/vega/vega.min.js",
    r"https://cdn\.jsdelivr\.net/npm/vega-lite@[\w.\-]+": "vendor/vega-lite/vega-lite.min.js",
    r"https://cdn\.jsdelivr\.net/npm/vega-embed@[\w.\-]+": "vendor/vega-embed/vega-embed.min.js",
    # Altair also lists this path but never loads it; point it at vega so nothing remote remains.
    r"https://cdn\.jsdelivr\.net/npm/vega-lib": "vendor/vega/vega.min.js",
}
# A resource that the browser loads by itself (not a link the reader may click).
EXTERNAL_LOAD = re.compile(
    r"""<(?:script|img|iframe|source|audio|video|embed)\b[^>]*?\bsrc\s*=\s*["'](?:https?:)?//"""
    r"""|<link\b(?=[^>]*\brel\s*=\s*["']?(?:stylesheet|preload|modulepreload|icon|manifest))"""
    r"""[^>]*\bhref\s*=\s*["'](?:https?:)?//"""
    r"""|\b(?:src|href)\s*:\s*["']https?://[^"']+\.(?:js|css)""",
    re.IGNORECASE,
)


def _add_vendor_path(app: Sphinx, config) -> None:
    if not (VENDOR_DIR / "vega-lite" / "vega-lite.min.js").is_file():
        raise ExtensionError(
            f"vendored JavaScript missing in {VENDOR_DIR}: run `make vendor` (npm ci + tools/vendor.py)"
        )
    path = str(VENDOR_ROOT)
    if path not in config.html_static_path:
        config.html_static_path.append(path)


GLOSSARY_PAGE = Path(__file__).resolve().parent.parent / "glossary.md"


def glossary_markdown() -> str:
    """The MyST text of the glossary page, from the validated table data/glossary.csv."""
    from widgets.data import load_table

    table = load_table("glossary").sort_values("term", key=lambda s: s.str.lower())
    lines = [
        "# Glossary",
        "",
        "Terms used in the chapters, with the French term the source documents use. Each entry",
        "is written in this project's own words; the source is where the term appears.",
        "",
        "```{glossary}",
    ]
    for row in table.itertuples():
        lines.append(row.term)
        lines.append(f"  {row.definition} *French: {row.french}.* (Source: {row.source}.)")
        if isinstance(row.note, str) and row.note:
            lines.append(f"  Note: {row.note}")
        lines.append("")
    lines.append("```")
    return "\n".join(lines) + "\n"


def _write_glossary(app: Sphinx, config) -> None:
    text = "<!-- Generated from data/glossary.csv by book/_ext/terres_rares_site.py: edit the CSV. -->\n"
    text += glossary_markdown()
    if not GLOSSARY_PAGE.exists() or GLOSSARY_PAGE.read_text(encoding="utf-8") != text:
        GLOSSARY_PAGE.write_text(text, encoding="utf-8")


from widgets.paths import ROOT, toc_pages  # noqa: E402  (the one reader of the tree and _toc.yml)


def _publish_downloads(app: Sphinx, config) -> None:
    """Copy the data tables and their schemas where the Data page links them (_static/tables/)."""
    import shutil

    downloads = Path(app.doctreedir).parent / "downloads"
    target = downloads / "tables"  # not "data": exclude_patterns would skip it
    if target.exists():
        shutil.rmtree(target)
    (target / "schema").mkdir(parents=True)
    for table in (ROOT / "data").glob("*.csv"):
        shutil.copy2(table, target / table.name)
    for schema in (ROOT / "data" / "schema").glob("*.json"):
        shutil.copy2(schema, target / "schema" / schema.name)
    if str(downloads) not in config.html_static_path:
        config.html_static_path.append(str(downloads))


def _publish_notebooks(app: Sphinx, exception) -> None:
    """Publish the executed chapters as .ipynb (for download, Colab and Binder) in _static/notebooks/."""
    import shutil

    if exception is not None or app.builder.format != "html":
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / "book"
    target = Path(app.outdir) / "_static" / "notebooks"
    target.mkdir(parents=True, exist_ok=True)
    for notebook in executed.glob("*.ipynb"):
        shutil.copy2(notebook, target / notebook.name)


GENERATED_EXERCISES = Path(__file__).resolve().parent.parent / "_generated" / "exercises.md"
EXERCISE_BLOCK = re.compile(r"^```\{exercise\}[^\n]*\n(?P<body>.*?)^```\s*$", re.M | re.S)
SOLUTION_BLOCK = re.compile(r"^```\{solution\} (?P<label>[\w-]+)[^\n]*\n(?P<body>.*?)^```\s*$", re.M | re.S)
GLUE_ROLE = re.compile(r"\{glue(:\w+)?\}`(?P<key>[\w-]+)`")


def _strip_options(body: str) -> tuple[dict, str]:
    options, lines = {}, body.splitlines()
    while lines and lines[0].startswith(":"):
        key, _, value = lines.pop(0)[1:].partition(":")
        options[key.strip()] = value.strip()
    return options, "\n".join(lines).strip()


def exercises_markdown(toc_files: list[str]) -> str:
    """Every exercise of the chapters with its answer, grouped by chapter, for the instructor
    guide. Glue values are pasted from the chapter that computes them (``file.md::key``)."""
    out = []
    for doc in toc_files:
        path = ROOT / f"{doc}.md"
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        solutions = {m["label"]: _strip_options(m["body"])[1] for m in SOLUTION_BLOCK.finditer(text)}
        exercises = [_strip_options(m["body"]) for m in EXERCISE_BLOCK.finditer(text)]
        if not exercises:
            continue
        title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), doc)
        name = Path(doc).name
        out += [f"### {title}", "", f"Chapter: {{doc}}`{name}`", ""]
        for number, (options, body) in enumerate(exercises, start=1):
            label = options.get("label", "")
            answer = solutions.get(label)
            if answer is None:
                raise ExtensionError(f"{path.name}: exercise '{label}' has no solution block")
            # glue:text reads "path::key:format"; the explicit ":s" keeps "::" from being split.
            paste = lambda m: f"{{glue{m[1] or ''}}}`{name}.md::{m['key']}" + (":s`" if m[1] == ":text" else "`")
            out += [f"**Exercise {number}.** " + GLUE_ROLE.sub(paste, body), "",
                    "*Answer.* " + GLUE_ROLE.sub(paste, answer), ""]
    return "\n".join(out) + "\n"


def _write_exercises(app: Sphinx, config) -> None:
    files = toc_pages()[1:]  # every chapter, without the landing page
    text = "<!-- Generated by book/_ext/terres_rares_site.py from the chapters' exercises. -->\n"
    text += exercises_markdown(files)
    GENERATED_EXERCISES.parent.mkdir(exist_ok=True)
    if not GENERATED_EXERCISES.exists() or GENERATED_EXERCISES.read_text(encoding="utf-8") != text:
        GENERATED_EXERCISES.write_text(text, encoding="utf-8")


def _write_root_redirect(app: Sphinx, exception) -> None:
    """A valid HTML page at the site root that sends readers to the landing page (written before
    sphinx-external-toc, whose bare <meta> line has no doctype and no title)."""
    if exception is not None or app.builder.format != "html":
        return
    target = app.config.root_doc + ".html"
    Path(app.outdir, "index.html").write_text(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{app.config.html_title or app.config.project}</title>\n"
        f"<meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n"
        f"<p><a href=\"{target}\">Open the book</a>.</p>\n</body>\n</html>\n", encoding="utf-8")


def vendored_versions() -> dict:
    return json.loads((VENDOR_DIR / "versions.json").read_text())


def _localise(html: str, pathto) -> str:
    for pattern, local in CDN_TO_LOCAL.items():
        html = re.sub(pattern, pathto(f"_static/{local}", 1), html)
    return html


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    pathto = context["pathto"]
    if "body" in context:
        body = _localise(context["body"], pathto)
        # docutils 0.21 marks the bibliography role="list" but its entries are not list items
        # (axe: aria-required-children, critical); a plain container is the honest markup.
        body = body.replace('<div role="list" class="citation-list">', '<div class="citation-list">')
        context["body"] = body
    # De-duplicate scripts (sphinx-thebe 0.3.1 adds its inline THEBE_JS_URL script twice).
    scripts, seen = [], set()
    for script in context.get("script_files", []):
        key = (str(script.filename or ""), script.attributes.get("body", ""))
        if key in seen:
            continue
        seen.add(key)
        scripts.append(script)
    if "script_files" in context:
        context["script_files"][:] = scripts


def _check_offline(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    offenders = []
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8", errors="replace")
        for match in EXTERNAL_LOAD.finditer(text):
            start = max(0, match.start() - 20)
            offenders.append(f"{page.relative_to(app.outdir)}: …{text[start:match.end() + 60]}…")
    if offenders:
        listing = "\n  ".join(offenders[:20])
        raise ExtensionError(
            f"{len(offenders)} reference(s) to resources on another host; the site must work "
            f"offline:\n  {listing}"
        )
    logger.info("offline check: no page loads anything from another host")


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _add_vendor_path)
    app.connect("config-inited", _write_glossary, priority=100)
    app.connect("config-inited", _publish_downloads)
    app.connect("config-inited", _write_exercises, priority=100)
    app.connect("build-finished", _publish_notebooks, priority=100)
    app.connect("build-finished", _write_root_redirect, priority=400)
    app.connect("html-page-context", _page_context, priority=900)
    app.connect("build-finished", _check_offline)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
