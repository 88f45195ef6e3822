"""tools/site.py's chromium flags: the features Playwright turns off stay off when ours are added
(chromium reads only the last --disable-features), checked against the installed Playwright."""

from __future__ import annotations

import re
from pathlib import Path

import playwright

from tools import site

DRIVER = Path(playwright.__file__).parent / "driver" / "package" / "lib"
LIST = re.compile(r"disabledFeatures = \[(.*?)\]\.filter\(Boolean\)", re.S)


def playwright_disabled_features() -> list[str]:
    """The features the installed Playwright's chromiumSwitches.ts turns off."""
    for script in sorted(DRIVER.rglob("*.js")):
        text = script.read_text(encoding="utf-8", errors="replace")
        if found := LIST.search(text):
            entries = [line.strip() for line in found[1].splitlines()]
            entries = [e for e in entries if e and not e.startswith("//")]
            odd = [e for e in entries if not re.fullmatch(r'"[A-Za-z0-9]+",?', e)]
            assert not odd, f"{script}: entries this test cannot read: {odd}"
            return [e.strip('",') for e in entries]
    raise AssertionError(f"no 'disabledFeatures = [...]' in the scripts of {DRIVER}")


def test_our_disable_features_keeps_every_feature_playwright_turns_off():
    theirs = playwright_disabled_features()
    assert len(theirs) > 5, theirs  # the pattern read the list, not a fragment of it
    flags = [a for a in site.CHROMIUM_ARGS if a.startswith("--disable-features=")]
    assert len(flags) == 1, flags
    ours = flags[0].split("=", 1)[1].split(",")
    assert [f for f in theirs if f not in ours] == [], "update PLAYWRIGHT_DISABLED_FEATURES"
    assert set(site.BROWSER_UI_FEATURES) <= set(ours)
