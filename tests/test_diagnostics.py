"""Checker diagnostics as data (tests/diagnostics/check/*.kin), and what every case of every stage shares.

The harness (tests/harness.py) is the one used by the parser (tests/test_parse.py), checker
(here) and analysis (tests/test_analysis.py) tests: chunks split by `---`, `### CODE "regex"`
inline on the line the finding is expected on.
"""

from __future__ import annotations

from pathlib import Path

import harness
import pytest

STAGES = ("syntax", "check", "analysis")
EVERY_CASE = [c for stage in STAGES for c in harness.cases(stage)]


def test_there_are_enough_cases() -> None:
    assert sum(len(c.expected) for c in harness.cases("check")) >= 25
    assert all(harness.cases(stage) for stage in STAGES)


@pytest.mark.parametrize("case", **harness.parametrize("check"))
def test_case_reports_exactly_its_expected_findings(case: harness.Case) -> None:
    harness.assert_reports_exactly(case)


@pytest.mark.parametrize("case", EVERY_CASE, ids=[c.name for c in EVERY_CASE])
def test_every_finding_renders_with_position_source_line_and_caret(case: harness.Case) -> None:
    for d in case.findings():
        rendered = d.render("en").splitlines()
        assert rendered[0].startswith(f"{case.file_name}:{d.span.line}:{d.span.column}: ")
        assert d.code in rendered[0]
        assert any(line.strip().startswith("^") for line in rendered), rendered
        assert d.text("id") != d.text("en")


def test_the_harness_fails_a_case_that_expects_what_is_not_reported(tmp_path: Path) -> None:
    """The harness itself: a wrong code, a wrong line, a wrong regex and an unexpected error each fail."""
    chunks = {
        "wrong-code": "input a: boolean\nvalue v = a + 1   ### K202\noutput v\n",
        "wrong-line": "input a: boolean\nvalue v = a + 1\noutput v   ### K201\n",
        "wrong-words": 'input a: boolean\nvalue v = a + 1   ### K201 "no such words"\noutput v\n',
        "unexpected": "input a: boolean\nvalue v = a + 1\noutput v\n#! clean\n",
        # two gaps (4 and 7), one written: the other witness is a stray
        "stray-witness": 'input x: integer [0, 9]\ntable t on x hit unique   ### K501 "witness: x = 4"\n'
                         '  [0, 3] -> 1 cite "a"\n  [5, 6] -> 2 cite "b"\n  [8, 9] -> 3 cite "c"\nend\noutput t\n',
        "says-nothing": "input a: boolean\noutput a\n",
    }
    for name, chunk in chunks.items():
        case = harness._chunk_case(tmp_path / f"{name}.kin", 1, chunk)
        with pytest.raises(AssertionError):
            harness.assert_reports_exactly(case)
