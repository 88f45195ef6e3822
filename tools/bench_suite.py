"""The test suite's time and its slowest tests: recorded by `make test`, printed by `make bench`.

`make test` runs ``python -m pytest -p tools.bench_suite`` (``-m`` puts the project root on the
path). At the end of the run this plugin writes
``bench-results/test-suite.json``: when (UTC), the wall time of the pytest run, how many tests
passed or failed, pytest's arguments (so a partial run shows as one), the number of xdist
workers, the load average (the higher of start and end: the machine may be shared) and the 10
slowest phases (setup, call or teardown of a test, as ``--durations`` counts them). The Makefile
adds the time of the whole `make test` (``python -m tools.bench_suite total SECONDS STATUS``).

`make bench` prints the last record with its date and how to measure it again; with
BENCH_TESTS=1 it runs the suite itself, with the same command as `make test`, first.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import time
from datetime import UTC, datetime

from widgets.paths import ROOT

RECORD = ROOT / "bench-results" / "test-suite.json"
SLOWEST = 10
# The Makefile holds pytest's arguments for `make test` (PYTEST_ARGS) and hands them to
# `make bench` in this variable, so that both run the same command.
ARGS_ENV = "TERRES_RARES_PYTEST_ARGS"


# ------------------------------------------------------------------------ the pytest plugin
def _is_worker(config) -> bool:
    return hasattr(config, "workerinput")  # an xdist worker: the controller records


def pytest_configure(config):
    if not _is_worker(config):
        config._bench_suite_start = (time.perf_counter(), os.getloadavg())


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    started = getattr(config, "_bench_suite_start", None)
    if started is None:
        return
    start, load_before = started
    phases = [
        (report.duration, report.when, report.nodeid)
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) in ("setup", "call", "teardown")
        and hasattr(report, "duration")
    ]
    counts = {
        outcome: len(reports)
        for outcome, reports in terminalreporter.stats.items()
        if outcome in ("passed", "failed", "error", "skipped", "xfailed", "xpassed", "deselected")
    }
    record = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "pytest (s)": round(time.perf_counter() - start, 1),
        "exit status": int(exitstatus),
        "outcomes": counts,
        "arguments": " ".join(config.invocation_params.args),
        "workers": getattr(config.option, "numprocesses", None) or 0,
        "cores": os.cpu_count(),
        "load average": [
            round(max(a, b), 1) for a, b in zip(load_before, os.getloadavg(), strict=True)
        ],
        "slowest": [
            [round(seconds, 2), when, nodeid]
            for seconds, when, nodeid in sorted(phases, reverse=True)[:SLOWEST]
        ],
    }
    RECORD.parent.mkdir(exist_ok=True)
    RECORD.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    terminalreporter.write_line(f"test-suite time recorded in {RECORD.relative_to(ROOT)}")


# ------------------------------------------------------------------- read, print, run again
def last_record() -> dict | None:
    if not RECORD.is_file():
        return None
    return json.loads(RECORD.read_text(encoding="utf-8"))


def add_total(seconds: float, status: int) -> None:
    """Add the time of `make test`'s pytest run and the reproducibility build beside it."""
    record = last_record()
    if record is None:
        return
    record["make test (s)"] = round(seconds, 1)
    record["make test exit status"] = status
    RECORD.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def run_suite() -> dict | None:
    """Run the pytest part of `make test` (its output goes to the terminal) and return the new
    record. The built site must be current (`make bench` depends on `make site`)."""
    args = os.environ.get(ARGS_ENV)
    if not args:
        raise RuntimeError(f"${ARGS_ENV} is not set: run the benchmark with `make bench`")
    subprocess.run([sys.executable, "-m", "pytest", *shlex.split(args)], cwd=ROOT)
    return last_record()


def describe(record: dict | None, fresh: bool) -> list[str]:
    """The lines `make bench` prints about the test suite."""
    again = "BENCH_TESTS=1 make bench, or make test"
    if record is None:
        return [f"never measured here (no {RECORD.relative_to(ROOT)}): run {again}"]
    when = "measured now" if fresh else f"LAST MEASURED {record['date']}, not now (again: {again})"
    counts = ", ".join(f"{n} {outcome}" for outcome, n in record["outcomes"].items())
    load = " ".join(str(x) for x in record["load average"])
    lines = [
        f"{when}; {record['workers']} workers on {record['cores']} cores, load average {load}",
        f"pytest part: {record['pytest (s)']:.0f} s ({counts}; exit status "
        f"{record['exit status']}; goal for the whole make test <= 300 s)",
    ]
    if "make test (s)" in record:
        lines.append(
            f"make test (site and reproducibility build side by side, then pytest): {record['make test (s)']:.0f} s "
            f"(exit status {record['make test exit status']})"
        )
    lines.append(f"pytest {record['arguments']}")
    lines.append(f"slowest {len(record['slowest'])}:")
    lines += [f"  {s:7.1f} s  {when:<8} {nodeid}" for s, when, nodeid in record["slowest"]]
    return lines


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "total":
        add_total(float(sys.argv[2]), int(sys.argv[3]))
    else:
        sys.exit("usage: python -m tools.bench_suite total SECONDS EXIT_STATUS")
