"""Parse stage, second half: what each grammar rule means as `syntax` dataclasses.

Only the parser's reductions (`kinerja.syntax.reductions`) call this; lark's values never
leave the parse stage.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Context, Decimal, Inexact, Rounded
from typing import Any

from kinerja.diagnostics.diagnostic import Diagnostic, diagnostic
from kinerja.syntax import tree as s
from kinerja.syntax.limits import LIMITS
from kinerja.syntax.numbers import digit_count, plain
from lark import Token

# Numbers as written are scaled (70% -> 0.7) and negated in this context: with at most
# LIMITS.number_digits digits nothing is ever rounded, and the traps make sure of it.
# (`Decimal`'s default context would round past the 28th digit.)
_EXACT = Context(prec=4 * LIMITS.number_digits, traps=[Inexact, Rounded])


# ------------------------------------------------------------------ tree -> syntax


class _Description(str):
    pass


class _TypeAnnotation:
    def __init__(self, type_expr: s.TypeExpr):
        self.type = type_expr


class _Guard:
    def __init__(self, expr: s.Expr):
        self.expr = expr


class _Optional:
    pass


class _Applies:
    """A definition's `when C` clause, kept apart from the expressions around it."""

    def __init__(self, expr: s.Expr):
        self.expr = expr


class _Default:
    def __init__(self, value: s.LiteralValue):
        self.value = value


class _Places(int):
    pass


class _Domain(tuple):
    pass


class _Items(tuple):
    pass


class _Bindings(tuple):
    pass


class _Keys(tuple):
    """The `by K1, K2` of a `top`/`bottom` aggregate."""


class _AtMost(int):
    pass


class _Header:
    def __init__(self, matrix: tuple[str | None, tuple[s.AxisKey, ...]]):
        self.caption, self.keys = matrix


def _unquote(token: str) -> str:
    body = token[1:-1]
    return re.sub(r"\\(.)", r"\1", body) if "\\" in body else body


def _split_annotations(children: list[Any]) -> tuple[list[Any], s.Annotations]:
    rest, cites, notes = [], [], []
    for child in children:
        if isinstance(child, s.Citation):
            cites.append(child)
        elif isinstance(child, s.Note):
            notes.append(child)
        else:
            rest.append(child)
    return rest, s.Annotations(tuple(cites), tuple(notes))


def _first(children: list[Any], kind: type | tuple[type, ...]) -> Any:
    for child in children:
        if isinstance(child, kind):
            return child
    return None


def _literal(node: Any) -> s.LiteralValue:
    if isinstance(node, s.LiteralValue):
        return node
    if isinstance(node, (s.NumberLit, s.StringLit, s.BoolLit)):
        return s.LiteralValue(node.value, node.span)
    raise TypeError(node)


class _ToSyntax:
    """One method per grammar rule (named as the rule or its alias): the rule's kept children
    -> its piece of the syntax tree. Called by the parser at each reduction (see
    `kinerja.syntax.reductions`), with `meta` telling where the rule's text is."""

    def __init__(self, path: str):
        self.path = path
        # limits crossed (K033–K035) and unreadable dates: collected, so one run reports every one of them
        self.problems: list[Diagnostic] = []

    def _too_many(self, count: int, span: s.Span) -> None:
        if count > LIMITS.list_items:
            self.problems.append(diagnostic("K035", span, count=count, limit=LIMITS.list_items))

    def _number(self, token: Token) -> Decimal:
        """A number token read exactly, or a K033 problem when it has too many digits."""
        text = str(token)
        if len(text) > LIMITS.number_digits and (digits := digit_count(text)) > LIMITS.number_digits:
            shown = text if len(text) <= 24 else text[:10] + "…" + text[-10:]
            self.problems.append(diagnostic("K033", self._tspan(token), shown=shown, digits=digits, limit=LIMITS.number_digits))
            return Decimal(0)
        return Decimal(text)  # the constructor is exact: no context, no rounding

    def _whole(self, token: Token) -> int:
        """A whole-number token (a priority, a row number, a count) within the digit limit."""
        return int(self._number(token))

    # -------------------------------------------------------------- positions
    def _span(self, meta: Any) -> s.Span:
        if meta.line is None:  # an empty rule has no position
            return s.Span(self.path, 0, 0)
        return s.Span(self.path, meta.line, meta.column, meta.end_line, meta.end_column)

    def _tspan(self, token: Token) -> s.Span:
        return s.Span(self.path, token.line or 0, token.column or 0, token.end_line or 0, token.end_column or 0)

    # -------------------------------------------------------------- module and header
    def start(self, meta: Any, children: list[Any]) -> s.Module:
        return s.Module(children[0], tuple(children[1:]))

    def header(self, meta: Any, children: list[Any]) -> s.Header:
        ruleset_id, version, *items = children
        rest, annotations = _split_annotations(items)
        fields: dict[str, Any] = {}
        for kind, *values in rest:
            fields[kind] = values
        source = fields.get("source", [None, None])
        effective = fields.get("effective", [None, None])
        return s.Header(
            id=str(ruleset_id),
            version=str(version),
            title=fields.get("title", [None])[0],
            source=source[0],
            source_short=source[1],
            effective_from=effective[0],
            effective_until=effective[1],
            extends=fields.get("extends", [None])[0],
            supersedes=fields.get("supersedes", [None])[0],
            annotations=annotations,
            span=self._span(meta),
            revises=fields.get("revises", [None])[0],
        )

    def title(self, meta: Any, children: list[Any]) -> tuple:
        return ("title", _unquote(children[0]))

    def source(self, meta: Any, children: list[Any]) -> tuple:
        short = _unquote(children[1]) if len(children) > 1 and children[1] is not None else None
        return ("source", _unquote(children[0]), short)

    def effective(self, meta: Any, children: list[Any]) -> tuple:
        dates = []
        for token in children:
            if token is None:
                dates.append(None)
                continue
            try:
                dates.append(date.fromisoformat(str(token)))
            except ValueError:
                self.problems.append(diagnostic("K001", self._tspan(token), found=repr(str(token)), expected="YYYY-MM-DD"))
                dates.append(None)
        return ("effective", dates[0], dates[1] if len(dates) > 1 else None)

    def extends(self, meta: Any, children: list[Any]) -> tuple:
        return ("extends", str(children[0]))

    def supersedes(self, meta: Any, children: list[Any]) -> tuple:
        return ("supersedes", str(children[0]))

    def revises(self, meta: Any, children: list[Any]) -> tuple:
        return ("revises", str(children[0]))

    def cite(self, meta: Any, children: list[Any]) -> s.Citation:
        regulation = _unquote(children[1]) if len(children) > 1 and children[1] is not None else None
        return s.Citation(_unquote(children[0]), regulation, self._span(meta))

    def note(self, meta: Any, children: list[Any]) -> s.Note:
        return s.Note(_unquote(children[0]), self._span(meta))

    def description(self, meta: Any, children: list[Any]) -> _Description:
        return _Description(_unquote(children[0]))

    # -------------------------------------------------------------- declarations
    def type_decl(self, meta: Any, children: list[Any]) -> s.TypeDecl:
        rest, annotations = _split_annotations(children)
        return s.TypeDecl(str(rest[0]), rest[1], _first(rest, _Description), annotations, self._span(meta))

    def optional_mark(self, meta: Any, children: list[Any]) -> _Optional:
        return _Optional()

    def default(self, meta: Any, children: list[Any]) -> _Default:
        return _Default(_literal(children[0]))

    def input_decl(self, meta: Any, children: list[Any]) -> s.InputDecl:
        rest, annotations = _split_annotations([c for c in children if c is not None])
        name = rest[0]
        type_expr = _first(rest[1:], (s.DecimalType, s.IntegerType, s.BooleanType, s.EnumType, s.ScaleType, s.ListType, s.NamedType))
        default = _first(rest, _Default)
        optional = _first(rest, _Optional) is not None or default is not None
        return s.InputDecl(
            str(name), type_expr, optional, default.value if default else None,
            _first(rest, _Description), annotations, self._tspan(name),
        )  # fmt: skip

    def type_annotation(self, meta: Any, children: list[Any]) -> _TypeAnnotation:
        return _TypeAnnotation(children[0])

    def value_decl(self, meta: Any, children: list[Any]) -> s.ValueDecl:
        rest, annotations = _split_annotations([c for c in children if c is not None])
        name = rest[0]
        declared = _first(rest, _TypeAnnotation)
        applies = _first(rest, _Applies)
        exprs = [c for c in rest[1:] if not isinstance(c, (_TypeAnnotation, _Description, _Applies))]
        return s.ValueDecl(
            str(name), declared.type if declared else None, exprs[0],
            _first(rest, _Description), annotations, self._tspan(name),
            applies.expr if applies else None,
        )  # fmt: skip

    def applies(self, meta: Any, children: list[Any]) -> _Applies:
        return _Applies(children[0])

    # -------------------------------------------------------------- types
    def decimal_type(self, meta: Any, children: list[Any]) -> s.DecimalType:
        domain = _first(children, _Domain)
        places = _first(children, _Places)
        low, high = domain if domain else (None, None)
        return s.DecimalType(low, high, int(places) if places is not None else None, self._span(meta))

    def integer_type(self, meta: Any, children: list[Any]) -> s.IntegerType:
        domain = _first(children, _Domain)
        low, high = domain if domain else (None, None)
        return s.IntegerType(low, high, self._span(meta))

    def boolean_type(self, meta: Any, children: list[Any]) -> s.BooleanType:
        return s.BooleanType(self._span(meta))

    def enum_type(self, meta: Any, children: list[Any]) -> s.EnumType:
        self._too_many(len(children), self._span(meta))
        return s.EnumType(tuple(children), self._span(meta))

    def scale_type(self, meta: Any, children: list[Any]) -> s.ScaleType:
        self._too_many(len(children), self._span(meta))
        return s.ScaleType(tuple(_unquote(c) for c in children), self._span(meta))

    def list_type(self, meta: Any, children: list[Any]) -> s.ListType:
        bound = _first(children, _AtMost)
        fields = tuple(c for c in children if isinstance(c, s.FieldDecl))
        self._too_many(len(fields), self._span(meta))
        return s.ListType(fields, self._span(meta), int(bound) if bound is not None else None)

    def named_type(self, meta: Any, children: list[Any]) -> s.NamedType:
        return s.NamedType(str(children[0]), self._span(meta))

    def domain(self, meta: Any, children: list[Any]) -> _Domain:
        return _Domain((children[0].value, children[1].value))

    def places(self, meta: Any, children: list[Any]) -> _Places:
        token = children[0]
        if digit_count(str(token)) > 9 or int(token) > LIMITS.places:  # never turn a million digits into an int
            shown = str(token) if len(str(token)) <= 24 else str(token)[:10] + "…"
            self.problems.append(diagnostic("K034", self._tspan(token), places=shown, limit=LIMITS.places))
            return _Places(0)
        return _Places(int(token))

    def name_label(self, meta: Any, children: list[Any]) -> str:
        return str(children[0])

    def string_label(self, meta: Any, children: list[Any]) -> str:
        return _unquote(children[0])

    def field(self, meta: Any, children: list[Any]) -> s.FieldDecl:
        optional = any(isinstance(c, _Optional) for c in children)
        rest = [c for c in children if not isinstance(c, _Optional)]
        description = rest[2] if len(rest) > 2 else None
        return s.FieldDecl(str(rest[0]), rest[1], description, self._span(meta), True if optional else None)

    def at_most(self, meta: Any, children: list[Any]) -> _AtMost:
        return _AtMost(self._whole(children[0]))

    def def_name(self, meta: Any, children: list[Any]) -> Token:
        """`iki.nilai` as one name token (positioned at its first part): a definition per item of `iki`."""
        return _joined_token(".".join(str(c) for c in children), children)

    # -------------------------------------------------------------- weights
    def weights_decl(self, meta: Any, children: list[Any]) -> s.WeightsDecl:
        name, *rest = [c for c in children if c is not None]
        description = _first(rest, _Description)
        items_at = next((i for i, c in enumerate(rest) if isinstance(c, _Items)), None)
        if items_at is not None:  # unconditional: `weights w: a 50%, b 50%`
            _, annotations = _split_annotations(rest[:items_at])
            _, branch_annotations = _split_annotations(rest[items_at + 1 :])
            items = rest[items_at]
            span = items[0].span if items else self._span(meta)
            branches: tuple[s.WeightBranch, ...] = (s.WeightBranch(None, tuple(items), branch_annotations, span),)
        else:
            branch_list, annotations = _split_annotations([c for c in rest if not isinstance(c, _Description)])
            branches = tuple(branch_list)
        return s.WeightsDecl(str(name), branches, description, annotations, self._tspan(name))

    def when_branch(self, meta: Any, children: list[Any]) -> s.WeightBranch:
        rest, annotations = _split_annotations(children)
        return s.WeightBranch(rest[0], tuple(rest[1]), annotations, self._span(meta))

    def otherwise_branch(self, meta: Any, children: list[Any]) -> s.WeightBranch:
        rest, annotations = _split_annotations(children)
        return s.WeightBranch(None, tuple(rest[0]), annotations, self._span(meta))

    def weight_items(self, meta: Any, children: list[Any]) -> _Items:
        self._too_many(len(children), self._span(meta))
        return _Items(children)

    def weight_item(self, meta: Any, children: list[Any]) -> s.WeightItem:
        name, number = children
        written = plain(_EXACT.multiply(number.value, 100)) + "%" if number.percent else plain(number.value)
        return s.WeightItem(str(name), number.value, written, self._tspan(name))

    # -------------------------------------------------------------- tables
    def table_decl(self, meta: Any, children: list[Any]) -> s.TableDecl:
        kind, name, *rest = [c for c in children if c is not None]
        declared = _first(rest, _TypeAnnotation)
        applies = _first(rest, _Applies)
        rest = [c for c in rest if not isinstance(c, (_TypeAnnotation, _Applies))]
        subject = rest[0]
        hit = next((c for c in rest[1:] if isinstance(c, str) and c in ("first", "unique") and not isinstance(c, _Description)), "first")
        rows = tuple(c for c in rest if isinstance(c, s.Row))
        _, annotations = _split_annotations(rest[1:])
        return s.TableDecl(
            str(kind), str(name), declared.type if declared else None, subject, str(hit), rows,
            _first(rest[1:], _Description), annotations, self._tspan(name),
            applies.expr if applies else None,
        )  # fmt: skip

    def hit_policy(self, meta: Any, children: list[Any]) -> str:
        return str(children[0])

    def row(self, meta: Any, children: list[Any]) -> s.Row:
        rest, annotations = _split_annotations([c for c in children if c is not None])
        condition = rest[0]
        guard = _first(rest, _Guard)
        exprs = [c for c in rest[1:] if not isinstance(c, (_Guard, _Description))]
        return s.Row(
            condition, guard.expr if guard else None, exprs[0], _first(rest, _Description),
            annotations, self._span(meta),
        )  # fmt: skip

    def guard(self, meta: Any, children: list[Any]) -> _Guard:
        return _Guard(children[0])

    def interval(self, meta: Any, children: list[Any]) -> s.Interval:
        opening, low, _comma, high, closing = children
        return s.Interval(low.value, str(opening) == "[", high.value, str(closing) == "]", self._span(meta))

    def bound_condition(self, meta: Any, children: list[Any]) -> s.Interval:
        op, number = str(children[0]), children[1].value
        span = self._span(meta)
        if op in ("<", "<="):
            return s.Interval(None, False, number, op == "<=", span)
        return s.Interval(number, op == ">=", None, False, span)

    def equals_condition(self, meta: Any, children: list[Any]) -> s.Condition:
        literal = _literal(children[0])
        if isinstance(literal.value, Decimal):
            return s.Interval(literal.value, True, literal.value, True, self._span(meta))
        return s.Equals(literal, self._span(meta))

    def otherwise_condition(self, meta: Any, children: list[Any]) -> s.Otherwise:
        return s.Otherwise(self._span(meta))

    # -------------------------------------------------------------- quadrants
    def quadrant_decl(self, meta: Any, children: list[Any]) -> s.QuadrantDecl:
        name, *rest = [c for c in children if c is not None]
        declared = _first(rest, _TypeAnnotation)
        applies = _first(rest, _Applies)
        rest = [c for c in rest if not isinstance(c, (_TypeAnnotation, _Applies))]
        header = _first(rest, _Header)
        rows = tuple(c for c in rest if isinstance(c, s.MatrixRow))
        before_matrix = rest[: rest.index(header)]
        _, annotations = _split_annotations(before_matrix[2:])
        return s.QuadrantDecl(
            str(name), declared.type if declared else None, before_matrix[0], before_matrix[1],
            header.caption, header.keys, rows, _first(before_matrix, _Description), annotations,
            self._tspan(name), applies.expr if applies else None,
        )  # fmt: skip

    def matrix_header(self, meta: Any, children: list[Any]) -> _Header:
        caption = None
        keys = []
        for child in children:
            if child is None:
                continue
            if isinstance(child, Token):
                caption = _unquote(child)
            else:
                keys.append(child)
        return _Header((caption, tuple(keys)))

    def matrix_row(self, meta: Any, children: list[Any]) -> s.MatrixRow:
        rest, annotations = _split_annotations(children)
        return s.MatrixRow(rest[0], tuple(rest[1:]), annotations, self._span(meta))

    def label_key(self, meta: Any, children: list[Any]) -> s.StringLit:
        return s.StringLit(_unquote(children[0]), self._span(meta))

    def interval_key(self, meta: Any, children: list[Any]) -> s.Interval:
        return children[0]

    def label_cell(self, meta: Any, children: list[Any]) -> s.Cell:
        span = self._span(meta)
        return s.Cell(s.StringLit(_unquote(children[0]), span), span)

    def number_cell(self, meta: Any, children: list[Any]) -> s.Cell:
        return s.Cell(children[0], self._span(meta))

    def empty_cell(self, meta: Any, children: list[Any]) -> s.Cell:
        return s.Cell(None, self._span(meta))

    # -------------------------------------------------------------- conversions
    def conversion_decl(self, meta: Any, children: list[Any]) -> s.ConversionDecl:
        rest, annotations = _split_annotations([c for c in children if c is not None])
        name, subject = rest[0], rest[1]
        applies = _first(rest, _Applies)
        points = tuple(c for c in rest if isinstance(c, s.ConversionPoint))
        return s.ConversionDecl(str(name), subject, points, _first(rest[2:], _Description), annotations, self._tspan(name),
                                applies.expr if applies else None)  # fmt: skip

    def conversion_point(self, meta: Any, children: list[Any]) -> s.ConversionPoint:
        rest, annotations = _split_annotations(children)
        return s.ConversionPoint(rest[0].value, rest[1].value, annotations, self._span(meta))

    # -------------------------------------------------------------- exceptions, outputs, examples
    def exception_decl(self, meta: Any, children: list[Any]) -> s.ExceptionDecl:
        rest, annotations = _split_annotations([c for c in children if c is not None])
        name, target = rest[0], rest[1]
        priority = 0
        tail = rest[2:]
        if tail and isinstance(tail[0], Token) and tail[0].type == "INT":
            priority = self._whole(tail[0])
            tail = tail[1:]
        exprs = [c for c in tail if not isinstance(c, _Description)]
        return s.ExceptionDecl(
            str(name), str(target), priority, exprs[0], exprs[1], _first(tail, _Description),
            annotations, self._tspan(name),
        )  # fmt: skip

    def output_decl(self, meta: Any, children: list[Any]) -> s.OutputDecl:
        rest, annotations = _split_annotations([c for c in children if c is not None])
        return s.OutputDecl(str(rest[0]), _first(rest, _Description), annotations, self._tspan(rest[0]))

    def example_decl(self, meta: Any, children: list[Any]) -> s.ExampleDecl:
        rest, annotations = _split_annotations([c for c in children if c is not None])
        title = _unquote(rest[0])
        given = next((c for c in rest[1:] if isinstance(c, _Bindings)), _Bindings())
        expect = rest[-1]
        if isinstance(expect, tuple) and expect and expect[0] == "invalid":
            return s.ExampleDecl(title, tuple(given), (), tuple(expect[1]), annotations, self._span(meta))
        return s.ExampleDecl(title, tuple(given), tuple(expect[1]), (), annotations, self._span(meta))

    def bindings(self, meta: Any, children: list[Any]) -> _Bindings:
        self._too_many(len(children), self._span(meta))
        return _Bindings(children)

    def binding(self, meta: Any, children: list[Any]) -> s.Binding:
        return s.Binding(str(children[0]), _literal(children[1]), self._tspan(children[0]))

    def expect_bindings(self, meta: Any, children: list[Any]) -> _Bindings:
        self._too_many(len(children), self._span(meta))
        return _Bindings(children)

    def absent_binding(self, meta: Any, children: list[Any]) -> s.Binding:
        return s.Binding(str(children[0]), s.LiteralValue(None, self._span(meta)), self._tspan(children[0]))

    def item_path(self, meta: Any, children: list[Any]) -> Token:
        """`iki[1].nilai` as one name token: the checker reads the path."""
        parts = [str(children[0])]
        for index, field in zip(children[1::2], children[2::2], strict=True):
            parts.append(f"[{self._whole(index)}].{field}")
        return _joined_token("".join(parts), children)

    def item_binding(self, meta: Any, children: list[Any]) -> s.Binding:
        return s.Binding(str(children[0]), _literal(children[1]), self._tspan(children[0]))

    def absent_item_binding(self, meta: Any, children: list[Any]) -> s.Binding:
        return s.Binding(str(children[0]), s.LiteralValue(None, self._span(meta)), self._tspan(children[0]))

    def expect_outputs(self, meta: Any, children: list[Any]) -> tuple:
        return ("outputs", tuple(children[0]))

    def expect_invalid(self, meta: Any, children: list[Any]) -> tuple:
        return ("invalid", tuple(str(c) for c in children))

    def list_value(self, meta: Any, children: list[Any]) -> s.LiteralValue:
        records = tuple(c for c in children if c is not None)
        self._too_many(len(records), self._span(meta))
        return s.LiteralValue(records, self._span(meta))

    def record(self, meta: Any, children: list[Any]) -> tuple:
        self._too_many(len(children), self._span(meta))
        return tuple((b.name, b.value) for b in children)

    # -------------------------------------------------------------- population rules
    def distribution_decl(self, meta: Any, children: list[Any]) -> s.DistributionDecl:
        rest, annotations = _split_annotations([c for c in children if c is not None])
        name, output, class_input = rest[0], rest[1], rest[2]
        cases = tuple(c for c in rest if isinstance(c, s.DistributionCase))
        return s.DistributionDecl(
            str(name), str(output), str(class_input), cases, _first(rest, _Description),
            annotations, self._tspan(name),
        )  # fmt: skip

    def distribution_case(self, meta: Any, children: list[Any]) -> s.DistributionCase:
        rest, annotations = _split_annotations(children)
        return s.DistributionCase(_unquote(rest[0]), tuple(rest[1:]), annotations, self._span(meta))

    def share_bound(self, meta: Any, children: list[Any]) -> s.ShareRule:
        rest, annotations = _split_annotations(children)
        labels, op, number = rest
        return s.ShareRule("bound", labels, str(op), number.value, annotations, self._span(meta))

    def share_most(self, meta: Any, children: list[Any]) -> s.ShareRule:
        rest, annotations = _split_annotations(children)
        return s.ShareRule("most", (_unquote(rest[0]),), None, None, annotations, self._span(meta))

    def share_count(self, meta: Any, children: list[Any]) -> s.ShareRule:
        rest, annotations = _split_annotations(children)
        count, labels = rest
        return s.ShareRule("count", labels, ">=", Decimal(self._whole(count)), annotations, self._span(meta))

    def label_set(self, meta: Any, children: list[Any]) -> tuple[str, ...]:
        self._too_many(len(children), self._span(meta))
        return tuple(_unquote(c) for c in children)

    # -------------------------------------------------------------- overrides
    def override_decl(self, meta: Any, children: list[Any]) -> s.OverrideDecl:
        rest, annotations = _split_annotations(children)
        kind, target, row_index, cell, payload = rest[0]
        if kind == "weights" and isinstance(payload, tuple):  # `otherwise:` branch override
            kind, payload = "weights_otherwise", payload[1]
        return s.OverrideDecl(kind, target, row_index, cell, payload, annotations, self._span(meta))

    def override_weights(self, meta: Any, children: list[Any]) -> tuple:
        return ("weights", str(children[0]), None, None, children[1])

    def weight_branch_override(self, meta: Any, children: list[Any]) -> s.WeightBranch:
        return s.WeightBranch(None, tuple(children[0]), s.Annotations(), self._span(meta))

    def when_override(self, meta: Any, children: list[Any]) -> s.WeightBranch:
        return s.WeightBranch(children[0], tuple(children[1]), s.Annotations(), self._span(meta))

    def otherwise_override(self, meta: Any, children: list[Any]) -> tuple:
        return ("otherwise", s.WeightBranch(None, tuple(children[0]), s.Annotations(), self._span(meta)))

    def override_row(self, meta: Any, children: list[Any]) -> tuple:
        return ("row", str(children[1]), self._whole(children[2]), None, children[3])

    def override_cell(self, meta: Any, children: list[Any]) -> tuple:
        return ("cell", str(children[0]), None, (_unquote(children[1]), _unquote(children[2])), children[3])

    def override_exception(self, meta: Any, children: list[Any]) -> tuple:
        return ("exception", str(children[0]), None, None, (children[1], children[2]))

    def override_value(self, meta: Any, children: list[Any]) -> tuple:
        return ("value", str(children[0]), None, None, children[1])

    def override_input(self, meta: Any, children: list[Any]) -> tuple:
        description = children[1] if len(children) > 1 and children[1] is not None else None
        return ("input", str(children[0]), None, None, description)

    # -------------------------------------------------------------- expressions
    def number_literal(self, meta: Any, children: list[Any]) -> s.NumberLit:
        value = self._number(children[0])
        percent = len(children) > 1 and children[1] is not None
        return s.NumberLit(_EXACT.divide(value, 100) if percent else value, percent, self._span(meta))

    def signed_number(self, meta: Any, children: list[Any]) -> s.NumberLit:
        tokens = [c for c in children if c is not None]
        negative = str(tokens[0]) == "-"
        number = self._number(tokens[1] if negative else tokens[0])
        percent = str(tokens[-1]) == "%"
        value = _EXACT.minus(number) if negative else number
        return s.NumberLit(_EXACT.divide(value, 100) if percent else value, percent, self._span(meta))

    def string(self, meta: Any, children: list[Any]) -> s.StringLit:
        return s.StringLit(_unquote(children[0]), self._span(meta))

    def true(self, meta: Any, children: list[Any]) -> s.BoolLit:
        return s.BoolLit(True, self._span(meta))

    def false(self, meta: Any, children: list[Any]) -> s.BoolLit:
        return s.BoolLit(False, self._span(meta))

    def name(self, meta: Any, children: list[Any]) -> s.Name:
        return s.Name(str(children[0]), self._tspan(children[0]))

    def call(self, meta: Any, children: list[Any]) -> s.Call:
        function, *args = children
        call = s.Call(str(function), tuple(a for a in args if a is not None), self._span(meta))
        if call.function == "round" and len(call.args) >= 2:
            places = call.args[1]
            if isinstance(places, s.Unary) and places.op == "-":
                places = places.operand
            if isinstance(places, s.NumberLit) and abs(places.value) > LIMITS.places:
                self.problems.append(diagnostic("K034", call.args[1].span, places=plain(places.value), limit=LIMITS.places))
        return call

    def aggregate(self, meta: Any, children: list[Any]) -> s.Aggregate:
        function, item, *rest = children
        keys = _first(rest, _Keys)
        rest = [c for c in rest if not isinstance(c, _Keys)]
        at = next(i for i, c in enumerate(rest) if isinstance(c, Token) and c.type == "NAME")
        weight = rest[0] if at == 1 else None
        variable, source = rest[at], rest[at + 1]
        where = rest[at + 2] if len(rest) > at + 2 else None
        return s.Aggregate(str(function), item, weight, str(variable), source, where, self._span(meta),
                           tuple(keys) if keys is not None else None)  # fmt: skip

    def pick_keys(self, meta: Any, children: list[Any]) -> _Keys:
        return _Keys(children)

    def list_literal(self, meta: Any, children: list[Any]) -> s.ListLit:
        self._too_many(len(children), self._span(meta))
        return s.ListLit(tuple(children), self._span(meta))

    def member(self, meta: Any, children: list[Any]) -> s.Member:
        return s.Member(children[0], str(children[1]), self._span(meta))

    def negate(self, meta: Any, children: list[Any]) -> s.Unary:
        return s.Unary("-", children[0], self._span(meta))

    def not_op(self, meta: Any, children: list[Any]) -> s.Unary:
        return s.Unary("not", children[0], self._span(meta))

    def _binary(self, op: str, meta: Any, left: Any, right: Any) -> s.Binary:
        return s.Binary(op, left, right, self._span(meta))

    def or_op(self, meta: Any, children: list[Any]) -> s.Binary:
        return self._binary("or", meta, children[0], children[1])

    def and_op(self, meta: Any, children: list[Any]) -> s.Binary:
        return self._binary("and", meta, children[0], children[1])

    def compare(self, meta: Any, children: list[Any]) -> s.Binary:
        return self._binary(str(children[1]), meta, children[0], children[2])

    def equals(self, meta: Any, children: list[Any]) -> s.Binary:
        return self._binary("=", meta, children[0], children[1])

    def not_equals(self, meta: Any, children: list[Any]) -> s.Binary:
        return self._binary("!=", meta, children[0], children[1])

    def arith(self, meta: Any, children: list[Any]) -> s.Binary:
        op = "*" if str(children[1]) == "×" else str(children[1])
        return self._binary(op, meta, children[0], children[2])

    def if_then_else(self, meta: Any, children: list[Any]) -> s.IfThenElse:
        return s.IfThenElse(children[0], children[1], children[2], self._span(meta))


def _joined_token(text: str, parts: list[Token]) -> Token:
    """One NAME token spanning several (`iki` `.` `nilai`), so a declaration's span covers its whole name."""
    token = Token.new_borrow_pos("NAME", text, parts[0])
    token.end_line, token.end_column = parts[-1].end_line, parts[-1].end_column
    return token


def _plain(value: Decimal) -> str:
    """A decimal written without exponent or trailing zeros: 70, 0.75, 12.5."""
    text = format(value.normalize(), "f")
    return text

