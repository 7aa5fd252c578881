"""Small conversions from the engine's values to the protocol's (ranges, locations, severities)."""

from __future__ import annotations

from kinerja.diagnostics.diagnostic import ERROR, WARNING
from kinerja.lsp.files import Files, uri_of
from kinerja.lsp.text import Point, Text
from kinerja.syntax.tree import Span
from lsprotocol import types as lsp


def range_of(text: Text, start: Point, end: Point) -> lsp.Range:
    (sl, sc), (el, ec) = text.to_client(start), text.to_client(end)
    return lsp.Range(lsp.Position(sl, sc), lsp.Position(el, ec))


def span_range(text: Text, span: Span) -> lsp.Range:
    start, end = text.span_points(span)
    return range_of(text, start, end)


def location(files: Files, span: Span) -> lsp.Location | None:
    """Where a span is, in whatever file holds it."""
    text = files.text(span.file)
    if text is None or span.line <= 0:
        return None
    return lsp.Location(uri_of(span.file), span_range(text, span))


def severity(value: str) -> lsp.DiagnosticSeverity:
    if value == ERROR:
        return lsp.DiagnosticSeverity.Error
    if value == WARNING:
        return lsp.DiagnosticSeverity.Warning
    return lsp.DiagnosticSeverity.Information


def point(text: Text, position: lsp.Position) -> Point:
    return text.from_client(position.line, position.character)
