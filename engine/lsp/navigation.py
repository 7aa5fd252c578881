"""Go to definition, find references (across `extends`), rename in the file, and the outline."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from kinerja.diagnostics.diagnostic import KinerjaError
from kinerja.diagnostics.messages import message
from kinerja.library.api import Library
from kinerja.lsp import index as ix
from kinerja.lsp.analysis import Snapshot
from kinerja.lsp.files import Files, uri_of
from kinerja.lsp.language import NAME, keywords
from kinerja.lsp.protocol import location, range_of, span_range
from kinerja.lsp.text import Point, Text
from kinerja.syntax import printer
from kinerja.syntax import tree as s
from kinerja.syntax.format import type_text
from kinerja.syntax.parse import parse
from lsprotocol import types as lsp


class RenameRefused(Exception):
    """A rename that cannot be done, with the reason in the user's language."""


@dataclass(frozen=True)
class Target:
    """What a cursor is on, for navigation: a name of this file's index."""

    occurrence: ix.Occurrence
    symbol: ix.Symbol | None


def target(snapshot: Snapshot, point: Point) -> Target | None:
    if snapshot.index is None:
        return None
    occurrence = snapshot.index.at(point)
    if occurrence is None:
        return None
    return Target(occurrence, snapshot.index.symbol(occurrence))


# ------------------------------------------------------------------ definition
def definition(snapshot: Snapshot, point: Point, files: Files, library: Library) -> list[lsp.Location]:
    token = snapshot.text.token_at(point)
    if token is not None and token.kind == "ref":
        try:
            path = library.select(token.text).path
        except KinerjaError:
            return []
        return [lsp.Location(uri_of(str(path)), lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0)))]
    found = target(snapshot, point)
    if found is None:
        return []
    if found.symbol is not None:
        where = location(files, found.symbol.span)
        return [where] if where else []
    if found.occurrence.namespace == ix.PART and snapshot.index is not None:
        owner = snapshot.index.symbols.get(found.occurrence.owner or "")
        if owner is not None and isinstance(owner.decl, s.WeightsDecl) and owner.decl.branches:
            item = next((i for i in owner.decl.branches[0].items if i.name == found.occurrence.name), None)
            where = location(files, item.span) if item else None
            return [where] if where else []
    return []


# ------------------------------------------------------------------ references
def references(snapshot: Snapshot, point: Point, include_declaration: bool, files: Files,
               others: list[Snapshot]) -> list[lsp.Location]:  # fmt: skip
    """Every use of the name under the cursor: in this file, in the base it comes from, and in
    the open documents that extend the file it is declared in."""
    found = target(snapshot, point)
    if found is None or found.symbol is None:
        return []
    symbol = found.symbol
    indexes: list[tuple[ix.Index, Text]] = []
    seen: set[str] = set()
    for other in [snapshot, *others]:
        if other.index is not None and other.current and other.path not in seen:
            if other is snapshot or symbol.file == other.path or symbol.file in other.index.base_paths:
                indexes.append((other.index, other.text))
                seen.add(other.path)
    if symbol.file not in seen:
        base = _file_index(symbol.file, files)
        if base is not None:
            indexes.append(base)
    locations = []
    for index, text in indexes:
        for use in index.uses(symbol.name, symbol.namespace):
            if use.declaration and not include_declaration:
                continue
            locations.append(lsp.Location(uri_of(index.path), range_of(text, use.start, use.end)))
    return locations


def _file_index(path: str, files: Files) -> tuple[ix.Index, Text] | None:
    text = files.text(path)
    if text is None:
        return None
    index = _indexed(text, path)
    return (index, text) if index is not None else None


@functools.lru_cache(maxsize=16)
def _indexed(text: Text, path: str) -> ix.Index | None:
    """A base file's index; `Files` hands out the same `Text` until the file changes, so this is reused."""
    try:
        module = parse(text.source, path)
    except KinerjaError:
        return None
    return ix.build(text, module, None)


# ------------------------------------------------------------------ rename
def prepare_rename(snapshot: Snapshot, point: Point, lang: str) -> lsp.PrepareRenamePlaceholder:
    found = _renamable(snapshot, point, lang)
    return lsp.PrepareRenamePlaceholder(range_of(snapshot.text, found.occurrence.start, found.occurrence.end), found.occurrence.name)


def _renamable(snapshot: Snapshot, point: Point, lang: str) -> Target:
    found = target(snapshot, point)
    if found is None or found.symbol is None or not snapshot.current:
        raise RenameRefused(message("L_rename_nothing", lang))
    if found.symbol.file != snapshot.path:
        raise RenameRefused(message("L_rename_base", lang, name=found.symbol.name, file=found.symbol.file))
    return found


def rename(snapshot: Snapshot, point: Point, new_name: str, lang: str) -> lsp.WorkspaceEdit:
    """Rename a definition of this file and every use of it in this file."""
    found = _renamable(snapshot, point, lang)
    index = snapshot.index
    assert index is not None and found.symbol is not None
    if not NAME.fullmatch(new_name):
        raise RenameRefused(message("L_rename_invalid", lang, name=new_name))
    if new_name in keywords():
        raise RenameRefused(message("L_rename_keyword", lang, name=new_name))
    taken = index.exceptions if found.symbol.namespace == ix.EXCEPTION else index.symbols
    if new_name != found.symbol.name and new_name in taken:
        raise RenameRefused(message("L_rename_taken", lang, name=new_name))
    edits = [lsp.TextEdit(range_of(snapshot.text, use.start, use.end), new_name)
             for use in index.uses(found.symbol.name, found.symbol.namespace)]  # fmt: skip
    return lsp.WorkspaceEdit(changes={snapshot.uri: edits})


# ------------------------------------------------------------------ outline
_KINDS = {
    "type": lsp.SymbolKind.Enum, "input": lsp.SymbolKind.Variable, "value": lsp.SymbolKind.Function,
    "weights": lsp.SymbolKind.Struct, "table": lsp.SymbolKind.Class, "rubric": lsp.SymbolKind.Class,
    "quadrant": lsp.SymbolKind.Class, "exception": lsp.SymbolKind.Event, "output": lsp.SymbolKind.Field,
    "example": lsp.SymbolKind.Method, "distribution": lsp.SymbolKind.Object, "override": lsp.SymbolKind.Operator,
}  # fmt: skip
_DETAIL_WIDTH = 80


def outline(snapshot: Snapshot) -> list[lsp.DocumentSymbol]:
    index = snapshot.index
    if index is None:
        return []
    text = snapshot.text
    found = []
    for extent in index.extents:
        whole = range_of(text, extent.start, extent.end)
        node = extent.node
        if isinstance(node, s.Header):
            ref = f"{node.id}@{node.version}"
            found.append(lsp.DocumentSymbol(ref, lsp.SymbolKind.Namespace, whole, _name_range(text, extent, node.id),
                                            detail=node.title))  # fmt: skip
            continue
        name, detail = _describe(node)
        keyword = ix.keyword_of(node)
        selection = span_range(text, node.span) if hasattr(node, "name") else _first_line(text, extent)
        if isinstance(node, s.ExampleDecl):
            selection = _name_range(text, extent, None)
        children = _children(node, text)
        found.append(lsp.DocumentSymbol(name, _KINDS.get(keyword, lsp.SymbolKind.Null), whole, _clamp(selection, whole),
                                        detail=_short(detail), children=children or None))  # fmt: skip
    return found


def _describe(node: Any) -> tuple[str, str | None]:
    if isinstance(node, s.TypeDecl):
        return node.name, type_text(node.type)
    if isinstance(node, s.InputDecl):
        return node.name, type_text(node.type)
    if isinstance(node, s.ValueDecl):
        return node.name, printer.expr(node.expr)
    if isinstance(node, s.WeightsDecl):
        return node.name, ", ".join(i.name for i in node.branches[0].items) if node.branches else None
    if isinstance(node, s.TableDecl):
        return node.name, f"on {printer.expr(node.subject)} hit {node.hit}"
    if isinstance(node, s.QuadrantDecl):
        return node.name, f"rows {printer.expr(node.row_subject)} columns {printer.expr(node.column_subject)}"
    if isinstance(node, s.ExceptionDecl):
        return node.name, f"overrides {node.target}"
    if isinstance(node, s.OutputDecl):
        return node.name, node.description
    if isinstance(node, s.ExampleDecl):
        return node.title, None
    if isinstance(node, s.DistributionDecl):
        return node.name, f"of {node.output} by {node.class_input}"
    if isinstance(node, s.OverrideDecl):
        return f"override {node.kind} {node.target}", None
    return str(getattr(node, "name", "?")), None


def _children(node: Any, text: Text) -> list[lsp.DocumentSymbol]:
    children = []
    if isinstance(node, s.TableDecl):
        for number, row in enumerate(node.rows, start=1):
            if row.span.end_line <= 0:
                continue
            where = span_range(text, row.span)
            label = f"{number}. {printer.condition(row.condition)} -> {printer.expr(row.result)}"
            children.append(lsp.DocumentSymbol(_short(label) or label, lsp.SymbolKind.EnumMember, where, where))
    elif isinstance(node, s.QuadrantDecl):
        for row in node.rows:
            if row.span.end_line <= 0:
                continue
            where = span_range(text, row.span)
            key = printer.quote(row.key.value) if isinstance(row.key, s.StringLit) else printer.condition(row.key)
            children.append(lsp.DocumentSymbol(key, lsp.SymbolKind.EnumMember, where, where))
    return children


def _short(detail: str | None) -> str | None:
    if detail is None or len(detail) <= _DETAIL_WIDTH:
        return detail
    return detail[: _DETAIL_WIDTH - 1] + "…"


def _name_range(text: Text, extent: ix.Extent, word: str | None) -> lsp.Range:
    """The header's id, or an example's title: the first such token of the extent."""
    for token in text.tokens_between(extent.start, extent.end):
        if (word is not None and token.text == word) or (word is None and token.kind == "string"):
            return range_of(text, token.start, token.end)
    return _first_line(text, extent)


def _first_line(text: Text, extent: ix.Extent) -> lsp.Range:
    line = extent.start[0]
    end = extent.end if extent.end[0] == line else (line, len(text.lines[line]))
    return range_of(text, extent.start, end)


def _clamp(inner: lsp.Range, outer: lsp.Range) -> lsp.Range:
    """A selection range must lie inside the symbol's range."""
    def key(p: lsp.Position) -> tuple[int, int]:
        return (p.line, p.character)

    if key(inner.start) < key(outer.start) or key(inner.end) > key(outer.end):
        return outer
    return inner
