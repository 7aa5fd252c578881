"""Diagnostics as data: every case in tests/diagnostics/*.kin states its expected findings inline.

A file is split into chunks by lines holding only `---`. On any line, `### CODE` or
`### CODE "regex"` expects a diagnostic with that code on that line (the regex is searched
in the English message and suggestion). A chunk that does not start with `ruleset` (and
has no `#! no header` line) gets the standard header below, and line numbers are counted in the chunk as written.
Every expected diagnostic must be reported and no unexpected error may be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import kinerja
import pytest
from kinerja.diagnostics.diagnostic import ERROR, Diagnostic

CASES = Path(__file__).parent / "diagnostics"
HEADER = 'ruleset uji-diagnostik version 1.0.0\n  title "Uji diagnostik" source "Peraturan Uji" short "PU 1/2024"\n'
EXPECT = re.compile(r'###\s*(K\d{3})(?:\s+"([^"]*)")?')


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    offset: int  # lines added in front of the chunk
    expected: tuple[tuple[int, str, str | None], ...]  # (line in chunk, code, regex)


def _cases() -> list[Case]:
    found: list[Case] = []
    for path in sorted(CASES.glob("*.kin")):
        chunks = re.split(r"^---\s*$\n?", path.read_text(encoding="utf-8"), flags=re.M)
        for number, chunk in enumerate(chunks, 1):
            expected = tuple(
                (line_no, m.group(1), m.group(2))
                for line_no, line in enumerate(chunk.splitlines(), 1)
                for m in EXPECT.finditer(line)
            )
            body = "\n".join(line for line in chunk.splitlines() if not line.lstrip().startswith("#"))
            has_header = body.lstrip().startswith("ruleset") or "#! no header" in chunk
            text = chunk if has_header else HEADER + chunk
            found.append(Case(f"{path.stem}-{number}", text, 0 if has_header else HEADER.count("\n"), expected))
    return found


CASE_LIST = _cases()


def test_there_are_enough_cases() -> None:
    assert sum(len(c.expected) for c in CASE_LIST) >= 25


def _describe(d: Diagnostic) -> str:
    return f"{d.code}@{d.span.line}: {d.text('en')}"


@pytest.mark.parametrize("case", CASE_LIST, ids=[c.name for c in CASE_LIST])
def test_case_reports_exactly_its_expected_findings(case: Case) -> None:
    findings = kinerja.check_text(case.text, f"{case.name}.kin")
    for line, code, pattern in case.expected:
        matching = [d for d in findings if d.code == code and d.span.line - case.offset == line]
        assert matching, f"expected {code} on line {line}; got {[_describe(d) for d in findings]}"
        if pattern:
            words = " ".join(d.text("en") + " " + (d.suggestion.render("en") if d.suggestion else "") for d in matching)
            assert re.search(pattern, words), f"{code}: {pattern!r} not in {words!r}"
    expected_codes = {(line, code) for line, code, _ in case.expected}
    unexpected = [d for d in findings if d.severity == ERROR and (d.span.line - case.offset, d.code) not in expected_codes]
    assert not unexpected, f"unexpected: {[_describe(d) for d in unexpected]}"


@pytest.mark.parametrize("case", CASE_LIST[:12], ids=[c.name for c in CASE_LIST[:12]])
def test_every_finding_renders_with_position_source_line_and_caret(case: Case) -> None:
    for d in kinerja.check_text(case.text, f"{case.name}.kin"):
        rendered = d.render("en").splitlines()
        assert rendered[0].startswith(f"{case.name}.kin:{d.span.line}:{d.span.column}: ")
        assert d.code in rendered[0]
        assert any(line.strip().startswith("^") for line in rendered), rendered
        assert d.text("id") != d.text("en")
