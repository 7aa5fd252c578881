"""The column path's values: compiled nodes over whole columns, and the run-time context.

A node is a function of the context `Ctx` (the columns computed so far) that gives an
array and an error mask: the rows where the single-record path would fail at that node
(a table with no matching row, an absent optional input read, a division by zero). The
kind of a node says how its array encodes values:

- `Num`: an exact rational per row, `numerator / 10**scale / den`: the numerator an int64
  array, `den` a positive constant or a per-row column (`Den`). Most numbers have
  `den == 1` and are plain fixed point (`places 2`: hundredths). Each Num carries its
  range (an `intervals.Num`, from kinerja.semantics.intervals), from which every overflow
  decision is taken before anything runs, and what the scalar evaluator's 40-digit decimal
  context makes of it (`Exactness`);
- `Bool`: a bool array;
- `Lab`: int codes into `universe` (-1: not given);
- `Weights`: the parts of a weight set, each a Num;
- `Items`: the items of a list (a list input as padded 2-D columns, or a written list).

Arrays may be Python scalars that broadcast (a constant). Nodes inside an aggregate body
compute on 2-D arrays (rows × items); everything outside works on 1-D arrays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from fractions import Fraction
from typing import Any, Union

import numpy as np
from kinerja.semantics import intervals as iv
from kinerja.syntax.frozen import dataclass

LIMIT = 2**62  # every numerator stays below this in magnitude, so one addition cannot overflow int64
ABSENT_CODE = -1  # a label or boolean code for "not given"
NUMBER_ABSENT = np.iinfo(np.int64).min  # an encoded number that is not given

Mask = Union[np.ndarray, None]  # a bool array, or None for "never"
Array = Any  # an ndarray, or a Python scalar that broadcasts


class Unsupported(Exception):
    """The ruleset uses something the column path does not compile."""


class Absence:
    """Rows where each optional input (or `when` definition) holds nothing.

    A mask can be left to be worked out on first use: when every reader of an input is a
    lookup table (kinerja.vector.lut), which sees absence in the codes themselves, the
    mask is never built.
    """

    def __init__(self) -> None:
        self._masks: dict[str, Mask] = {}
        self._pending: dict[str, Callable[[], Mask]] = {}

    def get(self, name: str) -> Mask:
        pending = self._pending.pop(name, None)
        if pending is not None:
            self._masks[name] = pending()
        return self._masks.get(name)

    def __setitem__(self, name: str, mask: Mask) -> None:
        self._pending.pop(name, None)
        self._masks[name] = mask

    def defer(self, name: str, compute: Callable[[], Mask]) -> None:
        self._masks.pop(name, None)
        self._pending[name] = compute


class Ctx:
    """The run-time state of one evaluation over `rows` rows."""

    def __init__(self, rows: int):
        self.rows = rows
        self.values: dict[str, Array] = {}  # inputs and steps computed so far
        self.absent = Absence()  # optional inputs: rows where not given
        self.cache: dict[object, Any] = {}  # shared sub-results within one evaluation


Fn = Callable[[Ctx], tuple[Array, Mask]]
Inexact = Callable[[Ctx], Mask]  # rows where the scalar evaluator's decimal differs from the exact value


class Const:
    """A literal's function: it reads nothing, and a choice folds it into a lookup table."""

    def __init__(self, value: Any):
        self.value = value

    def __call__(self, ctx: Ctx) -> tuple[Array, Mask]:
        return self.value, None


@dataclass(frozen=True)
class Exactness:
    """How the scalar evaluator's 40-digit decimal relates to the exact value of a number.

    - `kind == "exact"`: equal on every row (sums and products of inputs, rounded values);
    - `kind == "once"`: one quotient of exact operands, which the scalar path rounds once,
      half-even at the 40th digit: equal wherever the quotient ends, and its text is that
      rounding (`decimal` of the exact value in the evaluator's context) elsewhere;
    - `kind == "composite"`: arithmetic on such quotients: within `error` of the exact
      value, equal on rows where `inexact` is false.

    `error` bounds |scalar − exact| on every row; a decision (rounding, comparison, band
    lookup) on a number is taken from the exact value only when `error` is smaller than the
    distance from any value to a boundary it is not on (checked at compile time).
    """

    kind: str = "exact"
    error: Fraction = Fraction(0)
    inexact: Inexact | None = field(default=None, compare=False)


EXACT = Exactness()


@dataclass
class Node:
    fn: Fn


@dataclass
class Den:
    """A per-row denominator: positive where the row is not in error."""

    fn: Fn
    high: int  # the largest value it can take


@dataclass
class Num(Node):
    scale: int
    bounds: iv.Num  # the range of the exact value (both ends known)
    den: int | Den = 1
    exactness: Exactness = EXACT
    top: Fraction | None = None  # a bound on the numerator tighter than range × 10**scale × den, when known

    def __post_init__(self) -> None:
        if self.bounds.low is None or self.bounds.high is None:
            raise Unsupported("a number without a known range")
        found = magnitude(self.bounds) * 10**self.scale * self.den_high
        self.top = found if self.top is None else min(self.top, found)
        if self.top >= LIMIT:
            raise Unsupported(f"a value up to {magnitude(self.bounds)} at scale {self.scale} could overflow 64-bit integers")

    @property
    def den_high(self) -> int:
        return self.den if isinstance(self.den, int) else self.den.high

    @property
    def constant(self) -> Any:
        """The value of a literal number (the builtin table's vector meanings read it), else None."""
        if isinstance(self.fn, Const) and self.den == 1 and isinstance(self.fn.value, int):
            return Fraction(self.fn.value, 10**self.scale)
        return None


@dataclass
class Bool(Node):
    pass


@dataclass
class Lab(Node):
    universe: tuple[str, ...]  # codes index this


@dataclass
class Weights(Node):
    parts: dict[str, Num] = field(default_factory=dict)


@dataclass
class Record(Node):
    """One item of a list of records inside an aggregate: its fields, each a 2-D node."""

    fields: dict[str, Node] = field(default_factory=dict)
    path: str = ""  # the list path its items belong to (`iki`), which names its values per item (`iki.nilai`)
    # A record picked from a list (`top(h for h in …)`): per parent, the position of the chosen item along
    # the list's last axis, with the pick's errors; its fields and values per item are gathered there.
    pick: Fn | None = None
    level: int = 0  # a picked record: the depth of the list it was picked from (its values per item live there)
    axes: int = 0  # a picked record read deeper than where it was picked: axes its gathered values gain


@dataclass
class Items(Node):
    """The items of a list.

    `nodes` for a written list (`[a, b, c]`, each a row-level node); otherwise a list input:
    `record` holds its fields as 2-D nodes and `fn` gives the bool mask (rows × width) of the
    items each row really has.
    """

    nodes: list[Node] | None = None
    record: Record | None = None
    max_items: int = 0


# ------------------------------------------------------------------ magnitudes
def magnitude(bounds: iv.Num) -> Fraction:
    assert bounds.low is not None and bounds.high is not None
    return max(abs(Fraction(bounds.low)), abs(Fraction(bounds.high)))


# ------------------------------------------------------------------ mask helpers
def either(a: Mask, b: Mask) -> Mask:
    if a is None:
        return b
    if b is None:
        return a
    return a | b


def within(where: Array, err: Mask) -> Mask:
    """The errors of a part evaluated only on rows `where`."""
    if err is None or where is False:
        return None
    if where is True:
        return err
    return err & where


def cached(ctx: Ctx, key: object, f: Callable[[Ctx], Any]) -> Any:
    if key not in ctx.cache:
        ctx.cache[key] = f(ctx)
    return ctx.cache[key]


def reader(name: str) -> Fn:
    return lambda ctx: (ctx.values[name], None)


def constant_of(node: Node) -> Any:
    """The code of a node that is a literal (it reads nothing), else None."""
    if isinstance(node, (Num, Lab, Bool)) and isinstance(node.fn, Const) and isinstance(node.fn.value, (int, bool, np.integer)):
        if isinstance(node, Num) and node.den != 1:
            return None
        return node.fn.value
    return None


def with_fn(node: Node, fn: Fn) -> Node:
    """The same kind of node (same scale, universe, bounds) computed by `fn`."""
    if isinstance(node, Num):
        return Num(fn, node.scale, node.bounds, node.den, node.exactness, node.top)
    if isinstance(node, Lab):
        return Lab(fn, node.universe)
    if isinstance(node, Bool):
        return Bool(fn)
    if isinstance(node, Record) and node.pick is not None:  # a picked record: `fn` gives the chosen positions
        return Record(fn, node.fields, node.path, fn, node.level, node.axes)
    raise Unsupported(f"a value of kind {type(node).__name__} here")
