"""Tests that need files the repository does not carry, and how pytest treats them.

Two folders live outside the repository: the five source documents (``seeds``: marker
``@pytest.mark.seeds``, folder named by ``$TERRES_RARES_SEEDS``) and the reference data
(``reference``: marker ``@pytest.mark.reference``, folder ``$TERRES_RARES_REFERENCE``).
``.ci/run`` names both when ``../shared`` sits beside the clone. Where a folder is not named,
its tests are deselected (not skipped one by one, not failed) and the terminal summary says in
one line which check did not run and how to run it. Everything else always runs.
"""

from __future__ import annotations

import pytest

from widgets import paths

FOLDERS = {
    # marker: (how to find the folder, environment variable, what the tests check)
    "seeds": (
        paths.seeds_dir,
        paths.SEEDS_ENV,
        "the locator check (every locator of data/evidence.csv is found in its document) "
        "needs the five source documents",
    ),
    "reference": (
        paths.reference_dir,
        paths.REFERENCE_ENV,
        "the check of data/ against the reference data needs its folder",
    ),
}


def pytest_configure(config):
    for marker, (_, variable, what) in FOLDERS.items():
        config.addinivalue_line("markers", f"{marker}: {what} (${variable})")


@pytest.hookimpl(trylast=True)  # after -k and -m, so the count is of tests that would have run
def pytest_collection_modifyitems(config, items):
    missing = {marker for marker, (folder, _, _) in FOLDERS.items() if folder() is None}
    config._terres_rares_deselected = {}
    if not missing:
        return
    kept, dropped = [], []
    for item in items:
        markers = {m.name for m in item.iter_markers()} & missing
        if markers:
            dropped.append(item)
            for marker in markers:
                config._terres_rares_deselected[marker] = (
                    config._terres_rares_deselected.get(marker, 0) + 1
                )
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    for marker, count in sorted(getattr(config, "_terres_rares_deselected", {}).items()):
        _, variable, what = FOLDERS[marker]
        terminalreporter.write_line(
            f"NOT RUN ({count} tests): {what}; point to it with "
            f"{variable}=/path/to/{marker} make test"
        )
