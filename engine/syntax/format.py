"""The formatter: one canonical layout for ruleset files, comments kept.

The layout is printed from the syntax tree, so it depends only on what the
ruleset says (the canonical data and the fingerprint never change), never on
how it was spaced. The layout is the one of the shipped rulesets: header items
indented two spaces, a blank line between declarations (outputs and examples
stay packed), descriptions, citations and notes on their own indented lines,
table conditions padded to one width, quadrant bars aligned.

Comments are not in the tree: the parser lists them with their lines. Every
printed line remembers the source line its content came from (its anchor); a
comment that trails code stays on the printed line of that code, a comment on
a line of its own goes just above the next printed line. Both rules depend
only on line order, so formatting twice gives what formatting once gave.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from kinerja.semantics.values import literal_text
from kinerja.syntax import printer
from kinerja.syntax import tree as s
from kinerja.syntax.parse import parse

INDENT = "  "

# Words the grammar uses as keywords: an enum label spelt like one is quoted,
# so the contextual lexer never has to decide.
_KEYWORDS = frozenset(
    """ruleset version title source short effective from until extends supersedes revises cite in note
    type input optional default value decimal integer boolean enum scale list of places weights
    when otherwise table rubric on hit first unique if quadrant rows columns exception overrides
    priority then else output example given expect invalid distribution by share most at least
    override row cell or and not true false for where end none conversion""".split()
)
_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|[A-Za-z_][A-Za-z0-9_]*|\S')

Position = tuple[int, int]  # (line, column), both 1-based as in `Span`


@dataclass(frozen=True)
class Line:
    """One printed line before comments are placed."""

    depth: int  # indentation, in steps of INDENT
    text: str
    anchor: int | None  # the source line its content starts on; None: same as the line before
    blank_before: bool = False


@dataclass(frozen=True)
class _Token:
    text: str
    line: int
    column: int

    @property
    def position(self) -> Position:
        return (self.line, self.column)


@dataclass(frozen=True)
class _Source:
    """The words, strings and marks of the source text with their places, comments left out."""

    tokens: tuple[_Token, ...]

    @staticmethod
    def scan(text: str) -> _Source:
        found = []
        for number, line in enumerate(text.splitlines(), start=1):
            for match in _TOKEN.finditer(line):
                if not match.group().startswith("#"):
                    found.append(_Token(match.group(), number, match.start() + 1))
        return _Source(tuple(found))

    def find(self, text: str, after: Position, before: Position | None) -> _Token | None:
        """The first token spelt `text` at or after `after` and before `before`."""
        for token in self.tokens:
            if token.position < after:
                continue
            if before is not None and token.position >= before:
                return None
            if token.text == text:
                return token
        return None

    def line_of(self, text: str, after: Position, before: Position | None) -> int | None:
        token = self.find(text, after, before)
        return token.line if token else None


def format_text(text: str, path: str = "<string>") -> str:
    """The ruleset text in the canonical layout; raises `RulesetError` if it does not parse."""
    return format_module(parse(text, path), text)


def format_module(module: s.Module, text: str | None = None) -> str:
    source_text = module.source_text if text is None else text
    source = _Source.scan(source_text)
    starts = [_start(d) for d in module.declarations]
    lines = _header_lines(module.header, source, starts[0] if starts else None)
    previous: s.Declaration | None = None
    for index, decl in enumerate(module.declarations):
        bound = starts[index + 1] if index + 1 < len(starts) else None
        block = _declaration_lines(decl, _Region(source, starts[index], bound))
        packed = (
            previous is not None and type(previous) is type(decl) and isinstance(decl, (s.OutputDecl, s.ExampleDecl))
        )
        first = block[0]
        block[0] = Line(first.depth, first.text, first.anchor, blank_before=not packed)
        lines.extend(block)
        previous = decl
    return _place_comments(_resolve_anchors(lines), module.comments, source_text.splitlines())


# ---------------------------------------------------------------- comments


def _resolve_anchors(lines: list[Line]) -> list[Line]:
    resolved = []
    last = 0
    for line in lines:
        last = line.anchor if line.anchor is not None else last
        resolved.append(Line(line.depth, line.text, last, line.blank_before))
    return resolved


def _place_comments(lines: list[Line], comments: tuple[s.Comment, ...], source_lines: list[str]) -> str:
    # Slot 2i holds the comments above printed line i, slot 2i+1 the one comment trailing it,
    # slot 2n the comments after the last line. Slots only grow in source order, so comments
    # keep their order even where the layout moves code between lines.
    count = len(lines)
    above: dict[int, list[str]] = {}
    trailing: dict[int, str] = {}
    after_all: list[str] = []
    last_slot = -1
    for comment in sorted(comments, key=lambda c: (c.span.line, c.span.column)):
        text = comment.text.rstrip()
        row = comment.span.line
        code_before = source_lines[row - 1][: comment.span.column - 1].strip() if row - 1 < len(source_lines) else ""
        slot = _trailing_slot(lines, row) if code_before else _leading_slot(lines, row)
        slot = max(slot, last_slot)
        if slot % 2 == 1 and slot == last_slot:  # one trailing comment per line: the next goes below
            slot += 1
        last_slot = slot
        if slot >= 2 * count:
            after_all.append(text)
        elif slot % 2 == 1:
            trailing[slot // 2] = text
        else:
            above.setdefault(slot // 2, []).append(text)
    out: list[str] = []
    for index, line in enumerate(lines):
        if line.blank_before and out:
            out.append("")
        indent = INDENT * line.depth
        out.extend(indent + text for text in above.get(index, []))
        printed = indent + line.text
        if index in trailing:
            printed += "  " + trailing[index]
        out.append(printed)
    out.extend(after_all)
    return "\n".join(out) + "\n"


def _trailing_slot(lines: list[Line], row: int) -> int:
    """The printed line holding the code that precedes a trailing comment on source line `row`."""
    best: int | None = None
    for index, line in enumerate(lines):
        assert line.anchor is not None
        if line.anchor <= row and (best is None or line.anchor >= (lines[best].anchor or 0)):
            best = index
    return 0 if best is None else 2 * best + 1


def _leading_slot(lines: list[Line], row: int) -> int:
    """The printed line a comment on its own source line `row` goes above."""
    best: int | None = None
    for index, line in enumerate(lines):
        assert line.anchor is not None
        if line.anchor > row and (best is None or line.anchor < (lines[best].anchor or 0)):
            best = index
    return 2 * len(lines) if best is None else 2 * best


# ---------------------------------------------------------------- header and declarations


@dataclass(frozen=True)
class _Region:
    """The source of one declaration: where to look for the lines of keywords the tree does not keep."""

    source: _Source
    start: Position
    end: Position | None

    def line_of(self, text: str, after: Position | None = None) -> int | None:
        return self.source.line_of(text, after or self.start, self.end)

    def position_of(self, text: str) -> Position | None:
        token = self.source.find(text, self.start, self.end)
        return token.position if token else None


def _start(decl: s.Declaration) -> Position:
    return (decl.span.line, decl.span.column)


def _pos(span: s.Span) -> Position:
    return (span.line, span.column)


def _header_lines(header: s.Header, source: _Source, end: Position | None) -> list[Line]:
    region = _Region(source, _pos(header.span), end)
    lines = [Line(0, f"ruleset {header.id} version {header.version}", header.span.line)]
    if header.title is not None:
        lines.append(Line(1, "title " + printer.quote(header.title), region.line_of("title")))
    if header.source is not None:
        short = f" short {printer.quote(header.source_short)}" if header.source_short is not None else ""
        lines.append(Line(1, f"source {printer.quote(header.source)}{short}", region.line_of("source")))
    if header.effective_from is not None:
        until = f" until {header.effective_until.isoformat()}" if header.effective_until else ""
        lines.append(Line(1, f"effective from {header.effective_from.isoformat()}{until}", region.line_of("effective")))
    if header.extends is not None:
        lines.append(Line(1, f"extends {header.extends}", region.line_of("extends")))
    if header.supersedes is not None:
        lines.append(Line(1, f"supersedes {header.supersedes}", region.line_of("supersedes")))
    if header.revises is not None:
        lines.append(Line(1, f"revises {header.revises}", region.line_of("revises")))
    lines.extend(_annotation_lines(_annotations(header.annotations), 1))
    return lines


def _annotations(annotations: s.Annotations) -> list[s.Citation | s.Note]:
    """Citations and notes in the order they were written (the tree keeps them apart)."""
    both: list[s.Citation | s.Note] = [*annotations.citations, *annotations.notes]
    return sorted(both, key=lambda a: _pos(a.span))


def _annotation_lines(annotations: list[s.Citation | s.Note], depth: int) -> list[Line]:
    lines = []
    for annotation in annotations:
        if isinstance(annotation, s.Citation):
            text = "cite " + printer.quote(annotation.text)
            if annotation.regulation is not None:
                text += " in " + printer.quote(annotation.regulation)
        else:
            text = "note " + printer.quote(annotation.text)
        lines.append(Line(depth, text, annotation.span.line or None))
    return lines


def _description_line(description: str | None, region: _Region) -> list[Line]:
    if description is None:
        return []
    token = region.source.find(printer.quote(description), region.start, region.end)
    if token is None:  # written with other escapes: find it by its value
        token = next(
            (t for t in region.source.tokens
             if t.position >= region.start and (region.end is None or t.position < region.end)
             and t.text.startswith('"') and _unquote(t.text) == description),
            None,
        )  # fmt: skip
    return [Line(1, printer.quote(description), token.line if token else None)]


def _unquote(token: str) -> str:
    return re.sub(r"\\(.)", r"\1", token[1:-1])


def _declaration_lines(decl: s.Declaration, region: _Region) -> list[Line]:
    if isinstance(decl, s.TypeDecl):
        head = Line(0, f"type {decl.name} = {type_text(decl.type)}", decl.span.line)
        return [
            head,
            *_description_line(decl.description, region),
            *_annotation_lines(_annotations(decl.annotations), 1),
        ]
    if isinstance(decl, s.InputDecl):
        lead = f"input {decl.name}: " + ("optional " if decl.optional and decl.default is None else "")
        tail = " default " + printer.literal(decl.default.value) if decl.default is not None else ""
        return [*_typed_lines(decl.type, lead, tail, 0, decl.span.line), *_description_line(decl.description, region),
                *_annotation_lines(_annotations(decl.annotations), 1)]  # fmt: skip
    if isinstance(decl, s.ValueDecl):
        declared = f": {type_text(decl.declared_type)}" if decl.declared_type is not None else ""
        head = Line(0, f"value {decl.name}{declared} = {expr_text(decl.expr)}{_applies_text(decl.applies)}", decl.span.line)
        return [
            head,
            *_description_line(decl.description, region),
            *_annotation_lines(_annotations(decl.annotations), 1),
        ]
    if isinstance(decl, s.WeightsDecl):
        return _weights_lines(decl, region)
    if isinstance(decl, s.TableDecl):
        return _table_lines(decl, region)
    if isinstance(decl, s.QuadrantDecl):
        return _quadrant_lines(decl, region)
    if isinstance(decl, s.ConversionDecl):
        return _conversion_lines(decl, region)
    if isinstance(decl, s.ExceptionDecl):
        return _exception_lines(decl, region)
    if isinstance(decl, s.OutputDecl):
        text = f"output {decl.name}"
        if decl.description is not None:
            text += " " + printer.quote(decl.description)
        return [Line(0, text, decl.span.line), *_annotation_lines(_annotations(decl.annotations), 1)]
    if isinstance(decl, s.ExampleDecl):
        return _example_lines(decl, region)
    if isinstance(decl, s.DistributionDecl):
        return _distribution_lines(decl, region)
    if isinstance(decl, s.OverrideDecl):
        return _override_lines(decl)
    raise TypeError(decl)


# A list of records whose one-line form is longer than this is written one field per line.
LIST_WIDTH = 100


def _typed_lines(typ: s.TypeExpr, lead: str, tail: str, depth: int, anchor: int | None) -> list[Line]:
    """`lead` + a type + `tail`: one line, or a long list of records one field per line (nested lists too)."""
    one = lead + type_text(typ) + tail
    if not isinstance(typ, s.ListType) or len(INDENT * depth + one) <= LIST_WIDTH:
        return [Line(depth, one, anchor)]
    lines = [Line(depth, lead + "list of {", anchor)]
    for index, f in enumerate(typ.fields):
        comma = "," if index < len(typ.fields) - 1 else ""
        described = f" {printer.quote(f.description)}" if f.description is not None else ""
        field_lead = f"{f.name}: " + ("optional " if f.optional else "")
        lines += _typed_lines(f.type, field_lead, described + comma, depth + 2, f.span.line or None)
    bound = f" at most {typ.max_items}" if typ.max_items is not None else ""
    lines.append(Line(depth + 1, "}" + bound + tail, None))
    return lines


def _weights_lines(decl: s.WeightsDecl, region: _Region) -> list[Line]:
    head = f"weights {decl.name}"
    if decl.description is not None:
        head += " " + printer.quote(decl.description)
    only = decl.branches[0] if len(decl.branches) == 1 else None
    if only is not None and only.condition is None and not decl.annotations.citations and not decl.annotations.notes:
        # the unconditional form; with citations of its own the set is written as a lone `otherwise`
        return [Line(0, f"{head}: {_weight_items(only.items)}", decl.span.line),
                *_annotation_lines(_annotations(only.annotations), 1)]  # fmt: skip
    lines = [Line(0, head, decl.span.line), *_annotation_lines(_annotations(decl.annotations), 1)]
    for branch in decl.branches:
        lines.append(Line(1, _branch_text(branch), branch.span.line or None))
        lines.extend(_annotation_lines(_annotations(branch.annotations), 2))
    lines.append(Line(0, "end", region.line_of("end")))
    return lines


def _branch_text(branch: s.WeightBranch) -> str:
    if branch.condition is None:
        return f"otherwise: {_weight_items(branch.items)}"
    return f"when {expr_text(branch.condition, 1)}: {_weight_items(branch.items)}"


def _weight_items(items: tuple[s.WeightItem, ...]) -> str:
    return ", ".join(f"{item.name} {item.written}" for item in items)


def _table_lines(decl: s.TableDecl, region: _Region) -> list[Line]:
    declared = f": {type_text(decl.declared_type)}" if decl.declared_type is not None else ""
    lines = [
        Line(0, f"{decl.kind} {decl.name}{declared} on {expr_text(decl.subject)}{_applies_text(decl.applies)} hit {decl.hit}", decl.span.line),
        *_description_line(decl.description, region),
        *_annotation_lines(_annotations(decl.annotations), 1),
    ]
    conditions = []
    after_expression = False  # `hit first` ends the head: the first row may start with `=`
    for row in decl.rows:
        conditions.append(condition_text(row.condition, after_expression))
        after_expression = row.descriptor is None and not row.annotations.citations and not row.annotations.notes
    width = max(len(c) for c in conditions)
    for row, condition in zip(decl.rows, conditions, strict=True):
        lines.append(Line(1, _row_text(row, condition.ljust(width)), row.span.line or None))
        lines.extend(_annotation_lines(_annotations(row.annotations), 2))
    lines.append(Line(0, "end", region.line_of("end")))
    return lines


def _applies_text(applies: s.Expr | None) -> str:
    """A definition's ` when C` clause, or nothing; `hit`, a description or `|` always follows, so C needs no brackets."""
    return f" when {expr_text(applies)}" if applies is not None else ""


def _row_text(row: s.Row, condition: str) -> str:
    text = condition
    if row.guard is not None:
        text += " if " + expr_text(row.guard, 1)
    text += " -> " + row_result_text(row.result)
    if row.descriptor is not None:
        text += " " + printer.quote(row.descriptor)
    return text


def _quadrant_lines(decl: s.QuadrantDecl, region: _Region) -> list[Line]:
    declared = f": {type_text(decl.declared_type)}" if decl.declared_type is not None else ""
    head = f"quadrant {decl.name}{declared} rows {expr_text(decl.row_subject)} columns {expr_text(decl.column_subject)}"
    head += _applies_text(decl.applies)
    lines = [
        Line(0, head, decl.span.line),
        *_description_line(decl.description, region),
        *_annotation_lines(_annotations(decl.annotations), 1),
    ]
    caption = printer.quote(decl.caption) if decl.caption is not None else ""
    matrix = [[caption, *(_axis_key(k) for k in decl.columns)]]
    matrix.extend([_axis_key(row.key), *(_cell(c) for c in row.cells)] for row in decl.rows)
    widths = [max(len(r[i]) for r in matrix if i < len(r)) for i in range(max(len(r) for r in matrix))]

    def bars(cells: list[str]) -> str:
        return "| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(cells)) + " |"

    lines.append(Line(1, bars(matrix[0]), region.line_of("|")))
    for row, cells in zip(decl.rows, matrix[1:], strict=True):
        lines.append(Line(1, bars(cells), row.span.line or None))
        lines.extend(_annotation_lines(_annotations(row.annotations), 2))
    lines.append(Line(0, "end", region.line_of("end")))
    return lines


def _conversion_lines(decl: s.ConversionDecl, region: _Region) -> list[Line]:
    lines = [
        Line(0, f"conversion {decl.name} on {expr_text(decl.subject)}{_applies_text(decl.applies)}", decl.span.line),
        *_description_line(decl.description, region),
        *_annotation_lines(_annotations(decl.annotations), 1),
    ]
    xs = [literal_text(p.x) for p in decl.points]
    width = max(len(x) for x in xs)
    for point, x in zip(decl.points, xs, strict=True):
        lines.append(Line(1, f"{x.ljust(width)} -> {literal_text(point.y)}", point.span.line or None))
        lines.extend(_annotation_lines(_annotations(point.annotations), 2))
    lines.append(Line(0, "end", region.line_of("end")))
    return lines


def _axis_key(key: s.AxisKey) -> str:
    if isinstance(key, s.StringLit):
        return printer.quote(key.value)
    return interval_text(key)


def _cell(cell: s.Cell) -> str:
    if cell.value is None:
        return "-"
    return expr_text(cell.value)


def _exception_lines(decl: s.ExceptionDecl, region: _Region) -> list[Line]:
    head = f"exception {decl.name} overrides {decl.target}"
    if decl.priority:
        head += f" priority {decl.priority}"
    # citations written after `then` stay there: the tree keeps one list, the spans tell which
    when_at = _pos(decl.condition.span)
    annotations = _annotations(decl.annotations)
    before = [a for a in annotations if _pos(a.span) < when_at]
    after = [a for a in annotations if _pos(a.span) >= when_at]
    return [
        Line(0, head, decl.span.line),
        *_description_line(decl.description, region),
        *_annotation_lines(before, 1),
        Line(1, "when " + expr_text(decl.condition, 1), decl.condition.span.line or None),
        Line(1, "then " + expr_text(decl.result), decl.result.span.line or None),
        *_annotation_lines(after, 1),
    ]


def _example_lines(decl: s.ExampleDecl, region: _Region) -> list[Line]:
    given_at = region.position_of("given") or (decl.span.end_line, decl.span.end_column)
    annotations = _annotations(decl.annotations)
    before = [a for a in annotations if _pos(a.span) < given_at]
    after = [a for a in annotations if _pos(a.span) >= given_at]
    given = ", ".join(_binding(b) for b in decl.given)
    if decl.expect_invalid:
        expect = "expect invalid " + ", ".join(decl.expect_invalid)
    else:
        expect = "expect " + ", ".join(_binding(b) for b in decl.expect)
    return [
        Line(0, "example " + printer.quote(decl.title), decl.span.line),
        *_annotation_lines(before, 1),
        Line(1, f"given {given}".rstrip(), region.line_of("given")),
        Line(1, expect, region.line_of("expect", given_at)),
        *_annotation_lines(after, 1),
    ]


def _binding(binding: s.Binding) -> str:
    return f"{binding.name} = {printer.literal(binding.value.value)}"


def _distribution_lines(decl: s.DistributionDecl, region: _Region) -> list[Line]:
    head = f"distribution {decl.name} of {decl.output} by {decl.class_input}"
    if decl.description is not None:
        head += " " + printer.quote(decl.description)
    lines = [Line(0, head, decl.span.line), *_annotation_lines(_annotations(decl.annotations), 1)]
    for case in decl.cases:
        lines.append(Line(1, f"when {printer.quote(case.group_class)}:", case.span.line or None))
        lines.extend(_annotation_lines(_annotations(case.annotations), 2))
        for rule in case.rules:
            lines.append(Line(2, _share_text(rule), rule.span.line or None))
            lines.extend(_annotation_lines(_annotations(rule.annotations), 3))
    lines.append(Line(0, "end", region.line_of("end")))
    return lines


def _share_text(rule: s.ShareRule) -> str:
    labels = " + ".join(printer.quote(label) for label in rule.labels)
    if rule.kind == "most":
        return f"most {labels}"
    if rule.kind == "count":
        assert rule.amount is not None
        return f"at least {literal_text(rule.amount)} of {labels}"
    assert rule.amount is not None
    return f"share {labels} {rule.op} {printer.number(rule.amount, percent=True)}"


def _override_lines(decl: s.OverrideDecl) -> list[Line]:
    payload = decl.payload
    annotations = _annotations(decl.annotations)
    if decl.kind in ("weights", "weights_otherwise"):
        assert isinstance(payload, s.WeightBranch)
        if decl.kind == "weights_otherwise":
            tail = f" otherwise: {_weight_items(payload.items)}"
        elif payload.condition is None:
            tail = f": {_weight_items(payload.items)}"
        else:
            tail = f" when {expr_text(payload.condition, 1)}: {_weight_items(payload.items)}"
        text = f"override weights {decl.target}{tail}"
    elif decl.kind == "row":
        assert isinstance(payload, s.Row)
        text = f"override table {decl.target} row {decl.row_index} {_row_text(payload, condition_text(payload.condition, False))}"
        annotations = _annotations(payload.annotations) + annotations
    elif decl.kind == "cell":
        assert isinstance(payload, s.Cell) and decl.cell is not None
        row, column = (printer.quote(label) for label in decl.cell)
        text = f"override quadrant {decl.target} cell {row}, {column} -> {_cell(payload)}"
    elif decl.kind == "exception":
        assert isinstance(payload, tuple)
        condition, result = payload
        text = f"override exception {decl.target} when {expr_text(condition, 1)} then {expr_text(result)}"
    elif decl.kind == "value":
        text = f"override value {decl.target} = {expr_text(payload)}"  # type: ignore[arg-type]
    elif decl.kind == "input":
        text = f"override input {decl.target}"
        if isinstance(payload, str):
            text += " " + printer.quote(payload)
    else:
        raise TypeError(decl.kind)
    return [Line(0, text, decl.span.line), *_annotation_lines(annotations, 1)]


# ---------------------------------------------------------------- types, conditions, expressions


def type_text(t: s.TypeExpr) -> str:
    if isinstance(t, s.DecimalType):
        text = "decimal" + _domain(t.low, t.high)
        return text + (f" places {t.places}" if t.places is not None else "")
    if isinstance(t, s.IntegerType):
        return "integer" + _domain(t.low, t.high)
    if isinstance(t, s.BooleanType):
        return "boolean"
    if isinstance(t, s.EnumType):
        return "enum { " + ", ".join(_label(label) for label in t.labels) + " }"
    if isinstance(t, s.ScaleType):
        return "scale " + " < ".join(printer.quote(label) for label in t.labels)
    if isinstance(t, s.ListType):
        fields = []
        for f in t.fields:
            described = f" {printer.quote(f.description)}" if f.description is not None else ""
            optional = "optional " if f.optional else ""
            fields.append(f"{f.name}: {optional}{type_text(f.type)}{described}")
        bound = f" at most {t.max_items}" if t.max_items is not None else ""
        return "list of { " + ", ".join(fields) + " }" + bound
    if isinstance(t, s.NamedType):
        return t.name
    raise TypeError(t)


def _domain(low: Decimal | None, high: Decimal | None) -> str:
    if low is None or high is None:
        return ""
    return f" [{literal_text(low)}, {literal_text(high)}]"


def _label(label: str) -> str:
    if _NAME.fullmatch(label) and label not in _KEYWORDS:
        return label
    return printer.quote(label)


def interval_text(interval: s.Interval) -> str:
    """An interval always in brackets, as quadrant axis keys must be written."""
    low = literal_text(interval.low) if interval.low is not None else ""
    high = literal_text(interval.high) if interval.high is not None else ""
    return f"{'[' if interval.low_closed else '('}{low}, {high}{']' if interval.high_closed else ')'}"


def condition_text(condition: s.Condition, after_expression: bool = False) -> str:
    """A band row's condition; `[5, 5]` reads best as `= 5`.

    (`after_expression` is kept for callers; since a row's result stops before a
    comparison, `= 5` after a formula row can no longer continue it.)
    """
    return printer.condition(condition)


def expr_text(e: s.Expr, place: int = 0) -> str:
    """An expression that parses back to exactly this tree (the one printer, `printer.expr`)."""
    return printer.expr(e, None, place)


def row_result_text(e: s.Expr) -> str:
    """A band row's result: the grammar stops it before a comparison, so anything weaker is bracketed."""
    if isinstance(e, s.IfThenElse):
        return f"if {expr_text(e.condition)} then {expr_text(e.then)} else {expr_text(e.otherwise, 5)}"
    return expr_text(e, 5)

