"""The engine's diagnostics as the protocol publishes them.

Each keeps its code, its exact span and its message in the client's language; the
witness and the suggestion follow the message as `kinerja check` prints them, related
places become related information, and the witness also travels as data (name = value
pairs) for clients that act on it. A finding inside a base ruleset (a gap in the table a
child inherits) is shown on the child's `extends` clause, pointing at the base.
"""

from __future__ import annotations

from typing import Any

from kinerja.diagnostics.diagnostic import Diagnostic
from kinerja.diagnostics.messages import message
from kinerja.lsp.analysis import Snapshot
from kinerja.lsp.files import Files
from kinerja.lsp.protocol import location, range_of, severity, span_range
from kinerja.lsp.text import Text
from kinerja.syntax.printer import literal
from lsprotocol import types as lsp

SOURCE = "kinerja"
# findings about something that can never matter: editors grey it out
UNNECESSARY = frozenset({"K504", "K505", "K510", "K511"})


def extends_range(text: Text) -> lsp.Range:
    """Where the header names the ruleset this one extends (or the first line)."""
    for index, token in enumerate(text.code):
        if token.kind == "ref" and index > 0 and text.code[index - 1].text in ("extends", "supersedes"):
            return range_of(text, token.start, token.end)
    first = text.code[0] if text.code else None
    return range_of(text, first.start, first.end) if first else range_of(text, (0, 0), (0, 0))


def words(d: Diagnostic, lang: str) -> str:
    """The message with its witness and suggestion, as `kinerja check` prints them under the caret."""
    lines = [d.text(lang)]
    if d.witness is not None:
        lines.append(f"{message('witness', lang)}: {d.witness}")
    if d.suggestion is not None:
        lines.append(f"{message('help', lang)}: {d.suggestion.render(lang)}")
    return "\n".join(lines)


def convert(d: Diagnostic, snapshot: Snapshot, files: Files, lang: str) -> lsp.Diagnostic:
    text = snapshot.text
    related: list[lsp.DiagnosticRelatedInformation] = []
    in_this_file = d.span.file == snapshot.path and d.span.line > 0
    if in_this_file:
        where = span_range(text, d.span)
    else:
        where = extends_range(text)
        elsewhere = location(files, d.span)
        if elsewhere is not None:
            related.append(lsp.DiagnosticRelatedInformation(elsewhere, d.text(lang)))
    for place in d.related:
        found = location(files, place.span)
        if found is not None:
            related.append(lsp.DiagnosticRelatedInformation(found, place.text(lang)))
    data: dict[str, Any] = {}
    if d.witness_values:
        data["witness"] = [[name, literal(value)] for name, value in d.witness_values]
    if d.suggestion is not None:
        data["suggestion"] = dict(d.suggestion.args).get("name")
    return lsp.Diagnostic(
        range=where,
        message=words(d, lang),
        severity=severity(d.severity),
        code=d.code,
        source=SOURCE,
        related_information=related or None,
        tags=[lsp.DiagnosticTag.Unnecessary] if d.code in UNNECESSARY else None,
        data=data or None,
    )


def published(snapshot: Snapshot, files: Files, lang: str) -> list[lsp.Diagnostic]:
    return [convert(d, snapshot, files, lang) for d in snapshot.diagnostics]
