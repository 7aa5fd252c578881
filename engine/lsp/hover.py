"""Hover: what a name is (type, description, citations, notes, the formula of a value), the
citation of a band row or quadrant cell, and the title and dates of a referenced ruleset.

Everything shown is read from the checked ruleset and written with the engine's own
printers (`printer.expr`, `format.type_text`), so a formula reads as `kinerja explain` and
`kinerja doc` write it.
"""

from __future__ import annotations

from typing import Any

from kinerja.diagnostics.diagnostic import KinerjaError
from kinerja.diagnostics.messages import message
from kinerja.library.api import Library
from kinerja.lsp.analysis import Snapshot
from kinerja.lsp.index import BUILTIN, EXCEPTION, NAME, PART, Extent, Index, Occurrence, Symbol
from kinerja.lsp.language import builtin_help
from kinerja.lsp.protocol import range_of
from kinerja.lsp.text import Point, Token
from kinerja.syntax import printer
from kinerja.syntax import tree as s
from kinerja.syntax.format import type_text
from kinerja.syntax.parse import parse
from lsprotocol import types as lsp

MAX_ROWS_SHOWN = 12


def hover(snapshot: Snapshot, point: Point, lang: str, library: Library) -> lsp.Hover | None:
    index = snapshot.index
    text = snapshot.text
    token = text.token_at(point)
    if token is not None and token.kind == "ref":
        shown = ruleset_reference(token.text, lang, library)
        return _result(shown, text.code, token, snapshot)
    if index is None:
        return None
    occurrence = index.at(point)
    if occurrence is not None:
        shown = name_hover(occurrence, snapshot, lang)
        if shown:
            return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, shown),
                             range_of(text, occurrence.start, occurrence.end))  # fmt: skip
    extent = index.extent_at(point)
    if extent is not None:
        shown = row_hover(extent, point, index, lang)
        if shown:
            return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, shown))
    return None


def _result(shown: str | None, code: tuple[Token, ...], token: Token, snapshot: Snapshot) -> lsp.Hover | None:
    if not shown:
        return None
    return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, shown), range_of(snapshot.text, token.start, token.end))


# ------------------------------------------------------------------ names
def name_hover(occurrence: Occurrence, snapshot: Snapshot, lang: str) -> str | None:
    index = snapshot.index
    assert index is not None
    if occurrence.namespace == BUILTIN:
        known = builtin_help(occurrence.name, lang)
        if known is None:
            return None
        signature, summary = known
        return f"**{message('L_kind_builtin', lang)}**\n\n```kinerja\n{signature}\n```\n\n{summary}"
    if occurrence.namespace == PART:
        return part_hover(occurrence, index, lang)
    if occurrence.namespace not in (NAME, EXCEPTION):
        return None
    symbol = index.symbol(occurrence)
    if symbol is None:
        return None
    return symbol_hover(symbol, snapshot, lang)


def symbol_hover(symbol: Symbol, snapshot: Snapshot, lang: str) -> str:
    index = snapshot.index
    assert index is not None
    decl = symbol.decl
    head = f"**{message('L_kind_' + symbol.kind, lang)}** `{symbol.name}`"
    if symbol.file != snapshot.path:
        base = _base_ref(snapshot) or symbol.file
        head += " — " + message("L_hover_from_base", lang, ref=base)
    parts = [head, f"```kinerja\n{_signature(decl)}\n```"]
    description = getattr(decl, "description", None)
    if isinstance(description, str) and description:
        parts.append(description)
    checked = snapshot.checked
    found_type = checked.types.get(symbol.name) if checked is not None else None
    if found_type is not None and symbol.kind not in ("type", "weights"):
        parts.append(f"**{message('L_hover_type', lang)}:** `{found_type.describe()}`")
    if isinstance(decl, s.TypeDecl) and isinstance(decl.type, (s.EnumType, s.ScaleType)):
        labels = ", ".join(printer.quote(label) for label in decl.type.labels)
        parts.append(f"**{message('L_hover_labels', lang)}:** {labels}")
    if isinstance(decl, s.ValueDecl):
        parts.append(f"**{message('L_hover_formula', lang)}:**\n```kinerja\n{symbol.name} = {printer.expr(decl.expr)}\n```")
    applies = getattr(decl, "applies", None)
    if applies is not None:
        parts.append(message("L_hover_applies", lang, condition=f"`{printer.expr(applies)}`"))
    output = _output(snapshot, symbol.name)
    if output is not None and output.description:
        parts.append(f"**{message('L_kind_output', lang)}:** {output.description}")
    parts += annotations(getattr(decl, "annotations", s.Annotations()), symbol.regulation, lang)
    return "\n\n".join(parts)


def _base_ref(snapshot: Snapshot) -> str | None:
    source = snapshot.source
    return source.header.extends if source is not None else None


def _output(snapshot: Snapshot, name: str) -> s.OutputDecl | None:
    for module in (snapshot.report.module, snapshot.source):
        if module is not None:
            for decl in module.of_kind(s.OutputDecl):
                if decl.name == name:
                    return decl
    return None


def annotations(annotated: s.Annotations, regulation: str, lang: str) -> list[str]:
    """Citations (with their regulation) and notes, as hover paragraphs."""
    parts = []
    if annotated.citations:
        cited = "; ".join(f"{c.regulation or regulation} {c.text}".strip() for c in annotated.citations)
        parts.append(f"**{message('L_hover_cited', lang)}:** {cited}")
    if annotated.notes:
        notes = "\n".join(f"- {n.text}" for n in annotated.notes)
        parts.append(f"**{message('L_hover_notes', lang)}:**\n{notes}")
    return parts


def _signature(decl: Any) -> str:
    """The declaration's first line(s) as the ruleset writes them."""
    if isinstance(decl, s.TypeDecl):
        return f"type {decl.name} = {type_text(decl.type)}"
    if isinstance(decl, s.InputDecl):
        optional = "optional " if decl.optional and decl.default is None else ""
        default = f" default {printer.literal(decl.default.value)}" if decl.default is not None else ""
        return f"input {decl.name}: {optional}{type_text(decl.type)}{default}"
    if isinstance(decl, s.ValueDecl):
        declared = f": {type_text(decl.declared_type)}" if decl.declared_type is not None else ""
        return f"value {decl.name}{declared} = {printer.expr(decl.expr)}"
    if isinstance(decl, s.WeightsDecl):
        lines = [f"weights {decl.name}"]
        for branch in decl.branches:
            items = ", ".join(f"{i.name} {i.written}" for i in branch.items)
            head = f"when {printer.expr(branch.condition)}" if branch.condition is not None else "otherwise"
            lines.append(f"  {head}: {items}")
        return "\n".join(lines)
    if isinstance(decl, s.TableDecl):
        declared = f": {type_text(decl.declared_type)}" if decl.declared_type is not None else ""
        lines = [f"{decl.kind} {decl.name}{declared} on {printer.expr(decl.subject)} hit {decl.hit}"]
        for row in decl.rows[:MAX_ROWS_SHOWN]:
            guard = f" if {printer.expr(row.guard)}" if row.guard is not None else ""
            lines.append(f"  {printer.condition(row.condition)}{guard} -> {printer.expr(row.result)}")
        if len(decl.rows) > MAX_ROWS_SHOWN:
            lines.append("  …")
        return "\n".join(lines)
    if isinstance(decl, s.QuadrantDecl):
        return f"quadrant {decl.name} rows {printer.expr(decl.row_subject)} columns {printer.expr(decl.column_subject)}"
    if isinstance(decl, s.ExceptionDecl):
        return (f"exception {decl.name} overrides {decl.target} priority {decl.priority}\n"
                f"  when {printer.expr(decl.condition)}\n  then {printer.expr(decl.result)}")  # fmt: skip
    return str(getattr(decl, "name", ""))


def part_hover(occurrence: Occurrence, index: Index, lang: str) -> str | None:
    symbol = index.symbols.get(occurrence.owner or "")
    if symbol is None or not isinstance(symbol.decl, s.WeightsDecl):
        return None
    lines = []
    for branch in symbol.decl.branches:
        item = next((i for i in branch.items if i.name == occurrence.name), None)
        if item is None:
            continue
        head = f"when {printer.expr(branch.condition)}" if branch.condition is not None else "otherwise"
        lines.append(f"{head}: {item.name} {item.written}")
    head = f"**{message('L_kind_part', lang)}** `{occurrence.name}` · `{symbol.name}`"
    return head + "\n\n```kinerja\n" + "\n".join(lines) + "\n```"


# ------------------------------------------------------------------ rows and cells
def row_hover(extent: Extent, point: Point, index: Index, lang: str) -> str | None:
    decl = extent.node
    regulation = index.regulation
    if isinstance(decl, s.TableDecl):
        for number, row in enumerate(decl.rows, start=1):
            if _inside(row.span, point):
                result = printer.expr(row.result)
                head = message("L_hover_row", lang, row=number, name=decl.name,
                               condition=f"`{printer.condition(row.condition)}`", result=f"`{result}`")  # fmt: skip
                parts = [head]
                if row.descriptor:
                    parts.append(row.descriptor)
                return "\n\n".join(parts + (annotations(row.annotations, regulation, lang) or [message("L_hover_no_citation", lang)]))
    if isinstance(decl, s.QuadrantDecl):
        for matrix_row in decl.rows:
            if not _inside(matrix_row.span, point):
                continue
            row_text = _key(matrix_row.key)
            cited = annotations(matrix_row.annotations, regulation, lang) or [message("L_hover_no_citation", lang)]
            for column, cell in enumerate(matrix_row.cells):
                if _inside(cell.span, point) and column < len(decl.columns):
                    value = printer.expr(cell.value) if cell.value is not None else "-"
                    head = message("L_hover_cell", lang, row=row_text, column=_key(decl.columns[column]), name=decl.name, value=value)
                    return "\n\n".join([head, *cited])
            return "\n\n".join([message("L_hover_matrix_row", lang, row=row_text, name=decl.name), *cited])
    return None


def _key(key: s.AxisKey) -> str:
    return printer.quote(key.value) if isinstance(key, s.StringLit) else printer.condition(key)


def _inside(span: s.Span, point: Point) -> bool:
    start = (span.line - 1, span.column - 1)
    end = (span.end_line - 1, span.end_column - 1)
    return span.end_line > 0 and start <= point <= end


# ------------------------------------------------------------------ `extends` and `supersedes`
def ruleset_reference(ref: str, lang: str, library: Library) -> str:
    try:
        path = library.select(ref).path
        header = parse(path.read_text(encoding="utf-8"), str(path)).header
    except (KinerjaError, OSError):
        return message("L_hover_ruleset_missing", lang, ref=ref)
    parts = [f"**{message('L_kind_ruleset', lang)}** `{header.id}@{header.version}`"]
    if header.title:
        parts.append(header.title)
    if header.source:
        parts.append(header.source + (f" ({header.source_short})" if header.source_short else ""))
    if header.effective_from is None and header.effective_until is None:
        parts.append(message("L_hover_no_dates", lang))
    else:
        start = header.effective_from.isoformat() if header.effective_from else "…"
        until = header.effective_until.isoformat() if header.effective_until else "…"
        parts.append(message("L_hover_in_force", lang, start=start, until=until))
    for word, target in (("L_hover_extends", header.extends), ("L_hover_supersedes", header.supersedes)):
        if target:
            parts.append(message(word, lang, ref=target))
    return "\n\n".join(parts)
