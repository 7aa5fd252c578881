"""One interval arithmetic for the whole engine: what a number, label or list can hold.

A number is abstracted as a closed range with a grid (every value is a multiple of
`step`; integers have step 1, `places 2` has step 0.01, a continuous decimal has no
step), and, when few, the exact set of its possible values. Labels and booleans are
finite sets. A list is the abstraction of one item and, for a written list, its length.
`None` is "unknown": checks that need a bound skip it, so an unbounded range never turns
into a false alarm.

The range analysis, the column path (overflow and scale decisions), the diff's bounds and
the builtin table's interval implementations all compute here, in one precision: sums and
products are exact for every number the language admits; a quotient's bounds are rounded
outward (the low bound down, the high bound up), so a bound is never too tight.
"""

from __future__ import annotations

import math
from decimal import ROUND_CEILING, ROUND_FLOOR, Context, Decimal
from typing import Any, Union

from kinerja.semantics import types as t
from kinerja.semantics.values import ROUNDING_MODES
from kinerja.syntax.frozen import dataclass
from kinerja.syntax.limits import LIMITS

# Bounds are computed with 80 significant digits: exact for any sum or product of two
# numbers the language admits (see the limits in the README); quotients are rounded outward.
PRECISION = 80
_DOWN = Context(prec=PRECISION, rounding=ROUND_FLOOR)
_UP = Context(prec=PRECISION, rounding=ROUND_CEILING)

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
    """A list: the abstract value of one item and, for a written list, its length.

    `most` is a list type's `at most N`: any number of items from none to N.
    """

    item: Any
    length: int | None
    most: int | None = None


Abstract = Union[Num, Finite, Record, Items, None]
BOTH = Finite(frozenset({True, False}))
TRUE = Finite(frozenset({True}))
FALSE = Finite(frozenset({False}))


def constant(value: Decimal) -> Num:
    return Num(value, value, abs(value), frozenset({value}))


def dec_gcd(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None or b is None:
        return None
    if a == b:
        return a  # (the usual case: joining values on one grid)
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
        return Items(from_type(typ.item), None, typ.max_items)
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
    if a is None or b is None:
        return None
    if b <= a:
        return a
    both = a | b
    return None if len(both) > MAX_POINTS else both


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
    low, high = _DOWN.add(a.low, b.low), _UP.add(a.high, b.high)
    return Num(low, high, dec_gcd(a.step, b.step), _pointwise(a, b, lambda x, y: _UP.add(x, y)))


def negate(a: Num) -> Num:
    low = None if a.high is None else -a.high
    high = None if a.low is None else -a.low
    points = None if a.points is None else frozenset(-x for x in a.points)
    return Num(low, high, a.step, points)


def multiply(a: Num, b: Num) -> Abstract:
    if not (bounded(a) and bounded(b)):
        return None
    assert a.low is not None and a.high is not None and b.low is not None and b.high is not None
    pairs = [(a.low, b.low), (a.low, b.high), (a.high, b.low), (a.high, b.high)]
    step = None if a.step is None or b.step is None else _UP.multiply(a.step, b.step)
    low = min(_DOWN.multiply(x, y) for x, y in pairs)
    high = max(_UP.multiply(x, y) for x, y in pairs)
    return Num(low, high, step, _pointwise(a, b, lambda x, y: _UP.multiply(x, y)))


def divide(a: Num, b: Num) -> Abstract:
    if not (bounded(a) and bounded(b)):
        return None
    assert a.low is not None and a.high is not None and b.low is not None and b.high is not None
    if b.low <= 0 <= b.high:
        return None  # the divisor may be zero: no bound worth reporting on
    pairs = [(a.low, b.low), (a.low, b.high), (a.high, b.low), (a.high, b.high)]
    return Num(min(_DOWN.divide(x, y) for x, y in pairs), max(_UP.divide(x, y) for x, y in pairs), None)


def subtract(a: Num, b: Num) -> Abstract:
    return add(a, negate(b))


def divide_where_defined(a: Num, b: Num) -> Abstract:
    """The quotient's range over the rows where it exists (the divisor is not 0).

    Unlike `divide`, a divisor whose range holds 0 still gives a bound when it lies on a
    grid (`step`): its smallest non-zero magnitude is then the step. The column path sizes
    its integers with this; a division by 0 itself is an evaluation error there, not a value.
    """
    found = divide(a, b)
    if found is not None or not (bounded(a) and bounded(b)) or not b.step:
        return found
    assert a.low is not None and a.high is not None and b.low is not None and b.high is not None
    top = _UP.divide(max(abs(a.low), abs(a.high)), b.step)
    low = -top if a.low < 0 or b.low < 0 else Decimal(0)
    high = top if a.high > 0 or b.low < 0 else Decimal(0)
    return Num(low, high, None)


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
    rounding = ROUNDING_MODES[mode]
    points = None if a.points is None else frozenset(p.quantize(quantum, rounding=rounding) for p in a.points)
    return Num(a.low.quantize(quantum, rounding=rounding), a.high.quantize(quantum, rounding=rounding), quantum, points)


def exact(value: Any) -> Abstract:
    """The abstraction of one known value."""
    if isinstance(value, Decimal) and not isinstance(value, bool):
        return constant(value)
    return Finite(frozenset({value}))
