"""The evidence ledger (``data/evidence.csv``) and the five source documents it points into.

* :func:`ledger` is the validated table (``widgets.data.load_table("evidence")``).
* :func:`document_files` maps each document key to its text file in the seeds folder, read from
  the table of the folder's own ``README.md`` (``| `key` | file | ...``), so that no file name
  is written twice; :func:`document_text` reads one of them.
* :func:`normalise` is the comparison form of a text, applied to the document and to the
  locator alike, so that a locator written in correct French is found in the OCR of
  ``lepesant2025``. It folds what OCR and typography vary and nothing else:

  - Unicode compatibility forms (NFKC), case, every run of whitespace (line breaks, no-break
    and narrow no-break spaces) to one space, and no space before ``%``;
  - every apostrophe (’ ‘ ` ') to one, doubled apostrophes (``d’'une``) to one, and then no
    apostrophe at all, because the OCR sometimes drops it (``lextraction``);
  - the OCR's ``l'``: ``I'``, ``1'``, a lone ``'`` before a word and ``U`` glued to a word that
    starts with a vowel or h (``Uapprovisionnement``; ``Ukraine`` and ``Union`` stay) all read ``l'``;
  - accents removed (the OCR confuses ``à``/``a``, ``è``/``é``, ``ô``/``6``...: ``a`` for ``à``
    is then the same letter), French quotes « » “ ” " and dashes folded (quotes dropped, dashes
    to ``-``);
  - footnote calls glued to a word (``exportations2``, ``Etats-Unis3``): digits right after a
    letter are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import pandas as pd

from widgets.data import load_table

DOCUMENTS = ("lepesant2025", "usjapan2025", "afp_washington", "caremag2025", "japan2026")
README = "README.md"


def ledger() -> pd.DataFrame:
    """The evidence ledger, validated against data/schema/evidence.json."""
    return load_table("evidence")


def document_files(folder: Path) -> dict[str, Path]:
    """Each document key -> its text file, from the key/file table of ``folder/README.md``."""
    readme = Path(folder) / README
    if not readme.is_file():
        raise FileNotFoundError(
            f"{readme}: the seeds folder has no README.md, whose table maps document keys to files"
        )
    files = {}
    for line in readme.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\|\s*`([a-z0-9_]+)`\s*\|\s*([^|\s]+)\s*\|", line)
        if match:
            files[match.group(1)] = Path(folder) / match.group(2)
    missing = [key for key in DOCUMENTS if key not in files]
    if missing:
        raise ValueError(f"{readme}: no row for the document(s) {', '.join(missing)}")
    absent = [str(path) for key, path in files.items() if key in DOCUMENTS and not path.is_file()]
    if absent:
        raise FileNotFoundError(f"{readme} names files that are not there: {', '.join(absent)}")
    return {key: files[key] for key in DOCUMENTS}


@cache
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def document_text(folder: Path, key: str) -> str:
    """The text of document ``key`` in the seeds folder."""
    return _read(document_files(folder)[key])


_APOSTROPHES = "\u2019\u2018\u02bc`\u00b4"
_QUOTES = '«»“”„"'
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"


def normalise(text: str) -> str:
    """The comparison form of a text (see the module docstring for every rule)."""
    text = unicodedata.normalize("NFKC", text)
    for mark in _APOSTROPHES:
        text = text.replace(mark, "'")
    text = re.sub(r"'{2,}", "'", text)
    text = re.sub(r"(?<![^\W\d_])[I1U]'(?=\w)", "l'", text)  # I'occurrence, 1'obligation
    text = re.sub(r"(?<![\w'])'(?=[^\W\d_])", "l'", text)  # de 'ordre (the l lost)
    text = re.sub(r"(?<![\w'])U(?=[aeiouyhàâéèêëîïôûù])", "l'", text)  # Uapprovisionnement
    text = re.sub(r"(?<=[^\W\d_])\d+", "", text)  # footnote calls glued to a word
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    text = text.casefold()
    for mark in _QUOTES:
        text = text.replace(mark, " ")
    for mark in _DASHES:
        text = text.replace(mark, "-")
    text = text.replace("'", "")
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r" %", "%", text)
    return text.strip()


def locator_found(locator: str, document: str) -> bool:
    """True when the locator, normalised, is a run of the normalised document text."""
    return normalise(locator) in normalise(document)
