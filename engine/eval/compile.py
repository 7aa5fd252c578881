"""Compile stage: a checked ruleset -> a chain of Python closures.

Each expression becomes a function of the environment (a dict of the values
computed so far); each definition becomes a step that returns its value and
what decided it (the matched row, cell, weight branch or exception), so the
evaluator can build a trace without re-deciding anything. No text is ever
passed to `eval` or `exec`: the closures are built from the syntax tree.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, insort
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
    DivisionByZero,
    InvalidOperation,
)
from operator import itemgetter
from typing import Any, NoReturn

from kinerja.diagnostics.diagnostic import EvaluationError, diagnostic
from kinerja.semantics import types as t
from kinerja.semantics.check import CheckedRuleset
from kinerja.semantics.values import ABSENT, ARITHMETIC, value_text
from kinerja.syntax import tree as s
from kinerja.syntax.limits import LIMITS
from kinerja.syntax.printer import expr as expr_text
from kinerja.syntax.printer import free_names

Env = dict[str, Any]
Fn = Callable[[Env], Any]

ROUNDING = {
    "half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "half_down": ROUND_HALF_DOWN,
    "up": ROUND_UP, "down": ROUND_DOWN, "ceiling": ROUND_CEILING, "floor": ROUND_FLOOR,
}  # fmt: skip


@dataclass(frozen=True)
class Decision:
    """What decided a step: a table row, a quadrant cell, a weight branch or an exception."""

    kind: str  # "row", "cell", "branch", "exception", "formula"
    index: int = -1  # row or branch index
    column: int = -1  # quadrant column index
    exception: s.ExceptionDecl | None = None


FORMULA = Decision("formula")


@dataclass(frozen=True)
class Step:
    name: str
    decl: Any
    compute: Callable[[Env], tuple[Any, Decision]]
    reads: tuple[str, ...]


NOT_NEEDED = Decision("absent")
NOT_APPLICABLE = Decision("not_applicable")  # a definition's `when` condition is false: not computed, absent


@dataclass(frozen=True)
class Program:
    steps: tuple[Step, ...]
    suppliable: frozenset[str] = frozenset()  # definitions that may be given as inputs (`override input`)
    required: frozenset[str] = frozenset()  # inputs with neither a default nor `optional`

    def execute(self, env: Env) -> list[Decision]:
        """Compute every step into `env`; return what decided each step, in order."""
        if not self.suppliable:  # nothing can be given as input: no feeders, nothing excused
            decisions = []
            step = None
            try:
                for step in self.steps:
                    value, decision = step.compute(env)
                    env[step.name] = value
                    decisions.append(decision)
            except (_Failure, DivisionByZero, InvalidOperation, ZeroDivisionError) as error:
                _raise_for(step, error)
            return decisions
        return self._execute_supplied(env)

    def execute_values(self, env: Env) -> None:
        """Compute every step into `env` without keeping what decided them (an evaluation without a trace)."""
        if self.suppliable:
            self._execute_supplied(env)
            return
        step = None
        try:
            for step in self.steps:
                env[step.name] = step.compute(env)[0]
        except (_Failure, DivisionByZero, InvalidOperation, ZeroDivisionError) as error:
            _raise_for(step, error)

    def _execute_supplied(self, env: Env) -> list[Decision]:
        decisions = []
        step = None
        supplied = [name for name in self.suppliable if env.get(name, ABSENT) is not ABSENT]
        feeders = self._feeding_only(frozenset(supplied)) if supplied else frozenset()
        # an input excused by a supplied definition (see `excused_inputs`) is absent, and so is what reads it
        left_absent = (
            {n for n in self.excused_inputs(frozenset(supplied)) if n in self.required and env.get(n, ABSENT) is ABSENT}
            if supplied
            else set()
        )
        try:
            for step in self.steps:
                if step.name in feeders:
                    value, decision = self._attempt(step, env, left_absent)
                else:
                    value, decision = step.compute(env)
                env[step.name] = value
                decisions.append(decision)
        except (_Failure, DivisionByZero, InvalidOperation, ZeroDivisionError) as error:
            _raise_for(step, error)
        return decisions

    def _feeding_only(self, supplied: frozenset[str]) -> frozenset[str]:
        """Steps whose every reader is a definition given as input (directly or through other such steps).

        Their values decide nothing once those definitions are given, so they are
        computed only when they can be: a missing optional input leaves them absent
        instead of failing the evaluation (an extending ruleset's `override input`
        must work without the inputs its base needed to compute the definition).
        """
        readers: dict[str, list[str]] = {}
        for step in self.steps:
            for name in step.reads:
                readers.setdefault(name, []).append(step.name)
        found: set[str] = set()
        for step in reversed(self.steps):  # readers come after what they read
            names = readers.get(step.name)
            if names and all(reader in supplied or reader in found for reader in names):
                found.add(step.name)
        return frozenset(found)

    def excused_inputs(self, supplied: frozenset[str]) -> frozenset[str]:
        """Inputs that need not be given because everything reading them only feeds supplied definitions.

        `override input nilai_kinerja`: a record that gives nilai_kinerja need not
        give nilai_skp, which only served to compute it.
        """
        if not supplied:
            return frozenset()
        unneeded = self._feeding_only(supplied) | supplied
        step_names = {step.name for step in self.steps}
        readers: dict[str, list[str]] = {}
        for step in self.steps:
            for name in step.reads:
                if name not in step_names:
                    readers.setdefault(name, []).append(step.name)
        return frozenset(name for name, names in readers.items() if all(reader in unneeded for reader in names))

    @staticmethod
    def _attempt(step: Step, env: Env, left_absent: set[str]) -> tuple[Any, Decision]:
        """Compute a step nothing needs; absent when it lacks an optional input or an absent step's value."""
        if any(name in left_absent for name in step.reads):
            left_absent.add(step.name)
            return ABSENT, NOT_NEEDED
        try:
            return step.compute(env)
        except _Failure as failure:
            if failure.code not in ("K704", "K708"):  # a missing optional input or a value that does not apply
                raise
            left_absent.add(step.name)
            return ABSENT, NOT_NEEDED


def _raise_for(step: Step | None, error: Exception) -> NoReturn:
    """Turn a failure inside a step's closures into an EvaluationError naming that step."""
    assert step is not None
    if isinstance(error, _Failure):
        args = dict(error.args_)
        args.setdefault("name", step.name)
        raise EvaluationError([diagnostic(error.code, step.decl.span, **args)]) from None
    raise EvaluationError([diagnostic("K701", step.decl.span, name=step.name)]) from None


def _rounding(value: Fn, places: Fn, mode: str) -> Fn:
    """`round(x, places, mode)`: places a whole number within the documented limit, the result within
    the arithmetic's precision; anything else is a named evaluation error, never `decimal`'s own."""

    def run(env: Env) -> Decimal:
        x, p = value(env), places(env)
        if not p.is_finite() or p != p.to_integral_value() or abs(p) > LIMITS.places:
            raise _Failure("K720", places=value_text(p), limit=LIMITS.places)
        try:
            return x.quantize(Decimal((0, (1,), -int(p))), rounding=mode, context=ARITHMETIC)
        except InvalidOperation:
            raise _Failure("K721", value=value_text(x), places=int(p), digits=ARITHMETIC.prec) from None

    return run


class _Failure(Exception):
    """Raised inside closures; turned into an EvaluationError naming the step."""

    def __init__(self, code: str, **args: Any):
        self.code = code
        self.args_ = args


def compile_ruleset(checked: CheckedRuleset) -> Program:
    compiler = _Compiler(checked)
    steps = []
    for name in checked.order:
        steps.append(compiler.step(name))
    required = frozenset(name for name, decl in checked.inputs.items() if decl.default is None and not decl.optional)
    return Program(tuple(steps), checked.suppliable, required)


class _Compiler:
    def __init__(self, checked: CheckedRuleset):
        self.checked = checked
        self.optional_inputs = {
            name for name, decl in checked.inputs.items() if decl.optional and decl.default is None
        }
        # definitions with `when`: their value may be absent, so reading one checks for that (K708)
        self.conditional = {
            name: decl.applies for name, decl in checked.definitions.items() if getattr(decl, "applies", None) is not None
        }

    # -------------------------------------------------------------- definitions
    def step(self, name: str) -> Step:
        decl = self.checked.definitions[name]
        if isinstance(decl, s.ValueDecl):
            formula = self.expr(decl.expr)

            def compute(env: Env) -> tuple[Any, Decision]:
                return formula(env), FORMULA

            reads = free_names(decl.expr)
        elif isinstance(decl, s.TableDecl):
            compute, reads = self.table(decl)
        elif isinstance(decl, s.QuadrantDecl):
            compute, reads = self.quadrant(decl)
        else:
            compute, reads = self.weights(decl)
        if name in self.checked.suppliable:
            compute = _suppliable(name, compute)
        exceptions = self.checked.exceptions.get(name, ())
        if exceptions:
            compute = self.with_exceptions(compute, exceptions)
            for e in exceptions:
                reads = reads + [n for n in free_names(e.condition) + free_names(e.result) if n not in reads]
        applies = getattr(decl, "applies", None)
        if applies is not None:
            # outermost: where the condition is false nothing else runs, not even the exceptions
            compute = _applicable(self.expr(applies), compute)
            reads = [n for n in free_names(applies) if n not in reads] + list(reads)
        return Step(name, decl, compute, tuple(reads))

    def with_exceptions(self, base: Callable[[Env], tuple[Any, Decision]], exceptions: tuple[s.ExceptionDecl, ...]) -> Callable[[Env], tuple[Any, Decision]]:
        compiled = [(self.expr(e.condition), self.expr(e.result), Decision("exception", exception=e)) for e in exceptions]

        def compute(env: Env) -> tuple[Any, Decision]:
            for condition, result, decision in compiled:
                if condition(env):
                    return result(env), decision
            return base(env)

        return compute

    def weights(self, decl: s.WeightsDecl) -> tuple[Callable[[Env], tuple[Any, Decision]], list[str]]:
        branches = []
        reads: list[str] = []
        for index, branch in enumerate(decl.branches):
            condition = self.expr(branch.condition) if branch.condition is not None else None
            if branch.condition is not None:
                reads += [n for n in free_names(branch.condition) if n not in reads]
            parts = {item.name: item.weight for item in branch.items}
            branches.append((condition, parts, Decision("branch", index)))

        def compute(env: Env) -> tuple[Any, Decision]:
            for condition, parts, decision in branches:
                if condition is None or condition(env):
                    return parts, decision
            raise _Failure("K706")

        return compute, reads

    def table(self, decl: s.TableDecl) -> tuple[Callable[[Env], tuple[Any, Decision]], list[str]]:
        subject = self.expr(decl.subject)
        reads = free_names(decl.subject)
        rows = []
        for index, row in enumerate(decl.rows):
            matches = _matcher(row.condition)
            guard = self.expr(row.guard) if row.guard is not None else None
            if row.guard is not None:
                reads += [n for n in free_names(row.guard) if n not in reads]
            reads += [n for n in free_names(row.result) if n not in reads]
            decision = Decision("row", index)
            rows.append((matches, guard, self.expr(row.result), decision, _ready(row.result, decision)))
        unique = decl.hit == "unique"

        def first(env: Env) -> tuple[Any, Decision]:
            x = subject(env)
            for matches, guard, result, decision, ready in rows:
                if matches(x) and (guard is None or guard(env)):
                    return ready if ready is not None else _row_result(result, decision, env)
            raise _Failure("K702", value=value_text(x))

        def only(env: Env) -> tuple[Any, Decision]:
            x = subject(env)
            hits = [(result, decision) for matches, guard, result, decision, _ in rows if matches(x) and (guard is None or guard(env))]
            if len(hits) == 1:
                return _row_result(hits[0][0], hits[0][1], env)
            if not hits:
                raise _Failure("K702", value=value_text(x))
            raise _Failure("K703", value=value_text(x), rows=", ".join(str(d.index + 1) for _, d in hits))

        if unique:
            return only, reads
        candidates_for = _candidates(decl, self.checked.type_of(decl.subject), [row[1:] for row in rows])
        if candidates_for is None:
            return first, reads

        def first_of_candidates(env: Env) -> tuple[Any, Decision]:
            # the same rows in the same order as `first`, minus those whose condition cannot hold for x
            x = subject(env)
            for guard, result, decision, ready in candidates_for(x):
                if guard is None or guard(env):
                    if ready is not None:
                        return ready
                    try:
                        return result(env), decision
                    except _Failure as failure:
                        failure.args_.setdefault("row", decision.index + 1)
                        raise
            raise _Failure("K702", value=value_text(x))

        return first_of_candidates, reads

    def quadrant(self, decl: s.QuadrantDecl) -> tuple[Callable[[Env], tuple[Any, Decision]], list[str]]:
        row_subject = self.expr(decl.row_subject)
        column_subject = self.expr(decl.column_subject)
        reads = free_names(decl.row_subject) + [n for n in free_names(decl.column_subject) if n not in free_names(decl.row_subject)]
        row_keys = [_matcher_for_key(row.key) for row in decl.rows]
        column_keys = [_matcher_for_key(key) for key in decl.columns]
        cells = [[self.expr(c.value) if c.value is not None else None for c in row.cells] for row in decl.rows]
        decisions = [[Decision("cell", ri, ci) for ci in range(len(row.cells))] for ri, row in enumerate(decl.rows)]

        def compute(env: Env) -> tuple[Any, Decision]:
            r = row_subject(env)
            c = column_subject(env)
            ri = next((i for i, m in enumerate(row_keys) if m(r)), -1)
            ci = next((i for i, m in enumerate(column_keys) if m(c)), -1)
            cell = cells[ri][ci] if ri >= 0 and 0 <= ci < len(cells[ri]) else None
            if cell is None:
                raise _Failure("K705", row=value_text(r), column=value_text(c))
            return cell(env), decisions[ri][ci]

        labelled = (
            all(isinstance(row.key, s.StringLit) for row in decl.rows)
            and all(isinstance(key, s.StringLit) for key in decl.columns)
            and all(isinstance(self.checked.type_of(e), (t.LabelT, t.LiteralLabelT)) for e in (decl.row_subject, decl.column_subject))
        )
        if not labelled:
            return compute, reads
        # label keys: the first row / column whose label equals the value is a dictionary lookup
        row_at: dict[str, int] = {}
        for ri, row in enumerate(decl.rows):
            row_at.setdefault(row.key.value, ri)  # type: ignore[union-attr]
        column_at: dict[str, int] = {}
        for ci, key in enumerate(decl.columns):
            column_at.setdefault(key.value, ci)  # type: ignore[union-attr]
        by_pair: dict[tuple[str, str], tuple[Fn, Decision, tuple[Any, Decision] | None]] = {}
        for row_label, ri in row_at.items():
            for column_label, ci in column_at.items():
                cell_decl = decl.rows[ri].cells[ci] if ci < len(decl.rows[ri].cells) else None
                cell = cells[ri][ci] if cell_decl is not None else None
                if cell_decl is not None and cell_decl.value is not None and cell is not None:
                    decision = decisions[ri][ci]
                    by_pair[(row_label, column_label)] = (cell, decision, _ready(cell_decl.value, decision))

        def lookup(env: Env) -> tuple[Any, Decision]:
            r = row_subject(env)
            c = column_subject(env)
            hit = by_pair.get((r, c))
            if hit is None:
                raise _Failure("K705", row=value_text(r), column=value_text(c))
            cell, decision, ready = hit
            return ready if ready is not None else (cell(env), decision)

        return lookup, reads

    # -------------------------------------------------------------- expressions
    def expr(self, e: s.Expr) -> Fn:
        if isinstance(e, s.NumberLit):
            value = e.value
            return lambda env: value
        if isinstance(e, (s.StringLit, s.BoolLit)):
            constant = e.value
            return lambda env: constant
        if isinstance(e, s.Name):
            name = e.name
            if name in self.optional_inputs:
                def read_optional(env: Env) -> Any:
                    value = env[name]
                    if value is ABSENT:
                        raise _Failure("K704", field=name)
                    return value
                return read_optional
            if name in self.conditional:
                condition = expr_text(self.conditional[name])

                def read_conditional(env: Env) -> Any:
                    value = env[name]
                    if value is ABSENT:  # its `when` was false: reading it here is an error, not a silent 0
                        raise _Failure("K708", field=name, condition=condition)
                    return value
                return read_conditional
            return itemgetter(name)  # a C-level lookup: names are read on every evaluation
        if isinstance(e, s.Member):
            key = e.field_name
            if isinstance(e.subject, s.Name) and e.subject.name not in self.optional_inputs and e.subject.name not in self.conditional:
                container = e.subject.name
                return lambda env: env[container][key]
            subject = self.expr(e.subject)
            return lambda env: subject(env)[key]
        if isinstance(e, s.Unary):
            operand = self.expr(e.operand)
            if e.op == "not":
                return lambda env: not operand(env)
            return lambda env: -operand(env)
        if isinstance(e, s.Binary):
            return self.binary(e)
        if isinstance(e, s.IfThenElse):
            condition, then, otherwise = self.expr(e.condition), self.expr(e.then), self.expr(e.otherwise)
            return lambda env: then(env) if condition(env) else otherwise(env)
        if isinstance(e, s.Call):
            return self.call(e)
        if isinstance(e, s.Aggregate):
            return self.aggregate(e)
        if isinstance(e, s.ListLit):
            items = [self.expr(x) for x in e.items]
            return lambda env: [f(env) for f in items]
        raise TypeError(e)

    def binary(self, e: s.Binary) -> Fn:
        left, right = self.expr(e.left), self.expr(e.right)
        op = e.op
        ctx = ARITHMETIC
        if op == "+":
            return lambda env: ctx.add(left(env), right(env))
        if op == "-":
            return lambda env: ctx.subtract(left(env), right(env))
        if op == "*":
            return lambda env: ctx.multiply(left(env), right(env))
        if op == "/":
            return lambda env: ctx.divide(left(env), right(env))
        if op == "and":
            return lambda env: left(env) and right(env)
        if op == "or":
            return lambda env: left(env) or right(env)
        if op == "=":
            return lambda env: left(env) == right(env)
        if op == "!=":
            return lambda env: left(env) != right(env)
        left_type = self.checked.type_of(e.left)
        right_type = self.checked.type_of(e.right)
        scale = left_type if isinstance(left_type, t.LabelT) else right_type if isinstance(right_type, t.LabelT) else None
        if scale is not None:
            ranks = {label: i for i, label in enumerate(scale.labels)}
            left_raw, right_raw = left, right
            left = lambda env: ranks[left_raw(env)]  # noqa: E731
            right = lambda env: ranks[right_raw(env)]  # noqa: E731
        if op == "<":
            return lambda env: left(env) < right(env)
        if op == "<=":
            return lambda env: left(env) <= right(env)
        if op == ">":
            return lambda env: left(env) > right(env)
        if op == ">=":
            return lambda env: left(env) >= right(env)
        raise ValueError(op)

    def call(self, e: s.Call) -> Fn:
        name = e.function
        if name == "given":  # an optional input given, or a `when` definition that applies
            input_name = e.args[0].name  # type: ignore[union-attr]
            return lambda env: env[input_name] is not ABSENT
        if name == "round":
            value, places = self.expr(e.args[0]), self.expr(e.args[1])
            mode = ROUNDING[e.args[2].name]  # type: ignore[union-attr]
            return _rounding(value, places, mode)
        args = [self.expr(a) for a in e.args]
        if name == "rank":
            scale = self.checked.type_of(e.args[0])
            labels = scale.labels if isinstance(scale, t.LabelT) else ()
            ranks = {label: Decimal(i + 1) for i, label in enumerate(labels)}
            only = args[0]
            return lambda env: ranks[only(env)]
        if len(args) == 1 and isinstance(self.checked.type_of(e.args[0]), t.ListT):
            source = args[0]
            reducer = _REDUCERS[name]
            return lambda env: reducer(source(env), name)
        if name == "min":
            return lambda env: min(f(env) for f in args)
        if name == "max":
            return lambda env: max(f(env) for f in args)
        if name == "clamp":
            x, low, high = args
            return lambda env: min(max(x(env), low(env)), high(env))
        if name == "abs":
            return lambda env: abs(args[0](env))
        if name == "floor":
            return lambda env: args[0](env).to_integral_value(rounding=ROUND_FLOOR)
        if name == "ceiling":
            return lambda env: args[0](env).to_integral_value(rounding=ROUND_CEILING)
        raise ValueError(name)

    def aggregate(self, e: s.Aggregate) -> Fn:
        source = self.expr(e.source)
        literal = _counted_literal(e)
        if literal is not None and e.variable not in self.optional_inputs and isinstance(e.source, s.ListLit):
            # count(n for n in [...] where n = "X"): list.count compares each element with ==, as the
            # `where` would, without binding the variable in the environment for each element
            wanted = literal.value
            return lambda env: Decimal(source(env).count(wanted))
        item = self.expr(e.item)
        where = self.expr(e.where) if e.where is not None else None
        weight = self.expr(e.weight) if e.weight is not None else None
        variable = e.variable
        function = e.function

        def collect(env: Env) -> tuple[list[Any], list[Any]]:
            saved = env.get(variable, ABSENT)
            values, weights = [], []
            try:
                for element in source(env):
                    env[variable] = element
                    if where is not None and not where(env):
                        continue
                    values.append(item(env) if function != "count" else element)
                    if weight is not None:
                        weights.append(weight(env))
            finally:
                if saved is ABSENT:
                    env.pop(variable, None)
                else:
                    env[variable] = saved
            return values, weights

        if function == "weighted_mean":
            def weighted(env: Env) -> Any:
                values, weights = collect(env)
                total = sum(weights, Decimal(0))
                if not values or total == 0:
                    raise _Failure("K707", function=function)
                return ARITHMETIC.divide(sum((ARITHMETIC.multiply(v, w) for v, w in zip(values, weights, strict=True)), Decimal(0)), total)
            return weighted
        reducer = _REDUCERS[function]
        return lambda env: reducer(collect(env)[0], function)


GIVEN = Decision("given")


def _row_result(result: Fn, decision: Decision, env: Env) -> tuple[Any, Decision]:
    """The chosen row's result; a failure in it names the row (the row an example reached)."""
    try:
        return result(env), decision
    except _Failure as failure:
        failure.args_.setdefault("row", decision.index + 1)
        raise


def _counted_literal(e: s.Aggregate) -> s.StringLit | s.BoolLit | None:
    """The label or boolean of `count(v for v in ... where v = literal)` (either side), else None."""
    where = e.where
    if e.function != "count" or e.weight is not None or not isinstance(where, s.Binary) or where.op != "=":
        return None
    for one, other in ((where.left, where.right), (where.right, where.left)):
        if isinstance(one, s.Name) and one.name == e.variable and isinstance(other, (s.StringLit, s.BoolLit)):
            return other
    return None


def _ready(e: s.Expr, decision: Decision) -> tuple[Any, Decision] | None:
    """A literal result's (value, decision) pair, built once instead of on every evaluation."""
    if isinstance(e, (s.NumberLit, s.StringLit, s.BoolLit)):
        return e.value, decision
    return None


Candidate = tuple[Fn | None, Fn, Decision, "tuple[Any, Decision] | None"]  # guard, result, decision, ready


def _candidates(decl: s.TableDecl, subject_type: t.Type, rows: list[Candidate]) -> Callable[[Any], tuple[Candidate, ...]] | None:
    """For a first-hit table: x -> the rows whose condition holds for x, in order; None if not specialisable.

    Only the guards (and results) are left to run. Rows after the first unguarded
    candidate can never be reached, so they are dropped.
    """
    conditions = [row.condition for row in decl.rows]

    def upto_unguarded(chosen: list[Candidate]) -> tuple[Candidate, ...]:
        for i, row in enumerate(chosen):
            if row[0] is None:
                return tuple(chosen[: i + 1])
        return tuple(chosen)

    if all(isinstance(c, (s.Equals, s.Otherwise)) for c in conditions) and isinstance(subject_type, (t.LabelT, t.LiteralLabelT, t.BoolT, t.NumberT)):
        values = [c.value.value for c in conditions if isinstance(c, s.Equals)]
        if not all(isinstance(v, (str, bool)) or (isinstance(v, Decimal) and v.is_finite()) for v in values):
            return None
        # a dictionary finds the value by hash and ==, as `_matcher`'s `x == expected` does for these types;
        # each value's rows are its own `= v` rows merged with the `otherwise` rows, in row order
        # (one pass, not one per value: thousands of rows over a thousand labels stay linear)
        equal: dict[Any, list[int]] = {}
        fallback = [i for i, c in enumerate(conditions) if isinstance(c, s.Otherwise)]
        for i, c in enumerate(conditions):
            if isinstance(c, s.Equals):
                equal.setdefault(c.value.value, []).append(i)

        def first_rows(indices: Iterable[int]) -> tuple[Candidate, ...]:
            chosen: list[Candidate] = []
            for i in indices:
                chosen.append(rows[i])
                if rows[i][0] is None:
                    break  # an unguarded row: nothing after it can be reached
            return upto_unguarded(chosen)

        by_value = {v: first_rows(heapq.merge(found, fallback)) for v, found in equal.items()}
        default = first_rows(fallback)
        get = by_value.get
        return lambda x: get(x, default)
    if all(isinstance(c, (s.Interval, s.Otherwise)) for c in conditions) and isinstance(subject_type, t.NumberT):
        # the number line cut at every bound: each bound is one piece, each gap between bounds another
        ends = sorted({b for c in conditions if isinstance(c, s.Interval) for b in (c.low, c.high) if b is not None})
        if not all(isinstance(b, Decimal) and b.is_finite() for b in ends):
            return None

        points, gaps = _pieces(conditions, rows, ends, upto_unguarded)
        count = len(ends)

        def pieces(x: Any) -> tuple[Candidate, ...]:
            i = bisect_left(ends, x)  # exact: Decimal comparisons
            if i < count and ends[i] == x:
                return points[i]
            return gaps[i]

        return pieces
    return None


def _pieces(conditions: list[s.Condition], rows: list[Candidate], ends: list[Decimal],
            upto_unguarded: Callable[[list[Candidate]], tuple[Candidate, ...]]) -> tuple[list[tuple[Candidate, ...]], list[tuple[Candidate, ...]]]:  # fmt: skip
    """The candidate rows of each bound (`points`) and of each open gap between bounds (`gaps`).

    Piece 2i is the gap below `ends[i]`, piece 2i+1 the bound `ends[i]` itself, piece 2m the
    gap above the last bound. Each row holds a run of pieces, found by bisection; one sweep
    over the pieces keeps the rows holding the current one, in row order. (Testing every row
    against every piece cost n²: a 10,000-row table took minutes to load.)
    """
    last_piece = 2 * len(ends)
    starts: list[list[int]] = [[] for _ in range(last_piece + 2)]
    stops: list[list[int]] = [[] for _ in range(last_piece + 2)]
    for index, c in enumerate(conditions):
        if isinstance(c, s.Interval):
            first = 0 if c.low is None else 2 * bisect_left(ends, c.low) + (1 if c.low_closed else 2)
            last = last_piece if c.high is None else 2 * bisect_left(ends, c.high) + (1 if c.high_closed else 0)
        else:  # otherwise
            first, last = 0, last_piece
        if first <= last:
            starts[first].append(index)
            stops[last + 1].append(index)
    active: list[int] = []
    found: list[tuple[Candidate, ...]] = []
    for piece in range(last_piece + 1):
        for index in stops[piece]:
            del active[bisect_left(active, index)]
        for index in starts[piece]:
            insort(active, index)
        chosen: list[Candidate] = []
        for index in active:
            chosen.append(rows[index])
            if rows[index][0] is None:
                break  # later rows can never be reached on this piece
        found.append(upto_unguarded(chosen))
    return found[1::2], found[0::2]


def _applicable(condition: Fn, computed: Callable[[Env], tuple[Any, Decision]]) -> Callable[[Env], tuple[Any, Decision]]:
    """A definition with `when`: computed only where its condition holds, else absent."""

    def compute(env: Env) -> tuple[Any, Decision]:
        if not condition(env):
            return ABSENT, NOT_APPLICABLE
        return computed(env)

    return compute


def _suppliable(name: str, computed: Callable[[Env], tuple[Any, Decision]]) -> Callable[[Env], tuple[Any, Decision]]:
    """A definition that may be given as an input: the given value wins."""

    def compute(env: Env) -> tuple[Any, Decision]:
        value = env.get(name, ABSENT)
        if value is not ABSENT:
            return value, GIVEN
        return computed(env)

    return compute


def _sum(values: list[Any], function: str) -> Any:
    total = Decimal(0)
    for v in values:
        total = ARITHMETIC.add(total, v)
    return total


def _mean(values: list[Any], function: str) -> Any:
    if not values:
        raise _Failure("K707", function=function)
    return ARITHMETIC.divide(_sum(values, function), Decimal(len(values)))


def _count(values: list[Any], function: str) -> Any:
    return Decimal(len(values))


def _min(values: list[Any], function: str) -> Any:
    if not values:
        raise _Failure("K707", function=function)
    return min(values)


def _max(values: list[Any], function: str) -> Any:
    if not values:
        raise _Failure("K707", function=function)
    return max(values)


_REDUCERS: dict[str, Callable[[list[Any], str], Any]] = {"sum": _sum, "mean": _mean, "count": _count, "min": _min, "max": _max}


def _matcher(cond: s.Condition) -> Callable[[Any], bool]:
    if isinstance(cond, s.Otherwise):
        return lambda x: True
    if isinstance(cond, s.Equals):
        expected = cond.value.value
        return lambda x: x == expected
    return _interval_matcher(cond)


def _interval_matcher(i: s.Interval) -> Callable[[Any], bool]:
    low, high = i.low, i.high
    if low is not None and high is not None:
        if i.low_closed and i.high_closed:
            return lambda x: low <= x <= high
        if i.low_closed:
            return lambda x: low <= x < high
        if i.high_closed:
            return lambda x: low < x <= high
        return lambda x: low < x < high
    if low is not None:
        return (lambda x: x >= low) if i.low_closed else (lambda x: x > low)
    if high is not None:
        return (lambda x: x <= high) if i.high_closed else (lambda x: x < high)
    return lambda x: True


def _matcher_for_key(key: s.AxisKey) -> Callable[[Any], bool]:
    if isinstance(key, s.StringLit):
        label = key.value
        return lambda x: x == label
    return _interval_matcher(key)
