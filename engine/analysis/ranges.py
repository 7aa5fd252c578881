"""Abstract evaluation of a lowered ruleset: what each definition can hold, for every input.

The abstract values and their arithmetic are kinerja.semantics.intervals; builtins are
evaluated by their table entry's interval meaning. The evaluator works under a
*scenario*: a fixed value for a few discrete inputs (booleans, labels), so that weight
branches, `if` and guards are decided instead of joined (joining the 60:40 and 70:30
branches of one weight set would wrongly stretch 0..120 to 0..132).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kinerja.semantics import conditions as cond
from kinerja.semantics import ir
from kinerja.semantics import types as t
from kinerja.semantics.builtins import CallOptions
from kinerja.semantics.intervals import (
    BOTH,
    FALSE,
    MAX_POINTS,
    TRUE,
    Abstract,
    Finite,
    Items,
    Num,
    Record,
    add,
    bounded,
    constant,
    divide,
    exact,
    from_type,
    join,
    join_all,
    multiply,
    negate,
)

__all__ = ["Evaluator", "Evaluations", "Abstract", "Finite", "Items", "Num", "Record", "join", "join_all", "from_type", "constant"]


class Evaluations:
    """The abstract evaluations of one program, one per scenario, each made once.

    One analysis asks for the same scenario many times (the empty one by every check); an
    evaluator walks every definition when it is made, so for a large table it is made once.
    """

    def __init__(self, program: ir.Program):
        self.program = program
        self._made: dict[tuple[tuple[str, Any], ...], Evaluator] = {}

    def under(self, scenario: dict[str, Any]) -> Evaluator:
        key = tuple(scenario.items())
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = Evaluator(self.program, scenario)
        return made


class Evaluator:
    """Abstract evaluation of every definition under one scenario."""

    def __init__(self, program: ir.Program, scenario: dict[str, Any]):
        self.program = program
        self.scenario = scenario
        self.memo: dict[str, Abstract] = {}
        self.active: set[str] = set()
        # while a band row's result is evaluated: its subject's name -> the subject's values on that row
        self.narrowed: dict[str, Abstract] = {}
        self.inputs = {i.name: i for i in program.inputs}
        # definitions in order (what each reads first): a chain of definitions, each an expression
        # nested deep, is never evaluated by one recursion through the whole chain
        for d in program.definitions:
            self.definition(d.name)

    # ---------------------------------------------------------- names
    def name(self, name: str) -> Abstract:
        if name in self.scenario:
            return exact(self.scenario[name])
        if self.program.definition(name) is not None:
            return self.definition(name)
        given = self.inputs.get(name)
        return from_type(given.type) if given is not None else None

    def definition(self, name: str) -> Abstract:
        if name in self.memo:
            return self.memo[name]
        d = self.program.definition(name)
        if d is None or name in self.active:
            return None
        self.active.add(name)
        body = d.body
        found: Abstract
        if isinstance(body, ir.Formula):
            found = self.expr(body.expr)
            if found is None and isinstance(d.type, t.NumberT) and d.type.low is not None and d.type.high is not None:
                found = from_type(d.type)
        elif isinstance(body, ir.Bands):
            results = [self.row_result(body, r) for r in body.rows if r.guard is None or self.truth(r.guard) is not False]
            found = join_all([x for x in results if x is not _UNREACHED])
        elif isinstance(body, ir.Matrix):
            found = join_all([self.expr(c) for row in body.cells for c in row if c is not None])
        else:
            found = None  # weight sets are read through their parts only
        for exception in d.exceptions:
            if self.truth(exception.condition) is not False:
                found = join(found, self.expr(exception.result))
        if d.suppliable:
            given = self.inputs.get(name)
            found = join(found, from_type(given.type if given is not None else d.type))
        self.active.discard(name)
        self.memo[name] = found
        return found

    def row_result(self, body: ir.Bands, row: ir.BandRow) -> Abstract:
        """A row's result where the subject is read in it: only the subject's values the row holds count
        (`[60, 79] -> 50 + (c - 60)` gives 50 … 69, not what the formula gives over every c)."""
        subject = _subject_name(body.subject)
        region = row.condition
        if subject is None or not isinstance(region, cond.Range):
            return self.expr(row.result)
        whole = self.expr(body.subject)
        if not isinstance(whole, Num):
            return self.expr(row.result)
        narrowed = _within_range(whole, region)
        if narrowed is None:
            return _UNREACHED  # no value of the subject reaches this row
        saved = self.narrowed.get(subject)
        self.narrowed[subject] = narrowed
        try:
            return self.expr(row.result)
        finally:
            if saved is None:
                self.narrowed.pop(subject, None)
            else:
                self.narrowed[subject] = saved

    def weight_part(self, name: str, part: str) -> Abstract:
        d = self.program.definition(name)
        if d is None or not isinstance(d.body, ir.WeightSet):
            return None
        found: list[Abstract] = []
        for branch in d.body.branches:
            holds = True if branch.condition is None else self.truth(branch.condition)
            if holds is False:
                continue
            found += [constant(weight) for item, weight in branch.parts if item == part]
            if holds is True:
                break
        return join_all(found)

    # ---------------------------------------------------------- expressions
    def truth(self, e: ir.Expr, scope: dict[str, Abstract] | None = None) -> bool | None:
        """True or False when the condition is decided under the scenario, else None."""
        value = self.expr(e, scope or {})
        if isinstance(value, Finite) and value.values in (TRUE.values, FALSE.values):
            return bool(next(iter(value.values)))
        return None

    def expr(self, e: ir.Expr, scope: dict[str, Abstract] | None = None) -> Abstract:
        try:
            return self._expr(e, scope or {})
        except (ArithmeticError, ValueError):
            return None

    def _expr(self, e: ir.Expr, scope: dict[str, Abstract]) -> Abstract:
        if isinstance(e, ir.Const):
            return exact(e.value)
        if self.narrowed and _subject_name(e) in self.narrowed:
            return self.narrowed[_subject_name(e)]  # type: ignore[index]
        if isinstance(e, ir.Read):
            if e.scope == "item":  # the item a definition per item computes: any item of its list
                return from_type(e.type)
            return scope.get(e.name) if e.scope == "local" else self.name(e.name)
        if isinstance(e, ir.Present) and e.subject is not None:
            return BOTH if _may_lack(self.program, e) else TRUE
        if isinstance(e, ir.Present):
            if e.name in self.scenario:
                return TRUE
            d = self.program.definition(e.name)
            given = self.inputs.get(e.name)
            if d is not None:
                return BOTH if d.applies is not None or d.suppliable else TRUE
            return BOTH if given is None or given.optional else TRUE
        if isinstance(e, ir.WeightPart):
            return self.weight_part(e.weights, e.part)
        if isinstance(e, ir.Field) and e.definition is not None:
            return self.definition(e.definition)  # the same on every item: over the item's whole domain
        if isinstance(e, ir.Field):
            subject = self.expr(e.subject, scope)
            return dict(subject.fields).get(e.name) if isinstance(subject, Record) else None
        if isinstance(e, ir.Not):
            operand = self.expr(e.operand, scope)
            return Finite(frozenset(not v for v in operand.values)) if isinstance(operand, Finite) else BOTH
        if isinstance(e, ir.Negate):
            operand = self.expr(e.operand, scope)
            return negate(operand) if isinstance(operand, Num) else None
        if isinstance(e, ir.Arith):
            left, right = self.expr(e.left, scope), self.expr(e.right, scope)
            if not (isinstance(left, Num) and isinstance(right, Num)):
                return None
            if e.op == "+":
                return add(left, right)
            if e.op == "-":
                return add(left, negate(right))
            return multiply(left, right) if e.op == "*" else divide(left, right)
        if isinstance(e, ir.Logic):
            left, right = self.expr(e.left, scope), self.expr(e.right, scope)
            lv = left.values if isinstance(left, Finite) else BOTH.values
            rv = right.values if isinstance(right, Finite) else BOTH.values
            combine = (lambda x, y: x and y) if e.op == "and" else (lambda x, y: x or y)
            return Finite(frozenset(combine(x, y) for x in lv for y in rv))
        if isinstance(e, ir.Compare):
            return _compare(e, self.expr(e.left, scope), self.expr(e.right, scope))
        if isinstance(e, ir.Choose):
            holds = self.truth(e.condition, scope)
            if holds is True:
                return self.expr(e.then, scope)
            if holds is False:
                return self.expr(e.otherwise, scope)
            return join(self.expr(e.then, scope), self.expr(e.otherwise, scope))
        if isinstance(e, ir.Call):
            meaning = e.builtin.interval
            return meaning([self.expr(a, scope) for a in e.args], e.options) if meaning is not None else None
        if isinstance(e, ir.Reduce):
            return self._reduce(e, scope)
        if isinstance(e, ir.ListOf):
            return Items(join_all([self.expr(x, scope) for x in e.items]), len(e.items))
        return None

    def _reduce(self, e: ir.Reduce, scope: dict[str, Abstract]) -> Abstract:
        source = self.expr(e.items, scope)
        meaning = e.builtin.reduce_interval
        if not isinstance(source, Items) or meaning is None:
            return None
        item: Abstract = source.item
        if e.variable is not None and e.item is not None and not e.builtin.counts_only:
            item = self.expr(e.item, {**scope, e.variable: source.item})
        if source.length is None and source.most is not None:  # `at most N`: from none to N items
            return meaning(item, source.most, True, CallOptions())
        return meaning(item, source.length, e.where is not None, CallOptions())


def _subject_name(e: ir.Expr) -> str | None:
    """The name a table subject reads when it is just a name (an input, a definition, a value per item)."""
    if isinstance(e, ir.Read) and e.scope in ("input", "definition"):
        return e.name
    if isinstance(e, ir.Field) and e.definition is not None:
        return e.definition
    return None


_UNREACHED = Finite(frozenset({"<unreached>"}))  # a band row no value of its subject reaches


def _within_range(value: Num, region: cond.Range) -> Num | None:
    """The part of `value` inside `region` (open bounds taken as closed: a bound is never too tight)."""
    low, high = value.low, value.high
    if region.low is not None and (low is None or region.low > low):
        low = region.low
    if region.high is not None and (high is None or region.high < high):
        high = region.high
    points = None if value.points is None else frozenset(p for p in value.points if region.contains(p))
    if (low is not None and high is not None and low > high) or points == frozenset():
        return None
    return Num(low, high, value.step, points)


def _may_lack(program: ir.Program, e: ir.Present) -> bool:
    """Whether `given(x.f)` can be false: an optional field, or a definition per item with `when`."""
    record = e.subject.type if e.subject is not None else None
    if isinstance(record, t.RecordT):
        if e.name in record.optional:
            return True
        d = program.definition(".".join((*record.path, e.name)))
        return d is not None and d.applies is not None
    return True


def _compare(e: ir.Compare, left: Abstract, right: Abstract) -> Abstract:
    op = e.op
    if isinstance(left, Finite) and isinstance(right, Finite) and len(left.values) * len(right.values) <= MAX_POINTS * 4:
        outcomes = set()
        for x in left.values:
            for y in right.values:
                if op in ("=", "!="):
                    outcomes.add((x == y) == (op == "="))
                elif e.order is not None and x in e.order and y in e.order:
                    outcomes.add(_ordered(e.order.index(x), e.order.index(y), op))
                else:
                    return BOTH
        return Finite(frozenset(outcomes))
    if isinstance(left, Num) and isinstance(right, Num):
        if left.points is not None and right.points is not None and len(left.points) * len(right.points) <= MAX_POINTS * 4:
            return Finite(frozenset(_ordered(x, y, op) for x in left.points for y in right.points))
        if bounded(left) and bounded(right):
            assert left.low is not None and left.high is not None and right.low is not None and right.high is not None
            corners = {_ordered(a, b, op) for a in (left.low, left.high) for b in (right.low, right.high)}
            if op in ("=", "!=") or len(corners) > 1:
                definitely_apart = left.high < right.low or right.high < left.low
                if op in ("=", "!=") and definitely_apart:
                    return FALSE if op == "=" else TRUE
                return BOTH
            return Finite(frozenset(corners))
    return BOTH


def _ordered(x: Any, y: Any, op: str) -> bool:
    if op == "<":
        return bool(x < y)
    if op == "<=":
        return bool(x <= y)
    if op == ">":
        return bool(x > y)
    if op == ">=":
        return bool(x >= y)
    if op == "=":
        return bool(x == y)
    return bool(x != y)


def decimal_of(value: Abstract) -> Decimal | None:
    """The one number an abstract value holds, if it holds exactly one."""
    if isinstance(value, Num) and value.low is not None and value.low == value.high:
        return value.low
    return None
