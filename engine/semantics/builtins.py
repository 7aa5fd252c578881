"""The builtin functions of the language, each declared once.

An entry says everything about one builtin: how it is written (its parameters and
signature), its type rule, and its meaning for every back-end — exact decimals (the
scalar evaluator), intervals (the range analysis, the diff's bounds and the column path's
overflow checks) and fixed-point columns (the column path). The checker, the lowering,
the scalar evaluator, the vector compiler, the range analysis, the formatter, the document
and the language server all read this table; none of them knows a builtin by name.
Adding a builtin is adding an entry here (and its tests and its line in the docs).

Parameter kinds:
- `number`: any number expression;
- `list`: one list (a list input, a written list); the builtin then reduces it;
- `scale`: a label of an ordered scale (`rank`);
- `rounding`: a rounding mode written as a bare word (`half_up`, …);
- `maybe_absent`: the name of an optional input or of a definition with `when` (`given`), or
  a field of an item that may be absent (`given(q.realisasi)`);
- `points`: a list of `{x, y}` records, the points of a piecewise-linear scale (`interpolate`).

A builtin whose parameters are all `number` can be variadic (`min`, `max`: at least one).
`min`, `max`, `sum`, `mean`, `count` and `weighted_mean` also reduce lists; those *list
forms* are separate entries (`form="list"`), chosen by the argument's type or by the
aggregate syntax `sum(x.a for x in xs where …)`.

`first`, `last`, `top` and `bottom` *pick* one item instead of combining them: their
entry's `pick` chooses an index from each kept item's sort keys (the keys written after
`by`, then the item's position), and the aggregate's expression is read from that item:
`top(h for h in hukuman where h.berlaku by rank(h.kategori), h.skor)` is the item with the
heaviest category, then the highest score, then the latest position.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Protocol

from kinerja.semantics import intervals as iv
from kinerja.semantics import types as t
from kinerja.semantics.values import ARITHMETIC, ROUNDING_MODES, value_text
from kinerja.syntax.frozen import dataclass
from kinerja.syntax.limits import LIMITS

if TYPE_CHECKING:
    import numpy as np


class EmptyReduction(ArithmeticError):
    """A reduction that has no value on an empty list (mean, min, max, weighted mean, a pick): K707."""


class Refused(ArithmeticError):
    """An argument a function refuses, as one coded evaluation error: `round` to more places than
    the documented limit (K720), or to a result beyond the arithmetic's precision (K721)."""

    def __init__(self, code: str, /, **args: Any):
        super().__init__(code)
        self.code, self.args_ = code, args


class OutsidePoints(ArithmeticError):
    """`interpolate(x, points)` with x below the first or above the last point: K709."""

    def __init__(self, value: Decimal, low: Decimal | None, high: Decimal | None):
        super().__init__(value)
        self.value, self.low, self.high = value, low, high


class VectorKit(Protocol):
    """What the column path offers a builtin's vector implementation (see kinerja.vector.compile).

    Nodes are the column compiler's exact number columns (fixed point, with a denominator
    where a quotient does not end), label codes and booleans; the kit keeps their scales,
    denominators and ranges, so an implementation only says what happens to the values.
    A list form's implementation receives one *collection*: the items its aggregate keeps
    (after `where`), with their values and weights.
    """

    def extreme(self, which: str, nodes: list[Any]) -> Any: ...

    def round(self, node: Any, places: int, mode: str) -> Any: ...

    def elementwise(self, node: Any, function: Callable[[np.ndarray], np.ndarray], bounds: iv.Abstract) -> Any:
        """`function` on the numerators; only for functions that commute with a positive factor (abs, negation).
        `bounds` None: the result's range is the builtin's interval meaning."""
        ...

    def rank(self, node: Any, labels: tuple[str, ...]) -> Any: ...

    def unsupported(self, reason: str) -> Any: ...

    def constant(self, value: Decimal) -> Any: ...

    def arith(self, op: str, left: Any, right: Any) -> Any:
        """`left op right` for op in + - * /, exactly (a division by zero is an error of that row)."""
        ...

    def total(self, items: Any, part: str = "value") -> Any:
        """The sum over a collection of its values ("value"), weights ("weight") or value × weight ("product")."""
        ...

    def count(self, items: Any) -> Any: ...

    def extreme_of(self, which: str, items: Any) -> Any:
        """The least ("min") or greatest ("max") value of a collection; an error of the row when it is empty."""
        ...

    def interpolate(self, x: Any, points: Any) -> Any:
        """The piecewise-linear scale through a list of {x, y} points at x, as `_interpolate` defines it (the
        last point at or below x and the first at or above, in the order of x); an error outside the points."""
        ...


ScalarFn = Callable[..., Any]  # values in, value out
IntervalFn = Callable[[list[iv.Abstract], "CallOptions"], iv.Abstract]
VectorFn = Callable[[VectorKit, list[Any], "CallOptions"], Any]
ReduceFn = Callable[[list[Any], list[Any] | None], Any]  # items, weights (weighted_mean only)
ItemsIntervalFn = Callable[[iv.Abstract, int | None, bool, "CallOptions"], iv.Abstract]  # item, length, filtered
PickFn = Callable[[list[tuple[Any, ...]]], int]  # each kept item's keys (its position last) -> the chosen index


@dataclass(frozen=True)
class CallOptions:
    """What a call fixes besides its argument values: the rounding mode, the scale's labels."""

    mode: str | None = None
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Param:
    kind: str  # number, list, scale, rounding, maybe_absent
    name: str  # as the signature shows it


@dataclass(frozen=True)
class Builtin:
    name: str
    params: tuple[Param, ...]
    result: Callable[[Sequence[t.Type]], t.Type]
    summary: str  # a catalogue code: one line of what it does, in the user's language
    form: str = "scalar"  # "scalar": values in, a value out; "list": reduces a list
    variadic: bool = False  # the last parameter repeats (at least once)
    decimal: ScalarFn | None = None  # scalar form: the exact meaning on values
    interval: IntervalFn | None = None  # scalar form: the meaning on abstract values
    vector: VectorFn | None = None  # the meaning on columns (None: such calls stay on the single-record path)
    reduce: ReduceFn | None = None  # list form: the meaning on the items (and weights)
    reduce_interval: ItemsIntervalFn | None = None  # list form: on an abstract item and a length
    weighted: bool = False  # list form: takes `by WEIGHT` in its aggregate syntax
    counts_only: bool = False  # list form: depends only on how many items there are, not on their values
    pick: PickFn | None = None  # list form that picks one item (first, last, top, bottom) instead of combining
    keyed: bool = False  # a pick ordered by keys written after `by` (top, bottom)

    @property
    def signature(self) -> str:
        parts = [f"{p.name}, …" if self.variadic and i == len(self.params) - 1 else p.name for i, p in enumerate(self.params)]
        if self.form == "list":
            by = " by weight" if self.weighted else ""
            if self.keyed:
                return f"{self.name}(item for x in list where condition by key, …)"
            return f"{self.name}(list) · {self.name}(item{by} for x in list where condition)"
        return f"{self.name}({', '.join(parts)})"

    @property
    def takes_options(self) -> bool:
        """Whether the decimal meaning also receives the call's `CallOptions` (a mode, a scale's labels)."""
        return any(p.kind in ("rounding", "scale") for p in self.params)

    @property
    def value_params(self) -> tuple[Param, ...]:
        """The parameters that are values at run time (a rounding mode is a word, not a value)."""
        return tuple(p for p in self.params if p.kind != "rounding")

    @property
    def arity(self) -> tuple[int, int | None]:
        """The least and the most arguments (None: no upper bound)."""
        if self.variadic:
            return len(self.params), None
        return len(self.params), len(self.params)


# ---------------------------------------------------------------- type rules


def _number_result(integer_when_all_integer: bool) -> Callable[[Sequence[t.Type]], t.Type]:
    def rule(args: Sequence[t.Type]) -> t.Type:
        integer = integer_when_all_integer and all(isinstance(a, t.NumberT) and a.integer for a in args)
        return t.NumberT(integer=integer)

    return rule


def _item_itself(args: Sequence[t.Type]) -> t.Type:
    """Picks: the type of the picked item (a number, a label, a record)."""
    return args[0] if args else t.ERROR


def _always(result: t.Type) -> Callable[[Sequence[t.Type]], t.Type]:
    return lambda args: result


def _item_number(integer_when_integer: bool) -> Callable[[Sequence[t.Type]], t.Type]:
    """List forms: the type of the reduced items (sum/min/max of integers are integers)."""

    def rule(args: Sequence[t.Type]) -> t.Type:
        item = args[0] if args else t.ERROR
        return t.NumberT(integer=integer_when_integer and isinstance(item, t.NumberT) and item.integer)

    return rule


# ---------------------------------------------------------------- scalar forms: meanings


def _min(*xs: Decimal) -> Decimal:
    return min(xs)


def _max(*xs: Decimal) -> Decimal:
    return max(xs)


def _clamp(x: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return min(max(x, low), high)


def _round(x: Decimal, places: Decimal, options: CallOptions) -> Decimal:
    """Places a whole number within the documented limit, the result within the arithmetic's
    precision; anything else is a named evaluation error, never `decimal`'s own."""
    assert options.mode is not None
    if not places.is_finite() or places != places.to_integral_value() or abs(places) > LIMITS.places:
        raise Refused("K720", places=value_text(places), limit=LIMITS.places)
    try:
        return x.quantize(Decimal((0, (1,), -int(places))), rounding=ROUNDING_MODES[options.mode], context=ARITHMETIC)
    except InvalidOperation:
        raise Refused("K721", value=value_text(x), places=int(places), digits=ARITHMETIC.prec) from None


def _rank(label: str, options: CallOptions) -> Decimal:
    return Decimal(options.labels.index(label) + 1)


def _nums(args: list[iv.Abstract]) -> list[iv.Num] | None:
    return [a for a in args if isinstance(a, iv.Num)] if all(isinstance(a, iv.Num) for a in args) else None


def _interval_min(args: list[iv.Abstract], options: CallOptions) -> iv.Abstract:
    nums = _nums(args)
    return iv.minimum(nums) if nums else None


def _interval_max(args: list[iv.Abstract], options: CallOptions) -> iv.Abstract:
    nums = _nums(args)
    return iv.maximum(nums) if nums else None


def _interval_clamp(args: list[iv.Abstract], options: CallOptions) -> iv.Abstract:
    nums = _nums(args)
    if not nums or len(nums) != 3:
        return None
    raised = iv.maximum(nums[:2])
    return iv.minimum([raised, nums[2]]) if isinstance(raised, iv.Num) else None


def _interval_abs(args: list[iv.Abstract], options: CallOptions) -> iv.Abstract:
    nums = _nums(args)
    if not nums:
        return None
    x = nums[0]
    if x.low is not None and x.low >= 0:
        return x
    if x.high is not None and x.high <= 0:
        return iv.negate(x)
    if x.low is None or x.high is None:
        return None
    return iv.Num(Decimal(0), max(-x.low, x.high), x.step)


def _interval_integral(rounding: str) -> IntervalFn:
    def rule(args: list[iv.Abstract], options: CallOptions) -> iv.Abstract:
        nums = _nums(args)
        if not nums or not iv.bounded(nums[0]):
            return None
        x = nums[0]
        assert x.low is not None and x.high is not None
        return iv.Num(x.low.to_integral_value(rounding), x.high.to_integral_value(rounding), Decimal(1))

    return rule


def _interval_round(args: list[iv.Abstract], options: CallOptions) -> iv.Abstract:
    value, places = args[0], args[1]
    if isinstance(value, iv.Num) and isinstance(places, iv.Num) and places.low is not None and places.low == places.high:
        assert options.mode is not None
        return iv.round_to(value, int(places.low), options.mode)
    return None


def _interval_rank(args: list[iv.Abstract], options: CallOptions) -> iv.Abstract:
    count = len(options.labels)
    return iv.Num(Decimal(1), Decimal(count), Decimal(1)) if count else None


def _vector_extreme(which: str) -> VectorFn:
    return lambda kit, nodes, options: kit.extreme(which, nodes)


def _vector_clamp(kit: VectorKit, nodes: list[Any], options: CallOptions) -> Any:
    return kit.extreme("min", [kit.extreme("max", nodes[:2]), nodes[2]])


def _vector_abs(kit: VectorKit, nodes: list[Any], options: CallOptions) -> Any:
    import numpy as np

    return kit.elementwise(nodes[0], np.abs, None)


def _vector_integral(mode: str) -> VectorFn:
    return lambda kit, nodes, options: kit.round(nodes[0], 0, mode)


def _vector_round(kit: VectorKit, nodes: list[Any], options: CallOptions) -> Any:
    places = getattr(nodes[1], "constant", None)
    if places is None or options.mode is None:
        return kit.unsupported("round() with computed places")
    return kit.round(nodes[0], int(places), options.mode)


def _vector_rank(kit: VectorKit, nodes: list[Any], options: CallOptions) -> Any:
    return kit.rank(nodes[0], options.labels)


# ---------------------------------------------------------------- list forms: meanings


def _sum(items: list[Any], weights: list[Any] | None = None) -> Decimal:
    total = Decimal(0)
    for x in items:
        total = ARITHMETIC.add(total, x)
    return total


def _mean(items: list[Any], weights: list[Any] | None = None) -> Decimal:
    if not items:
        raise EmptyReduction
    return ARITHMETIC.divide(_sum(items), Decimal(len(items)))


def _count(items: list[Any], weights: list[Any] | None = None) -> Decimal:
    return Decimal(len(items))


def _least(items: list[Any], weights: list[Any] | None = None) -> Any:
    if not items:
        raise EmptyReduction
    return min(items)


def _most(items: list[Any], weights: list[Any] | None = None) -> Any:
    if not items:
        raise EmptyReduction
    return max(items)


def _weighted_mean(items: list[Any], weights: list[Any] | None = None) -> Decimal:
    assert weights is not None
    total = _sum(weights)
    if not items or total == 0:
        raise EmptyReduction
    products = [ARITHMETIC.multiply(v, w) for v, w in zip(items, weights, strict=True)]
    return ARITHMETIC.divide(_sum(products), total)


def _pick_first(keys: list[tuple[Any, ...]]) -> int:
    if not keys:
        raise EmptyReduction
    return 0


def _pick_last(keys: list[tuple[Any, ...]]) -> int:
    if not keys:
        raise EmptyReduction
    return len(keys) - 1


def _pick_top(keys: list[tuple[Any, ...]]) -> int:
    """The largest keys; among equal keys the later item (the position is the last key)."""
    if not keys:
        raise EmptyReduction
    return max(range(len(keys)), key=lambda i: (*keys[i], i))


def _pick_bottom(keys: list[tuple[Any, ...]]) -> int:
    """The smallest keys; among equal keys the earlier item."""
    if not keys:
        raise EmptyReduction
    return min(range(len(keys)), key=lambda i: (*keys[i], i))


def _interpolate(x: Decimal, points: list[Any]) -> Decimal:
    """The piecewise-linear scale through the points, at x; exact except for a quotient that does not end."""
    ordered = sorted(((p["x"], p["y"]) for p in points), key=lambda point: point[0])
    below = [p for p in ordered if p[0] <= x]
    above = [p for p in ordered if p[0] >= x]
    if not below or not above:
        raise OutsidePoints(x, ordered[0][0] if ordered else None, ordered[-1][0] if ordered else None)
    (x0, y0), (x1, y1) = below[-1], above[0]
    if x1 == x0:
        return y0
    rise = ARITHMETIC.multiply(ARITHMETIC.subtract(y1, y0), ARITHMETIC.subtract(x, x0))
    return ARITHMETIC.add(y0, ARITHMETIC.divide(rise, ARITHMETIC.subtract(x1, x0)))


def _interval_interpolate(args: list[iv.Abstract], options: CallOptions) -> iv.Abstract:
    """Between the lowest and the highest y of the points (a value on a segment lies between its ends)."""
    points = args[1] if len(args) > 1 else None
    record = points.item if isinstance(points, iv.Items) else None
    y = dict(record.fields).get("y") if isinstance(record, iv.Record) else None
    if not isinstance(y, iv.Num) or not iv.bounded(y):
        return None
    return iv.Num(y.low, y.high, None)


def _items_picked(item: iv.Abstract, length: int | None, filtered: bool, options: CallOptions) -> iv.Abstract:
    return item


def _items_sum(item: iv.Abstract, length: int | None, filtered: bool, options: CallOptions) -> iv.Abstract:
    if length is None or not isinstance(item, iv.Num) or not iv.bounded(item):
        return None
    assert item.low is not None and item.high is not None
    low, high = item.low * length, item.high * length
    if filtered:  # a `where` may leave any number of the items
        low, high = min(Decimal(0), low), max(Decimal(0), high)
    return iv.Num(low, high, item.step)


def _items_count(item: iv.Abstract, length: int | None, filtered: bool, options: CallOptions) -> iv.Abstract:
    if length is None:
        return None
    return iv.Num(Decimal(0), Decimal(length), Decimal(1)) if filtered else iv.constant(Decimal(length))


def _items_extreme(item: iv.Abstract, length: int | None, filtered: bool, options: CallOptions) -> iv.Abstract:
    return item if isinstance(item, iv.Num) else None


def _items_mean(item: iv.Abstract, length: int | None, filtered: bool, options: CallOptions) -> iv.Abstract:
    if not isinstance(item, iv.Num) or not iv.bounded(item):
        return None
    return iv.Num(item.low, item.high, None)


def _vector_sum(kit: VectorKit, args: list[Any], options: CallOptions) -> Any:
    return kit.total(args[0])


def _vector_mean(kit: VectorKit, args: list[Any], options: CallOptions) -> Any:
    return kit.arith("/", kit.total(args[0]), kit.count(args[0]))  # an empty list divides by 0: K707's rows


def _vector_count(kit: VectorKit, args: list[Any], options: CallOptions) -> Any:
    return kit.count(args[0])


def _vector_extreme_of(which: str) -> VectorFn:
    return lambda kit, args, options: kit.extreme_of(which, args[0])


def _vector_interpolate(kit: VectorKit, args: list[Any], options: CallOptions) -> Any:
    return kit.interpolate(args[0], args[1])


def _vector_weighted_mean(kit: VectorKit, args: list[Any], options: CallOptions) -> Any:
    return kit.arith("/", kit.total(args[0], "product"), kit.total(args[0], "weight"))


# ---------------------------------------------------------------- the table

_NUMBER = Param("number", "x")

BUILTINS: tuple[Builtin, ...] = (
    Builtin("min", (Param("number", "x"),), _number_result(True), "BI_min", variadic=True,
            decimal=_min, interval=_interval_min, vector=_vector_extreme("min")),
    Builtin("max", (Param("number", "x"),), _number_result(True), "BI_max", variadic=True,
            decimal=_max, interval=_interval_max, vector=_vector_extreme("max")),
    Builtin("clamp", (Param("number", "x"), Param("number", "low"), Param("number", "high")), _number_result(True), "BI_clamp",
            decimal=_clamp, interval=_interval_clamp, vector=_vector_clamp),
    Builtin("abs", (_NUMBER,), _number_result(True), "BI_abs",
            decimal=abs, interval=_interval_abs, vector=_vector_abs),
    Builtin("floor", (_NUMBER,), _number_result(True), "BI_floor",
            decimal=lambda x: x.to_integral_value(rounding=ROUND_FLOOR), interval=_interval_integral(ROUND_FLOOR),
            vector=_vector_integral("floor")),
    Builtin("ceiling", (_NUMBER,), _number_result(True), "BI_ceiling",
            decimal=lambda x: x.to_integral_value(rounding=ROUND_CEILING), interval=_interval_integral(ROUND_CEILING),
            vector=_vector_integral("ceiling")),
    Builtin("round", (Param("number", "x"), Param("number", "places"), Param("rounding", "|".join(ROUNDING_MODES))),
            _always(t.NUMBER), "BI_round", decimal=_round, interval=_interval_round, vector=_vector_round),
    Builtin("rank", (Param("scale", "label"),), _always(t.INTEGER), "BI_rank",
            decimal=_rank, interval=_interval_rank, vector=_vector_rank),
    Builtin("given", (Param("maybe_absent", "name"),), _always(t.BOOL), "BI_given"),
    Builtin("interpolate", (Param("number", "x"), Param("points", "points")), _always(t.NUMBER), "BI_interpolate",
            decimal=_interpolate, interval=_interval_interpolate, vector=_vector_interpolate),
    # list forms
    Builtin("sum", (Param("list", "list"),), _item_number(True), "BI_sum", form="list",
            reduce=_sum, reduce_interval=_items_sum, vector=_vector_sum),
    Builtin("mean", (Param("list", "list"),), _item_number(False), "BI_mean", form="list",
            reduce=_mean, reduce_interval=_items_mean, vector=_vector_mean),
    Builtin("count", (Param("list", "list"),), _always(t.INTEGER), "BI_count", form="list", counts_only=True,
            reduce=_count, reduce_interval=_items_count, vector=_vector_count),
    Builtin("min", (Param("list", "list"),), _item_number(True), "BI_min_list", form="list",
            reduce=_least, reduce_interval=_items_extreme, vector=_vector_extreme_of("min")),
    Builtin("max", (Param("list", "list"),), _item_number(True), "BI_max_list", form="list",
            reduce=_most, reduce_interval=_items_extreme, vector=_vector_extreme_of("max")),
    Builtin("weighted_mean", (Param("list", "list"),), _item_number(False), "BI_weighted_mean", form="list",
            weighted=True, reduce=_weighted_mean, reduce_interval=_items_mean, vector=_vector_weighted_mean),
    # picks: one item, read through the aggregate's expression
    Builtin("first", (Param("list", "list"),), _item_itself, "BI_first", form="list",
            pick=_pick_first, reduce_interval=_items_picked),
    Builtin("last", (Param("list", "list"),), _item_itself, "BI_last", form="list",
            pick=_pick_last, reduce_interval=_items_picked),
    Builtin("top", (Param("list", "list"),), _item_itself, "BI_top", form="list", keyed=True,
            pick=_pick_top, reduce_interval=_items_picked),
    Builtin("bottom", (Param("list", "list"),), _item_itself, "BI_bottom", form="list", keyed=True,
            pick=_pick_bottom, reduce_interval=_items_picked),
)  # fmt: skip

SCALAR: dict[str, Builtin] = {b.name: b for b in BUILTINS if b.form == "scalar"}
LISTS: dict[str, Builtin] = {b.name: b for b in BUILTINS if b.form == "list"}
NAMES: tuple[str, ...] = tuple(sorted({b.name for b in BUILTINS}))
# the builtin that turns a scale label into its position (what `top`/`bottom` sort a label key by)
RANK: Builtin = next(b for b in BUILTINS if b.params and b.params[0].kind == "scale")


def lookup(name: str, list_argument: bool) -> Builtin | None:
    """The entry a call names: its list form when its one argument is a list, else its scalar form."""
    if list_argument and name in LISTS:
        return LISTS[name]
    return SCALAR.get(name) or LISTS.get(name)


def is_builtin(name: str) -> bool:
    return name in SCALAR or name in LISTS
