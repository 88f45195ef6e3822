"""Where things live in the project: the one module that knows the layout of the tree.

Every other module (in ``widgets/``, ``tools/``, ``tests/`` and the Sphinx extension) asks this
module for a path instead of climbing ``Path(__file__).parent.parent``. The contract:

* ``ROOT`` is the folder that holds ``_config.yml`` and ``_toc.yml``; every other constant is a
  path below it. Nothing here reads a file at import time.
* ``toc_pages()`` is the only reader of ``_toc.yml``: the book's pages in reading order, as paths
  relative to ``ROOT`` without suffix (``book/01-what-are-rare-earths``).
* ``is_notebook(path)`` says whether myst-nb executes a Markdown page as a notebook (the same
  test the book build uses, so the two can never disagree).
* ``seeds_dir()`` is where the five source documents are, when this machine has them: the
  folder named by the environment variable ``TERRES_RARES_SEEDS``, else ``None``. Checks that
  need the documents run only then; nothing in the repository names a path of one machine.
* ``reference_dir()`` is the same for the reference data (the public datasets that ``data/`` was
  built from, as downloaded): the folder named by ``TERRES_RARES_REFERENCE``, else ``None``.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SCHEMAS = DATA / "schema"
BOOK = ROOT / "book"
STATIC = BOOK / "_static"
VENDOR = BOOK / "_vendor" / "vendor"  # filled by `make vendor` from node_modules/
BUILD = ROOT / "_build"
SITE = BUILD / "html"
TOC = ROOT / "_toc.yml"

# Folders of the built site that pages link to (the Sphinx extension writes them).
DOWNLOADS = "_static/tables"  # one CSV and one schema per table of data/
NOTEBOOKS = "_static/notebooks"  # the executed .ipynb of every chapter

SEEDS_ENV = "TERRES_RARES_SEEDS"
REFERENCE_ENV = "TERRES_RARES_REFERENCE"


def toc_pages() -> list[str]:
    """Every page of ``_toc.yml`` in reading order (root first), relative to ROOT, no suffix."""
    import yaml

    toc = yaml.safe_load(TOC.read_text(encoding="utf-8"))
    pages = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                pages.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return pages


def is_notebook(path: Path) -> bool:
    """True when myst-nb would execute this Markdown file as a notebook."""
    from myst_nb.core.read import is_myst_markdown_notebook

    return is_myst_markdown_notebook(Path(path).read_text(encoding="utf-8"))


def _folder_named_by(variable: str, what: str) -> Path | None:
    value = os.environ.get(variable, "").strip()
    if not value:
        return None
    folder = Path(value).expanduser().resolve()
    if not folder.is_dir():
        raise FileNotFoundError(f"{variable}={value!r}: no such folder ({what})")
    return folder


def seeds_dir() -> Path | None:
    """The folder of the five source documents named by $TERRES_RARES_SEEDS, or None."""
    return _folder_named_by(SEEDS_ENV, "the source documents")


def reference_dir() -> Path | None:
    """The folder of the reference data named by $TERRES_RARES_REFERENCE, or None."""
    return _folder_named_by(REFERENCE_ENV, "the reference data")
