"""The lowered IR: the one form every back-end consumes.

`check` establishes that a ruleset means something; `lower` (kinerja.semantics.lower)
writes down *what* it means, once, in these nodes. The scalar evaluator
(kinerja.eval), the column compiler (kinerja.vector), the range and coverage analyses
(kinerja.analysis) and the audit tools (kinerja.audit) walk this form and nothing else:
a construct of the surface language is lowered here once and is then understood by every
back-end without being taught to each.

What lowering settles, so no back-end decides it again:
- every name is resolved: an input, a definition, or a variable bound by an aggregate; a
  read that may find nothing (an optional input, a definition with `when`) says so and
  with which code it fails;
- every node carries its type (no side table keyed by `id()`);
- a weight part (`bobot.skp`) is its own node, apart from a record's field;
- a comparison of scale labels carries the scale's order;
- a call names its builtin's table entry (kinerja.semantics.builtins), never a string;
- a definition per item of a list (`value iki.nilai = …`) carries its *level*, the list path
  its items live at; inside it the current item is `Read(name="iki", scope="item")` and its
  fields and per-item values are `Field`s (a `Field` that reads a definition per item names
  it, so dependencies stay visible); a record-level value reads per-item values only through
  a `Reduce`, the one node that moves a value from an item level to its parent;
- a band row's condition and a quadrant's axis keys are normalised
  (kinerja.semantics.conditions).

Each node keeps `source`, the syntax node it came from (for spans and for printing a
formula as the officer wrote it). Nodes compare by identity, so back-ends can memoise
per node cheaply; structural comparison of rulesets is the diff's job, on the syntax.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import field
from decimal import Decimal
from typing import Any, Union

from kinerja.semantics import types as t
from kinerja.semantics.builtins import Builtin, CallOptions
from kinerja.semantics.conditions import Condition
from kinerja.syntax import tree as s
from kinerja.syntax.frozen import dataclass

# ---------------------------------------------------------------- expressions


@dataclass(frozen=True, eq=False)
class Const:
    value: Decimal | str | bool
    type: t.Type
    source: Any = field(repr=False)


@dataclass(frozen=True)
class Absence:
    """How reading a name that may hold nothing fails: K704 (optional input) or K708 (`when` false)."""

    code: str
    condition: s.Expr | None = None  # the definition's `when` condition, for K708's message


@dataclass(frozen=True, eq=False)
class Read:
    """A name. Scope "item": the item being computed by a definition per item; `name` is its list path
    (`iki`, `iki.triwulan`), read at run time under `item_key(name)`."""

    name: str
    scope: str  # "input", "definition", "local" (bound by an aggregate) or "item"
    absence: Absence | None  # None: the name always holds a value here
    type: t.Type
    source: Any = field(repr=False)


def item_key(path: str) -> str:
    """Where the scalar evaluator keeps the current item of list `path` (no name can have this form)."""
    return path + "[]"


@dataclass(frozen=True, eq=False)
class Present:
    """`given(name)`: whether an optional input was given / a `when` definition applies.

    With a `subject`, `given(q.realisasi)`: whether field `name` of that record holds a value (an
    optional field, or a definition per item with `when`).
    """

    name: str
    type: t.Type
    source: Any = field(repr=False)
    subject: Expr | None = None


@dataclass(frozen=True, eq=False)
class WeightPart:
    """`bobot.skp`: one part of the weight set the record's branch chose, as a fraction."""

    weights: str
    part: str
    type: t.Type
    source: Any = field(repr=False)


@dataclass(frozen=True, eq=False)
class Field:
    """A field of a record (an item of a list input), or a definition per item read on an item."""

    subject: Expr
    name: str
    type: t.Type
    source: Any = field(repr=False)
    definition: str | None = None  # the definition per item it reads (`iki.nilai`), None for an input field
    absence: Absence | None = None  # an optional field (K704) or a definition per item with `when` (K708)


@dataclass(frozen=True, eq=False)
class Negate:
    operand: Expr
    type: t.Type
    source: Any = field(repr=False)


@dataclass(frozen=True, eq=False)
class Not:
    operand: Expr
    type: t.Type
    source: Any = field(repr=False)


@dataclass(frozen=True, eq=False)
class Arith:
    op: str  # + - * /
    left: Expr
    right: Expr
    type: t.Type
    source: Any = field(repr=False)


@dataclass(frozen=True, eq=False)
class Compare:
    op: str  # = != < <= > >=
    left: Expr
    right: Expr
    order: tuple[str, ...] | None  # the scale's labels, lowest first, when labels are compared by order
    type: t.Type
    source: Any = field(repr=False)


@dataclass(frozen=True, eq=False)
class Logic:
    op: str  # and, or (the right side is evaluated only when needed)
    left: Expr
    right: Expr
    type: t.Type
    source: Any = field(repr=False)


@dataclass(frozen=True, eq=False)
class Choose:
    """`if condition then a else b`."""

    condition: Expr
    then: Expr
    otherwise: Expr
    type: t.Type
    source: Any = field(repr=False)


@dataclass(frozen=True, eq=False)
class Call:
    """A scalar builtin applied to its value arguments (`round`'s mode and `rank`'s scale are options)."""

    builtin: Builtin
    args: tuple[Expr, ...]
    options: CallOptions
    type: t.Type
    source: Any = field(repr=False)


@dataclass(frozen=True, eq=False)
class Reduce:
    """A list builtin over a list: `sum(xs)`, or `sum(item by weight for v in xs where cond)`.

    Without `variable` the items are the list's elements themselves. A builtin that picks one
    item (`builtin.pick`: first, last, top, bottom) evaluates `item` on the chosen element only;
    `keys` order the elements for `top`/`bottom` (numbers; a scale label is lowered to its rank).
    """

    builtin: Builtin
    items: Expr
    variable: str | None
    item: Expr | None
    weight: Expr | None
    where: Expr | None
    type: t.Type
    source: Any = field(repr=False)
    keys: tuple[Expr, ...] = ()


@dataclass(frozen=True, eq=False)
class ListOf:
    items: tuple[Expr, ...]
    type: t.Type
    source: Any = field(repr=False)


Expr = Union[Const, Read, Present, WeightPart, Field, Negate, Not, Arith, Compare, Logic, Choose, Call, Reduce, ListOf]


def children(e: Expr) -> tuple[Expr, ...]:
    """The sub-expressions of a node, in the order they are written."""
    if isinstance(e, (Field, Negate, Not)):
        return (e.subject,) if isinstance(e, Field) else (e.operand,)
    if isinstance(e, Present):
        return (e.subject,) if e.subject is not None else ()
    if isinstance(e, (Arith, Compare, Logic)):
        return (e.left, e.right)
    if isinstance(e, Choose):
        return (e.condition, e.then, e.otherwise)
    if isinstance(e, Call):
        return e.args
    if isinstance(e, Reduce):
        return tuple(x for x in (e.items, e.item, e.weight, e.where) if x is not None) + e.keys
    if isinstance(e, ListOf):
        return e.items
    return ()


def walk(e: Expr) -> Iterator[Expr]:
    """Every node of an expression, parents before children, in written order."""
    yield e
    for child in children(e):
        yield from walk(child)


def free_reads(e: Expr) -> list[str]:
    """The inputs and definitions an expression reads (not aggregate variables), in order of first use.

    The current item of a definition per item counts as a read of its list input; a definition per
    item read on an item counts as a read of that definition.
    """
    found: list[str] = []
    for node in walk(e):
        name = None
        if isinstance(node, Read) and node.scope == "item":
            name = node.name.split(".")[0]
        elif isinstance(node, Read) and node.scope != "local":
            name = node.name
        elif isinstance(node, Field) and node.definition is not None:
            name = node.definition
        elif isinstance(node, Present) and node.subject is None:
            name = node.name
        elif isinstance(node, WeightPart):
            name = node.weights
        if name is not None and name not in found:
            found.append(name)
    return found


# ---------------------------------------------------------------- definitions


@dataclass(frozen=True, eq=False)
class Formula:
    expr: Expr


@dataclass(frozen=True, eq=False)
class BandRow:
    index: int
    condition: Condition
    guard: Expr | None
    result: Expr
    decl: s.Row = field(repr=False)


@dataclass(frozen=True, eq=False)
class Bands:
    """A band table or rubric: the subject's value picks a row (`first` or `unique` hit)."""

    subject: Expr
    hit: str
    rows: tuple[BandRow, ...]


@dataclass(frozen=True, eq=False)
class Matrix:
    """A quadrant: the row subject picks a row key, the column subject a column key; the cell decides.

    `cells[r][c]` is None for a cell written `-` or missing from a short row.
    """

    row_subject: Expr
    column_subject: Expr
    row_keys: tuple[Condition, ...]
    column_keys: tuple[Condition, ...]
    cells: tuple[tuple[Expr | None, ...], ...]


@dataclass(frozen=True, eq=False)
class WeightBranch:
    index: int
    condition: Expr | None  # None: `otherwise`, or an unconditional set
    parts: tuple[tuple[str, Decimal], ...]  # fractions: 70% is 0.70
    decl: s.WeightBranch = field(repr=False)


@dataclass(frozen=True, eq=False)
class WeightSet:
    branches: tuple[WeightBranch, ...]
    parts: tuple[str, ...]


Body = Union[Formula, Bands, Matrix, WeightSet]


@dataclass(frozen=True, eq=False)
class ExceptionRule:
    name: str
    priority: int
    condition: Expr
    result: Expr
    decl: s.ExceptionDecl = field(repr=False)


@dataclass(frozen=True, eq=False)
class Definition:
    """A value, band table, rubric, quadrant or weight set, with everything that decides it."""

    name: str
    kind: str  # value, table, rubric, quadrant, weights
    type: t.Type
    body: Body
    applies: Expr | None  # `when C`: where C is false the definition is absent, nothing else runs
    exceptions: tuple[ExceptionRule, ...]  # highest priority first
    suppliable: bool  # `override input`: a record may give the value instead
    reads: tuple[str, ...]  # the inputs and definitions it reads, in order of first use
    decl: Any = field(repr=False)
    level: tuple[str, ...] = ()  # `()`: once per record; `("iki",)`: once per item of list input iki

    @property
    def field_name(self) -> str:
        """The field a definition per item stores on each item (`nilai` of `iki.nilai`)."""
        return self.name.rsplit(".", 1)[-1]


def definition_exprs(d: Definition) -> list[Expr]:
    """Every expression of a definition: its body (each row, guard, cell and branch), `when`, exceptions."""
    found: list[Expr] = []
    body = d.body
    if isinstance(body, Formula):
        found.append(body.expr)
    elif isinstance(body, Bands):
        found.append(body.subject)
        for row in body.rows:
            found += [row.result] + ([row.guard] if row.guard is not None else [])
    elif isinstance(body, Matrix):
        found += [body.row_subject, body.column_subject] + [c for row in body.cells for c in row if c is not None]
    else:
        found += [b.condition for b in body.branches if b.condition is not None]
    for e in d.exceptions:
        found += [e.condition, e.result]
    if d.applies is not None:
        found.append(d.applies)
    return found


def by_source(program: Program) -> dict[int, Expr]:
    """Every IR expression of a program keyed by `id()` of the syntax node it was lowered from.

    For tools that hold a syntax node (the explainer walking a formula as written) and need
    its meaning: they evaluate the IR node, never the syntax.
    """
    found: dict[int, Expr] = {}
    for d in program.definitions:
        for root in definition_exprs(d):
            for node in walk(root):
                found.setdefault(id(node.source), node)
    return found


@dataclass(frozen=True, eq=False)
class Input:
    name: str
    type: t.Type
    optional: bool  # may be left out (no default): reading it then fails with K704
    default: Any  # the runtime default value, or None
    decl: s.InputDecl = field(repr=False)


@dataclass(frozen=True, eq=False)
class Program:
    """A whole ruleset, lowered: its inputs, its definitions in evaluation order, its outputs."""

    header: s.Header
    inputs: tuple[Input, ...]
    definitions: tuple[Definition, ...]
    outputs: tuple[str, ...]
    required: frozenset[str]  # inputs with neither a default nor `optional`
    suppliable: frozenset[str]  # definitions a record may give

    by_name: dict[str, Definition] = field(default_factory=dict, repr=False)  # the definitions, by name

    def definition(self, name: str) -> Definition | None:
        return self.by_name.get(name)

    def input(self, name: str) -> Input | None:
        return next((item for item in self.inputs if item.name == name), None)
