"""The scenario model's speed (one simulation, one sweep of 10 000 scenarios), for `make bench`."""

from __future__ import annotations

import time


def best_of(function, repeat: int = 7, number: int = 1) -> float:
    """Best wall time of ``number`` calls, over ``repeat`` tries (seconds per call)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            function()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def scenario_figures() -> dict[str, float]:
    import numpy as np

    from widgets import scenario as sc

    one = sc.default_scenario().with_changes(horizon_months=36)
    sweep_ranges = {
        "stockpile_days": np.linspace(0, 365, 100),
        "approval_rate": np.linspace(0, 1, 100),
    }
    sc.sweep(one, **sweep_ranges)  # warm up
    return {
        "simulate(), 36 months (ms; goal < 1)": best_of(lambda: sc.simulate(one), number=50) * 1e3,
        "sweep of 10 000 scenarios (ms; goal < 1000)": best_of(
            lambda: sc.sweep(one, **sweep_ranges), repeat=3
        )
        * 1e3,
    }
