"""One version of one open document, checked exactly as `kinerja check` checks a file.

The check is `Library.check_report` (parse, link, check, analyse, versions), the same
call `kinerja check` makes; the snapshot keeps what each stage produced so hover,
completion and navigation read the checked tree instead of checking again. While the
author types, the text often does not parse: the snapshot then keeps the last index that
did, so the outline, hover and completion stay useful.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kinerja.diagnostics.diagnostic import ERROR, Diagnostic, KinerjaError
from kinerja.library.api import CheckReport, Library
from kinerja.lsp.index import Index, build
from kinerja.lsp.text import Text
from kinerja.semantics.check import CheckedRuleset
from kinerja.syntax.parse import parse
from kinerja.syntax.tree import Module


@dataclass(frozen=True)
class Snapshot:
    uri: str
    version: int | None
    path: str
    text: Text
    report: CheckReport  # exactly what `kinerja check` finds in this text
    index: Index | None  # names of this text, or of the nearest text that parsed (see `current`)
    checked: CheckedRuleset | None  # types and labels, from the same text as `index`
    current: bool  # `index` and `checked` belong to this very text

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.report.diagnostics

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.report.diagnostics if d.severity == ERROR]

    @property
    def source(self) -> Module | None:
        return self.report.source


def analyse(library: Library, uri: str, version: int | None, source: str, path: str, encoding: str,
            previous: Snapshot | None = None) -> Snapshot:  # fmt: skip
    """Check one version of a document and index its names."""
    text = Text(source, encoding)
    report = check(library, source, path)
    if report.source is not None:
        index = build(text, report.source, report.module)
        return Snapshot(uri, version, path, text, report, index, report.checked, True)
    recovered = _recover(library, source, path, report.diagnostics)
    if recovered is not None:
        index = build(Text(recovered.source.source_text, encoding), recovered.source, recovered.module)
        return Snapshot(uri, version, path, text, report, index, recovered.checked, False)
    if previous is not None:
        return Snapshot(uri, version, path, text, report, previous.index, previous.checked, False)
    return Snapshot(uri, version, path, text, report, None, None, False)


def check(library: Library, source: str, path: str) -> CheckReport:
    """`Library.check_report` as `kinerja check FILE` calls it; a base that cannot be found is a finding too."""
    versions = Path(path).is_file()  # an unsaved buffer has no place among the versions of its id
    try:
        return library.check_report(source, path, versions=versions)
    except KinerjaError as error:  # e.g. `extends` names a ruleset no folder holds (K801)
        try:
            parsed: Module | None = parse(source, path)
        except KinerjaError:
            parsed = None
        return CheckReport(error.diagnostics, parsed)


RECOVERY_ATTEMPTS = 5


def _recover(library: Library, source: str, path: str, found: list[Diagnostic]) -> CheckReport | None:
    """The text with the lines that do not parse blanked (positions kept), checked: what the author
    is typing right now is missing, everything around it is known."""
    lines = source.split("\n")
    for _ in range(RECOVERY_ATTEMPTS):
        broken = {d.span.line - 1 for d in found if d.code.startswith("K0") and 0 < d.span.line <= len(lines)}
        if not broken:
            return None
        lines = [" " * len(line) if number in broken else line for number, line in enumerate(lines)]
        attempt = check(library, "\n".join(lines), path)
        if attempt.source is not None:
            return attempt
        found = attempt.diagnostics
    return None
