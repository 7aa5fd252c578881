"""Abstract values for static analysis: what a name can hold, for every input.

A number is abstracted as a closed range with a grid (every value is a
multiple of `step`; integers have step 1, `places 2` has step 0.01, a
continuous decimal has no step). Labels and booleans are finite sets.
Anything the analysis cannot bound is `None`, and checks that need it are
skipped: an unbounded range must never turn into a false alarm.

The evaluator works under a *scenario*: a fixed value for a few discrete
inputs (booleans, labels), so that weight branches, `if` and guards are
decided instead of joined (joining the 60:40 and 70:30 branches of one weight
set would wrongly stretch 0..120 to 0..132).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any, Union

from kinerja.eval.compile import ROUNDING
from kinerja.semantics import types as t
from kinerja.semantics.check import CheckedRuleset
from kinerja.syntax import tree as s
from kinerja.syntax.limits import LIMITS

MAX_POINTS = 64


@dataclass(frozen=True)
class Num:
    low: Decimal | None  # None: unbounded below
    high: Decimal | None  # None: unbounded above
    step: Decimal | None  # values are multiples of step; None: continuous; 0: exactly 0
    points: frozenset[Decimal] | None = None  # the exact values, when few


@dataclass(frozen=True)
class Finite:
    values: frozenset[Any]  # labels (str) or booleans


@dataclass(frozen=True)
class Record:
    fields: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class Items:
    """A list: the abstract value of one item and, for a written list, its length."""

    item: Any
    length: int | None


Abstract = Union[Num, Finite, Record, Items, None]
BOTH = Finite(frozenset({True, False}))
TRUE = Finite(frozenset({True}))
FALSE = Finite(frozenset({False}))


def constant(value: Decimal) -> Num:
    return Num(value, value, abs(value), frozenset({value}))


def dec_gcd(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None or b is None:
        return None
    if a == 0:
        return b
    if b == 0:
        return a
    # On the digits and exponents: scaling both to integers would cost as much as the exponent is
    # large (a `places 300000` grid took seconds); the power of ten is taken modulo the other side.
    _, a_digits, a_exp = a.as_tuple()
    _, b_digits, b_exp = b.as_tuple()
    assert isinstance(a_exp, int) and isinstance(b_exp, int)
    if a_exp < b_exp:
        a_digits, a_exp, b_digits, b_exp = b_digits, b_exp, a_digits, a_exp
    high, low = int("".join(map(str, a_digits))), int("".join(map(str, b_digits)))  # high × 10^a_exp, low × 10^b_exp
    common = math.gcd(low, high * pow(10, a_exp - b_exp, low) % low)
    return Decimal((0, tuple(int(c) for c in str(common)), b_exp))


def from_type(typ: t.Type) -> Abstract:
    if isinstance(typ, t.NumberT):
        step = Decimal(1) if typ.integer else (Decimal(1).scaleb(-typ.places) if typ.places is not None else None)
        return Num(typ.low, typ.high, step)
    if isinstance(typ, t.BoolT):
        return BOTH
    if isinstance(typ, t.LabelT):
        return Finite(frozenset(typ.labels))
    if isinstance(typ, t.ListT):
        return Items(from_type(typ.item), None)
    if isinstance(typ, t.RecordT):
        return Record(tuple((n, from_type(ft)) for n, ft in typ.fields))
    return None


def join(a: Abstract, b: Abstract) -> Abstract:
    if isinstance(a, Num) and isinstance(b, Num):
        low = None if a.low is None or b.low is None else min(a.low, b.low)
        high = None if a.high is None or b.high is None else max(a.high, b.high)
        points = _union_points(a.points, b.points)
        return Num(low, high, dec_gcd(a.step, b.step), points)
    if isinstance(a, Finite) and isinstance(b, Finite):
        return Finite(a.values | b.values)
    return None


def join_all(values: list[Abstract]) -> Abstract:
    if not values:
        return None
    found = values[0]
    for v in values[1:]:
        found = join(found, v)
    return found


def _union_points(a: frozenset[Decimal] | None, b: frozenset[Decimal] | None) -> frozenset[Decimal] | None:
    if a is None or b is None or len(a | b) > MAX_POINTS:
        return None
    return a | b


def _pointwise(a: Num, b: Num, op: Any) -> frozenset[Decimal] | None:
    if a.points is None or b.points is None or len(a.points) * len(b.points) > MAX_POINTS * 4:
        return None
    found = frozenset(op(x, y) for x in a.points for y in b.points)
    return found if len(found) <= MAX_POINTS else None


def bounded(v: Abstract) -> bool:
    return isinstance(v, Num) and v.low is not None and v.high is not None


def add(a: Num, b: Num) -> Abstract:
    if not (bounded(a) and bounded(b)):
        return None
    assert a.low is not None and a.high is not None and b.low is not None and b.high is not None
    return Num(a.low + b.low, a.high + b.high, dec_gcd(a.step, b.step), _pointwise(a, b, lambda x, y: x + y))


def negate(a: Num) -> Num:
    low = None if a.high is None else -a.high
    high = None if a.low is None else -a.low
    points = None if a.points is None else frozenset(-x for x in a.points)
    return Num(low, high, a.step, points)


def multiply(a: Num, b: Num) -> Abstract:
    if not (bounded(a) and bounded(b)):
        return None
    assert a.low is not None and a.high is not None and b.low is not None and b.high is not None
    products = [a.low * b.low, a.low * b.high, a.high * b.low, a.high * b.high]
    step = None if a.step is None or b.step is None else a.step * b.step
    return Num(min(products), max(products), step, _pointwise(a, b, lambda x, y: x * y))


def divide(a: Num, b: Num) -> Abstract:
    if not (bounded(a) and bounded(b)):
        return None
    assert a.low is not None and a.high is not None and b.low is not None and b.high is not None
    if b.low <= 0 <= b.high:
        return None  # the divisor may be zero: no bound worth reporting on
    quotients = [a.low / b.low, a.low / b.high, a.high / b.low, a.high / b.high]
    return Num(min(quotients), max(quotients), None)


def minimum(values: list[Num]) -> Abstract:
    lows = [v.low for v in values]
    highs = [v.high for v in values]
    low = None if any(x is None for x in lows) else min(x for x in lows if x is not None)
    high = None if all(x is None for x in highs) else min(x for x in highs if x is not None)
    step: Decimal | None = values[0].step
    points = values[0].points
    for v in values[1:]:
        step = dec_gcd(step, v.step)
        points = _union_points(points, v.points)
    return Num(low, high, step, None if points is None else frozenset(p for p in points if _within(p, low, high)))


def maximum(values: list[Num]) -> Abstract:
    flipped = minimum([negate(v) for v in values])
    return negate(flipped) if isinstance(flipped, Num) else None


def _within(x: Decimal, low: Decimal | None, high: Decimal | None) -> bool:
    return (low is None or x >= low) and (high is None or x <= high)


def round_to(a: Num, places: int, mode: str) -> Abstract:
    if not bounded(a) or abs(places) > LIMITS.places:  # evaluation refuses such places (K720)
        return None
    assert a.low is not None and a.high is not None
    quantum = Decimal(1).scaleb(-places)
    rounding = ROUNDING[mode]
    points = None if a.points is None else frozenset(p.quantize(quantum, rounding=rounding) for p in a.points)
    return Num(a.low.quantize(quantum, rounding=rounding), a.high.quantize(quantum, rounding=rounding), quantum, points)


class Evaluator:
    """Abstract evaluation of every definition under one scenario."""

    def __init__(self, checked: CheckedRuleset, scenario: dict[str, Any]):
        self.checked = checked
        self.scenario = scenario
        self.memo: dict[str, Abstract] = {}
        self.active: set[str] = set()
        if checked.chain_height > LIMITS.nesting:
            # definitions nest deeper than one expression may: evaluate them in order (what each
            # reads first), so no evaluation recurses through the whole chain
            for name in checked.order:
                self.definition(name)

    # ---------------------------------------------------------- names
    def name(self, name: str) -> Abstract:
        if name in self.scenario:
            return _exact(self.scenario[name])
        checked = self.checked
        if name in checked.definitions:
            return self.definition(name)
        if name in checked.inputs:
            return from_type(checked.types.get(name, t.ERROR))
        return None

    def definition(self, name: str) -> Abstract:
        if name in self.memo:
            return self.memo[name]
        if name in self.active:
            return None
        self.active.add(name)
        decl = self.checked.definitions[name]
        found: Abstract
        if isinstance(decl, s.ValueDecl):
            found = self.expr(decl.expr, {})
            declared = self.checked.types.get(name)
            if found is None and isinstance(declared, t.NumberT) and declared.low is not None and declared.high is not None:
                found = from_type(declared)
        elif isinstance(decl, s.TableDecl):
            results = [self.expr(row.result, {}) for row in decl.rows if row.guard is None or self.truth(row.guard) is not False]
            found = join_all(results)
        elif isinstance(decl, s.QuadrantDecl):
            found = join_all([self.expr(c.value, {}) for r in decl.rows for c in r.cells if c.value is not None])
        else:
            found = None  # weight sets are read through their parts only
        for exception in self.checked.exceptions.get(name, ()):
            if self.truth(exception.condition) is not False:
                found = join(found, self.expr(exception.result, {}))
        if name in self.checked.suppliable:
            found = join(found, from_type(self.checked.types.get(name, t.ERROR)))
        self.active.discard(name)
        self.memo[name] = found
        return found

    def weight_part(self, decl: s.WeightsDecl, part: str) -> Abstract:
        found: list[Abstract] = []
        for branch in decl.branches:
            holds = True if branch.condition is None else self.truth(branch.condition)
            if holds is False:
                continue
            found += [constant(item.weight) for item in branch.items if item.name == part]
            if holds is True:
                break
        return join_all(found)

    # ---------------------------------------------------------- expressions
    def truth(self, e: s.Expr, scope: dict[str, Abstract] | None = None) -> bool | None:
        """True or False when the condition is decided under the scenario, else None."""
        value = self.expr(e, scope or {})
        if isinstance(value, Finite) and value.values in (TRUE.values, FALSE.values):
            return next(iter(value.values))
        return None

    def expr(self, e: s.Expr, scope: dict[str, Abstract]) -> Abstract:
        try:
            return self._expr(e, scope)
        except (ArithmeticError, ValueError):
            return None

    def _expr(self, e: s.Expr, scope: dict[str, Abstract]) -> Abstract:
        if isinstance(e, s.NumberLit):
            return constant(e.value)
        if isinstance(e, (s.StringLit, s.BoolLit)):
            return Finite(frozenset({e.value}))
        if isinstance(e, s.Name):
            return scope[e.name] if e.name in scope else self.name(e.name)
        if isinstance(e, s.Member):
            if isinstance(e.subject, s.Name) and e.subject.name not in scope:
                decl = self.checked.definitions.get(e.subject.name)
                if isinstance(decl, s.WeightsDecl):
                    return self.weight_part(decl, e.field_name)
            subject = self.expr(e.subject, scope)
            return dict(subject.fields).get(e.field_name) if isinstance(subject, Record) else None
        if isinstance(e, s.Unary):
            operand = self.expr(e.operand, scope)
            if e.op == "not":
                return Finite(frozenset(not v for v in operand.values)) if isinstance(operand, Finite) else BOTH
            return negate(operand) if isinstance(operand, Num) else None
        if isinstance(e, s.Binary):
            return self._binary(e, scope)
        if isinstance(e, s.IfThenElse):
            holds = self.truth(e.condition, scope)
            if holds is True:
                return self.expr(e.then, scope)
            if holds is False:
                return self.expr(e.otherwise, scope)
            return join(self.expr(e.then, scope), self.expr(e.otherwise, scope))
        if isinstance(e, s.Call):
            return self._call(e, scope)
        if isinstance(e, s.Aggregate):
            return self._aggregate(e, scope)
        if isinstance(e, s.ListLit):
            return Items(join_all([self.expr(x, scope) for x in e.items]), len(e.items))
        return None

    def _binary(self, e: s.Binary, scope: dict[str, Abstract]) -> Abstract:
        left = self.expr(e.left, scope)
        right = self.expr(e.right, scope)
        if e.op in ("and", "or"):
            lv = left.values if isinstance(left, Finite) else BOTH.values
            rv = right.values if isinstance(right, Finite) else BOTH.values
            op = (lambda x, y: x and y) if e.op == "and" else (lambda x, y: x or y)
            return Finite(frozenset(op(x, y) for x in lv for y in rv))
        if e.op in ("+", "-", "*", "/"):
            if not (isinstance(left, Num) and isinstance(right, Num)):
                return None
            if e.op == "+":
                return add(left, right)
            if e.op == "-":
                return add(left, negate(right))
            return multiply(left, right) if e.op == "*" else divide(left, right)
        return self._compare(e, left, right)

    def _compare(self, e: s.Binary, left: Abstract, right: Abstract) -> Abstract:
        op = e.op
        if isinstance(left, Finite) and isinstance(right, Finite) and len(left.values) * len(right.values) <= MAX_POINTS * 4:
            order = _order(self.checked.type_of(e.left)) or _order(self.checked.type_of(e.right))
            outcomes = set()
            for x in left.values:
                for y in right.values:
                    if op in ("=", "!="):
                        outcomes.add((x == y) == (op == "="))
                    elif order is not None and x in order and y in order:
                        outcomes.add(_ordered(order.index(x), order.index(y), op))
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

    def _call(self, e: s.Call, scope: dict[str, Abstract]) -> Abstract:
        name = e.function
        if name == "given":
            arg = e.args[0] if e.args else None
            if isinstance(arg, s.Name) and arg.name in self.scenario:
                return TRUE
            decl = self.checked.inputs.get(arg.name) if isinstance(arg, s.Name) else None
            return BOTH if decl is None or (decl.optional and decl.default is None) else TRUE
        if name == "rank":
            typ = self.checked.type_of(e.args[0]) if e.args else t.ERROR
            count = len(typ.labels) if isinstance(typ, t.LabelT) else None
            return Num(Decimal(1), Decimal(count), Decimal(1)) if count else None
        if name == "round":
            value = self.expr(e.args[0], scope)
            places = self.expr(e.args[1], scope)
            mode = e.args[2].name if isinstance(e.args[2], s.Name) else ""
            if isinstance(value, Num) and isinstance(places, Num) and places.low is not None and places.low == places.high:
                return round_to(value, int(places.low), mode)
            return None
        args = [self.expr(a, scope) for a in e.args]
        if len(args) == 1 and isinstance(args[0], Items):
            return _over_items(name, args[0])
        if not args or not all(isinstance(a, Num) for a in args):
            return None
        nums: list[Num] = [a for a in args if isinstance(a, Num)]
        if name == "min":
            return minimum(nums)
        if name == "max":
            return maximum(nums)
        if name == "clamp" and len(nums) == 3:
            raised = maximum([nums[0], nums[1]])
            return minimum([raised, nums[2]]) if isinstance(raised, Num) else None
        if name == "abs" and len(nums) == 1:
            x = nums[0]
            if x.low is not None and x.low >= 0:
                return x
            if x.high is not None and x.high <= 0:
                return negate(x)
            if x.low is None or x.high is None:
                return None
            return Num(Decimal(0), max(-x.low, x.high), x.step)
        if name in ("floor", "ceiling") and len(nums) == 1 and bounded(nums[0]):
            x = nums[0]
            assert x.low is not None and x.high is not None
            rounding = ROUND_FLOOR if name == "floor" else ROUND_CEILING
            return Num(x.low.to_integral_value(rounding), x.high.to_integral_value(rounding), Decimal(1))
        return None

    def _aggregate(self, e: s.Aggregate, scope: dict[str, Abstract]) -> Abstract:
        source = self.expr(e.source, scope)
        if not isinstance(source, Items):
            return None
        inner = dict(scope)
        inner[e.variable] = source.item
        length = source.length
        if e.function == "count":
            upper = Decimal(length) if length is not None else None
            return Num(Decimal(0), upper, Decimal(1)) if upper is not None else None
        item = self.expr(e.item, inner)
        if not isinstance(item, Num):
            return None
        if e.function == "sum":
            if length is None or not bounded(item):
                return None
            assert item.low is not None and item.high is not None
            low = min(Decimal(0), item.low * length) if e.where is not None else item.low * length
            high = max(Decimal(0), item.high * length) if e.where is not None else item.high * length
            return Num(low, high, item.step)
        if e.function in ("min", "max"):
            return Num(item.low, item.high, item.step, item.points)
        if e.function in ("mean", "weighted_mean"):
            return Num(item.low, item.high, None) if bounded(item) else None
        return None


def _over_items(name: str, items: Items) -> Abstract:
    item = items.item
    if not isinstance(item, Num):
        return None
    if name in ("min", "max"):
        return item
    if name == "mean":
        return Num(item.low, item.high, None) if bounded(item) else None
    if name == "sum" and items.length is not None and bounded(item):
        assert item.low is not None and item.high is not None
        return Num(item.low * items.length, item.high * items.length, item.step)
    if name == "count" and items.length is not None:
        return constant(Decimal(items.length))
    return None


def _exact(value: Any) -> Abstract:
    if isinstance(value, Decimal):
        return constant(value)
    return Finite(frozenset({value}))


def _order(typ: t.Type) -> tuple[str, ...] | None:
    return typ.labels if isinstance(typ, t.LabelT) and typ.ordered else None


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
