"""Copy the JavaScript the site serves itself from node_modules/ into book/_vendor/vendor/.

`make vendor` runs `npm ci` (versions pinned in package.json / package-lock.json, from the npm
registry) and then this script. Two files are made here from npm packages rather than copied:

* vega-tooltip/vega-tooltip.js: vega-tooltip 1.x ships only an ES module that imports three helpers
  from vega-util; the classic script reads them from the Vega runtime's global (``vega``, which
  re-exports vega-util) and exposes the module's exports as ``vegaTooltip``.
* fontawesome/icons.css: the few Font Awesome Free icons the theme shows (ICONS), drawn as CSS
  masks from the package's SVGs, instead of the theme's 1.5 MB all-icons script and its webfont. The Sphinx extension book/_ext/terres_rares_site.py adds
book/_vendor to html_static_path, so the files end up in _build/html/_static/vendor/ and every
page loads them by a page-relative URL: no CDN, works offline and from file://.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import quote

from widgets.paths import ROOT
from widgets.paths import VENDOR as TARGET  # the vendored files have one home: paths.VENDOR

MODULES = ROOT / "node_modules"

# package -> files to copy (relative to the package folder); licence files are added for each.
FILES = {
    "vega": ["build/vega.min.js"],
    "vega-tooltip": [],
    "mathjax": ["es5/tex-chtml.js", "es5/output/chtml/fonts/woff-v2", "es5/input/tex/extensions"],
    "world-atlas": ["countries-110m.json"],
}
LICENCES = ("LICENSE", "LICENSE.txt", "LICENSE.md", "license")


def copy_package(name: str, files: list[str], folder: str | None = None) -> dict:
    package = MODULES / name
    if not package.is_dir():
        sys.exit(f"vendor: {package} is missing; run `npm ci` first (make vendor does)")
    version = json.loads((package / "package.json").read_text())["version"]
    out = TARGET / (folder or name)
    for rel in files:
        source = package / rel
        dest = out / Path(rel).name if source.is_file() else out / rel.split("/", 1)[-1]
        dest.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, dest, dirs_exist_ok=True)
        else:
            shutil.copy2(source, dest)
    licences = [f for f in LICENCES if (package / f).is_file()]
    if not licences:
        sys.exit(f"vendor: no licence file in {package}")
    out.mkdir(parents=True, exist_ok=True)
    for licence in licences:
        shutil.copy2(package / licence, out / licence)
    return {"version": version, "licence": licences[0]}


TOOLTIP_IMPORT = "import { isArray, isString, isObject } from 'vega-util';"


def classic_vega_tooltip() -> None:
    """vega-tooltip's ES module as a classic script that reads vega-util from ``window.vega``."""
    source = (MODULES / "vega-tooltip" / "build" / "index.js").read_text(encoding="utf-8")
    exports = re.search(r"^export \{(?P<names>[^}]*)\};\s*$", source, re.M)
    if TOOLTIP_IMPORT not in source or exports is None or source.count("import ") != 1:
        sys.exit(
            "vendor: vega-tooltip's module no longer has the one import and export this script rewrites"
        )
    names = []
    for item in exports["names"].split(","):
        local, _, exported = item.strip().partition(" as ")
        names.append(f"{(exported or local).strip()}: {local.strip()}")
    body = source[: exports.start()].replace(
        TOOLTIP_IMPORT, "const { isArray, isString, isObject } = vega;"
    )
    body = re.sub(r"^//# sourceMappingURL=.*$", "", body, flags=re.M)
    script = (
        "/* vega-tooltip (BSD-3-Clause, see LICENSE), its ES module wrapped as a classic script by "
        "tools/vendor.py */\n(function () {\n"
        + body
        + "\nwindow.vegaTooltip = { "
        + ", ".join(names)
        + " };\n})();\n"
    )
    (TARGET / "vega-tooltip" / "vega-tooltip.js").write_text(script, encoding="utf-8")


# Font Awesome Free icons the theme's markup and stylesheets use, by the theme's class (or CSS
# rule) -> the solid icon's file name in @fortawesome/fontawesome-free/svgs/solid/.
ICONS = {
    "bars": "bars",
    "list": "list",
    "magnifying-glass": "magnifying-glass",
    "angle-left": "angle-left",
    "angle-right": "angle-right",
    "arrow-up": "arrow-up",
    "outdent": "outdent",
    "download": "download",
    "expand": "expand",
    "file": "file",
    "file-pdf": "file-pdf",
    "circle-half-stroke": "circle-half-stroke",
    "moon": "moon",
    "sun": "sun",
    "xmark": "xmark",
    "code": "code",
    "play": "play",
    "rocket": "rocket",
    "pencil-alt": "pencil",
}
# pydata-sphinx-theme's admonition titles draw an icon with the webfont; the same icons as masks.
ADMONITIONS = {
    "": "bell",
    "note": "circle-info",
    "attention": "circle-exclamation",
    "caution": "triangle-exclamation",
    "warning": "triangle-exclamation",
    "danger": "triangle-exclamation",
    "error": "circle-xmark",
    "hint": "lightbulb",
    "tip": "lightbulb",
    "important": "circle-exclamation",
    "seealso": "share",
    "admonition-todo": "pencil",
}


def _svg_url(name: str) -> tuple[str, float]:
    svg = (
        MODULES / "@fortawesome" / "fontawesome-free" / "svgs" / "solid" / f"{name}.svg"
    ).read_text()
    view = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    paths = re.findall(r'<path d="([^"]+)"', svg)
    if view is None or not paths:
        sys.exit(f"vendor: unexpected SVG for the icon {name}")
    width, height = int(view[1]), int(view[2])
    clean = (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}'>"
        + "".join(f"<path d='{d}'/>" for d in paths)
        + "</svg>"
    )
    return 'url("data:image/svg+xml,' + quote(clean, safe=" /:=',") + '")', width / height


def icons_css() -> None:
    lines = [
        "/* Font Awesome Free 6 icons by Fonticons, Inc. (https://fontawesome.com), CC BY 4.0 (see",
        " * LICENSE.txt): only the icons this site shows, drawn as CSS masks in the text colour.",
        " * Generated by tools/vendor.py from @fortawesome/fontawesome-free; do not edit. */",
        "/* No webfont: an element in the icon font makes the browser fetch it even with no glyph. */",
        ":is(.fa-solid, .fas, .fa) { font-family: inherit; }",
        ':is(.fa-solid, .fas, .fa)::before { content: ""; display: inline-block; height: 1em;',
        "  width: var(--tr-icon-width, 1em); vertical-align: -0.125em; background-color: currentColor;",
        "  -webkit-mask: var(--tr-icon) center / contain no-repeat; mask: var(--tr-icon) center / contain no-repeat; }",
    ]
    for css_class, name in ICONS.items():
        url, ratio = _svg_url(name)
        lines.append(f".fa-{css_class} {{ --tr-icon: {url}; --tr-icon-width: {ratio:.3f}em; }}")
    mask = (
        'content: ""; font-family: inherit; background-color: currentColor; '
        "-webkit-mask: var(--tr-icon) center / contain no-repeat; mask: var(--tr-icon) center / contain no-repeat;"
    )
    for kind, name in ADMONITIONS.items():
        url, _ = _svg_url(name)
        selector = ".admonition" + (f".{kind}" if kind else "")
        lines.append(
            f"{selector}>.admonition-title::after, div{selector}>.admonition-title::after "
            f"{{ {mask} --tr-icon: {url}; }}"
        )
    url, _ = _svg_url("download")
    lines.append(
        f"a.reference.download::before {{ {mask} display: inline-block; width: 0.8em; height: 0.8em; "
        f"margin: 0 0.25em; --tr-icon: {url}; }}"
    )
    url, _ = _svg_url("angle-down")
    lines.append(
        f".bd-sidebar-secondary.hide:not(:hover) .onthispage::after {{ {mask} display: inline-block; "
        f"width: 0.7em; height: 0.9em; margin-left: 0.5em; padding: 0; --tr-icon: {url}; }}"
    )
    out = TARGET / "fontawesome"
    out.mkdir(parents=True, exist_ok=True)
    (out / "icons.css").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    if TARGET.exists():
        shutil.rmtree(TARGET)
    TARGET.mkdir(parents=True)
    manifest = {name: copy_package(name, files) for name, files in FILES.items()}
    classic_vega_tooltip()
    manifest["fontawesome"] = copy_package("@fortawesome/fontawesome-free", [], "fontawesome")
    icons_css()
    (TARGET / "versions.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print("vendored:", ", ".join(f"{n}@{m['version']}" for n, m in manifest.items()))


if __name__ == "__main__":
    main()
