"""Copy the JavaScript the site serves itself from node_modules/ into book/_vendor/vendor/.

`make vendor` runs `npm ci` (versions pinned in package.json / package-lock.json, from the npm
registry) and then this script. The Sphinx extension book/_ext/terres_rares_site.py adds
book/_vendor to html_static_path, so the files end up in _build/html/_static/vendor/ and every
page loads them by a page-relative URL: no CDN, works offline and from file://.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from widgets.paths import ROOT
from widgets.paths import VENDOR as TARGET  # the vendored files have one home: paths.VENDOR

MODULES = ROOT / "node_modules"

# package -> files to copy (relative to the package folder); licence files are added for each.
FILES = {
    "vega": ["build/vega.min.js"],
    "vega-lite": ["build/vega-lite.min.js"],
    "vega-embed": ["build/vega-embed.min.js"],
    "mathjax": ["es5/tex-chtml.js", "es5/output/chtml/fonts/woff-v2", "es5/input/tex/extensions"],
    "world-atlas": ["countries-110m.json"],
}
LICENCES = ("LICENSE", "LICENSE.txt", "LICENSE.md", "license")


def copy_package(name: str, files: list[str]) -> dict:
    package = MODULES / name
    if not package.is_dir():
        sys.exit(f"vendor: {package} is missing; run `npm ci` first (make vendor does)")
    version = json.loads((package / "package.json").read_text())["version"]
    out = TARGET / name
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
    for licence in licences:
        shutil.copy2(package / licence, out / licence)
    return {"version": version, "licence": licences[0]}


def main() -> None:
    if TARGET.exists():
        shutil.rmtree(TARGET)
    TARGET.mkdir(parents=True)
    manifest = {name: copy_package(name, files) for name, files in FILES.items()}
    (TARGET / "versions.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print("vendored:", ", ".join(f"{n}@{m['version']}" for n, m in manifest.items()))


if __name__ == "__main__":
    main()
