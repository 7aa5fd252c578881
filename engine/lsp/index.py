"""Where every name of a ruleset is declared and used, read from the syntax tree.

The tree keeps the exact span of nearly every name (declarations, names in formulas,
example bindings, outputs, written types). For the few it keeps only as text (an
exception's target, a population rule's output and class, `expect invalid` names, an
override's target) the name is found among the tokens of its own declaration.

Names live in namespaces as the checker sees them: `name` (types, inputs and definitions,
one namespace), `exception`, `distribution`; weight parts and record fields are `part`s of
their weight set or list and never clash with a name.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from kinerja.lsp.text import Point, Text, Token, point_of, span_end, word_span
from kinerja.syntax import tree as s

NAME = "name"
EXCEPTION = "exception"
DISTRIBUTION = "distribution"
PART = "part"
LOCAL = "local"
BUILTIN = "builtin"

# the keyword each kind of declaration starts with (tables: their own `table` or `rubric`)
_KEYWORD = {
    s.TypeDecl: "type", s.InputDecl: "input", s.ValueDecl: "value", s.WeightsDecl: "weights",
    s.QuadrantDecl: "quadrant", s.ExceptionDecl: "exception", s.OutputDecl: "output",
    s.ExampleDecl: "example", s.DistributionDecl: "distribution", s.OverrideDecl: "override",
    s.ConversionDecl: "conversion",
}  # fmt: skip


@dataclass(frozen=True)
class Symbol:
    """A declared name: where it is written and what declares it."""

    name: str
    namespace: str
    kind: str  # type, input, value, weights, table, rubric, quadrant, exception, distribution
    decl: Any
    span: s.Span
    regulation: str  # what its citations cite when they name no other regulation

    @property
    def file(self) -> str:
        return self.span.file


@dataclass(frozen=True)
class Occurrence:
    """One place a name is written in this file."""

    name: str
    namespace: str  # NAME, EXCEPTION, DISTRIBUTION, PART, LOCAL, BUILTIN
    span: s.Span
    declaration: bool = False
    owner: str | None = None  # the weight set or list a part belongs to

    @property
    def start(self) -> Point:
        return point_of(self.span)

    @property
    def end(self) -> Point:
        return span_end(self.span)


@dataclass(frozen=True)
class Extent:
    """Where one declaration (or the header) is written: from its keyword to its last token."""

    node: Any  # a declaration or the header
    start: Point
    end: Point


@dataclass(frozen=True)
class Index:
    path: str
    symbols: dict[str, Symbol]  # NAME namespace, this file's and its bases'
    exceptions: dict[str, Symbol]
    occurrences: tuple[Occurrence, ...]  # in this file, in order
    extents: tuple[Extent, ...]  # header first, then every declaration of this file
    regulation: str = ""
    base_paths: tuple[str, ...] = field(default=())

    def at(self, point: Point) -> Occurrence | None:
        """The name written at `point` (a cursor right after a name counts)."""
        touching = None
        for occurrence in self.occurrences:
            if occurrence.start <= point < occurrence.end:
                return occurrence
            if occurrence.end == point:
                touching = occurrence
        return touching

    def extent_at(self, point: Point) -> Extent | None:
        found = None
        for extent in self.extents:
            if extent.start <= point:
                found = extent
            else:
                break
        return found

    def symbol(self, occurrence: Occurrence) -> Symbol | None:
        if occurrence.namespace == NAME:
            return self.symbols.get(occurrence.name)
        if occurrence.namespace == EXCEPTION:
            return self.exceptions.get(occurrence.name)
        return None

    def uses(self, name: str, namespace: str = NAME) -> list[Occurrence]:
        return [o for o in self.occurrences if o.name == name and o.namespace == namespace]


# ------------------------------------------------------------------ building
def build(text: Text, source: s.Module, linked: s.Module | None) -> Index:
    """The index of one file: `source` as parsed, `linked` with its bases merged in (None if linking failed)."""
    path = source.path
    regulation = source.header.regulation
    symbols: dict[str, Symbol] = {}
    exceptions: dict[str, Symbol] = {}
    # the bases' declarations first, so this file's own ones win where both exist
    base_paths: list[str] = []
    if linked is not None:
        for decl in linked.declarations:
            if isinstance(decl, s.OverrideDecl) or decl.span.file == path:
                continue
            if decl.span.file not in base_paths:
                base_paths.append(decl.span.file)
            _declare(decl, symbols, exceptions, _base_regulation(decl, regulation), own=False)
    for decl in source.declarations:
        _declare(decl, symbols, exceptions, regulation, own=True)
    extents = _extents(text, source)
    found: list[Occurrence] = []
    for extent in extents:
        found += _occurrences(extent, text, path)
    found.sort(key=lambda o: (o.span.line, o.span.column))
    return Index(path, symbols, exceptions, tuple(found), tuple(extents), regulation, tuple(base_paths))


def _base_regulation(decl: Any, fallback: str) -> str:
    """A base declaration's citations were given their regulation when it was merged in."""
    annotations = getattr(decl, "annotations", None)
    cited = [c.regulation for c in getattr(annotations, "citations", ()) if c.regulation]
    return cited[0] if cited else fallback


def _declare(decl: Any, symbols: dict[str, Symbol], exceptions: dict[str, Symbol], regulation: str, own: bool) -> None:
    """Record a declaration; this file's own declaration wins over a base's of the same name."""
    if isinstance(decl, s.ExceptionDecl):
        table, namespace, kind = exceptions, EXCEPTION, "exception"
    elif isinstance(decl, (s.TypeDecl, s.InputDecl, s.ValueDecl, s.WeightsDecl, s.TableDecl, s.QuadrantDecl, s.ConversionDecl)):
        table, namespace, kind = symbols, NAME, keyword_of(decl)
    else:
        return
    existing = table.get(decl.name)
    if existing is None or (own and existing.file != decl.span.file):
        table[decl.name] = Symbol(decl.name, namespace, kind, decl, decl.span, regulation)


def keyword_of(decl: Any) -> str:
    return decl.kind if isinstance(decl, s.TableDecl) else _KEYWORD[type(decl)]


def _extents(text: Text, source: s.Module) -> list[Extent]:
    code = text.code
    starts: list[tuple[Any, Point]] = []
    for decl in source.declarations:
        at = point_of(decl.span)
        if isinstance(decl, (s.ExampleDecl, s.OverrideDecl)):
            starts.append((decl, at))
            continue
        keyword = keyword_of(decl)
        before = [t for t in code if t.start <= at and t.kind == "word" and t.text == keyword]
        starts.append((decl, before[-1].start if before else at))
    header_start = point_of(source.header.span)
    bounds = [header_start] + [start for _, start in starts]
    nodes = [source.header] + [decl for decl, _ in starts]
    extents = []
    for index, node in enumerate(nodes):
        start = bounds[index]
        stop = bounds[index + 1] if index + 1 < len(bounds) else None
        inside = [t for t in code if t.start >= start and (stop is None or t.start < stop)]
        end = inside[-1].end if inside else start
        extents.append(Extent(node, start, end))
    return extents


def _tokens(text: Text, extent: Extent) -> list[Token]:
    return [t for t in text.code if extent.start <= t.start < extent.end]


def _word_after(tokens: list[Token], *keywords: str) -> Token | None:
    """The first word after the first of `keywords` (in order) found in `tokens`."""
    at = 0
    for keyword in keywords:
        at = next((i for i in range(at, len(tokens)) if tokens[i].kind == "word" and tokens[i].text == keyword), -1)
        if at < 0:
            return None
        at += 1
    return tokens[at] if at < len(tokens) and tokens[at].kind == "word" else None


def _occurrences(extent: Extent, text: Text, path: str) -> list[Occurrence]:
    node = extent.node
    found: list[Occurrence] = []
    tokens = _tokens(text, extent)

    def name_token(token: Token | None, namespace: str = NAME) -> None:
        if token is not None:
            found.append(Occurrence(token.text, namespace, word_span(path, token)))

    if isinstance(node, s.Header):
        return found
    if isinstance(node, s.TypeDecl):
        found.append(Occurrence(node.name, NAME, node.span, declaration=True))
        found += _type_uses(node.type, node.name)
    elif isinstance(node, s.InputDecl):
        found.append(Occurrence(node.name, NAME, node.span, declaration=True))
        found += _type_uses(node.type, node.name)
    elif isinstance(node, s.ValueDecl):
        found.append(Occurrence(node.name, NAME, node.span, declaration=True))
        if node.declared_type is not None:
            found += _type_uses(node.declared_type, node.name)
        found += expression_uses(node.expr)
        if node.applies is not None:
            found += expression_uses(node.applies)
    elif isinstance(node, s.WeightsDecl):
        found.append(Occurrence(node.name, NAME, node.span, declaration=True))
        for branch in node.branches:
            if branch.condition is not None:
                found += expression_uses(branch.condition)
            found += [Occurrence(i.name, PART, i.span, declaration=True, owner=node.name) for i in branch.items]
    elif isinstance(node, s.TableDecl):
        found.append(Occurrence(node.name, NAME, node.span, declaration=True))
        if node.declared_type is not None:
            found += _type_uses(node.declared_type, node.name)
        found += expression_uses(node.subject)
        if node.applies is not None:
            found += expression_uses(node.applies)
        for row in node.rows:
            found += _row_uses(row)
    elif isinstance(node, s.QuadrantDecl):
        found.append(Occurrence(node.name, NAME, node.span, declaration=True))
        if node.declared_type is not None:
            found += _type_uses(node.declared_type, node.name)
        for e in (node.row_subject, node.column_subject, node.applies):
            if e is not None:
                found += expression_uses(e)
        for matrix_row in node.rows:
            for cell in matrix_row.cells:
                if cell.value is not None:
                    found += expression_uses(cell.value)
    elif isinstance(node, s.ConversionDecl):
        found.append(Occurrence(node.name, NAME, node.span, declaration=True))
        for e in (node.subject, node.applies):
            if e is not None:
                found += expression_uses(e)
    elif isinstance(node, s.ExceptionDecl):
        found.append(Occurrence(node.name, EXCEPTION, node.span, declaration=True))
        name_token(_word_after(tokens, "overrides"))
        found += expression_uses(node.condition) + expression_uses(node.result)
    elif isinstance(node, s.OutputDecl):
        found.append(Occurrence(node.name, NAME, node.span))
    elif isinstance(node, s.ExampleDecl):
        for binding in (*node.given, *node.expect):
            found.append(Occurrence(binding.name, NAME, binding.span))
        if node.expect_invalid:
            at = next((i for i, t in enumerate(tokens) if t.text == "invalid"), len(tokens))
            for token in tokens[at + 1 :]:
                if token.kind == "word" and token.text in node.expect_invalid:
                    name_token(token)
    elif isinstance(node, s.DistributionDecl):
        found.append(Occurrence(node.name, DISTRIBUTION, node.span, declaration=True))
        name_token(_word_after(tokens, "distribution", node.name, "of"))
        name_token(_word_after(tokens, "distribution", node.name, "of", node.output, "by"))
    elif isinstance(node, s.OverrideDecl):
        found += _override_uses(node, tokens, path)
    return found


def _override_uses(node: s.OverrideDecl, tokens: list[Token], path: str) -> list[Occurrence]:
    kind_word = {"weights": "weights", "weights_otherwise": "weights", "row": None, "cell": "quadrant",
                 "exception": "exception", "value": "value", "input": "input"}.get(node.kind)  # fmt: skip
    target: Token | None
    if kind_word is None:  # `override table T row N` or `override rubric T row N`
        target = next((tokens[i + 1] for i in range(len(tokens) - 1) if tokens[i].text in ("table", "rubric")), None)
    else:
        target = _word_after(tokens, "override", kind_word)
    found: list[Occurrence] = []
    if target is not None and target.text == node.target:
        namespace = EXCEPTION if node.kind == "exception" else NAME
        found.append(Occurrence(target.text, namespace, word_span(path, target)))
    payload = node.payload
    if isinstance(payload, s.WeightBranch):
        if payload.condition is not None:
            found += expression_uses(payload.condition)
        found += [Occurrence(i.name, PART, i.span, owner=node.target) for i in payload.items]
    elif isinstance(payload, s.Row):
        found += _row_uses(payload)
    elif isinstance(payload, s.Cell) and payload.value is not None:
        found += expression_uses(payload.value)
    elif isinstance(payload, tuple) and len(payload) == 2:
        found += expression_uses(payload[0]) + expression_uses(payload[1])
    elif isinstance(payload, tuple(_EXPRESSIONS)):
        found += expression_uses(payload)
    return found


def _row_uses(row: s.Row) -> list[Occurrence]:
    found = expression_uses(row.result)
    if row.guard is not None:
        found += expression_uses(row.guard)
    return found


def _type_uses(type_expr: s.TypeExpr, owner: str) -> list[Occurrence]:
    if isinstance(type_expr, s.NamedType):
        return [Occurrence(type_expr.name, NAME, type_expr.span)]
    if isinstance(type_expr, s.ListType):
        found: list[Occurrence] = []
        for f in type_expr.fields:
            found += _type_uses(f.type, owner)
        return found
    return []


_EXPRESSIONS = (s.NumberLit, s.StringLit, s.BoolLit, s.Name, s.Member, s.Unary, s.Binary, s.IfThenElse, s.Call, s.Aggregate, s.ListLit)


def expression_uses(e: s.Expr) -> list[Occurrence]:
    """Every name an expression writes: references, weight parts, loop variables and builtin calls."""
    return list(_walk(e, frozenset()))


def _walk(e: Any, bound: frozenset[str]) -> Iterator[Occurrence]:
    if isinstance(e, s.Name):
        yield Occurrence(e.name, LOCAL if e.name in bound else NAME, e.span)
    elif isinstance(e, s.Member):
        yield from _walk(e.subject, bound)
        if e.span.end_line > 0:
            end = e.span.end_column
            owner = e.subject.name if isinstance(e.subject, s.Name) else None
            part_span = s.Span(e.span.file, e.span.end_line, end - len(e.field_name), e.span.end_line, end)
            yield Occurrence(e.field_name, PART, part_span, owner=owner)
    elif isinstance(e, s.Unary):
        yield from _walk(e.operand, bound)
    elif isinstance(e, s.Binary):
        yield from _walk(e.left, bound)
        yield from _walk(e.right, bound)
    elif isinstance(e, s.IfThenElse):
        for part in (e.condition, e.then, e.otherwise):
            yield from _walk(part, bound)
    elif isinstance(e, s.Call):
        yield Occurrence(e.function, BUILTIN, s.Span(e.span.file, e.span.line, e.span.column, e.span.line, e.span.column + len(e.function)))
        args = e.args[:2] if e.function == "round" and len(e.args) == 3 else e.args  # the third is a rounding mode
        for a in args:
            yield from _walk(a, bound)
    elif isinstance(e, s.Aggregate):
        yield Occurrence(e.function, BUILTIN, s.Span(e.span.file, e.span.line, e.span.column, e.span.line, e.span.column + len(e.function)))
        yield from _walk(e.source, bound)
        inner = bound | {e.variable}
        for part in (e.item, e.weight, e.where, *(e.keys or ())):
            if part is not None:
                yield from _walk(part, inner)
    elif isinstance(e, s.ListLit):
        for item in e.items:
            yield from _walk(item, bound)
