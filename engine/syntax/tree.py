"""The syntax tree of a ruleset: frozen dataclasses, every node with its span.

This is the only form later stages see; lark trees never leave `parse.py`.
Numbers are `Decimal` from the moment they are read.
"""

from __future__ import annotations

from dataclasses import field
from datetime import date
from decimal import Decimal
from typing import Union

from kinerja.syntax.frozen import dataclass  # dataclasses' own, built without compiling methods at import

# Bump when the shape of the tree changes: cached parses of the old shape are ignored.
SYNTAX_VERSION = "5"


@dataclass(frozen=True, order=True)
class Span:
    file: str
    line: int
    column: int
    end_line: int = 0
    end_column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


NOWHERE = Span("<builtin>", 0, 0)


@dataclass(frozen=True)
class Citation:
    text: str
    regulation: str | None
    span: Span = field(compare=False)


@dataclass(frozen=True)
class Note:
    text: str
    span: Span = field(compare=False)


@dataclass(frozen=True)
class Annotations:
    citations: tuple[Citation, ...] = ()
    notes: tuple[Note, ...] = ()


# ---------------------------------------------------------------- expressions


@dataclass(frozen=True)
class NumberLit:
    value: Decimal
    percent: bool
    span: Span = field(compare=False)


@dataclass(frozen=True)
class StringLit:
    value: str
    span: Span = field(compare=False)


@dataclass(frozen=True)
class BoolLit:
    value: bool
    span: Span = field(compare=False)


@dataclass(frozen=True)
class Name:
    name: str
    span: Span = field(compare=False)


@dataclass(frozen=True)
class Member:
    subject: Expr
    field_name: str
    span: Span = field(compare=False)


@dataclass(frozen=True)
class Unary:
    op: str  # "-" or "not"
    operand: Expr
    span: Span = field(compare=False)


@dataclass(frozen=True)
class Binary:
    op: str  # + - * / and or = != < <= > >=
    left: Expr
    right: Expr
    span: Span = field(compare=False)


@dataclass(frozen=True)
class IfThenElse:
    condition: Expr
    then: Expr
    otherwise: Expr
    span: Span = field(compare=False)


@dataclass(frozen=True)
class Call:
    function: str
    args: tuple[Expr, ...]
    span: Span = field(compare=False)


@dataclass(frozen=True)
class Aggregate:
    function: str
    item: Expr
    weight: Expr | None
    variable: str
    source: Expr
    where: Expr | None
    span: Span = field(compare=False)
    # `top(h for h in hukuman where … by rank(h.kategori), h.skor)`: what picks one item (first key first)
    keys: tuple[Expr, ...] | None = None


@dataclass(frozen=True)
class ListLit:
    items: tuple[Expr, ...]
    span: Span = field(compare=False)


Expr = Union[NumberLit, StringLit, BoolLit, Name, Member, Unary, Binary, IfThenElse, Call, Aggregate, ListLit]


# ---------------------------------------------------------------- types


@dataclass(frozen=True)
class DecimalType:
    low: Decimal | None
    high: Decimal | None
    places: int | None
    span: Span = field(compare=False)


@dataclass(frozen=True)
class IntegerType:
    low: Decimal | None
    high: Decimal | None
    span: Span = field(compare=False)


@dataclass(frozen=True)
class BooleanType:
    span: Span = field(compare=False)


@dataclass(frozen=True)
class EnumType:
    labels: tuple[str, ...]
    span: Span = field(compare=False)


@dataclass(frozen=True)
class ScaleType:
    """An ordered scale: labels from lowest to highest."""

    labels: tuple[str, ...]
    span: Span = field(compare=False)


@dataclass(frozen=True)
class FieldDecl:
    name: str
    type: TypeExpr
    description: str | None
    span: Span = field(compare=False)
    optional: bool | None = None  # `realisasi: optional decimal …`: a record may leave it out (None: required)


@dataclass(frozen=True)
class ListType:
    fields: tuple[FieldDecl, ...]
    span: Span = field(compare=False)
    max_items: int | None = None  # `list of {…} at most 40`


@dataclass(frozen=True)
class NamedType:
    name: str
    span: Span = field(compare=False)


TypeExpr = Union[DecimalType, IntegerType, BooleanType, EnumType, ScaleType, ListType, NamedType]


# ---------------------------------------------------------------- literal values (defaults, examples)

Scalar = Union[Decimal, str, bool]


@dataclass(frozen=True)
class LiteralValue:
    value: Scalar | tuple[tuple[tuple[str, LiteralValue], ...], ...] | None  # None: `none` in an `expect`, the value is absent
    span: Span = field(compare=False)


# ---------------------------------------------------------------- conditions of band rows


@dataclass(frozen=True)
class Interval:
    """An interval of numbers; a missing bound is unbounded on that side."""

    low: Decimal | None
    low_closed: bool
    high: Decimal | None
    high_closed: bool
    span: Span = field(compare=False)

    def __str__(self) -> str:
        if self.low is None and self.high is not None:
            return f"{'<=' if self.high_closed else '<'} {self.high}"
        if self.high is None and self.low is not None:
            return f"{'>=' if self.low_closed else '>'} {self.low}"
        if self.low is not None and self.low == self.high:
            return f"= {self.low}"
        return f"{'[' if self.low_closed else '('}{self.low}, {self.high}{']' if self.high_closed else ')'}"


@dataclass(frozen=True)
class Equals:
    value: LiteralValue
    span: Span = field(compare=False)


@dataclass(frozen=True)
class Otherwise:
    span: Span = field(compare=False)


Condition = Union[Interval, Equals, Otherwise]


# ---------------------------------------------------------------- declarations


@dataclass(frozen=True)
class Header:
    id: str
    version: str
    title: str | None
    source: str | None
    source_short: str | None
    effective_from: date | None
    effective_until: date | None
    extends: str | None
    supersedes: str | None
    annotations: Annotations
    span: Span = field(compare=False)
    # `revises id@version`: this version corrects an earlier version of the same decree (an
    # erratum), so their periods may overlap and the newer one governs where both are in force
    revises: str | None = None

    @property
    def regulation(self) -> str:
        return self.source_short or self.source or self.id


@dataclass(frozen=True)
class TypeDecl:
    name: str
    type: TypeExpr
    description: str | None
    annotations: Annotations
    span: Span = field(compare=False)


@dataclass(frozen=True)
class InputDecl:
    name: str
    type: TypeExpr
    optional: bool
    default: LiteralValue | None
    description: str | None
    annotations: Annotations
    span: Span = field(compare=False)


@dataclass(frozen=True)
class ValueDecl:
    name: str
    declared_type: TypeExpr | None
    expr: Expr
    description: str | None
    annotations: Annotations
    span: Span = field(compare=False)
    applies: Expr | None = None  # `when C`: where C is false the value does not apply (absent)


@dataclass(frozen=True)
class WeightItem:
    name: str
    weight: Decimal  # a fraction: 70% is 0.70
    written: str  # as the author wrote it, e.g. "70%"
    span: Span = field(compare=False)


@dataclass(frozen=True)
class WeightBranch:
    condition: Expr | None  # None: the `otherwise` branch, or an unconditional set
    items: tuple[WeightItem, ...]
    annotations: Annotations
    span: Span = field(compare=False)


@dataclass(frozen=True)
class WeightsDecl:
    name: str
    branches: tuple[WeightBranch, ...]
    description: str | None
    annotations: Annotations
    span: Span = field(compare=False)


@dataclass(frozen=True)
class Row:
    condition: Condition
    guard: Expr | None
    result: Expr
    descriptor: str | None
    annotations: Annotations
    span: Span = field(compare=False)


@dataclass(frozen=True)
class TableDecl:
    kind: str  # "table" or "rubric"
    name: str
    declared_type: TypeExpr | None
    subject: Expr
    hit: str  # "first" or "unique"
    rows: tuple[Row, ...]
    description: str | None
    annotations: Annotations
    span: Span = field(compare=False)
    applies: Expr | None = None  # `when C` after the subject: where C is false the table does not apply


AxisKey = Union[StringLit, Interval]


@dataclass(frozen=True)
class Cell:
    value: Expr | None  # None: a cell written `-` (left empty on purpose)
    span: Span = field(compare=False)


@dataclass(frozen=True)
class MatrixRow:
    key: AxisKey
    cells: tuple[Cell, ...]
    annotations: Annotations
    span: Span = field(compare=False)


@dataclass(frozen=True)
class QuadrantDecl:
    name: str
    declared_type: TypeExpr | None
    row_subject: Expr
    column_subject: Expr
    caption: str | None
    columns: tuple[AxisKey, ...]
    rows: tuple[MatrixRow, ...]
    description: str | None
    annotations: Annotations
    span: Span = field(compare=False)
    applies: Expr | None = None  # `when C` after the column subject: where C is false the quadrant does not apply


@dataclass(frozen=True)
class ConversionPoint:
    """One point `x -> y` of a conversion, as the regulation prints it."""

    x: Decimal
    y: Decimal
    annotations: Annotations
    span: Span = field(compare=False)


@dataclass(frozen=True)
class ConversionDecl:
    """A piecewise-linear conversion through points (`conversion konversi on ca … end`).

    It means a band table: between two consecutive points the value is on the line through
    them (`kinerja.semantics.conversion` writes that table); outside the points no row matches.
    """

    name: str
    subject: Expr
    points: tuple[ConversionPoint, ...]
    description: str | None
    annotations: Annotations
    span: Span = field(compare=False)
    applies: Expr | None = None


@dataclass(frozen=True)
class ExceptionDecl:
    name: str
    target: str
    priority: int
    condition: Expr
    result: Expr
    description: str | None
    annotations: Annotations
    span: Span = field(compare=False)


@dataclass(frozen=True)
class OutputDecl:
    name: str
    description: str | None
    annotations: Annotations
    span: Span = field(compare=False)


@dataclass(frozen=True)
class Binding:
    name: str
    value: LiteralValue
    span: Span = field(compare=False)


@dataclass(frozen=True)
class ExampleDecl:
    title: str
    given: tuple[Binding, ...]
    expect: tuple[Binding, ...]
    expect_invalid: tuple[str, ...]
    annotations: Annotations
    span: Span = field(compare=False)


@dataclass(frozen=True)
class ShareRule:
    """One constraint on the shares of labels within a group."""

    kind: str  # "bound": share op percent; "most": the label holds the largest share; "count": at least N of labels
    labels: tuple[str, ...]
    op: str | None
    amount: Decimal | None  # a fraction for "bound", a count for "count"
    annotations: Annotations
    span: Span = field(compare=False)


@dataclass(frozen=True)
class DistributionCase:
    group_class: str
    rules: tuple[ShareRule, ...]
    annotations: Annotations
    span: Span = field(compare=False)


@dataclass(frozen=True)
class DistributionDecl:
    name: str
    output: str
    class_input: str
    cases: tuple[DistributionCase, ...]
    description: str | None
    annotations: Annotations
    span: Span = field(compare=False)


@dataclass(frozen=True)
class OverrideDecl:
    """A change to a declaration of the ruleset this one extends."""

    kind: str  # "weights", "row", "cell", "exception", "value"
    target: str
    row_index: int | None  # 1-based band row, for kind "row"
    cell: tuple[str, str] | None  # row label, column label, for kind "cell"
    payload: object  # WeightBranch, Row, Cell, (condition, result) or Expr
    annotations: Annotations
    span: Span = field(compare=False)


Declaration = Union[
    TypeDecl,
    InputDecl,
    ValueDecl,
    WeightsDecl,
    TableDecl,
    QuadrantDecl,
    ConversionDecl,
    ExceptionDecl,
    OutputDecl,
    ExampleDecl,
    DistributionDecl,
    OverrideDecl,
]


@dataclass(frozen=True)
class Comment:
    text: str
    span: Span


@dataclass(frozen=True)
class Module:
    """One parsed ruleset file."""

    header: Header
    declarations: tuple[Declaration, ...]
    comments: tuple[Comment, ...] = field(default=(), compare=False)
    source_text: str = field(default="", compare=False, repr=False)
    path: str = field(default="<string>", compare=False)

    def of_kind(self, kind: type) -> list:
        return [d for d in self.declarations if isinstance(d, kind)]
