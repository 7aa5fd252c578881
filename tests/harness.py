"""The one chunked diagnostic harness: rulesets as data, their expected findings written inline.

Used by the parser, checker and analysis tests alike (`tests/diagnostics/<stage>/*.kin`).

A file is split into chunks by lines holding only `---`; each chunk is one ruleset.
On any line, `### CODE` or `### CODE "regex"` expects a diagnostic with that code on that
line; several may share a line. The regex is searched in the finding as English text:

    MESSAGE [witness: WITNESS] [help: SUGGESTION]

(the bracketed parts only when the finding has them), so a witness is expected with
`### K501 "witness: tidak_apel = 1"`; write `\\"` for a quote inside the regex.

Directives, on lines of their own:
    `#! no header`   the chunk is given as written (a chunk whose first line of code is
                     `ruleset …` is too); any other chunk gets the standard `HEADER` in front,
                     and its line numbers are still counted in the chunk as written
    `#! case NAME`   names the chunk (default `<file>-<number>`), so a test can fetch it
    `#! clean`       the chunk expects no error at all (a chunk must expect something or say this)

What a case asserts: every expected finding is reported; no other error is; and every
finding at an expected place (line and code) fits one of that place's regexes, so a
place's witnesses are exactly the ones written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import kinerja
from kinerja.diagnostics.diagnostic import ERROR, Diagnostic

ROOT = Path(__file__).parent / "diagnostics"
HEADER = 'ruleset uji-diagnostik version 1.0.0\n  title "Uji diagnostik" source "Peraturan Uji" short "PU 1/2024"\n'
EXPECT = re.compile(r'###\s*(K\d{3})(?:\s+"((?:[^"\\]|\\.)*)")?')
DIRECTIVE = re.compile(r"^\s*#!\s*(no header|case\s+(\S+)|clean)\s*$")
SEPARATOR = re.compile(r"^---\s*$\n?", re.M)


@dataclass(frozen=True)
class Expectation:
    line: int  # in the chunk as written
    code: str
    pattern: str | None


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    text: str  # what is checked: the chunk, with the standard header in front unless it has its own
    offset: int  # lines put in front of the chunk
    expected: tuple[Expectation, ...]
    clean: bool

    @property
    def file_name(self) -> str:
        return f"{self.name}.kin"

    def line_of(self, finding: Diagnostic) -> int:
        """A finding's line counted in the chunk as written."""
        return finding.span.line - self.offset

    def findings(self) -> list[Diagnostic]:
        return kinerja.check_text(self.text, self.file_name)


def _chunk_case(path: Path, number: int, chunk: str) -> Case:
    name, own_header, clean = f"{path.stem}-{number}", False, False
    for line in chunk.splitlines():
        directive = DIRECTIVE.match(line)
        if directive is None:
            continue
        if directive.group(1) == "no header":
            own_header = True
        elif directive.group(1) == "clean":
            clean = True
        else:
            name = directive.group(2)
    code = [line for line in chunk.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    own_header = own_header or (bool(code) and code[0].lstrip().startswith("ruleset"))
    expected = tuple(
        Expectation(line_no, m.group(1), m.group(2).replace('\\"', '"') if m.group(2) else None)
        for line_no, line in enumerate(chunk.splitlines(), 1)
        for m in EXPECT.finditer(line)
    )
    text = chunk if own_header else HEADER + chunk
    return Case(name, path, text, 0 if own_header else HEADER.count("\n"), expected, clean)


def cases(stage: str) -> list[Case]:
    """Every chunk of every `tests/diagnostics/<stage>/*.kin`, in file order."""
    found: list[Case] = []
    for path in sorted((ROOT / stage).glob("*.kin")):
        chunks = SEPARATOR.split(path.read_text(encoding="utf-8"))
        found += [_chunk_case(path, number, chunk) for number, chunk in enumerate(chunks, 1)]
    names = [c.name for c in found]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    assert not duplicated, f"case names used twice in {stage}: {duplicated}"
    return found


def case(stage: str, name: str) -> Case:
    return next(c for c in cases(stage) if c.name == name)


def parametrize(stage: str) -> dict[str, Any]:
    """Keyword arguments for `pytest.mark.parametrize("case", **parametrize(stage))`."""
    found = cases(stage)
    return {"argvalues": found, "ids": [c.name for c in found]}


def searched(finding: Diagnostic) -> str:
    """The English text an expectation's regex is searched in."""
    text = finding.text("en")
    if finding.witness is not None:
        text += f" [witness: {finding.witness}]"
    if finding.suggestion is not None:
        text += f" [help: {finding.suggestion.render('en')}]"
    return text


def assert_reports_exactly(case: Case) -> list[Diagnostic]:
    """Check the case and assert what the module docstring says; the findings, for further checks."""
    assert case.expected or case.clean, f"{case.name}: a case states what it expects (or `#! clean`)"
    assert not (case.expected and case.clean), f"{case.name}: `#! clean` with expectations"
    findings = case.findings()

    def described() -> list[str]:
        return [f"{d.code}@{case.line_of(d)}: {searched(d)}" for d in findings]

    places: dict[tuple[int, str], list[str | None]] = {}
    for expectation in case.expected:
        places.setdefault((expectation.line, expectation.code), []).append(expectation.pattern)
    for (line, code), patterns in places.items():
        at_place = [d for d in findings if d.code == code and case.line_of(d) == line]
        assert at_place, f"{case.name}: expected {code} on line {line}; got {described()}"
        for pattern in patterns:
            if pattern is not None:
                assert any(re.search(pattern, searched(d)) for d in at_place), \
                    f"{case.name}: {code} on line {line}: {pattern!r} not in {[searched(d) for d in at_place]}"  # fmt: skip
        if None not in patterns:
            stray = [searched(d) for d in at_place if not any(re.search(p, searched(d)) for p in patterns if p)]
            assert not stray, f"{case.name}: {code} on line {line} fits none of {patterns}: {stray}"
    unexpected = [d for d in findings if d.severity == ERROR and (case.line_of(d), d.code) not in places]
    assert not unexpected, f"{case.name}: unexpected {[f'{d.code}@{case.line_of(d)}: {searched(d)}' for d in unexpected]}"
    return findings


def expected_codes(stage: str | None = None) -> set[str]:
    """Every code some case expects (of one stage, or of all)."""
    stages = [stage] if stage else sorted(p.name for p in ROOT.iterdir() if p.is_dir())
    return {e.code for s in stages for c in cases(s) for e in c.expected}
