"""Clean-build and unchanged-rebuild times of the book, for `make bench`."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

from widgets.paths import ROOT

VENV_BIN = Path(sys.executable).parent
BUILD_CMD = [
    str(VENV_BIN / "jupyter-book"),
    "build",
    ".",
    "--builder",
    "html",
    "-W",
    "-n",
    "--keep-going",
]


def timed(cmd: list[str], cwd: Path = ROOT) -> float:
    """Wall time (s) of a command that must succeed; its output is discarded."""
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def build_times() -> dict[str, float]:
    """A clean build (no HTML, doctrees or notebook cache), then the same build unchanged."""
    for folder in ("_build/html", "_build/.doctrees", "_build/.jupyter_cache"):
        shutil.rmtree(ROOT / folder, ignore_errors=True)
    clean = timed(BUILD_CMD)
    rebuild = timed(BUILD_CMD)
    return {"clean build (s)": clean, "unchanged rebuild (s)": rebuild}
