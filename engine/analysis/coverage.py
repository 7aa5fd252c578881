"""Coverage of band tables and quadrants over the values their subject can take.

Rows are matched by kinerja.semantics.conditions; a continuous subject is cut into the
pieces of a `NumberLine`, so gaps, overlaps and shadowed rows are found in one pass over
the pieces (n log n in the number of rows, not n²).

Regions are intervals `(low, low_closed, high, high_closed)` with `None` for an
unbounded side. A region only matters if it holds a value the subject can
really take: a grid point for integers and decimals with `places` (4.41 … 4.49
between `[0, 4.4]` and `[4.5, 8]`), any point for a continuous decimal (80
between `< 80` and `> 80`), nothing between integer rows `[2, 3]` and `[4, 5]`.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
from dataclasses import field
from decimal import MAX_EMAX, MIN_EMIN, ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal
from typing import Any

from kinerja.analysis.ranges import Evaluations, Evaluator, Finite, Num
from kinerja.diagnostics.diagnostic import ERROR, WARNING, Diagnostic, Related, diagnostic
from kinerja.semantics import conditions as cond
from kinerja.semantics import ir
from kinerja.semantics import types as t
from kinerja.syntax import tree as s
from kinerja.syntax.frozen import dataclass
from kinerja.syntax.numbers import strip
from kinerja.syntax.printer import condition as show_condition
from kinerja.syntax.printer import expr as show_expr
from kinerja.syntax.printer import literal

Region = tuple[Decimal | None, bool, Decimal | None, bool]
FULL: Region = (None, False, None, False)
MAX_SCENARIOS = 64


# ------------------------------------------------------------------ interval arithmetic
def nonempty(r: Region) -> bool:
    low, low_closed, high, high_closed = r
    if low is None or high is None:
        return True
    return low < high or (low == high and low_closed and high_closed)


def intersect(a: Region, b: Region) -> Region:
    low, low_closed = _tighter_low(a[0], a[1], b[0], b[1])
    high, high_closed = _tighter_high(a[2], a[3], b[2], b[3])
    return (low, low_closed, high, high_closed)


def _tighter_low(x: Decimal | None, xc: bool, y: Decimal | None, yc: bool) -> tuple[Decimal | None, bool]:
    if x is None:
        return y, yc
    if y is None or x > y:
        return x, xc
    if y > x:
        return y, yc
    return x, xc and yc


def _tighter_high(x: Decimal | None, xc: bool, y: Decimal | None, yc: bool) -> tuple[Decimal | None, bool]:
    if x is None:
        return y, yc
    if y is None or x < y:
        return x, xc
    if y < x:
        return y, yc
    return x, xc and yc


def subtract(pieces: list[Region], cover: Region) -> list[Region]:
    out = []
    for p in pieces:
        if not nonempty(intersect(p, cover)):
            out.append(p)
            continue
        if cover[0] is not None:
            left = intersect(p, (None, False, cover[0], not cover[1]))
            if nonempty(left):
                out.append(left)
        if cover[2] is not None:
            right = intersect(p, (cover[2], not cover[3], None, False))
            if nonempty(right):
                out.append(right)
    return out


def merge_on_grid(pieces: list[Region], step: Decimal | None) -> list[Region]:
    """The uncovered pieces that hold grid values, neighbours on the grid joined into one.

    Over integers `(0, 1)` covers nothing, so 0 and 1 … 20 are one gap, not two.
    """
    if step is None or step == 0:
        return [p for p in pieces if grid_bounds(p, step) is not None]
    bounded = [(p, grid_bounds(p, step)) for p in pieces]
    held = sorted(
        ((p, b) for p, b in bounded if b is not None),
        key=lambda pb: (pb[1][0] is not None, pb[1][0] if pb[1][0] is not None else Decimal(0)),
    )
    merged: list[Region] = []
    last_high: Decimal | None = None
    for piece, (first, last) in held:
        if merged and last_high is not None and first is not None and first - last_high == step:
            low, low_closed, _, _ = merged[-1]
            merged[-1] = (low, low_closed, piece[2], piece[3])
        else:
            merged.append(piece)
        last_high = last
    return merged


def grid_bounds(r: Region, step: Decimal | None) -> tuple[Decimal | None, Decimal | None] | None:
    """The first and last value of the grid inside `r` (None for unbounded), or None if it holds none."""
    if not nonempty(r):
        return None
    low, low_closed, high, high_closed = r
    if step is None:
        return (low, high)
    if step == 0:
        return (Decimal(0), Decimal(0)) if _contains(r, Decimal(0)) else None
    first = last = None
    if low is not None:
        k, exact = _steps(low, step, ROUND_CEILING)
        if exact and not low_closed:
            k += 1
        first = _times(k, step)
    if high is not None:
        k, exact = _steps(high, step, ROUND_FLOOR)
        if exact and not high_closed:
            k -= 1
        last = _times(k, step)
    if first is not None and last is not None and first > last:
        return None
    return (first, last)


def _steps(x: Decimal, step: Decimal, rounding: str) -> tuple[int, bool]:
    """How many steps make `x` (rounded as asked), and whether exactly; in integers, so exact at any size.

    (`(x / step).to_integral_value()` rounds the quotient to 28 digits first.)
    """
    p, q = x.as_integer_ratio()
    r, t = step.as_integer_ratio()
    numerator, denominator = p * t, q * r  # x / step, as a fraction with a positive denominator
    quotient, remainder = divmod(numerator, denominator)  # floor division
    if remainder == 0:
        return quotient, True
    if rounding == ROUND_FLOOR:
        return quotient, False
    if rounding == ROUND_CEILING:
        return quotient + 1, False
    twice = 2 * remainder  # half up: away from zero on a tie
    if twice > denominator or (twice == denominator and numerator > 0):
        return quotient + 1, False
    return quotient, False


# k × step in this context is exact: far more digits than any grid value within the limits has
_EXACT = Context(prec=100_000, Emax=MAX_EMAX, Emin=MIN_EMIN)


def _times(k: int, step: Decimal) -> Decimal:
    """k × step, exactly."""
    return _EXACT.multiply(Decimal(k), step)


def _contains(r: Region, x: Decimal) -> bool:
    low, low_closed, high, high_closed = r
    if low is not None and (x < low or (x == low and not low_closed)):
        return False
    return not (high is not None and (x > high or (x == high and not high_closed)))


def witness(r: Region, step: Decimal | None) -> Decimal:
    """A value of the grid inside `r`, near its middle: what an officer would try."""
    bounds = grid_bounds(r, step)
    assert bounds is not None
    first, last = bounds
    if step is None:
        low, _, high, _ = r
        if low is not None and high is not None:
            return (low + high) / 2 if low != high else low
        if low is not None:
            return low + 1
        return high - 1 if high is not None else Decimal(0)
    if first is None and last is None or step == 0:
        return Decimal(0)  # (a step of 0: the subject is exactly 0)
    if first is None:
        assert last is not None
        return last
    if last is None:
        return first
    low, _, high, _ = r
    # the middle of the region as written is the value a person would try (115 in (110, 120])
    middle = (low + high) / 2 if low is not None and high is not None else (first + last) / 2
    k, _ = _steps(middle, step, ROUND_HALF_UP)
    return strip(min(max(_times(k, step), first), last))


def describe(r: Region, step: Decimal | None) -> str:
    bounds = grid_bounds(r, step)
    if step is not None and bounds is not None:
        first, last = bounds
        if first is not None and last is not None:
            return literal(strip(first)) if first == last else f"{literal(strip(first))} … {literal(strip(last))}"
    low, low_closed, high, high_closed = r
    if low is not None and low == high:
        return literal(low)
    return show_condition(s.Interval(low, low_closed, high, high_closed, s.NOWHERE))


def describe_domain(d: Num | Finite) -> str:
    if isinstance(d, Finite) or d.points is not None:
        values = d.values if isinstance(d, Finite) else d.points
        assert values is not None
        return "{" + ", ".join(literal(v) for v in sorted(values, key=_sort_key)) + "}"
    return describe((d.low, True, d.high, True), None)


def _sort_key(v: Any) -> tuple[int, Any]:
    return (0, v) if isinstance(v, Decimal) else (1, str(v))


# ------------------------------------------------------------------ scenarios
@dataclass
class Scenario:
    values: dict[str, Any]
    evaluator: Evaluator

    def describe(self, names: list[str]) -> str:
        return ", ".join(f"{n} = {literal(self.values[n])}" for n in names if n in self.values)

    def pairs(self, names: list[str]) -> list[tuple[str, Any]]:
        return [(n, self.values[n]) for n in names if n in self.values]


def witness_of(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A finding's witness both in words (`x = 115, inovasi = false`) and as name = value pairs."""
    return {"witness": ", ".join(f"{n} = {literal(v)}" for n, v in pairs), "witness_values": tuple(pairs)}


def discrete_inputs(program: ir.Program, names: list[str]) -> list[str]:
    found = []
    for name in names:
        given = program.input(name)
        if given is not None and program.definition(name) is None and isinstance(given.type, (t.BoolT, t.LabelT)):
            found.append(name)
    return found


def condition_names(program: ir.Program, roots: list[str]) -> list[str]:
    """Names read by the conditions (if, weight branches, exceptions, guards) that shape `roots`."""
    found: list[str] = []
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop(0)
        d = program.definition(name)
        if name in seen or d is None:
            continue
        seen.add(name)
        conditions: list[ir.Expr] = [e.condition for e in d.exceptions]
        reads: list[str] = []
        body = d.body
        if isinstance(body, ir.Formula):
            conditions += [x.condition for x in ir.walk(body.expr) if isinstance(x, ir.Choose)]
            reads = ir.free_reads(body.expr)
        elif isinstance(body, ir.WeightSet):
            conditions += [b.condition for b in body.branches if b.condition is not None]
        elif isinstance(body, ir.Bands):
            conditions += [r.guard for r in body.rows if r.guard is not None]
            reads = ir.free_reads(body.subject)
        for c in conditions:
            reads += ir.free_reads(c)
        found += [n for n in reads if n not in found]
        todo += reads
    return found


def scenarios(program: ir.Program, first: list[str], rest: list[str], exclude: set[str],
              evaluations: Evaluations | None = None) -> tuple[list[Scenario], list[str]]:  # fmt: skip
    dims: list[str] = []
    size = 1
    for name in discrete_inputs(program, first) + discrete_inputs(program, rest):
        if name in dims or name in exclude:
            continue
        count = len(_dim_values(program, name))
        if size * count > MAX_SCENARIOS:
            continue  # left undecided: the evaluator joins over it
        dims.append(name)
        size *= count
    if evaluations is None:
        evaluations = Evaluations(program)
    out = []
    for combo in itertools.product(*[_dim_values(program, n) for n in dims]):
        values = dict(zip(dims, combo, strict=True))
        out.append(Scenario(values, evaluations.under(values)))
    return out, dims


def _dim_values(program: ir.Program, name: str) -> list[Any]:
    given = program.input(name)
    if given is not None and isinstance(given.type, t.LabelT):
        return list(given.type.labels)
    return [True, False]


# ------------------------------------------------------------------ tables
def region_of(condition: cond.Condition) -> Region | None:
    """A numeric condition as a region; None for a label or boolean."""
    if isinstance(condition, cond.Always):
        return FULL
    if isinstance(condition, cond.Range):
        return (condition.low, condition.low_closed, condition.high, condition.high_closed)
    value = condition.value
    if isinstance(value, Decimal) and not isinstance(value, bool):
        return (value, True, value, True)
    return None


def check_table(program: ir.Program, d: ir.Definition, evaluations: Evaluations | None = None) -> list[Diagnostic]:
    body = d.body
    assert isinstance(body, ir.Bands)
    decl = d.decl
    guard_names = [n for r in body.rows if r.guard is not None for n in ir.free_reads(r.guard)]
    subject_read = body.subject if isinstance(body.subject, ir.Read) and body.subject.scope != "local" else None
    exclude = {subject_read.name} if subject_read is not None else set()
    # an input declared without bounds really takes any value; a derived one we merely failed to bound
    direct_input = subject_read is not None and subject_read.scope == "input"
    cases, dims = scenarios(program, guard_names, condition_names(program, ir.free_reads(body.subject)), exclude, evaluations)
    guard_dims = [x for x in dims if x in guard_names]
    subject = show_expr(body.subject.source)
    tally = _Tally()
    domains: list[Num | Finite] = []
    for case in cases:
        domain = case.evaluator.expr(body.subject)
        if not isinstance(domain, (Num, Finite)) or isinstance(domain, Num) and domain.points is None and not direct_input \
                and (domain.low is None or domain.high is None):  # fmt: skip
            return []  # the subject cannot be bounded: no coverage claim either way
        domains.append(domain)
        status = [True if r.guard is None else case.evaluator.truth(r.guard) for r in body.rows]
        points = domain.values if isinstance(domain, Finite) else domain.points
        if points is not None:
            _discrete(body, sorted(points, key=_sort_key), status, case, tally)
        else:
            _continuous(body, domain, status, case, tally)
    found = []
    for hits in tally.gaps.values():
        case, value, region = hits[0]
        context = _context(cases, hits, guard_dims, dims)
        shown = case.describe(context)
        range_text = describe_domain(domains[cases.index(case)])
        w = witness_of([(subject, value), *case.pairs(context)])
        if shown:
            found.append(diagnostic("K502", decl.span, ERROR, **w, name=d.name, subject=subject, value=literal(value),
                                    assignment=shown, region=region, range=range_text))  # fmt: skip
        else:
            found.append(diagnostic("K501", decl.span, ERROR, **w, name=d.name, subject=subject, value=literal(value),
                                    region=region, range=range_text))  # fmt: skip
    for (i, j), (case, value) in tally.overlaps.items():
        w = witness_of([(subject, value), *case.pairs(guard_dims)])
        other = Related(body.rows[i].decl.span, "R_row", (("row", i + 1), ("name", d.name)))
        found.append(diagnostic("K503", body.rows[j].decl.span, ERROR, **w, related=(other,), name=d.name, first=i + 1,
                                second=j + 1, subject=subject, value=literal(value)))  # fmt: skip
    if body.hit != "unique":
        for index, row in enumerate(body.rows):
            if index in tally.reachable:
                continue
            written = show_condition(row.decl.condition)
            if index in tally.nonempty_rows:
                earlier = sorted(tally.shadowers.get(index, set()))
                rows = ", ".join(str(k + 1) for k in earlier[:MAX_LISTED]) + (", …" if len(earlier) > MAX_LISTED else "")
                related = tuple(Related(body.rows[k].decl.span, "R_row", (("row", k + 1), ("name", d.name)))
                                for k in earlier[:MAX_LISTED])  # fmt: skip
                found.append(diagnostic("K504", row.decl.span, WARNING, related=related, name=d.name, row=index + 1, rows=rows,
                                        condition=written))  # fmt: skip
            elif domains and all(isinstance(x, Num) for x in domains) and region_of(row.condition) is not None:
                ranges = " / ".join(dict.fromkeys(describe_domain(x) for x in domains))
                found.append(diagnostic("K505", row.decl.span, WARNING, name=d.name, row=index + 1, condition=written,
                                        subject=subject, range=ranges))  # fmt: skip
    return found


@dataclass
class _Tally:
    """What the scenarios found about one table's rows."""

    gaps: dict[Any, list[tuple[Scenario, Any, str]]] = field(default_factory=dict)
    overlaps: dict[tuple[int, int], tuple[Scenario, Any]] = field(default_factory=dict)
    reachable: set[int] = field(default_factory=set)
    nonempty_rows: set[int] = field(default_factory=set)
    shadowers: dict[int, set[int]] = field(default_factory=dict)


def _context(cases: list[Scenario], hits: list[tuple[Scenario, Any, str]], guard_dims: list[str], dims: list[str]) -> list[str]:
    """Which scenario names the witness must mention: none if the gap is everywhere."""
    if len(hits) == len(cases):
        return []
    first = hits[0][0]
    same_guards = [c for c in cases if all(c.values[x] == first.values[x] for x in guard_dims)]
    hit_ids = {id(h[0]) for h in hits}
    if guard_dims and all(id(c) in hit_ids for c in same_guards):
        return guard_dims
    return dims


def _discrete(body: ir.Bands, values: list[Any], status: list[bool | None], case: Scenario, tally: _Tally) -> None:
    # rows `= value` found by their value, the others (intervals, otherwise) tried for every value:
    # a table of thousands of `= "label"` rows over an enum of a thousand labels stays linear
    by_value: dict[tuple[type, Any], list[int]] = {}
    others: list[int] = []
    for i, r in enumerate(body.rows):
        if status[i] is False:
            continue
        if isinstance(r.condition, cond.Is):
            by_value.setdefault((type(r.condition.value), r.condition.value), []).append(i)
        else:
            others.append(i)
    for v in values:
        candidates = heapq.merge(by_value.get((type(v), v), []), others)
        matching = [i for i in candidates if cond.matches(body.rows[i].condition, v)]
        sure = [i for i in matching if status[i] is True]
        if not matching:
            tally.gaps.setdefault((v, True, v, True), []).append((case, v, literal(v)))
        if body.hit == "unique" and len(sure) > 1:
            tally.overlaps.setdefault((sure[0], sure[1]), (case, v))
        for i in matching:
            tally.nonempty_rows.add(i)
            if sure and sure[0] < i:  # `sure` is in row order: an earlier row surely matches too
                listed = tally.shadowers.setdefault(i, set())
                if len(listed) <= MAX_LISTED:
                    listed.update(sure[: min(bisect.bisect_left(sure, i), MAX_LISTED + 1)])
            else:
                tally.reachable.add(i)


# ------------------------------------------------------------------ sweeps (n log n over the regions)
# A quadrant's interval keys used to be compared pair by pair (n² intersections). The sweeps
# below sort the regions' bounds once; every question is then a binary search.

Key = tuple[Decimal, int]
_BELOW = Decimal("-Infinity")
_ABOVE = Decimal("Infinity")
MAX_LISTED = 10  # rows named in one K504 ("rows 1, 2, … before it cover it")


def low_key(r: Region) -> Key:
    """Where a region starts, ordered so that two regions meet iff each starts before the other ends."""
    return (_BELOW, 0) if r[0] is None else (r[0], 0 if r[1] else 1)


def high_key(r: Region) -> Key:
    return (_ABOVE, 1) if r[2] is None else (r[2], 1 if r[3] else 0)


def _between(left: Region, right: Region) -> Region:
    """The region strictly between two regions, `left` ending before `right` starts."""
    return (left[2], not left[3], right[0], not right[1])


def _span(left: Region, right: Region) -> Region:
    """From `left`'s start to `right`'s end."""
    return (left[0], left[1], right[2], right[3])


class GridUnion:
    """A union of regions, kept as disjoint regions in order with a grid value between each two.

    Regions that meet, or whose gap holds no value of the grid, are joined: for the question
    "is every grid value of R in the union?" one region must then hold them all.
    """

    def __init__(self, step: Decimal | None):
        self.step = step
        self.regions: list[Region] = []
        self.highs: list[Key] = []  # high_key of each region, increasing

    def add(self, r: Region) -> None:
        if not nonempty(r):
            return
        first = bisect.bisect_right(self.highs, low_key(r))  # regions ending at or before r starts stay left
        if first > 0 and grid_bounds(_between(self.regions[first - 1], r), self.step) is None:
            first -= 1
        last = first
        while last < len(self.regions) and low_key(self.regions[last]) < high_key(r):
            last += 1  # regions meeting r
        if last < len(self.regions) and grid_bounds(_between(r, self.regions[last]), self.step) is None:
            last += 1
        merged = r
        if last > first:
            left, right = self.regions[first], self.regions[last - 1]
            low = left if low_key(left) < low_key(r) else r
            high = right if high_key(right) > high_key(r) else r
            merged = _span(low, high)
        self.regions[first:last] = [merged]
        self.highs[first:last] = [high_key(merged)]

    def first_uncovered(self, r: Region) -> Region | None:
        """The leftmost part of `r` outside the union that holds a grid value, or None."""
        at = bisect.bisect_right(self.highs, low_key(r))
        if at == len(self.regions) or not (low_key(self.regions[at]) < high_key(r)):
            return r if grid_bounds(r, self.step) is not None else None
        first = self.regions[at]
        if first[0] is not None:
            before = intersect(r, (None, False, first[0], not first[1]))
            if grid_bounds(before, self.step) is not None:
                return before
        if at + 1 < len(self.regions) and low_key(self.regions[at + 1]) < high_key(r):
            return intersect(r, _between(first, self.regions[at + 1]))  # a gap of the union: it holds a grid value
        if first[2] is None:
            return None
        after = intersect(r, (first[2], not first[3], None, False))
        return after if grid_bounds(after, self.step) is not None else None

    def covers(self, r: Region) -> bool:
        """True when every grid value of `r` lies in the union."""
        at = bisect.bisect_right(self.highs, low_key(r))  # the first region ending after r starts
        if at == len(self.regions) or not (low_key(self.regions[at]) < high_key(r)):
            return grid_bounds(r, self.step) is None
        if at + 1 < len(self.regions) and low_key(self.regions[at + 1]) < high_key(r):
            return False  # r reaches over a gap, and every gap holds a grid value
        return all(grid_bounds(p, self.step) is None for p in subtract([r], self.regions[at]))


def complement(ordered: list[Region], whole: Region) -> list[Region]:
    """The parts of `whole` outside disjoint regions given in order (the gaps before, between, after)."""
    pieces: list[Region] = []
    previous: Region | None = None
    for region in ordered:
        if previous is not None:
            gap: Region | None = _between(previous, region)
        else:
            gap = None if region[0] is None else (None, False, region[0], not region[1])
        if gap is not None and nonempty(piece := intersect(gap, whole)):
            pieces.append(piece)
        previous = region
    if previous is None:
        return [whole]
    if previous[2] is not None and nonempty(piece := intersect((previous[2], not previous[3], None, False), whole)):
        pieces.append(piece)
    return pieces


class EarlierRegions:
    """Regions added one by one; which of those already added meet a given region (the first few).

    A segment tree over the regions sorted by start, holding the largest end among those added:
    a query descends only into parts holding a region that ends after the given one starts.
    """

    def __init__(self, regions: dict[int, Region]):
        self.order = sorted(regions, key=lambda i: (low_key(regions[i]), i))
        self.lows = [low_key(regions[i]) for i in self.order]
        self.position = {index: at for at, index in enumerate(self.order)}
        self.size = 1
        while self.size < max(len(self.order), 1):
            self.size *= 2
        self.best: list[Key | None] = [None] * (2 * self.size)
        self.regions = regions

    def add(self, index: int) -> None:
        best = self.best
        node = self.size + self.position[index]
        best[node] = high_key(self.regions[index])
        node //= 2
        while node:
            left, right = best[2 * node], best[2 * node + 1]
            value = left if right is None or (left is not None and left >= right) else right
            if best[node] == value:
                break  # nothing above changes either
            best[node] = value
            node //= 2

    def meeting(self, r: Region, limit: int) -> list[int]:
        """Up to `limit` added regions that meet `r` (as real intervals), by index."""
        end = bisect.bisect_left(self.lows, high_key(r))  # only regions starting before r ends
        start = low_key(r)
        found: list[int] = []
        todo = [(1, 0, self.size)]
        while todo and len(found) < limit:
            node, lo, hi = todo.pop()
            best = self.best[node]
            if lo >= end or best is None or not (start < best):
                continue
            if hi - lo == 1:
                found.append(self.order[lo])
                continue
            middle = (lo + hi) // 2
            todo.append((2 * node + 1, middle, hi))
            todo.append((2 * node, lo, middle))
        return sorted(found)


def _continuous(body: ir.Bands, domain: Num, status: list[bool | None], case: Scenario, tally: _Tally) -> None:
    """One pass over the number line's pieces inside the domain: gaps, overlaps, reachable rows."""
    whole: Region = (domain.low, True, domain.high, True)
    step = domain.step
    conditions = [r.condition for r in body.rows]
    regions = [region_of(c) for c in conditions]
    line = cond.NumberLine.of(conditions)
    pieces = line.within(cond.Range(domain.low, True, domain.high, True))
    uncovered: list[Region] = []
    run: list[Region] = []  # consecutive uncovered pieces: together one gap
    for piece in pieces:
        live = [i for i in piece.holding if status[i] is not False]
        region = _region(piece)
        if not live:
            run.append(region)
            continue
        if run:
            uncovered.append(_joined(run))
            run = []
        if grid_bounds(region, step) is None:
            continue  # no value the subject can take lies here
        sure = [i for i in live if status[i] is True]
        if body.hit == "unique":
            for a, b in itertools.combinations(sure, 2):
                if (a, b) not in tally.overlaps:
                    common = intersect(intersect(regions[a], regions[b]), whole)  # type: ignore[arg-type]
                    tally.overlaps[(a, b)] = (case, witness(common, step))
        for i in live:
            tally.nonempty_rows.add(i)
            if sure and sure[0] < i:  # `sure` is in row order: an earlier row surely matches too
                listed = tally.shadowers.setdefault(i, set())
                if len(listed) <= MAX_LISTED:
                    listed.update(sure[: min(bisect.bisect_left(sure, i), MAX_LISTED + 1)])
            else:
                tally.reachable.add(i)
    if run:
        uncovered.append(_joined(run))
    for gap in merge_on_grid(uncovered, step):
        tally.gaps.setdefault(gap, []).append((case, witness(gap, step), describe(gap, step)))
    for i in tally.reachable:
        tally.shadowers.pop(i, None)


def _region(piece: cond.Piece) -> Region:
    r = piece.as_range()
    return (r.low, r.low_closed, r.high, r.high_closed)


def _joined(regions: list[Region]) -> Region:
    """Consecutive pieces of the number line as one region."""
    return (regions[0][0], regions[0][1], regions[-1][2], regions[-1][3])
