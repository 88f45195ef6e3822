"""axe-core's serious and critical findings on a page, as lines to print (the browser tests' one
way of running axe)."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

# Only violations are asked for: axe then keeps no list of the elements that pass each rule,
# which took two thirds of its time on a chapter (2026-12-01: 8.7 s against 2.6 s on chapter 2,
# the same findings).
OPTIONS = {"resultTypes": ["violations"]}


def serious_findings(page, exceptions=()) -> list[str]:
    """One line per serious or critical axe violation on ``page`` (rule, impact, help and the
    first three elements), leaving out the rules named in ``exceptions``."""
    results = Axe().run(page, options=OPTIONS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + ", ".join(str(n["target"]) for n in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical") and v["id"] not in exceptions
    ]
