"""Compile a checked ruleset into column operations on numpy arrays (the vector path's core).

Every number is an int64 array of fixed-point counts: a node of `scale` 3 holds
thousandths. The scale of each node and the bounds of its value are fixed at
compile time from the declared input ranges, so an overflow is ruled out before
anything runs: a node whose bound times its scale could pass 2**62 makes the
compiler give up (`Unsupported`) and the ruleset is left to the single-record
path. A row on which the single-record path would fail (a table with no
matching row, an absent optional input read, a quotient that does not end
within the chosen scale) is flagged in an error mask and later declined.

Nodes compute on every row, including rows where the single-record path would
never evaluate them (the untaken side of an `if`): values there are garbage, and
an error there is only counted where the single-record path would have got to
it. No text of the ruleset is evaluated; the closures are built from the tree.

A definition with `when C` is computed on every row too, but its errors count only
where C holds (C's own errors count everywhere: the single-record path always
evaluates it). Where C is false the plan marks the definition absent in `Ctx.absent`,
exactly like an optional input that is not given: readers that need it decline the
row (the single-record path fails with K708 there), `given()` reads the same mask,
and a label step stores the absent code so lookup tables see absence in the codes.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Context, Decimal
from typing import Any, Union

import numpy as np
from kinerja.semantics import types as t
from kinerja.semantics.check import CheckedRuleset
from kinerja.syntax import tree as s

LIMIT = 2**62  # every scaled magnitude stays below this, so one addition cannot overflow int64
EXACT = Context(prec=200)  # bound arithmetic: exact for anything that passes LIMIT
ABSENT_CODE = -1  # a label or boolean code for "not given"
NUMBER_ABSENT = np.iinfo(np.int64).min  # an encoded number that is not given

Mask = Union[np.ndarray, None]  # a bool array, or None for "never"
Array = Any  # an ndarray, or a Python scalar that broadcasts


class Unsupported(Exception):
    """The ruleset uses something the vector path does not compile."""


class Absence:
    """Rows where each optional input is not given. A mask can be left to be worked out on first use:
    when every reader of an input is a lookup table (engine/vector_lut.py), which sees absence in the
    codes themselves, the mask is never built."""

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


Fn = Callable[[Ctx], tuple[Array, Mask]]


@dataclass
class Node:
    fn: Fn


@dataclass
class Num(Node):
    scale: int
    low: Decimal
    high: Decimal

    def __post_init__(self) -> None:
        top = max(abs(self.low), abs(self.high))
        if EXACT.multiply(top, Decimal(10) ** self.scale) >= LIMIT:
            raise Unsupported(f"a value up to {top} at scale {self.scale} could overflow 64-bit integers")


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
class ListV(Node):
    items: list[Node] = field(default_factory=list)


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


class Const:
    """A literal's function: it reads nothing, and `choose` folds it into a lookup table."""

    def __init__(self, value: Any):
        self.value = value

    def __call__(self, ctx: Ctx) -> tuple[Array, Mask]:
        return self.value, None


def _const(value: Any) -> Fn:
    return Const(value)


def scaled(value: Decimal, scale: int) -> int:
    """An exact decimal as a count of 10**-scale; it must have no more places than `scale`."""
    raw = EXACT.multiply(value, Decimal(10) ** scale)
    if raw != raw.to_integral_value():
        raise Unsupported(f"{value} has more than {scale} places")
    return int(raw)


def places_of(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def rescale(node: Num, scale: int) -> Num:
    """The same number at a finer scale."""
    if scale == node.scale:
        return node
    factor = 10 ** (scale - node.scale)
    inner = node.fn

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        value, err = inner(ctx)
        return value * factor, err

    return Num(fn, scale, node.low, node.high)


def number_const(value: Decimal) -> Num:
    scale = places_of(value)
    return Num(_const(scaled(value, scale)), scale, value, value)


def full(ctx: Ctx, value: Array, dtype: Any = np.int64) -> np.ndarray:
    if isinstance(value, np.ndarray) and value.shape == (ctx.rows,):
        return value
    return np.full(ctx.rows, value, dtype=dtype)


# ------------------------------------------------------------------ the compiler
class Compiler:
    def __init__(self, checked: CheckedRuleset):
        self.checked = checked
        self.nodes: dict[str, Node] = {}  # what a name reads: inputs first, then each step
        self.steps: list[tuple[str, Node]] = []
        self.optional_inputs = {n for n, d in checked.inputs.items() if d.optional and d.default is None}
        # definitions with `when`: absent where their condition is false, so reading one may fail (K708)
        self.conditional: frozenset[str] = frozenset(
            n for n, d in checked.definitions.items() if getattr(d, "applies", None) is not None
        )
        self.applies: dict[str, Bool] = {}  # each `when` definition's compiled condition (the plan masks with it)

    # ---------------------------------------------------------- inputs
    def input_node(self, name: str) -> Node:
        kind = self.checked.types[name]
        reader = _reader(name)
        if isinstance(kind, t.NumberT):
            if kind.low is None or kind.high is None:
                raise Unsupported(f"input {name} has no declared range")
            if not kind.integer and kind.places is None:
                raise Unsupported(f"input {name} declares no places")
            return Num(reader, 0 if kind.integer else int(kind.places or 0), kind.low, kind.high)
        if isinstance(kind, t.BoolT):
            return Bool(reader)
        if isinstance(kind, t.LabelT):
            return Lab(reader, kind.labels)
        raise Unsupported(f"input {name} is a {kind.describe()}")

    # ---------------------------------------------------------- definitions
    def compile_all(self) -> None:
        for name in self.checked.inputs:
            if name not in self.checked.definitions:
                self.nodes[name] = self.input_node(name)
        for name in self.checked.order:
            node = self.definition(name)
            self.steps.append((name, node))
            self.nodes[name] = _as_read(node, name)

    def definition(self, name: str) -> Node:
        decl = self.checked.definitions[name]
        applies = getattr(decl, "applies", None)
        if applies is not None and isinstance(decl, s.WeightsDecl):
            # a weight set's parts are read as members, which have no absence check here
            raise Unsupported(f"weights {name} applies only `when` a condition holds")
        node: Node
        if isinstance(decl, s.ValueDecl):
            node = self.expr(decl.expr, {})
        elif isinstance(decl, s.TableDecl):
            node = self.table(decl, name)
        elif isinstance(decl, s.QuadrantDecl):
            node = self.quadrant(decl, name)
        elif isinstance(decl, s.WeightsDecl):
            node = self.weights(decl)
        else:
            raise Unsupported(f"definition {name}")
        if name in self.checked.suppliable:
            node = self.suppliable(name, node)
        exceptions = self.checked.exceptions.get(name, ())
        if exceptions:
            node = self.with_exceptions(node, exceptions, name)
        if applies is not None:
            # outermost, as in engine/compile.py: where the condition is false neither the definition
            # nor its exceptions (nor a supplied value) are looked at
            condition = self.boolean(self.expr(applies, {}))
            self.applies[name] = condition
            node = _applicable(node, condition)
        return node

    def suppliable(self, name: str, computed: Node) -> Node:
        """Given as input where supplied, computed elsewhere; the computation's errors count only where it ran."""
        given = self.input_node(name)
        choices = [given, computed]
        kind = self.checked.types[name]
        merged = self.merge_kinds(choices, kind)

        def pick(ctx: Ctx) -> tuple[Array, Mask]:
            absent = ctx.absent.get(name)
            index = np.zeros(ctx.rows, dtype=np.int64) if absent is None else absent.astype(np.int64)
            return index, None

        return self.choose(pick, merged, len(choices), never_unmatched=True)

    def with_exceptions(self, base: Node, exceptions: tuple[s.ExceptionDecl, ...], name: str) -> Node:
        conditions = [self.boolean(self.expr(e.condition, {})) for e in exceptions]
        results = [self.expr(e.result, {}) for e in exceptions]
        merged = self.merge_kinds([*results, base], self.checked.types.get(name))
        n = len(exceptions)

        def pick(ctx: Ctx) -> tuple[Array, Mask]:
            index = np.full(ctx.rows, n, dtype=np.int64)
            evaluated: list[tuple[Array, Mask]] = [c.fn(ctx) for c in conditions]
            for i in range(n - 1, -1, -1):
                index = np.where(evaluated[i][0], i, index)
            err: Mask = None
            for i, (_, cerr) in enumerate(evaluated):
                err = either(err, within(index >= i, cerr))
            return index, err

        return self.choose(pick, merged, n + 1, never_unmatched=True)

    def weights(self, decl: s.WeightsDecl) -> Weights:
        conditions = [self.boolean(self.expr(b.condition, {})) if b.condition is not None else None for b in decl.branches]
        names = [item.name for item in decl.branches[0].items]
        n = len(decl.branches)
        always = any(c is None for c in conditions)

        def pick(ctx: Ctx) -> tuple[Array, Mask]:
            if n == 1 and conditions[0] is None:
                return 0, None
            index = np.full(ctx.rows, -1, dtype=np.int64)
            evaluated = [c.fn(ctx) if c is not None else (True, None) for c in conditions]
            for i in range(n - 1, -1, -1):
                index = np.where(evaluated[i][0], i, index)
            err: Mask = None
            for i, (_, cerr) in enumerate(evaluated):
                err = either(err, within((index >= i) | (index < 0), cerr))
            if not always:
                err = either(err, index < 0)
            return index, err

        cache_key = object()
        parts: dict[str, Num] = {}
        for part in names:
            values = [next(i.weight for i in b.items if i.name == part) for b in decl.branches]
            scale = max(places_of(v) for v in values)
            table = np.array([scaled(v, scale) for v in values], dtype=np.int64)
            parts[part] = Num(_taker(pick, table, cache_key), scale, min(values), max(values))

        def whole(ctx: Ctx) -> tuple[Array, Mask]:
            _, err = _cached(ctx, cache_key, pick)
            return None, err

        return Weights(whole, parts)

    # ---------------------------------------------------------- tables
    def table(self, decl: s.TableDecl, name: str) -> Node:
        subject = self.expr(decl.subject, {})
        matchers = [self.condition(subject, row.condition) for row in decl.rows]
        guards = [self.boolean(self.expr(row.guard, {})) if row.guard is not None else None for row in decl.rows]
        results = [self.expr(row.result, {}) for row in decl.rows]
        merged = self.merge_kinds(results, self.checked.types.get(name))
        n = len(decl.rows)
        unique = decl.hit == "unique"
        covers = any(m is None and g is None for m, g in zip(matchers, guards, strict=True))
        band = None if unique else _band_lookup(subject, decl.rows, guards)

        def pick(ctx: Ctx) -> tuple[Array, Mask]:
            x, err = subject.fn(ctx)
            if band is not None:
                index = band(x)
                return index, either(err, index < 0)
            hits: list[Array] = []
            guard_errors: list[tuple[Array, Mask]] = []
            for matcher, guard in zip(matchers, guards, strict=True):
                m = matcher(x) if matcher is not None else True
                if guard is not None:
                    g, gerr = guard.fn(ctx)
                    hits.append(m & g if m is not True else g)
                    guard_errors.append((m, gerr))
                else:
                    hits.append(m)
                    guard_errors.append((m, None))
            if unique:
                count = np.zeros(ctx.rows, dtype=np.int64)
                index = np.full(ctx.rows, -1, dtype=np.int64)
                for i, hit in enumerate(hits):
                    count = count + hit
                    index = np.where(hit, i, index)
                    err = either(err, within(guard_errors[i][0], guard_errors[i][1]))
                return index, either(err, count != 1)
            index = np.full(ctx.rows, -1, dtype=np.int64)
            for i in range(n - 1, -1, -1):
                index = np.where(hits[i], i, index)
            for i, (m, gerr) in enumerate(guard_errors):
                if gerr is not None:
                    reached = (index < 0) | (index >= i)
                    err = either(err, within(reached & m if m is not True else reached, gerr))
            if not covers:
                err = either(err, index < 0)
            return index, err

        return self.choose(pick, merged, n, never_unmatched=False)

    def condition(self, subject: Node, cond: s.Condition) -> Callable[[Array], Array] | None:
        if isinstance(cond, s.Otherwise):
            return None
        if isinstance(cond, s.Equals):
            return self.equals_literal(subject, cond.value.value)
        return self.interval(subject, cond)

    def equals_literal(self, subject: Node, expected: Any) -> Callable[[Array], Array]:
        if isinstance(subject, Lab) and isinstance(expected, str):
            code = subject.universe.index(expected) if expected in subject.universe else -2
            return lambda x: x == code
        if isinstance(subject, Bool) and isinstance(expected, bool):
            return (lambda x: x) if expected else (lambda x: ~np.asarray(x, dtype=bool))
        if isinstance(subject, Num) and isinstance(expected, Decimal) and not isinstance(expected, bool):
            if places_of(expected) > subject.scale:
                return lambda x: np.zeros(np.shape(x), dtype=bool)
            value = scaled(expected, subject.scale)
            return lambda x: x == value
        raise Unsupported(f"comparing a {type(subject).__name__} with {expected!r}")

    def interval(self, subject: Node, i: s.Interval) -> Callable[[Array], Array]:
        if not isinstance(subject, Num):
            raise Unsupported("an interval on a non-number")
        bounds = [b for b in (i.low, i.high) if b is not None]
        scale = max([subject.scale] + [places_of(b) for b in bounds])
        factor = 10 ** (scale - subject.scale)
        Num(subject.fn, scale, subject.low, subject.high)  # raises when the finer scale could overflow
        low = scaled(i.low, scale) if i.low is not None else None
        high = scaled(i.high, scale) if i.high is not None else None
        low_closed, high_closed = i.low_closed, i.high_closed

        def match(x: Array) -> Array:
            if factor != 1:
                x = x * factor
            result: Array = True
            if low is not None:
                result = (x >= low) if low_closed else (x > low)
            if high is not None:
                upper = (x <= high) if high_closed else (x < high)
                result = upper if result is True else result & upper
            return result

        return match

    def quadrant(self, decl: s.QuadrantDecl, name: str) -> Node:
        row_subject = self.expr(decl.row_subject, {})
        column_subject = self.expr(decl.column_subject, {})
        row_keys = [self.axis_key(row_subject, r.key) for r in decl.rows]
        column_keys = [self.axis_key(column_subject, k) for k in decl.columns]
        width = len(decl.columns)
        cells: list[Node | None] = []
        for row in decl.rows:
            for j in range(width):
                value = row.cells[j].value if j < len(row.cells) else None
                cells.append(self.expr(value, {}) if value is not None else None)
        present = [c for c in cells if c is not None]
        if not present:
            raise Unsupported("a quadrant without cells")
        merged = self.merge_kinds(present, self.checked.types.get(name))
        slot_of = np.full(len(cells), -1, dtype=np.int64)
        for k, c in enumerate(i for i, c in enumerate(cells) if c is not None):
            slot_of[c] = k

        row_lookup = _key_lookup(row_subject, [r.key for r in decl.rows])
        column_lookup = _key_lookup(column_subject, list(decl.columns))

        def first(keys: list[Callable[[Array], Array]], x: Array) -> np.ndarray:
            lookup = row_lookup if keys is row_keys else column_lookup
            if lookup is not None:  # label keys: one gather from the label code to its key's index
                return np.take(lookup, x, mode="clip")
            index: Array = -1
            for i in range(len(keys) - 1, -1, -1):
                index = np.where(keys[i](x), i, index)
            return np.asarray(index)

        def pick(ctx: Ctx) -> tuple[Array, Mask]:
            r, rerr = row_subject.fn(ctx)
            c, cerr = column_subject.fn(ctx)
            ri = first(row_keys, r)
            ci = first(column_keys, c)
            flat = np.take(slot_of, ri * width + ci, mode="clip")
            bad = (ri < 0) | (ci < 0) | (flat < 0)
            return np.broadcast_to(flat, (ctx.rows,)), either(either(rerr, cerr), np.broadcast_to(bad, (ctx.rows,)))

        return self.choose(pick, merged, len(present), never_unmatched=True)

    def axis_key(self, subject: Node, key: s.AxisKey) -> Callable[[Array], Array]:
        if isinstance(key, s.StringLit):
            return self.equals_literal(subject, key.value)
        return self.interval(subject, key)

    # ---------------------------------------------------------- choosing among alternatives
    def merge_kinds(self, nodes: list[Node], declared: t.Type | None) -> list[Node]:
        """The alternatives brought to one representation: one scale, or one label universe."""
        if all(isinstance(n, Num) for n in nodes):
            nums = [n for n in nodes if isinstance(n, Num)]
            scale = max(n.scale for n in nums)
            return [rescale(n, scale) for n in nums]
        if all(isinstance(n, Lab) for n in nodes):
            labs = [n for n in nodes if isinstance(n, Lab)]
            universe = list(declared.labels) if isinstance(declared, t.LabelT) else []
            for n in labs:
                universe += [x for x in n.universe if x not in universe]
            return [relabel(n, tuple(universe)) for n in labs]
        if all(isinstance(n, Bool) for n in nodes):
            return nodes
        raise Unsupported("alternatives of different kinds")

    def choose(self, pick: Fn, nodes: list[Node], n: int, never_unmatched: bool) -> Node:
        """A node whose value on each row is alternative `index` (from `pick`); errors of the chosen one count."""
        assert len(nodes) == n
        constants = [_constant_of(node) for node in nodes]
        all_constant = all(c is not None for c in constants)
        dtype = bool if isinstance(nodes[0], Bool) else np.int64
        table = np.array([c if c is not None else 0 for c in constants], dtype=dtype)

        def fn(ctx: Ctx) -> tuple[Array, Mask]:
            index, err = pick(ctx)
            index = np.asarray(index)
            out = np.take(table, index, mode="clip")
            if not all_constant:
                for i, node in enumerate(nodes):
                    if constants[i] is not None:
                        continue
                    value, verr = node.fn(ctx)
                    chosen = index == i
                    out = np.where(chosen, value, out)
                    err = either(err, within(chosen, verr))
            return out, err

        first = nodes[0]
        if isinstance(first, Num):
            nums = [x for x in nodes if isinstance(x, Num)]
            return Num(fn, first.scale, min(x.low for x in nums), max(x.high for x in nums))
        if isinstance(first, Lab):
            return Lab(fn, first.universe)
        return Bool(fn)

    # ---------------------------------------------------------- expressions
    def boolean(self, node: Node) -> Bool:
        if not isinstance(node, Bool):
            raise Unsupported("a condition that is not true/false")
        return node

    def expr(self, e: s.Expr, scope: dict[str, Node]) -> Node:
        if isinstance(e, s.NumberLit):
            return number_const(e.value)
        if isinstance(e, s.BoolLit):
            return Bool(_const(bool(e.value)))
        if isinstance(e, s.StringLit):
            return Lab(_const(0), (e.value,))
        if isinstance(e, s.Name):
            if e.name in scope:
                return scope[e.name]
            node = self.nodes.get(e.name)
            if node is None:
                raise Unsupported(f"name {e.name}")
            if e.name in self.optional_inputs and e.name not in self.checked.definitions:
                return _reading_optional(node, e.name)
            if e.name in self.conditional:  # reading it where it does not apply fails (K708): decline there
                return _reading_optional(node, e.name)
            return node
        if isinstance(e, s.Member):
            holder = self.expr(e.subject, scope)
            if not isinstance(holder, Weights) or e.field_name not in holder.parts:
                raise Unsupported("a member of something other than a weight set")
            return holder.parts[e.field_name]
        if isinstance(e, s.Unary):
            operand = self.expr(e.operand, scope)
            if e.op == "not":
                b = self.boolean(operand)
                return Bool(_map1(b.fn, np.logical_not))
            if not isinstance(operand, Num):
                raise Unsupported("negating a non-number")
            return Num(_map1(operand.fn, np.negative), operand.scale, -operand.high, -operand.low)
        if isinstance(e, s.Binary):
            return self.binary(e, scope)
        if isinstance(e, s.IfThenElse):
            return self.if_then_else(e, scope)
        if isinstance(e, s.Call):
            return self.call(e, scope)
        if isinstance(e, s.Aggregate):
            return self.aggregate(e, scope)
        if isinstance(e, s.ListLit):
            return ListV(_const(None), [self.expr(x, scope) for x in e.items])
        raise Unsupported(type(e).__name__)

    def if_then_else(self, e: s.IfThenElse, scope: dict[str, Node]) -> Node:
        condition = self.boolean(self.expr(e.condition, scope))
        then, otherwise = self.merge_kinds([self.expr(e.then, scope), self.expr(e.otherwise, scope)], self.checked.type_of(e))

        def pick(ctx: Ctx) -> tuple[Array, Mask]:
            c, err = condition.fn(ctx)
            return np.where(c, 0, 1), err

        return self.choose(pick, [then, otherwise], 2, never_unmatched=True)

    def binary(self, e: s.Binary, scope: dict[str, Node]) -> Node:
        left, right = self.expr(e.left, scope), self.expr(e.right, scope)
        op = e.op
        if op in ("and", "or"):
            a, b = self.boolean(left), self.boolean(right)

            def logic(ctx: Ctx) -> tuple[Array, Mask]:
                x, xerr = a.fn(ctx)
                y, yerr = b.fn(ctx)
                if op == "and":  # the right side is evaluated only where the left holds
                    return x & y, either(xerr, within(x, yerr) if yerr is not None else None)
                return x | y, either(xerr, within(~np.asarray(x, dtype=bool), yerr) if yerr is not None else None)

            return Bool(logic)
        if op in ("+", "-", "*", "/"):
            if not isinstance(left, Num) or not isinstance(right, Num):
                raise Unsupported("arithmetic on non-numbers")
            return self.arithmetic(op, left, right)
        if isinstance(left, Lab) or isinstance(right, Lab):
            return self.compare_labels(e, left, right)
        if isinstance(left, Bool) and isinstance(right, Bool) and op in ("=", "!="):
            return Bool(_map2(left.fn, right.fn, np.equal if op == "=" else np.not_equal))
        if isinstance(left, Num) and isinstance(right, Num):
            scale = max(left.scale, right.scale)
            compare = {"=": np.equal, "!=": np.not_equal, "<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal}[op]
            return Bool(_map2(rescale(left, scale).fn, rescale(right, scale).fn, compare))
        raise Unsupported(f"operator {op}")

    def compare_labels(self, e: s.Binary, left: Node, right: Node) -> Bool:
        if not isinstance(left, Lab) or not isinstance(right, Lab):
            raise Unsupported("comparing a label with a non-label")
        op = e.op
        if op in ("=", "!="):
            universe = tuple(dict.fromkeys(left.universe + right.universe))
            a, b = relabel(left, universe), relabel(right, universe)
            return Bool(_map2(a.fn, b.fn, np.equal if op == "=" else np.not_equal))
        left_type, right_type = self.checked.type_of(e.left), self.checked.type_of(e.right)
        scale_type = left_type if isinstance(left_type, t.LabelT) else right_type if isinstance(right_type, t.LabelT) else None
        if scale_type is None:
            raise Unsupported("ordering labels without a scale")
        a, b = rank_of(left, scale_type.labels, 0), rank_of(right, scale_type.labels, 0)
        compare = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal}[op]
        return Bool(_map2(a.fn, b.fn, compare))

    def arithmetic(self, op: str, left: Num, right: Num) -> Num:
        if op in ("+", "-"):
            scale = max(left.scale, right.scale)
            a, b = rescale(left, scale), rescale(right, scale)
            if op == "+":
                return Num(_map2(a.fn, b.fn, np.add), scale, EXACT.add(a.low, b.low), EXACT.add(a.high, b.high))
            return Num(_map2(a.fn, b.fn, np.subtract), scale, EXACT.subtract(a.low, b.high), EXACT.subtract(a.high, b.low))
        if op == "*":
            corners = [EXACT.multiply(x, y) for x in (left.low, left.high) for y in (right.low, right.high)]
            return Num(_map2(left.fn, right.fn, np.multiply), left.scale + right.scale, min(corners), max(corners))
        return self.divide(left, right)

    def divide(self, left: Num, right: Num) -> Num:
        """An exact quotient at a scale chosen to hold it; rows where it does not end there are declined."""
        if right.low <= 0 <= right.high and right.low == right.high:
            raise Unsupported("division by the constant zero")
        smallest = min(abs(right.low), abs(right.high)) if not right.low <= 0 <= right.high else Decimal(1).scaleb(-right.scale)
        top = EXACT.divide(max(abs(left.low), abs(left.high)), smallest)
        for extra in _extra_places(right):
            scale = max(left.scale, 0) + extra
            shift = scale - left.scale + right.scale  # quotient * 10**scale == left_int * 10**shift / right_int
            if EXACT.multiply(max(abs(left.low), abs(left.high)), Decimal(10) ** (left.scale + shift)) >= LIMIT:
                continue
            if EXACT.multiply(top, Decimal(10) ** scale) >= LIMIT:
                continue
            factor = 10**shift

            def fn(ctx: Ctx, factor: int = factor, lf: Fn = left.fn, rf: Fn = right.fn) -> tuple[Array, Mask]:
                x, xerr = lf(ctx)
                y, yerr = rf(ctx)
                y = np.asarray(y)
                zero = y == 0
                safe = np.where(zero, 1, y)
                q, r = np.divmod(np.asarray(x) * factor, safe)
                bad = np.broadcast_to(zero | (r != 0), (ctx.rows,))
                return q, either(either(xerr, yerr), bad)

            low = -top if left.low < 0 or right.low < 0 else Decimal(0)
            return Num(fn, scale, low, top)
        raise Unsupported("a quotient that cannot be held exactly")

    def call(self, e: s.Call, scope: dict[str, Node]) -> Node:
        name = e.function
        if name == "given":
            arg = e.args[0]
            if not isinstance(arg, s.Name):
                raise Unsupported("given() of an expression")
            input_name = arg.name

            def given(ctx: Ctx) -> tuple[Array, Mask]:
                absent = ctx.absent.get(input_name)
                return (True if absent is None else ~absent), None

            return Bool(given)
        if name == "round":
            value = self.expr(e.args[0], scope)
            places_node = e.args[1]
            mode = e.args[2].name if isinstance(e.args[2], s.Name) else None
            if not isinstance(value, Num) or not isinstance(places_node, s.NumberLit) or mode is None:
                raise Unsupported("round() with computed places")
            return round_node(value, int(places_node.value), mode)
        args = [self.expr(a, scope) for a in e.args]
        if name == "rank":
            arg = args[0]
            kind = self.checked.type_of(e.args[0])
            if not isinstance(arg, Lab) or not isinstance(kind, t.LabelT):
                raise Unsupported("rank() of a non-label")
            return rank_of(arg, kind.labels, 1)
        if len(args) == 1 and isinstance(args[0], ListV):
            return self.reduce(name, args[0].items)
        if name in ("min", "max"):
            return self.extreme(name, args)
        if name == "clamp":
            return self.extreme("min", [self.extreme("max", args[:2]), args[2]])
        if name == "abs":
            x = _number(args[0])
            top = max(abs(x.low), abs(x.high))
            low = Decimal(0) if x.low <= 0 <= x.high else min(abs(x.low), abs(x.high))
            return Num(_map1(x.fn, np.abs), x.scale, low, top)
        if name in ("floor", "ceiling"):
            return round_node(_number(args[0]), 0, name)
        raise Unsupported(f"function {name}")

    def extreme(self, name: str, args: list[Node]) -> Num:
        nums = [_number(a) for a in args]
        scale = max(n.scale for n in nums)
        aligned = [rescale(n, scale) for n in nums]
        op = np.minimum if name == "min" else np.maximum
        fns = [n.fn for n in aligned]

        def fn(ctx: Ctx) -> tuple[Array, Mask]:
            value, err = fns[0](ctx)
            for f in fns[1:]:
                other, oerr = f(ctx)
                value = op(value, other)
                err = either(err, oerr)
            return value, err

        pick = min if name == "min" else max
        return Num(fn, scale, pick(n.low for n in nums), pick(n.high for n in nums))

    def reduce(self, name: str, items: list[Node]) -> Node:
        if not items:
            raise Unsupported("an aggregate over an empty list")
        if name in ("min", "max"):
            return self.extreme(name, items)
        if name == "sum":
            total = _number(items[0])
            for item in items[1:]:
                total = self.arithmetic("+", total, _number(item))
            return total
        if name == "mean":
            return self.divide(self.reduce("sum", items), number_const(Decimal(len(items))))
        raise Unsupported(f"{name} of a list")

    def aggregate(self, e: s.Aggregate, scope: dict[str, Node]) -> Node:
        source = self.expr(e.source, scope)
        if not isinstance(source, ListV):
            raise Unsupported("an aggregate over a list input")
        items = source.items
        if e.function == "count":
            if e.where is None:
                return number_const(Decimal(len(items)))
            conditions = [self.boolean(self.expr(e.where, {**scope, e.variable: item})) for item in items]
            fns = [c.fn for c in conditions]
            item_fns = [item.fn for item in items]

            def count(ctx: Ctx) -> tuple[Array, Mask]:
                total: Array = 0
                err: Mask = None
                for f in item_fns:  # the list is built first: reading an absent item fails
                    err = either(err, f(ctx)[1])
                for f in fns:
                    value, cerr = f(ctx)
                    total = total + np.asarray(value, dtype=np.int64)
                    err = either(err, cerr)
                return total, err

            return Num(count, 0, Decimal(0), Decimal(len(items)))
        if e.where is not None or e.weight is not None:
            raise Unsupported(f"{e.function} with where/by")
        mapped = [self.expr(e.item, {**scope, e.variable: item}) for item in items]
        return self.reduce(e.function, mapped)


# ------------------------------------------------------------------ node helpers
def _reader(name: str) -> Fn:
    return lambda ctx: (ctx.values[name], None)


def _as_read(node: Node, name: str) -> Node:
    """What later definitions see of a step: its stored value (its errors are counted once, at the step)."""
    reader = _reader(name)
    if isinstance(node, Num):
        return Num(reader, node.scale, node.low, node.high)
    if isinstance(node, Lab):
        return Lab(reader, node.universe)
    if isinstance(node, Weights):
        parts = {k: Num(_reader(f"{name}.{k}"), p.scale, p.low, p.high) for k, p in node.parts.items()}
        return Weights(_const(None), parts)
    if isinstance(node, Bool):
        return Bool(reader)
    raise Unsupported(f"a definition of kind {type(node).__name__}")


def _reading_optional(node: Node, name: str) -> Node:
    inner = node.fn

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        value, _ = inner(ctx)
        return value, ctx.absent.get(name)

    if isinstance(node, Num):
        return Num(fn, node.scale, node.low, node.high)
    if isinstance(node, Lab):
        return Lab(fn, node.universe)
    return Bool(fn)


def _applicable(node: Node, condition: Bool) -> Node:
    """A `when` definition's step: its errors count only on rows where the condition holds.

    The value on the other rows is garbage; the plan marks them absent (see `Ctx.absent`)."""
    inner, test = node.fn, condition.fn

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        holds, cerr = test(ctx)
        value, err = inner(ctx)
        if err is not None:
            err = err & np.asarray(holds, dtype=bool)  # not computed where it does not apply: no failure there
        return value, either(cerr, err)

    if isinstance(node, Num):
        return Num(fn, node.scale, node.low, node.high)
    if isinstance(node, Lab):
        return Lab(fn, node.universe)
    if isinstance(node, Bool):
        return Bool(fn)
    raise Unsupported(f"a `when` definition of kind {type(node).__name__}")


def _map1(f: Fn, op: Callable[[Array], Array]) -> Fn:
    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        x, err = f(ctx)
        return op(x), err

    return fn


def _map2(f: Fn, g: Fn, op: Callable[[Array, Array], Array]) -> Fn:
    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        x, xerr = f(ctx)
        y, yerr = g(ctx)
        return op(x, y), either(xerr, yerr)

    return fn


def _number(node: Node) -> Num:
    if not isinstance(node, Num):
        raise Unsupported("a number was expected")
    return node


def _constant_of(node: Node) -> Any:
    """The value of a node that is a literal (it reads nothing), else None."""
    if isinstance(node, (Num, Lab, Bool)) and isinstance(node.fn, Const) and isinstance(node.fn.value, (int, bool)):
        return node.fn.value
    return None


def _cached(ctx: Ctx, key: object, f: Fn) -> tuple[Array, Mask]:
    store = ctx.__dict__.setdefault("_cache", {})
    if key not in store:
        store[key] = f(ctx)
    result: tuple[Array, Mask] = store[key]
    return result


def _taker(pick: Fn, table: np.ndarray, key: object) -> Fn:
    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        index, _ = _cached(ctx, key, pick)
        if isinstance(index, int):
            return int(table[index]), None
        return np.take(table, index, mode="clip"), None

    return fn


def relabel(node: Lab, universe: tuple[str, ...]) -> Lab:
    if node.universe == universe:
        return node
    mapping = np.array([universe.index(x) for x in node.universe] + [ABSENT_CODE], dtype=np.int64)
    constant = _constant_of(node)
    if constant is not None:
        return Lab(_const(int(mapping[constant])), universe)
    inner = node.fn

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        codes, err = inner(ctx)
        return np.take(mapping, codes, mode="clip"), err

    return Lab(fn, universe)


def rank_of(node: Lab, scale: tuple[str, ...], base: int) -> Num:
    """A label's position on a scale (base 1 for `rank`, 0 for comparisons); unknown labels are unsupported."""
    if any(x not in scale for x in node.universe):
        raise Unsupported("a label outside the scale")
    mapping = np.array([scale.index(x) + base for x in node.universe], dtype=np.int64)
    constant = _constant_of(node)
    if constant is not None:
        value = int(mapping[constant])
        return Num(_const(value), 0, Decimal(value), Decimal(value))
    inner = node.fn

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        codes, err = inner(ctx)
        return np.take(mapping, codes, mode="clip"), err

    return Num(fn, 0, Decimal(base), Decimal(len(scale) - 1 + base))


def round_node(value: Num, places: int, mode: str) -> Num:
    """`round(x, places, MODE)` (and floor/ceiling as modes at 0 places) in integer arithmetic."""
    if places < 0:
        raise Unsupported("rounding to tens")
    if places >= value.scale:
        return value
    divisor = 10 ** (value.scale - places)
    inner = value.fn

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        x, err = inner(ctx)
        x = np.asarray(x, dtype=np.int64)
        if mode in ("floor", "ceiling"):
            q = np.floor_divide(x, divisor) if mode == "floor" else -np.floor_divide(-x, divisor)
            return q, err
        negative = x < 0
        magnitude = np.abs(x)
        q, r = np.divmod(magnitude, divisor)
        if mode == "down":
            bump: Array = False
        elif mode == "up":
            bump = r != 0
        elif mode == "half_up":
            bump = 2 * r >= divisor
        elif mode == "half_down":
            bump = 2 * r > divisor
        elif mode == "half_even":
            bump = (2 * r > divisor) | ((2 * r == divisor) & (q % 2 == 1))
        else:
            raise ValueError(mode)
        q = q + bump
        return np.where(negative, -q, q), err

    if mode not in ("floor", "ceiling", "down", "up", "half_up", "half_down", "half_even"):
        raise Unsupported(f"rounding mode {mode}")
    step = Decimal(1).scaleb(-places)
    return Num(fn, places, EXACT.subtract(value.low, step), EXACT.add(value.high, step))


def _key_lookup(subject: Node, keys: list[s.AxisKey]) -> np.ndarray | None:
    """For label keys: the first key index of each label code (-1: no key), so a lookup is one gather."""
    if not isinstance(subject, Lab) or not all(isinstance(k, s.StringLit) for k in keys):
        return None
    labels = [k.value for k in keys if isinstance(k, s.StringLit)]
    return np.array([labels.index(x) if x in labels else -1 for x in subject.universe], dtype=np.int64)


def _extra_places(divisor: Num) -> list[int]:
    """Places to add to a quotient, best first: a constant divisor of 2s and 5s needs just enough to end."""
    choices = [12, 9, 6, 4, 3, 2, 1, 0]
    constant = _constant_of(divisor)
    if constant is not None and constant != 0:
        m, twos, fives = abs(int(constant)), 0, 0
        while m % 2 == 0:
            m, twos = m // 2, twos + 1
        while m % 5 == 0:
            m, fives = m // 5, fives + 1
        return [max(twos, fives), *choices]
    return choices


def _band_lookup(subject: Node, rows: tuple[s.Row, ...], guards: list[Bool | None]) -> Callable[[Array], np.ndarray] | None:
    """Hit-first rows that are plain intervals with no guard: one searchsorted over the band edges."""
    if not isinstance(subject, Num) or any(g is not None for g in guards):
        return None
    if not all(isinstance(r.condition, (s.Interval, s.Otherwise)) for r in rows):
        return None
    scale = subject.scale
    # Each interval edge splits the number line; the first row covering a segment decides it.
    points: set[int] = set()
    for r in rows:
        c = r.condition
        if isinstance(c, s.Interval):
            for b in (c.low, c.high):
                if b is not None:
                    if places_of(b) > scale:
                        return None
                    points.add(scaled(b, scale))
    edges = sorted(points)
    # Segments: (-inf, e0), [e0], (e0, e1), [e1], ... numbered 0, 1, 2, 3, …: each row holds a run
    # of them (found by bisection), and one sweep keeps the lowest row holding the current one.
    # (Probing every row for every segment cost n²: a 5,000-row table took a minute to compile.)
    last_segment = 2 * len(edges)
    starting: list[list[tuple[int, int]]] = [[] for _ in range(last_segment + 1)]
    for index, r in enumerate(rows):
        c = r.condition
        if isinstance(c, s.Interval):
            first = 0 if c.low is None else 2 * bisect_left(edges, scaled(c.low, scale)) + (1 if c.low_closed else 2)
            last = last_segment if c.high is None else 2 * bisect_left(edges, scaled(c.high, scale)) + (1 if c.high_closed else 0)
        else:
            first, last = 0, last_segment
        if first <= last:
            starting[first].append((index, last))
    decided: list[int] = []
    holding: list[tuple[int, int]] = []  # (row, its last segment), lowest row first
    for segment in range(last_segment + 1):
        for entry in starting[segment]:
            heapq.heappush(holding, entry)
        while holding and holding[0][1] < segment:
            heapq.heappop(holding)
        decided.append(holding[0][0] if holding else -1)
    # Segment index of x: 2*searchsorted_left(x) gives the open segment before an edge; an exact edge is odd.
    edge_array = np.array(edges, dtype=np.int64)
    decided_array = np.array(decided, dtype=np.int64)

    def lookup(x: Array) -> np.ndarray:
        x = np.asarray(x)
        left = np.searchsorted(edge_array, x, side="left")
        right = np.searchsorted(edge_array, x, side="right")
        return np.take(decided_array, left + right, mode="clip")

    return lookup
