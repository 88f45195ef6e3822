"""Local Sphinx extension: make every page of the book light, self-contained and offline-safe.

* Charts: Altair's Vega-Lite output is compiled to Vega at build time and drawn by the vendored
  Vega runtime (book/_ext/terres_rares_charts.py, book/_static/charts.js); only pages with a
  chart load Vega and charts.js, async and in parallel (charts.js then loads vega-tooltip).
* Icons: the theme's Font Awesome all-icons script is left out (book/_templates/layout.html); the
  few icons the pages show come from _static/vendor/fontawesome/icons.css (tools/vendor.py).
* Live code is off (launch_buttons.thebe false), so sphinx-thebe is switched off: no thebe
  script, stylesheet or configuration (whose defaults name a CDN and a third-party Binder repo).
* The visible sidebar buttons work (book/_static/navigation.js, an upstream theme bug).
* Removes docutils' role="list" on bibliography entries that are not list items (axe).
* Writes book/glossary.md from data/glossary.csv (validated), so that the glossary has one
  source of truth that chapters extend by adding rows, and links resolve with {term}`...`.
* Launch buttons (Binder, Colab) when the public repository is named at build time
  (``make site REPOSITORY_URL=https://github.com/owner/repo``, read here from the environment
  variable TERRES_RARES_REPOSITORY_URL); without it the build says in one line why there are none.
  Colab opens the executed ``.ipynb`` copy that the site publishes (``_static/notebooks/``), on
  the branch the site is published from (gh-pages); Binder opens the MyST chapter on ``main``.
* Fails the build if any written page loads a script, stylesheet, image or frame from another
  host, or names a remote script in an inline script or configuration block.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

VENDOR_ROOT = Path(__file__).resolve().parent.parent / "_vendor"
VENDOR_DIR = VENDOR_ROOT / "vendor"

# A resource that the browser loads by itself (not a link the reader may click).
EXTERNAL_LOAD = re.compile(
    r"""<(?:script|img|iframe|source|audio|video|embed)\b[^>]*?\bsrc\s*=\s*["'](?:https?:)?//"""
    r"""|<link\b(?=[^>]*\brel\s*=\s*["']?(?:stylesheet|preload|modulepreload|icon|manifest))"""
    r"""[^>]*\bhref\s*=\s*["'](?:https?:)?//"""
    r"""|\b(?:src|href)\s*:\s*["']https?://[^"']+\.(?:js|css)""",
    re.IGNORECASE,
)
# Inside an inline <script> (code or a configuration block such as thebe's): a quoted remote URL
# of code or a stylesheet, or any URL of a code CDN or a Binder service. Chart specs (JSON data
# blocks) hold only their $schema URL (.json) and links, which are not loaded.
INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(?P<body>.*?)</script>", re.IGNORECASE | re.S)
REMOTE_CODE = re.compile(
    r"""["'`](?:https?:)?//(?:[^"'`\s]+\.(?:m?js|css|wasm)(?:[?#][^"'`\s]*)?|[^"'`\s]*\?noext"""
    r"""|(?:unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|esm\.sh|cdn\.skypack\.dev|mybinder\.org)\b[^"'`\s]*)["'`]""",
    re.IGNORECASE,
)


def remote_loads(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` (a page) that make a browser load, or set up a script to load, something
    from another host: src/href of loaded elements, and remote code URLs inside inline scripts."""
    spans = [m.span() for m in EXTERNAL_LOAD.finditer(text)]
    for script in INLINE_SCRIPT.finditer(text):
        offset = script.start("body")
        spans += [
            (offset + m.start(), offset + m.end()) for m in REMOTE_CODE.finditer(script["body"])
        ]
    return sorted(set(spans))


VENDORED = ["vega/vega.min.js", "vega-tooltip/vega-tooltip.js", "fontawesome/icons.css"]


def _add_vendor_path(app: Sphinx, config) -> None:
    if not all((VENDOR_DIR / name).is_file() for name in VENDORED):
        raise ExtensionError(
            f"vendored JavaScript missing in {VENDOR_DIR}: run `make vendor` (npm ci + tools/vendor.py)"
        )
    path = str(VENDOR_ROOT)
    if path not in config.html_static_path:
        config.html_static_path.append(path)


GLOSSARY_PAGE = Path(__file__).resolve().parent.parent / "glossary.md"


def glossary_markdown() -> str:
    """The MyST text of the glossary page, from the validated table data/glossary.csv."""
    from widgets import sources
    from widgets.data import load_table

    table = load_table("glossary").sort_values("term", key=lambda s: s.str.lower())
    lines = [
        "# Glossary",
        "",
        "Terms used in the chapters, with the French term the source documents use. Each entry",
        "is written in this project's own words; the source is where the term appears.",
        "",
        jump_line(list(table["term"])),
        "",
        "```{glossary}",
    ]
    for row in table.itertuples():
        lines.append(row.term)
        credit = sources.short(row.source)  # the reader's name of the source, not its key
        lines.append(f"  {row.definition} *French: {row.french}.* (Source: {credit}.)")
        if isinstance(row.note, str) and row.note:
            lines.append(f"  Note: {sources.readable(row.note)}")
        lines.append("")
    lines.append("```")
    return "\n".join(lines) + "\n"


def jump_line(terms: list[str]) -> str:
    """'Jump to: A · B · ...': each letter links to the first term (in order) that starts with it."""
    first: dict[str, str] = {}
    for term in terms:
        first.setdefault(term[0].upper(), term)
    links = " · ".join(f"{{term}}`{letter} <{term}>`" for letter, term in first.items())
    return f"Jump to a letter: {links}"


def _write_glossary(app: Sphinx, config) -> None:
    text = "<!-- Generated from data/glossary.csv by book/_ext/terres_rares_site.py: edit the CSV. -->\n"
    text += glossary_markdown()
    write_if_changed(GLOSSARY_PAGE, text)


def write_if_changed(path: Path, text: str) -> None:
    """Write a page the build generates into the sources, if its text changed, in one step (a
    new file renamed over the old one): two builds that start together (make test's clean build
    and the reproducibility build) never read it half written."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(exist_ok=True)
    fresh = path.with_name(f".{path.name}.{os.getpid()}")
    fresh.write_text(text, encoding="utf-8")
    os.replace(fresh, path)


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
    repository = (app.config.html_theme_options or {}).get("repository_url")
    for notebook in executed.glob("*.ipynb"):
        if repository:
            copy = json.loads(notebook.read_text(encoding="utf-8"))
            copy["cells"].insert(0, colab_setup_cell(repository))
            (target / notebook.name).write_text(json.dumps(copy, ensure_ascii=False, indent=1))
        else:
            shutil.copy2(notebook, target / notebook.name)


def colab_setup_cell(repository_url: str) -> dict:
    """A first code cell for the published notebooks: on Colab only, it fetches the project
    (the chapters import widgets/ and read data/) and works from its book/ folder."""
    lines = [
        "# On Colab only: fetch this book's code and data, and work from its book/ folder.",
        "import os, sys",
        'if "google.colab" in sys.modules and not os.path.isdir("/content/terres-rares"):',
        f"    !git clone --depth 1 {repository_url} /content/terres-rares",
        "    %pip install --quiet -r /content/terres-rares/requirements.txt",
        '    sys.path.insert(0, "/content/terres-rares")',
        "    %cd /content/terres-rares/book",
    ]
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": "colab-setup",
        "metadata": {},
        "outputs": [],
        "source": [line + "\n" for line in lines[:-1]] + [lines[-1]],
    }


GENERATED_EXERCISES = Path(__file__).resolve().parent.parent / "_generated" / "exercises.md"
EXERCISE_BLOCK = re.compile(r"^```\{exercise\}[^\n]*\n(?P<body>.*?)^```\s*$", re.M | re.S)
SOLUTION_BLOCK = re.compile(
    r"^```\{solution\} (?P<label>[\w-]+)[^\n]*\n(?P<body>.*?)^```\s*$", re.M | re.S
)
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
    counter = 0  # sphinx-exercise numbers the exercises through the whole book, in toc order
    for doc in toc_files:
        path = ROOT / f"{doc}.md"
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        solutions = {
            m["label"]: _strip_options(m["body"])[1] for m in SOLUTION_BLOCK.finditer(text)
        }
        exercises = [_strip_options(m["body"]) for m in EXERCISE_BLOCK.finditer(text)]
        if not exercises:
            continue
        title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), doc)
        name = Path(doc).name
        out += [f"### {title}", "", f"Chapter: {{doc}}`{name}`", ""]
        for options, body in exercises:
            if "nonumber" in options:
                number = ""
            else:
                counter += 1
                number = f" {counter}"
            label = options.get("label", "")
            answer = solutions.get(label)
            if answer is None:
                raise ExtensionError(f"{path.name}: exercise '{label}' has no solution block")

            # glue:text reads "path::key:format"; the explicit ":s" keeps "::" from being split.
            def paste(m, name=name):
                close = ":s`" if m[1] == ":text" else "`"
                return f"{{glue{m[1] or ''}}}`{name}.md::{m['key']}" + close

            out += [
                f"**Exercise{number}.** " + GLUE_ROLE.sub(paste, body),
                "",
                "*Answer.* " + GLUE_ROLE.sub(paste, answer),
                "",
            ]
    return "\n".join(out) + "\n"


def _write_exercises(app: Sphinx, config) -> None:
    files = toc_pages()[1:]  # every chapter, without the landing page
    text = "<!-- Generated by book/_ext/terres_rares_site.py from the chapters' exercises. -->\n"
    text += exercises_markdown(files)
    write_if_changed(GENERATED_EXERCISES, text)


def _write_root_redirect(app: Sphinx, exception) -> None:
    """A valid HTML page at the site root that sends readers to the landing page (written before
    sphinx-external-toc, whose bare <meta> line has no doctype and no title)."""
    if exception is not None or app.builder.format != "html":
        return
    target = app.config.root_doc + ".html"
    # an empty icon: without one the browser asks for a /favicon.ico the site does not have, and
    # the site's own would be cut off as the page leaves at once (the landing page shows it)
    icon = '<link rel="icon" href="data:,">\n'
    Path(app.outdir, "index.html").write_text(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{app.config.html_title or app.config.project}</title>\n{icon}"
        f'<meta http-equiv="refresh" content="0; url={target}">\n</head>\n<body>\n'
        f'<p><a href="{target}">Open the book</a>.</p>\n</body>\n</html>\n',
        encoding="utf-8",
    )


def vendored_versions() -> dict:
    return json.loads((VENDOR_DIR / "versions.json").read_text())


THEBE_CONFIG = re.compile(
    r"\s*<script type=\"text/x-thebe-config\">.*?</script>"
    r"\s*<script>kernelName = '[^']*'</script>",
    re.S,
)


def _live_code_on(config) -> bool:
    return bool((config.html_theme_options or {}).get("launch_buttons", {}).get("thebe"))


def _switch_off_thebe(app: Sphinx, config) -> None:
    """With live code off, sphinx-thebe (loaded by Jupyter Book on every book) adds nothing."""
    if _live_code_on(config):
        return
    for event in ("env-before-read-docs", "doctree-resolved"):
        for listener in list(app.events.listeners.get(event, [])):
            if getattr(listener.handler, "__module__", "") == "sphinx_thebe":
                app.disconnect(listener.id)
    app.registry.css_files[:] = [
        (name, attributes)
        for name, attributes in app.registry.css_files
        if name != "sphinx-thebe.css"
    ]


# Assets that extensions add to every page, and what a page's body must hold to need them.
# A page without that markup loads none of the files (and none of their inline set-up scripts).
ASSETS_BY_USE = [
    # sphinx-design: grids, cards, tabs
    (re.compile(r'class="[^"]*\bsd-'), {"sphinx-design.min.css", "design-tabs.js"}, ()),
    # sphinx-copybutton and Pygments: code blocks
    (
        re.compile(r'class="[^"]*\bhighlight'),
        {"copybutton.css", "copybutton.js", "clipboard.min.js", "pygments.css"},
        (),
    ),
    # sphinx-togglebutton: its selector is '.toggle, .admonition.dropdown'
    (
        re.compile(r'class="[^"]*\b(?:toggle|dropdown)\b'),
        {"togglebutton.css", "togglebutton.js"},
        ("let toggleHint", "let toggleOpenOnPrint", "var togglebuttonSelector"),
    ),
]


def _unused_assets(body: str) -> tuple[set[str], tuple[str, ...]]:
    """File names, and starts of inline scripts, that a page with this body does not use."""
    files, inline = set(), ()
    for used, names, scripts in ASSETS_BY_USE:
        if not used.search(body):
            files |= names
            inline += scripts
    return files, inline


# Head scripts that must run where they stand: documentation_options.js defines the
# DOCUMENTATION_OPTIONS that the inline scripts after it extend. Every other file script of the
# theme and extensions (doctools, sphinx_highlight, copybutton, togglebutton, the theme's own)
# starts its work on DOMContentLoaded, so it can be deferred instead of blocking the parser.
RUN_IN_PLACE = {"documentation_options.js"}


def _deferred(script):
    """``script`` with defer, unless it is inline, already async/deferred or must run in place."""
    from sphinx.builders.html._assets import _JavaScript

    attributes = dict(script.attributes)
    name = Path(str(script.filename or "")).name
    if not name or name in RUN_IN_PLACE or {"async", "defer", "body"} & attributes.keys():
        return script
    return _JavaScript(script.filename, priority=script.priority, defer="defer", **attributes)


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    import terres_rares_charts
    from sphinx.builders.html._assets import _JavaScript

    charts = 0
    if "body" in context:
        body, charts = terres_rares_charts.compile_altair_outputs(
            context["body"],
            pagename,
            sources_page=context["pathto"](terres_rares_charts.SOURCES_PAGE),
        )
        # docutils 0.21 marks the bibliography role="list" but its entries are not list items
        # (axe: aria-required-children, critical); a plain container is the honest markup.
        body = body.replace(
            '<div role="list" class="citation-list">', '<div class="citation-list">'
        )
        if not _live_code_on(app.config):
            body = THEBE_CONFIG.sub("", body)  # doctrees pickled before thebe was switched off
        context["body"] = body
    unused, unused_inline = _unused_assets(context.get("body", ""))
    if "css_files" in context:
        context["css_files"][:] = [
            css for css in context["css_files"] if Path(str(css.filename)).name not in unused
        ]
    scripts, seen = [], set()
    for script in context.get("script_files", []):
        key = (str(script.filename or ""), script.attributes.get("body", ""))
        if key in seen:  # sphinx-thebe 0.3.1 adds its inline script twice under Sphinx 7.4
            continue
        if Path(key[0]).name in unused or (key[1] and key[1].startswith(unused_inline)):
            continue
        seen.add(key)
        scripts.append(_deferred(script) if pagename != "search" else script)
    if charts:  # async, not defer: the first chart is drawn before the whole page is parsed
        # and fetched first: chromium gives async scripts a low priority, after the theme's
        # preloaded and deferred scripts, which the first chart does not need
        first = {"async": "async", "fetchpriority": "high"}
        tooltip = context["pathto"](terres_rares_charts.TOOLTIP, 1)
        scripts += [
            _JavaScript(name, priority=800, **first) for name in terres_rares_charts.SCRIPTS[:-1]
        ] + [
            _JavaScript(
                terres_rares_charts.SCRIPTS[-1],
                priority=800,
                **first,
                **{
                    "data-tooltip": tooltip,
                    "data-dark": terres_rares_charts.dark_palette(context["body"]),
                },
            )
        ]
    if "script_files" in context:
        context["script_files"][:] = scripts


THEME_CSS = Path("_static", "styles", "pydata-sphinx-theme.css")
# Font Awesome's CSS inside the theme's stylesheet gives each of its ~1 900 icon classes a glyph of
# the webfont (".fa-bars:before{content:"\f0c9"}"); the site draws its few icons from icons.css.
ICON_GLYPH_RULE = re.compile(
    r"(?<=\})\.fa-[a-z0-9-]+:(?:before|after)(?:,\.fa-[a-z0-9-]+:(?:before|after))*"
    r'\{content:"[^"]*"\}'
)


# The site's own stylesheet and scripts are written for their readers, with long comments; the
# copies a browser downloads (on every page) are served without them.
OWN_STATIC = ("site.css", "charts.js", "navigation.js", "search-tweaks.js", "evidence.js")
CSS_COMMENT = re.compile(r"/\*(?!!)(?:(?!\*/).)*\*/", re.S)
# in scripts only comments that fill their lines: a "//" or "/*" inside a string stays
JS_COMMENT_LINES = re.compile(r"^[ \t]*(?://[^\n]*|/\*(?!!)(?:(?!\*/).)*\*/[ \t]*)\n", re.M | re.S)
BLANK_LINES = re.compile(r"\n[ \t]*(?=\n)")


def without_comments(name: str, text: str) -> str:
    """``text`` of the site's file ``name`` without its comments and blank lines (``/*!``
    comments, such as licences, are kept)."""
    pattern = CSS_COMMENT if name.endswith(".css") else JS_COMMENT_LINES
    return BLANK_LINES.sub("", pattern.sub("", text))


def _strip_own_comments(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for name in OWN_STATIC:
        path = Path(app.outdir) / "_static" / name
        if not path.is_file():
            raise ExtensionError(f"{path}: the site's own static file is missing from the build")
        text = path.read_text(encoding="utf-8")
        path.write_text(without_comments(name, text), encoding="utf-8")


def _trim_theme_css(app: Sphinx, exception) -> None:
    """Drop Font Awesome's icon-glyph rules from the theme's stylesheet (a third of its size)."""
    if exception is not None or app.builder.format != "html":
        return
    path = Path(app.outdir) / THEME_CSS
    css = path.read_text(encoding="utf-8")
    trimmed, count = ICON_GLYPH_RULE.subn("", css)
    if count == 0 and "/*! trimmed by terres_rares_site */" not in css:
        raise ExtensionError(
            f"{THEME_CSS}: no Font Awesome glyph rule found to trim (did the theme change?)"
        )
    if count:
        path.write_text(trimmed + "\n/*! trimmed by terres_rares_site */\n", encoding="utf-8")
        logger.info(f"{THEME_CSS}: {count} unused Font Awesome glyph rules dropped")


def _check_offline(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    offenders = []
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8", errors="replace")
        for begin, end in remote_loads(text):
            offenders.append(
                f"{page.relative_to(app.outdir)}: …{text[max(0, begin - 20) : end + 60]}…"
            )
    if offenders:
        listing = "\n  ".join(offenders[:20])
        raise ExtensionError(
            f"{len(offenders)} reference(s) to resources on another host; the site must work "
            f"offline:\n  {listing}"
        )
    logger.info("offline check: no page loads anything from another host")


REPOSITORY_SETTING = "TERRES_RARES_REPOSITORY_URL"
GITHUB_REPOSITORY = re.compile(
    r"https://github\.com/(?P<owner>[\w.-]+)/(?P<repo>[\w.-]+?)(?:\.git)?/?"
)
SOURCE_BRANCH = "main"  # Binder builds its image from this branch (requirements.txt, jupytext)
PAGES_BRANCH = "gh-pages"  # the published site (ghp-import's branch): Colab reads .ipynb there
BINDER = "https://mybinder.org"
COLAB = "https://colab.research.google.com"
NO_LAUNCH_BUTTONS = (
    "no Binder or Colab launch buttons: the public repository is not known "
    "(build with `make site REPOSITORY_URL=https://github.com/owner/repo` to add them)"
)


def launch_options(repository_url: str) -> dict:
    """The theme options that give every chapter Binder and Colab buttons for this repository
    (an empty dict for an empty address); a malformed address is an error that names it."""
    if not repository_url.strip():
        return {}
    found = GITHUB_REPOSITORY.fullmatch(repository_url.strip())
    if not found:
        raise ExtensionError(
            f"REPOSITORY_URL {repository_url!r} is not a GitHub repository address "
            "(https://github.com/owner/repo): Colab opens notebooks from GitHub only"
        )
    return {
        "repository_url": f"https://github.com/{found['owner']}/{found['repo']}",
        "repository_branch": SOURCE_BRANCH,
        "path_to_docs": "",
        "launch_buttons": {
            "notebook_interface": "jupyterlab",
            "binderhub_url": BINDER,
            "colab_url": COLAB,
            "thebe": False,
        },
    }


def colab_url(repository_url: str, pagename: str) -> str:
    """Colab's address of the published .ipynb copy of a chapter (Colab cannot open MyST .md)."""
    found = GITHUB_REPOSITORY.fullmatch(repository_url)
    name = Path(pagename).name
    return (
        f"{COLAB}/github/{found['owner']}/{found['repo']}/blob/{PAGES_BRANCH}/"
        f"_static/notebooks/{name}.ipynb"
    )


def _set_up_launch_buttons(app: Sphinx, config) -> None:
    import os

    options = launch_options(os.environ.get(REPOSITORY_SETTING, ""))
    theme = config.html_theme_options
    if not options:
        theme.setdefault("launch_buttons", {}).update(binderhub_url="", colab_url="")
        logger.info(NO_LAUNCH_BUTTONS)
        return
    buttons = {**theme.get("launch_buttons", {}), **options.pop("launch_buttons")}
    theme.update(options, launch_buttons=buttons)
    logger.info(f"launch buttons: Binder and Colab for {theme['repository_url']}")


def _point_colab_at_the_notebook(app: Sphinx, pagename: str, templatename, context, doctree):
    """The theme points Colab at the chapter's .md, which Colab cannot open: point it at the
    published .ipynb copy instead (the theme runs before this, at the default priority)."""
    repository = (app.config.html_theme_options or {}).get("repository_url")
    if not repository:
        return

    def walk(buttons):
        for button in buttons:
            if button.get("text") == "Colab":
                button["url"] = colab_url(repository, pagename)
            walk(button.get("buttons", []))

    walk(context.get("header_buttons", []))


def setup(app: Sphinx) -> dict:
    app.add_css_file("vendor/fontawesome/icons.css")
    app.add_js_file("navigation.js", defer="defer")
    app.connect("config-inited", _set_up_launch_buttons, priority=400)
    app.connect("config-inited", _switch_off_thebe)
    app.connect("config-inited", _add_vendor_path)
    app.connect("config-inited", _write_glossary, priority=100)
    app.connect("config-inited", _publish_downloads)
    app.connect("config-inited", _write_exercises, priority=100)
    app.connect("build-finished", _publish_notebooks, priority=100)
    app.connect("build-finished", _write_root_redirect, priority=400)
    app.connect("html-page-context", _page_context, priority=900)
    app.connect("html-page-context", _point_colab_at_the_notebook, priority=900)
    app.connect("build-finished", _trim_theme_css, priority=450)
    app.connect("build-finished", _strip_own_comments, priority=460)
    app.connect("build-finished", _check_offline)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
