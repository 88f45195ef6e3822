"""Collect the MyST Markdown chapters (book/*.md) as notebooks for nbval.

nbval only collects ``*.ipynb``. This hook reuses nbval's collector for every ``.md`` file that
myst-nb would execute as a notebook, reading it with jupytext (format ``md:myst``) instead of
nbformat, so the chapters are tested exactly as written, with no ``.ipynb`` copies to keep in
sync. The kernel runs in the chapter's folder, as it does in the book build.
"""

from __future__ import annotations

from pathlib import Path

import jupytext
from nbval import plugin as nbval_plugin

from widgets.paths import is_notebook


class _JupytextReader:
    """Stands in for the ``nbformat`` module inside nbval while a chapter is collected."""

    def __init__(self, real_nbformat):
        self._real = real_nbformat

    def read(self, path, as_version=4):
        return jupytext.read(path, fmt="md:myst")

    def __getattr__(self, name):
        return getattr(self._real, name)


class MystNotebookFile(nbval_plugin.IPyNbFile):
    """nbval's notebook file, read from a MyST Markdown text notebook."""

    def collect(self):
        real = nbval_plugin.nbformat
        nbval_plugin.nbformat = _JupytextReader(real)
        try:
            yield from super().collect()
        finally:
            nbval_plugin.nbformat = real


def pytest_collect_file(file_path: Path, parent):
    options = parent.config.option
    if file_path.suffix != ".md" or not (options.nbval or options.nbval_lax):
        return None
    if "_build" in file_path.parts or not is_notebook(file_path):
        return None
    return MystNotebookFile.from_parent(parent, path=file_path)
