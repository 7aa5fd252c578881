"""Why not? The least change of one input that gives an employee the result they expected.

`kinerja explain RULESET INPUT --why-not "predikat=Baik"` answers what an employee
filing an objection (keberatan) asks: what would have had to be different? For
each input, everything else held as recorded, it finds the values nearest the
recorded one that meet the target — upward and downward — or says that none
exists within the input's declared range.

How, for a number: its domain comes from the range analysis (`analysis.ranges`:
the declared range and grid, `places 2` is a grid of 0.01). A result can only
change where some decision changes (a band row, a quadrant cell, a weight
branch, an exception) or where a number crosses the target. So candidate values
are: the range's ends, the recorded value, an even sample of the grid, and, between
two neighbouring candidates that decide alike, the exact points where each
intermediate number would reach a band bound or a constant the ruleset compares
with (solved on the straight line through the two — every formula is affine in
one input while the decisions stay the same). Between neighbours that decide
differently, bisection on the grid finds the two adjacent grid points where they
part. Every candidate is evaluated with the real evaluator, so an answer is
always a value the ruleset was run on, never an estimate; the nearest candidate
that meets the target is the answer. Labels and booleans are tried one by one;
on a scale, the nearest label (fewest steps) wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from kinerja.analysis.ranges import Finite, Num, from_type
from kinerja.audit.wording import localize_numbers, number_text, signed_text
from kinerja.diagnostics.diagnostic import CodedError, KinerjaError
from kinerja.diagnostics.messages import message
from kinerja.library.ruleset import Ruleset
from kinerja.semantics import types as t
from kinerja.semantics.check import suggest
from kinerja.semantics.values import ABSENT, value_text
from kinerja.syntax import printer
from kinerja.syntax import tree as s

SAMPLES = 64  # evenly spaced grid points tried first, per numeric input
CONTINUOUS_STEP = Decimal("0.0001")  # the grid used for a decimal declared without `places`
OPERATORS = (">=", "<=", "!=", "=", ">", "<")


class WhyNotUsageError(CodedError):
    """A `--why-not` target that names no output or label of the ruleset."""


@dataclass(frozen=True)
class Target:
    name: str
    op: str
    value: Any
    order: tuple[str, ...] | None = None  # a scale's labels, lowest first: `predikat >= "Baik"` compares ranks

    def holds(self, actual: Any) -> bool:
        if actual is ABSENT or actual is None:
            return self.op == "!=" and self.value is not None
        if self.order is not None and self.op not in ("=", "!="):
            if actual not in self.order:
                return False
            rank, wanted = Decimal(self.order.index(actual)), Decimal(self.order.index(self.value))
            return Target(self.name, self.op, wanted).holds(rank)
        try:
            if self.op == "=":
                return bool(actual == self.value) and type(actual) is type(self.value)
            if self.op == "!=":
                return not (actual == self.value and type(actual) is type(self.value))
            if not isinstance(actual, Decimal):
                return False
            return bool({">=": actual >= self.value, "<=": actual <= self.value, ">": actual > self.value,
                         "<": actual < self.value}[self.op])  # fmt: skip
        except TypeError:
            return False

    def text(self) -> str:
        value = printer.quote(self.value) if isinstance(self.value, str) else value_text(self.value)
        return f"{self.name} {self.op} {value}"


def parse_target(text: str, ruleset: Ruleset) -> Target:
    """`predikat=Baik`, `predikat = "Baik"`, `nilai_kinerja>=90`, `lulus=true`."""
    for op in OPERATORS:
        name, sep, raw = text.partition(op)
        if sep:
            break
    else:
        raise WhyNotUsageError("X_WHY_SYNTAX", text=text)
    name, raw = name.strip(), raw.strip().strip('"').strip("'")
    known = [n for n in ruleset.checked.definitions if n not in ruleset.checked.inputs] + list(ruleset.output_names)
    if name not in ruleset.checked.definitions:
        hint = suggest(name, known)
        raise WhyNotUsageError("X_WHY_NAME", name=name, known=", ".join(dict.fromkeys(ruleset.output_names)),
                               hint=hint.render("en") if hint else "")  # fmt: skip
    found = ruleset.checked.types.get(name)
    if isinstance(found, t.LabelT):
        if raw not in found.labels:
            raise WhyNotUsageError("X_WHY_LABEL", name=name, value=raw, known=", ".join(printer.quote(x) for x in found.labels))
        if op not in ("=", "!=") and not found.ordered:
            raise WhyNotUsageError("X_WHY_ORDER", name=name, op=op)
        return Target(name, op, raw, found.labels if found.ordered else None)
    if isinstance(found, t.BoolT):
        truth = {"true": True, "ya": True, "yes": True, "false": False, "tidak": False, "no": False}.get(raw.lower())
        if truth is None or op not in ("=", "!="):
            raise WhyNotUsageError("X_WHY_VALUE", name=name, value=raw, expected="true/false")
        return Target(name, op, truth)
    try:
        return Target(name, op, Decimal(raw.replace(",", ".")))
    except ArithmeticError:
        raise WhyNotUsageError("X_WHY_VALUE", name=name, value=raw, expected=found.describe() if found else "?") from None


@dataclass(frozen=True)
class Remedy:
    """Changing one input to `value` (everything else as recorded) meets the target."""

    input: str
    old: Any
    value: Any
    change: Decimal | None  # new − old for numbers; rank steps on a scale; None for other labels and booleans
    outputs: dict[str, Any]  # the outputs with that value

    @property
    def size(self) -> Decimal:
        return abs(self.change) if self.change is not None else Decimal(1)


@dataclass(frozen=True)
class InputAnswer:
    input: str
    old: Any
    nearest: tuple[Remedy, ...]  # the nearest upward and downward (numbers), or the nearest labels; empty: none
    low: Any = None  # the range searched (numbers)
    high: Any = None
    relative: Decimal | None = None  # the least change as a fraction of the range (orders inputs)


@dataclass(frozen=True)
class WhyNot:
    ruleset: str
    target: Target
    current: Any
    holds_now: bool
    answers: tuple[InputAnswer, ...]  # inputs with a remedy, least relative change first
    impossible: tuple[str, ...]  # inputs for which no value within their range meets the target
    skipped: tuple[str, ...]  # inputs not searched (lists, unbounded numbers)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ruleset": self.ruleset, "target": {"name": self.target.name, "op": self.target.op, "value": self.target.value},
            "current": _plain(self.current), "holds_now": self.holds_now,
            "answers": [{"input": a.input, "old": _plain(a.old), "low": a.low, "high": a.high,
                         "nearest": [{"value": _plain(r.value), "change": r.change,
                                      "outputs": {k: _plain(v) for k, v in r.outputs.items()}} for r in a.nearest]}
                        for a in self.answers],
            "none_within_range": list(self.impossible), "not_searched": list(self.skipped),
        }  # fmt: skip

    def render(self, lang: str | None = None) -> str:
        show = lambda v: _show(v, lang)  # noqa: E731
        target = localize_numbers(self.target.text(), lang)
        lines = [message("X_WHY_TITLE", lang, target=target, ruleset=self.ruleset),
                 message("X_WHY_NOW", lang, name=self.target.name, value=show(self.current))]  # fmt: skip
        if self.holds_now:
            lines.append(message("X_WHY_HOLDS", lang, target=target))
            return "\n".join(lines)
        if not self.answers:
            lines.append(message("X_WHY_NONE", lang, target=target))
        else:
            lines.append(message("X_WHY_ANSWERS", lang, target=target))
            for answer in self.answers:
                for remedy in answer.nearest:
                    change = f" ({signed_text(remedy.change, lang)})" if remedy.change is not None and isinstance(remedy.value, Decimal) else ""
                    outputs = "; ".join(f"{k} = {show(v)}" for k, v in remedy.outputs.items())
                    lines.append(message("X_WHY_REMEDY", lang, name=answer.input, old=show(answer.old), new=show(remedy.value),
                                         change=change, outputs=outputs))  # fmt: skip
        if self.impossible:
            lines.append(message("X_WHY_IMPOSSIBLE", lang, target=target, names=", ".join(self.impossible)))
        if self.skipped:
            lines.append(message("X_WHY_SKIPPED", lang, names=", ".join(self.skipped)))
        return "\n".join(lines)


def _plain(value: Any) -> Any:
    return None if value is ABSENT else value


def _show(value: Any, lang: str | None) -> str:
    if value is ABSENT or value is None:
        return message("X_WORD_ABSENT", lang)
    if isinstance(value, bool):
        return message("X_WORD_TRUE" if value else "X_WORD_FALSE", lang)
    if isinstance(value, str):
        return printer.quote(value)
    if isinstance(value, Decimal):
        return number_text(value, lang)
    return localize_numbers(value_text(value), lang)


# ---------------------------------------------------------------- the search


class _Probe:
    """Evaluates the record with one input replaced; remembers what it saw."""

    def __init__(self, ruleset: Ruleset, base: dict[str, Any], name: str, target: Target, current: dict[str, Any]):
        self.ruleset, self.base, self.name, self.target, self.current = ruleset, base, name, target, current
        self.seen: dict[Any, tuple[tuple[Any, ...], bool, dict[str, Any]]] = {}

    def __call__(self, value: Any) -> tuple[tuple[Any, ...], bool, dict[str, Any]]:
        found = self.seen.get(value)
        if found is not None:
            return found
        record = dict(self.base)
        record[self.name] = value
        try:
            env = self.ruleset.validate(record)
            decisions = self.ruleset.program.execute(env)
        except KinerjaError:
            found = (("error",), False, {})
        else:
            signature = tuple((d.kind, d.index, d.column, d.exception.name if d.exception else None) for d in decisions)
            found = (signature, self.target.holds(env.get(self.target.name)), env)
        self.seen[value] = found
        return found

    def signature(self, value: Any) -> tuple[Any, ...]:
        decisions, holds, _ = self(value)
        return (decisions, holds)


def why_not(ruleset: Ruleset, record: Mapping[str, Any], target: Target, *, text_values: bool = False) -> WhyNot:
    """The least change of each input that meets `target` (see the module docstring)."""
    env = ruleset.validate(record, text_values=text_values)
    result_env = dict(env)
    ruleset.program.execute(result_env)
    current = result_env.get(target.name)
    ref = f"{ruleset.id}@{ruleset.version}"
    base = {n: env[n] for n in ruleset.checked.inputs if env.get(n, ABSENT) is not ABSENT and n not in ruleset.checked.definitions}
    if target.holds(current):
        return WhyNot(ref, target, current, True, (), (), ())
    thresholds = _thresholds(ruleset, target)
    answers, impossible, skipped = [], [], []
    for name in ruleset.checked.inputs:
        if name in ruleset.checked.definitions:
            continue  # a definition that may be given: its own rules decide it
        domain = from_type(ruleset.checked.types.get(name, t.ERROR))
        probe = _Probe(ruleset, base, name, target, result_env)
        old = env.get(name, ABSENT)
        if isinstance(domain, Num) and domain.low is not None and domain.high is not None:
            answer = _numeric(probe, name, old, domain, thresholds)
        elif isinstance(domain, Finite):
            answer = _finite(probe, name, old, domain, ruleset)
        else:
            skipped.append(name)
            continue
        (answers if answer.nearest else impossible).append(answer if answer.nearest else name)
    answers.sort(key=lambda a: (a.relative if a.relative is not None else Decimal(1), list(ruleset.checked.inputs).index(a.input)))
    return WhyNot(ref, target, current, False, tuple(answers), tuple(impossible), tuple(skipped))


def _outputs(probe: _Probe, env: dict[str, Any]) -> dict[str, Any]:
    """The target and every output whose value the change moves."""
    before = probe.current
    return {name: env.get(name) for name in dict.fromkeys([probe.target.name, *probe.ruleset.output_names])
            if name == probe.target.name or env.get(name) != before.get(name)}  # fmt: skip


def _finite(probe: _Probe, name: str, old: Any, domain: Finite, ruleset: Ruleset) -> InputAnswer:
    typ = ruleset.checked.types.get(name)
    order = list(typ.labels) if isinstance(typ, t.LabelT) else [False, True] if isinstance(typ, t.BoolT) else sorted(domain.values, key=str)
    scale = isinstance(typ, t.LabelT) and typ.ordered
    found = []
    for value in order:
        if value == old and type(value) is type(old):
            continue
        _, holds, env = probe(value)
        if holds:
            steps = Decimal(order.index(value) - order.index(old)) if scale and old in order else None
            found.append(Remedy(name, old, value, steps, _outputs(probe, env)))
    if scale and found:
        least = min(r.size for r in found)
        found = [r for r in found if r.size == least]
        relative = least / max(len(order) - 1, 1)
    else:
        relative = Decimal(1) if found else None
    return InputAnswer(name, old, tuple(found[:2] if scale else found[:1]), relative=relative)


def _numeric(probe: _Probe, name: str, old: Any, domain: Num, thresholds: list[Decimal]) -> InputAnswer:
    low, high = domain.low, domain.high
    assert low is not None and high is not None
    step = domain.step if domain.step else CONTINUOUS_STEP

    def snap(x: Decimal, rounding: str) -> Decimal:
        snapped = low + ((x - low) / step).to_integral_value(rounding) * step
        return min(max(snapped, low), high)

    points = {low, high}
    if isinstance(old, Decimal):
        points.add(snap(old, ROUND_FLOOR))
        points.add(snap(old, ROUND_CEILING))
    count = int((high - low) / step) + 1
    if count <= 4 * SAMPLES:  # a small grid (a count of days, a score 0–4) is simply tried whole
        points |= {low + i * step for i in range(count)}
    for i in range(SAMPLES + 1):
        points.add(snap(low + (high - low) * i / SAMPLES, ROUND_FLOOR))
    for _ in range(3):  # affine solving, then bisection; a second round refines around new points
        ordered = sorted(points)
        points |= _affine_candidates(probe, ordered, thresholds, snap)
        ordered = sorted(points)
        for a, b in zip(ordered, ordered[1:], strict=False):
            if probe.signature(a) != probe.signature(b):
                points |= _bisect(probe, a, b, step)
        if count <= len(points):
            break
    satisfying = sorted(x for x in points if probe(x)[1])
    if not satisfying:
        return InputAnswer(name, old, (), low, high)
    start = old if isinstance(old, Decimal) else low
    above = [x for x in satisfying if x > start]
    below = [x for x in satisfying if x < start]
    nearest = []
    for x in ([above[0]] if above else []) + ([below[-1]] if below else []):
        nearest.append(Remedy(name, old, x, x - start, _outputs(probe, probe(x)[2])))
    nearest.sort(key=lambda r: (r.size, -(r.change or 0)))
    span = high - low
    relative = nearest[0].size / span if span else Decimal(0)
    return InputAnswer(name, old, tuple(nearest), low, high, relative)


def _bisect(probe: _Probe, a: Decimal, b: Decimal, step: Decimal) -> set[Decimal]:
    """Two adjacent grid points between a and b where the signature changes (a's side, b's side)."""
    lo, hi = a, b
    reference = probe.signature(a)
    while hi - lo > step:
        middle = lo + ((hi - lo) / step / 2).to_integral_value(ROUND_FLOOR) * step
        if middle <= lo or middle >= hi:
            break
        if probe.signature(middle) == reference:
            lo = middle
        else:
            hi = middle
    return {lo, hi}


def _affine_candidates(probe: _Probe, ordered: list[Decimal], thresholds: list[Decimal], snap: Any) -> set[Decimal]:
    """Where a number computed from the input would reach a threshold, between neighbours that decide alike."""
    found: set[Decimal] = set()
    for a, b in zip(ordered, ordered[1:], strict=False):
        sa, _, ea = probe(a)
        sb, _, eb = probe(b)
        if sa != sb or not ea or not eb or b <= a:
            continue
        for key, va in ea.items():
            vb = eb.get(key)
            if not (isinstance(va, Decimal) and isinstance(vb, Decimal)) or isinstance(va, bool) or va == vb:
                continue
            for threshold in thresholds:
                if (va - threshold) * (vb - threshold) > 0:
                    continue
                x = a + (threshold - va) * (b - a) / (vb - va)
                found.add(snap(x, ROUND_FLOOR))
                found.add(snap(x, ROUND_CEILING))
    return found


def _thresholds(ruleset: Ruleset, target: Target) -> list[Decimal]:
    """Every bound a decision or the target compares a number with: band bounds, quadrant keys, constants."""
    found: set[Decimal] = set()
    if isinstance(target.value, Decimal) and not isinstance(target.value, bool):
        found.add(target.value)

    def condition(c: Any) -> None:
        if isinstance(c, s.Interval):
            found.update(x for x in (c.low, c.high) if x is not None)
        elif isinstance(c, s.Equals) and isinstance(c.value.value, Decimal) and not isinstance(c.value.value, bool):
            found.add(c.value.value)

    def walk(e: Any) -> None:
        if isinstance(e, s.NumberLit):
            found.add(e.value)
        elif e is not None and hasattr(e, "__dataclass_fields__"):
            for field_name in e.__dataclass_fields__:
                if field_name != "span":
                    value = getattr(e, field_name)
                    for item in value if isinstance(value, tuple) else (value,):
                        if hasattr(item, "__dataclass_fields__"):
                            walk(item)

    for decl in ruleset.checked.definitions.values():
        for row in getattr(decl, "rows", ()) or ():
            if isinstance(row, s.Row):
                condition(row.condition)
                walk(row.guard)
                walk(row.result)
            elif isinstance(row, s.MatrixRow):
                condition(row.key)
        for key in getattr(decl, "columns", ()) or ():
            condition(key)
        for name in ("expr", "applies", "subject"):
            walk(getattr(decl, name, None))
        for branch in getattr(decl, "branches", ()) or ():
            walk(branch.condition)
    for exceptions in ruleset.checked.exceptions.values():
        for e in exceptions:
            walk(e.condition)
    return sorted(found)


__all__ = ["Target", "WhyNot", "WhyNotUsageError", "parse_target", "why_not"]
