"""What the environment of make venv gives every Python of the build and the tests."""

from __future__ import annotations

import subprocess
import sys


def test_importing_altair_builds_no_lark_parsers():
    """jsonschema, under altair, checks the "iri" format with rfc3987 (requirements.txt), not
    rfc3987-syntax, whose import builds some 40 parsers: 2 s for each kernel and test worker."""
    probe = "import sys, altair, jsonschema; print('rfc3987_syntax' in sys.modules)"
    found = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == "False"


def test_the_iri_format_is_still_checked():
    import jsonschema

    checker = jsonschema.FormatChecker()
    assert "iri" in checker.checkers
    assert checker.conforms("https://example.org/ü", "iri")
    assert not checker.conforms("not an iri", "iri")
