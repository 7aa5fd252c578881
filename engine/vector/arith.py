"""Exact arithmetic on number columns: fixed point with a denominator, never a fallback.

A number node holds `numerator / 10**scale / den` per row (kinerja.vector.nodes). Sums
and products of fixed-point numbers stay fixed point; a quotient whose divisor is a
constant made of 2s and 5s only moves the scale (`x / 8` is thousandths); any other
quotient keeps its divisor as a denominator (`x / 12`, `sum / count`), so a quotient that
does not end is still exact. Rounding and comparing read the exact value: `round(x / 12,
3, half_up)` is one integer division with a remainder.

Where the scalar evaluator's 40-digit decimals could decide differently from the exact
value (arithmetic on quotients that do not end, landing exactly on a rounding or comparison
boundary), the row is an error of the node: the plan declines it and the single-record
path answers. Every other row is decided as the scalar path decides it, because its
rounding error (bounded at compile time, `Exactness.error`) is smaller than the distance to
any boundary the exact value is not on.

Every range comes from kinerja.semantics.intervals; overflow is ruled out before anything
runs (a numerator that could reach 2**62 makes the ruleset `Unsupported`).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from math import gcd, lcm
from typing import Any

import numpy as np
from kinerja.semantics import intervals as iv
from kinerja.vector.nodes import (
    EXACT,
    LIMIT,
    Array,
    Const,
    Ctx,
    Den,
    Exactness,
    Inexact,
    Mask,
    Num,
    Unsupported,
    either,
    magnitude,
)

DIGITS = 40  # the scalar evaluator's decimal context (kinerja.semantics.values.ARITHMETIC)
_FIVES = 5**27  # the largest power of 5 in int64: an odd divisor of it is a power of 5
MODES = ("floor", "ceiling", "down", "up", "half_up", "half_down", "half_even")


# ------------------------------------------------------------------ constants and scales
def places_of(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def scaled(value: Decimal | Fraction, scale: int) -> int:
    """An exact decimal as a count of 10**-scale; it must have no more places than `scale`."""
    raw = Fraction(value) * 10**scale
    if raw.denominator != 1:
        raise Unsupported(f"{value} has more than {scale} places")
    return int(raw)


def number_const(value: Decimal) -> Num:
    scale = places_of(value)
    return Num(Const(scaled(value, scale)), scale, iv.constant(value))


def _bounds(found: iv.Abstract, what: str) -> iv.Num:
    if not isinstance(found, iv.Num) or not iv.bounded(found):
        raise Unsupported(f"{what} without a known range")
    return found


def ulp_of(bounds: iv.Num) -> Fraction:
    """More than the scalar evaluator's rounding error for one operation giving a value in `bounds`."""
    return magnitude(bounds) / 10 ** (DIGITS - 1)


def split_rational(parts: Callable[[Ctx], tuple[Array, Array, Mask]]
                   ) -> tuple[Callable[[Ctx], tuple[Array, Mask]], Callable[[Ctx], tuple[Array, Mask]]]:
    """The numerator column (with the errors) and the denominator column of a cached exact rational."""

    def numerator(ctx: Ctx) -> tuple[Array, Mask]:
        value, _, err = parts(ctx)
        return value, err

    def denominator(ctx: Ctx) -> tuple[Array, Mask]:
        return parts(ctx)[1], None

    return numerator, denominator


def _den_fn(den: int | Den) -> Callable[[Ctx], Array]:
    if isinstance(den, int):
        return lambda ctx: den
    inner = den.fn
    return lambda ctx: inner(ctx)[0]


def _or_inexact(*found: Inexact | None) -> Inexact | None:
    parts = [f for f in found if f is not None]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]

    def inexact(ctx: Ctx) -> Mask:
        mask: Mask = None
        for f in parts:
            mask = either(mask, f(ctx))
        return mask

    return inexact


def _inexact_of(node: Num) -> Inexact | None:
    """Rows where the scalar's decimal may differ from the node's exact value."""
    return node.exactness.inexact if node.exactness.kind != "exact" else None


def _combined(kind_of: list[Num], error: Fraction, extra: Inexact | None = None, once: bool = False) -> Exactness:
    """The exactness of arithmetic on `kind_of` (composite unless everything is exact)."""
    if all(n.exactness.kind == "exact" for n in kind_of) and extra is None:
        return EXACT
    if once:
        return Exactness("once", error, extra)
    return Exactness("composite", error, _or_inexact(extra, *(_inexact_of(n) for n in kind_of)))


# ------------------------------------------------------------------ scale and denominator alignment
def rescale(node: Num, scale: int) -> Num:
    """The same number at a finer scale (the numerator times a power of ten)."""
    if scale == node.scale:
        return node
    assert scale > node.scale
    factor = 10 ** (scale - node.scale)
    inner = node.fn
    if isinstance(inner, Const):
        return Num(Const(inner.value * factor), scale, node.bounds, node.den, node.exactness, _top(node) * factor)

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        value, err = inner(ctx)
        return value * factor, err

    return Num(fn, scale, node.bounds, node.den, node.exactness, _top(node) * factor)


def _times(node: Num, factor: int) -> Callable[[Ctx], tuple[Array, Mask]]:
    inner = node.fn
    if factor == 1:
        return inner
    if isinstance(inner, Const):
        return Const(inner.value * factor)

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        value, err = inner(ctx)
        return value * factor, err

    return fn


def align(nodes: list[Num]) -> tuple[list[Callable[[Ctx], tuple[Array, Mask]]], int, int | Den | None]:
    """Numerators over one scale and, when every denominator is a constant, one denominator (their lcm).

    Returns the numerator functions, the scale and the common denominator, or None for the
    denominator when some are per-row (callers then cross-multiply).
    """
    scale = max(n.scale for n in nodes)
    nodes = [rescale(n, scale) for n in nodes]
    if all(isinstance(n.den, int) for n in nodes):
        common = lcm(*(int(n.den) for n in nodes))  # type: ignore[arg-type]
        return [_times(n, common // int(n.den)) for n in nodes], scale, common  # type: ignore[arg-type]
    return [n.fn for n in nodes], scale, None


# ------------------------------------------------------------------ + − ×
def negate(node: Num) -> Num:
    inner = node.fn
    bounds = iv.negate(node.bounds)
    if isinstance(inner, Const):
        return Num(Const(-inner.value), node.scale, bounds, node.den, node.exactness, node.top)

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        value, err = inner(ctx)
        return -value, err

    return Num(fn, node.scale, bounds, node.den, node.exactness, node.top)


def add(left: Num, right: Num, subtract: bool = False) -> Num:
    try:
        return _add(left, right, subtract)
    except Unsupported:
        if not _per_row(left, right):  # fixed-point numbers too large for 64 bits: the ruleset's ranges say so
            raise
        return _narrowed_sum(left, right, subtract)


def _add(left: Num, right: Num, subtract: bool = False) -> Num:
    bounds = _bounds(iv.subtract(left.bounds, right.bounds) if subtract else iv.add(left.bounds, right.bounds), "a sum")
    inexact = left.exactness.kind != "exact" or right.exactness.kind != "exact"
    error = left.exactness.error + right.exactness.error + (ulp_of(bounds) if inexact else 0)
    exactness = _combined([left, right], error)
    op = np.subtract if subtract else np.add
    fns, scale, den = align([left, right])
    if den is not None:
        f, g = fns
        a, b = rescale(left, scale), rescale(right, scale)
        top = _top(a) * (den // a.den_high) + _top(b) * (den // b.den_high)
        return Num(_map2(f, g, op), scale, bounds, den, exactness, top)
    # per-row denominators: a/p ± b/q = (a·q ± b·p) / (p·q)
    a, b = rescale(left, scale), rescale(right, scale)
    top = _top(a) * b.den_high + _top(b) * a.den_high
    pf, qf = _den_fn(a.den), _den_fn(b.den)
    af, bf = a.fn, b.fn

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        x, xerr = af(ctx)
        y, yerr = bf(ctx)
        p, q = pf(ctx), qf(ctx)
        return op(x * q, y * p), either(xerr, yerr)

    def den_fn(ctx: Ctx) -> tuple[Array, Mask]:
        return pf(ctx) * qf(ctx), None

    return Num(fn, scale, bounds, Den(den_fn, a.den_high * b.den_high), exactness, top)


def multiply(left: Num, right: Num) -> Num:
    try:
        return _multiply(left, right)
    except Unsupported:
        if not _per_row(left, right):  # fixed-point numbers too large for 64 bits: the ruleset's ranges say so
            raise
        return _narrowed_product(left, right)


def _per_row(*nodes: Num) -> bool:
    """Whether any of the numbers is a quotient with a per-row denominator (what narrowing is for)."""
    return any(isinstance(n.den, Den) for n in nodes)


def _multiply(left: Num, right: Num) -> Num:
    bounds = _bounds(iv.multiply(left.bounds, right.bounds), "a product")
    el, er = left.exactness.error, right.exactness.error
    inexact = left.exactness.kind != "exact" or right.exactness.kind != "exact"
    error = magnitude(left.bounds) * er + magnitude(right.bounds) * el + el * er + (ulp_of(bounds) if inexact else 0)
    exactness = _combined([left, right], error)
    scale = left.scale + right.scale
    top = _top(left) * _top(right)
    if isinstance(left.den, int) and isinstance(right.den, int):
        return Num(_map2(left.fn, right.fn, np.multiply), scale, bounds, left.den * right.den, exactness, top)
    pf, qf = _den_fn(left.den), _den_fn(right.den)

    def den_fn(ctx: Ctx) -> tuple[Array, Mask]:
        return pf(ctx) * qf(ctx), None

    return Num(_map2(left.fn, right.fn, np.multiply), scale, bounds, Den(den_fn, left.den_high * right.den_high), exactness, top)


def _top(node: Num) -> Fraction:
    """The largest magnitude the node's numerator array can hold."""
    assert node.top is not None
    return node.top


# ------------------------------------------------------------------ ÷
def divide(left: Num, right: Num) -> Num:
    """The exact quotient; rows where the divisor is 0 are errors (the scalar path fails there)."""
    constant = right.constant
    if constant is not None and constant == 0:
        raise Unsupported("division by the constant zero")
    try:
        return _divide(left, right, constant)
    except Unsupported:
        if constant is not None:
            raise
        return _narrowed_quotient(left, right)


def _divide(left: Num, right: Num, constant: Fraction | None) -> Num:
    bounds = _bounds(iv.divide_where_defined(left.bounds, right.bounds), "a quotient")
    both_exact = left.exactness.kind == "exact" and right.exactness.kind == "exact"
    error = ulp_of(bounds) + (0 if both_exact else _quotient_error(left, right, bounds))
    if constant is not None and isinstance(left.den, int):
        return _divide_by_constant(left, constant, bounds, error, both_exact)
    return _divide_by_column(left, right, bounds, error, both_exact)


def _quotient_error(left: Num, right: Num, bounds: iv.Num) -> Fraction:
    """|a'/b' − a/b| for the scalar's a', b' within their errors of a, b."""
    smallest = _smallest_magnitude(right)
    eb = right.exactness.error
    if smallest <= eb:
        raise Unsupported("a quotient by an inexact value that may be near zero")
    return (left.exactness.error + magnitude(bounds) * eb) / (smallest - eb)


def _smallest_magnitude(node: Num) -> Fraction:
    """The smallest non-zero magnitude the node can take."""
    assert node.bounds.low is not None and node.bounds.high is not None
    low, high = Fraction(node.bounds.low), Fraction(node.bounds.high)
    if low > 0 or high < 0:
        return min(abs(low), abs(high))
    return Fraction(1, 10**node.scale * node.den_high)


def _split_ten(n: int) -> tuple[int, int]:
    """n = 2**a · 5**b · rest: (max(a, b), rest), so n divides 10**places · rest."""
    twos = fives = 0
    while n % 2 == 0:
        n, twos = n // 2, twos + 1
    while n % 5 == 0:
        n, fives = n // 5, fives + 1
    return max(twos, fives), n


def _divide_by_constant(left: Num, constant: Fraction, bounds: iv.Num, error: Fraction, both_exact: bool) -> Num:
    # left = a / (10**s · d); constant = p / q  ->  quotient = a · q / (10**s · d · p)
    assert isinstance(left.den, int)
    p, q = constant.numerator, constant.denominator
    sign = -1 if p < 0 else 1
    places, rest = _split_ten(abs(p) * left.den)
    factor = sign * q * 10**places // (abs(p) * left.den // rest)
    scale = left.scale + places
    fn = _times(left, factor)
    top = _top(left) * abs(factor)
    if rest == 1:
        exactness = _combined([left], error) if not both_exact else EXACT
        return Num(fn, scale, bounds, 1, exactness, top)
    inexact = _nonterminating_by(fn, rest)
    exactness = Exactness("once", error, inexact) if both_exact else _combined([left], error, inexact)
    return Num(fn, scale, bounds, rest, exactness, top)


def _divide_by_column(left: Num, right: Num, bounds: iv.Num, error: Fraction, both_exact: bool) -> Num:
    # (a / (10**sa · p)) / (b / (10**sb · q)) = a · q · 10**sb / (b · p · 10**sa)
    cut = min(left.scale, right.scale)
    lift = 10 ** (right.scale - cut)
    scale = left.scale - cut
    af, bf = left.fn, right.fn
    pf, qf = _den_fn(left.den), _den_fn(right.den)
    top = _top(left) * right.den_high * lift
    den_high = int(_top(right)) * left.den_high

    def parts(ctx: Ctx) -> tuple[Array, Array, Mask]:
        a, aerr = af(ctx)
        b, berr = bf(ctx)
        numerator = np.asarray(a * qf(ctx) * lift)
        den = np.asarray(b * pf(ctx))
        zero = den == 0
        negative = den < 0
        numerator = np.where(negative, -numerator, numerator)
        den = np.where(zero, 1, np.abs(den))
        return numerator, den, either(either(aerr, berr), zero if zero.any() else None)

    key = object()

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        numerator, _, err = _cached_parts(ctx, key, parts)
        return numerator, err

    def den_fn(ctx: Ctx) -> tuple[Array, Mask]:
        return _cached_parts(ctx, key, parts)[1], None

    def inexact(ctx: Ctx) -> Mask:
        numerator, den, _ = _cached_parts(ctx, key, parts)
        return _nonterminating(numerator, den, None if digits_fit else whole_digits)

    whole_digits = _digits(magnitude(bounds) * 10**scale)
    digits_fit = whole_digits + den_high.bit_length() <= DIGITS
    exactness = Exactness("once", error, inexact) if both_exact else _combined([left, right], error, inexact)
    return Num(fn, scale, bounds, Den(den_fn, max(den_high, 1)), exactness, top)


def _cached_parts(ctx: Ctx, key: object, parts: Callable[[Ctx], tuple[Array, Array, Mask]]) -> tuple[Array, Array, Mask]:
    if key not in ctx.cache:
        ctx.cache[key] = parts(ctx)
    found: tuple[Array, Array, Mask] = ctx.cache[key]
    return found


def _digits(value: Fraction) -> int:
    return len(str(int(value))) if value >= 1 else 1


def _nonterminating_by(fn: Callable[[Ctx], tuple[Array, Mask]], rest: int) -> Inexact:
    """Rows where numerator / rest (rest prime to 10) does not end: rest does not divide it."""

    def inexact(ctx: Ctx) -> Mask:
        numerator, _ = fn(ctx)
        mask = np.asarray(numerator % rest != 0)
        return mask if mask.any() else None

    return inexact


def _nonterminating(numerator: np.ndarray, den: np.ndarray, whole_digits: int | None) -> Mask:
    """Rows where numerator / den has no exact decimal within the scalar's 40 digits.

    `whole_digits`: None when every terminating quotient fits (its digits are few whatever the row);
    else the digits of the largest numerator, to which a row's fractional digits are added: a reduced
    denominator 2**a · 5**b gives max(a, b) of them.
    """
    reduced = den // np.gcd(numerator, den)
    low_bit = reduced & -reduced
    odd = reduced // low_bit
    mask = np.asarray(_FIVES % odd != 0)
    if whole_digits is not None:
        twos = np.log2(low_bit).astype(np.int64)  # exact: a power of two
        fives = np.searchsorted(_POWERS_OF_FIVE, odd)  # the exponent, where odd is a power of 5
        mask = mask | (np.maximum(twos, fives) + whole_digits > DIGITS)
    return mask if mask.any() else None


_POWERS_OF_FIVE = np.array([5**i for i in range(28)], dtype=np.int64)


# ------------------------------------------------------------------ narrowing: exact, per row, declining what 64 bits cannot hold
# Arithmetic whose range or denominators cannot be bounded at compile time (a ratio of two list fields
# declared ±10**12 with 4 places; a product of two per-item quotients) is done once with Python integers,
# exactly, then reduced and brought back to a numerator over a per-row denominator: rows whose value
# passes WORKING_MAGNITUDE, or whose reduced denominator passes the cap that keeps every later operation
# inside 64 bits, are declined (errors of the node: the single-record path answers them). Real
# populations hold small ratios and small denominators, so few rows are declined.
WORKING_MAGNITUDE = Fraction(10**9)
NARROW_HEADROOM = 10  # what a narrowed value leaves for later operations (a rounding, a comparison)


def _wide(value: Array) -> Array:
    return np.asarray(value).astype(object) if isinstance(value, np.ndarray) else int(value)


def _narrowed(parts: Callable[[Ctx], tuple[Array, Array, Mask]], known: iv.Abstract, exactness: Exactness) -> Num:
    """A number from exact Python-integer `parts` (numerator, denominator > 0 where not in error, errors) of scale 0."""
    limit = magnitude(known) if isinstance(known, iv.Num) and iv.bounded(known) else WORKING_MAGNITUDE
    limit = min(limit, WORKING_MAGNITUDE)
    cap = int(Fraction(LIMIT - 1) / (max(limit, Fraction(1)) * NARROW_HEADROOM))
    if cap < 1:
        raise Unsupported("a value too large to narrow into 64-bit integers")
    bounds = iv.Num(Decimal(-1) * Decimal(limit.numerator) / Decimal(limit.denominator), Decimal(limit.numerator) / Decimal(limit.denominator), None) \
        if not (isinstance(known, iv.Num) and iv.bounded(known)) else known  # fmt: skip
    if isinstance(known, iv.Num) and iv.bounded(known) and magnitude(known) > limit:
        low = max(Fraction(known.low), -limit)  # type: ignore[arg-type]
        high = min(Fraction(known.high), limit)  # type: ignore[arg-type]
        bounds = iv.Num(Decimal(low.numerator) / Decimal(low.denominator), Decimal(high.numerator) / Decimal(high.denominator), None)
    key = object()
    low_end, high_end = Fraction(bounds.low), Fraction(bounds.high)  # type: ignore[arg-type]

    def computed(ctx: Ctx) -> tuple[Array, Array, Mask]:
        if key in ctx.cache:
            return ctx.cache[key]  # type: ignore[no-any-return]
        numerator, den, err = parts(ctx)
        numerator = np.asarray(numerator, dtype=object)
        den = np.asarray(den, dtype=object)
        den = np.where(den == 0, 1, den)
        common = np.gcd(numerator, den)
        common = np.where(common == 0, 1, common)
        numerator, den = numerator // common, den // common
        outside = (numerator * low_end.denominator < low_end.numerator * den) | (numerator * high_end.denominator > high_end.numerator * den)
        too_large = np.asarray((den > cap) | outside, dtype=bool)
        fits = ~too_large
        found = (np.where(fits, numerator, 0).astype(np.int64), np.where(fits, den, 1).astype(np.int64),
                 either(err, too_large if too_large.any() else None))  # fmt: skip
        ctx.cache[key] = found
        return found

    fn, den_fn = split_rational(computed)
    inexact = exactness.inexact
    if exactness.kind == "once":
        whole = _digits(limit)

        def nonterminating(ctx: Ctx) -> Mask:
            numerator, den, _ = computed(ctx)
            return _nonterminating(numerator, den, whole)

        inexact = nonterminating
    made = Num(fn, 0, bounds, Den(den_fn, cap), Exactness(exactness.kind, exactness.error, inexact))
    # a builtin's interval meaning may know a tighter range (a weighted mean lies among its items): narrowed
    # to it, the value leaves a larger denominator cap (`renarrowed`)
    made.narrowing = (parts, exactness)  # type: ignore[attr-defined]
    return made


def renarrowed(node: Num, known: iv.Num) -> Num:
    """A narrowed number (see `_narrowed`) narrowed again to a range proven tighter than its own."""
    found = getattr(node, "narrowing", None)
    if found is None or not iv.bounded(known) or magnitude(known) >= magnitude(node.bounds):
        return node
    parts, exactness = found
    return _narrowed(parts, known, exactness)


def _exact_parts(node: Num) -> Callable[[Ctx], tuple[Array, Array, Mask]]:
    """A number as Python-integer numerator and denominator of scale 0 (10**scale folded into the denominator)."""
    inner, den = node.fn, _den_fn(node.den)
    power = 10**node.scale

    def parts(ctx: Ctx) -> tuple[Array, Array, Mask]:
        value, err = inner(ctx)
        return _wide(value), _wide(den(ctx)) * power, err

    return parts


def _narrowed_sum(left: Num, right: Num, subtract: bool) -> Num:
    known = iv.subtract(left.bounds, right.bounds) if subtract else iv.add(left.bounds, right.bounds)
    lp, rp = _exact_parts(left), _exact_parts(right)

    def parts(ctx: Ctx) -> tuple[Array, Array, Mask]:
        a, p, aerr = lp(ctx)
        b, q, berr = rp(ctx)
        return (a * q - b * p) if subtract else (a * q + b * p), p * q, either(aerr, berr)

    error = left.exactness.error + right.exactness.error
    kind = "exact" if left.exactness.kind == right.exactness.kind == "exact" else "composite"
    if kind != "exact":
        error += ulp_of(known if isinstance(known, iv.Num) and iv.bounded(known) else iv.Num(Decimal(-10**9), Decimal(10**9), None))
    return _narrowed(parts, known, Exactness(kind, error, _or_inexact(_inexact_of(left), _inexact_of(right))))


def _narrowed_product(left: Num, right: Num) -> Num:
    known = iv.multiply(left.bounds, right.bounds)
    lp, rp = _exact_parts(left), _exact_parts(right)

    def parts(ctx: Ctx) -> tuple[Array, Array, Mask]:
        a, p, aerr = lp(ctx)
        b, q, berr = rp(ctx)
        return a * b, p * q, either(aerr, berr)

    el, er = left.exactness.error, right.exactness.error
    kind = "exact" if left.exactness.kind == right.exactness.kind == "exact" else "composite"
    error = magnitude(left.bounds) * er + magnitude(right.bounds) * el + el * er
    if kind != "exact":
        error += ulp_of(known if isinstance(known, iv.Num) and iv.bounded(known) else iv.Num(Decimal(-10**9), Decimal(10**9), None))
    return _narrowed(parts, known, Exactness(kind, error, _or_inexact(_inexact_of(left), _inexact_of(right))))


NEAR_ZERO = Fraction(1, 100)  # a narrowed quotient of an inexact dividend declines divisors smaller than this


def _narrowed_quotient(left: Num, right: Num) -> Num:
    """A quotient whose range is not bounded at compile time (a divisor that may come close to 0).

    Rows where the divisor's decimal may differ from its exact value are declined: near 0 that difference
    has no bound. A dividend that may differ by e keeps a quotient within e / |divisor| of the scalar's,
    so where it is inexact, divisors below NEAR_ZERO are declined and the error is bounded by e / NEAR_ZERO;
    where both are exact the scalar rounds the exact quotient once."""
    known = iv.divide_where_defined(left.bounds, right.bounds)
    lp, rp = _exact_parts(left), _exact_parts(right)
    divisor_unsure = _inexact_of(right) if right.exactness.kind != "exact" else None
    dividend_exact = left.exactness.kind == "exact"

    def parts(ctx: Ctx) -> tuple[Array, Array, Mask]:
        a, p, aerr = lp(ctx)
        b, q, berr = rp(ctx)
        numerator, den = a * q, b * p  # (a / p) / (b / q)
        zero = np.asarray(den == 0, dtype=bool)
        negative = np.asarray(den < 0, dtype=bool)
        numerator = np.where(negative, -numerator, numerator)
        den = np.where(zero, 1, np.abs(den))
        err = either(either(aerr, berr), zero if zero.any() else None)
        if divisor_unsure is not None:
            err = either(err, divisor_unsure(ctx))
        if not dividend_exact:  # |b / q| < NEAR_ZERO
            small = np.asarray(np.abs(b) * NEAR_ZERO.denominator < NEAR_ZERO.numerator * np.abs(q), dtype=bool)
            err = either(err, small if small.any() else None)
        return numerator, den, err

    working = iv.Num(-Decimal(10**9), Decimal(10**9), None)
    bounds = known if isinstance(known, iv.Num) and iv.bounded(known) and magnitude(known) <= WORKING_MAGNITUDE else working
    if dividend_exact:
        return _narrowed(parts, known, Exactness("once", ulp_of(bounds), None))
    error = ulp_of(bounds) + left.exactness.error / NEAR_ZERO
    made = _narrowed(parts, known, Exactness("composite", error, _inexact_of(left)))
    inner_inexact = made.exactness.inexact
    fn, den = made.fn, made.den

    def inexact(ctx: Ctx) -> Mask:  # the dividend's rows, and the quotient's own that do not end
        numerator, denominator = fn(ctx)[0], den.fn(ctx)[0]  # type: ignore[union-attr]
        return either(inner_inexact(ctx) if inner_inexact is not None else None,
                      _nonterminating(numerator, denominator, _digits(WORKING_MAGNITUDE)))  # fmt: skip

    made.exactness = Exactness("composite", error, inexact)
    return made


def _wide_cross(left: Num, right: Num) -> Callable[[Ctx], tuple[Array, Array, Mask]]:
    lp, rp = _exact_parts(left), _exact_parts(right)

    def pair(ctx: Ctx) -> tuple[Array, Array, Mask]:
        a, p, aerr = lp(ctx)
        b, q, berr = rp(ctx)
        return a * q, b * p, either(aerr, berr)

    return pair


# ------------------------------------------------------------------ rounding
def round_to(node: Num, places: int, mode: str) -> Num:
    """`round(x, places, MODE)` (and floor/ceiling at 0 places): one integer division with a remainder."""
    if mode not in MODES:
        raise Unsupported(f"rounding mode {mode}")
    if places < 0:
        raise Unsupported("rounding to tens")
    bounds = _bounds(iv.round_to(node.bounds, places, mode), "a rounded value")
    if places >= node.scale and node.den == 1:
        return Num(node.fn, node.scale, bounds, 1, node.exactness)  # already a multiple of the step: unchanged
    half = mode.startswith("half")
    error = node.exactness.error
    # Statically: no value off a boundary is within the scalar's error of it. Else per row (`near`): a row whose
    # exact value lies within that error of a boundary it is not on is declined.
    near = not resolvable(error, node.scale, node.den_high, places + 1 if half else places)
    lift = 10 ** max(0, places - node.scale)
    drop = 10 ** max(0, node.scale - places)
    # where x · 10**places could pass 64 bits the division is done with Python integers (the result is small)
    wide = near or _top(node) * lift >= LIMIT or node.den_high * drop >= LIMIT
    if wide and magnitude(bounds) * 10**places >= LIMIT:
        raise Unsupported(f"rounding a value up to {magnitude(node.bounds)} to {places} places could overflow 64-bit integers")
    inner, den = node.fn, _den_fn(node.den)
    composite = node.exactness.kind == "composite"
    inexact = node.exactness.inexact

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        x, err = inner(ctx)
        divisor = den(ctx) * drop if drop != 1 else den(ctx)
        if wide:
            x, divisor = _wide(x), _wide(divisor)
            if isinstance(divisor, int):
                divisor = np.full(np.shape(x), divisor, dtype=object)
        scaled_x = np.asarray(x * lift if lift != 1 else x)
        q, boundary = divide_rounding(scaled_x, divisor, mode)
        if near:  # distance to the boundary, in units of 1 / (2 · divisor · 10**places): |2r − divisor| or 2·min(r, divisor − r)
            r = np.abs(scaled_x) % divisor
            gap = np.abs(2 * r - divisor) if half else 2 * np.minimum(r, divisor - r)
            close = np.asarray((gap != 0) & (gap * error.denominator <= 2 * divisor * 10**places * error.numerator), dtype=bool)
            err = either(err, close if close.any() else None)
        if wide:
            q, huge = narrow_ints(q)  # only where the value is garbage (a row in error) or past the bounds
            boundary = np.asarray(boundary, dtype=bool)
            err = either(err, huge)
        if composite and inexact is not None:
            # exactly on a boundary after arithmetic on quotients: the scalar's decimal may fall either side
            on_boundary = np.asarray(boundary)
            found = inexact(ctx) if on_boundary.any() else None
            if found is not None:
                err = either(err, on_boundary & found)
        return q, err

    return Num(fn, places, bounds, 1, EXACT)


def narrow_ints(values: Array) -> tuple[np.ndarray, Mask]:
    """Python-integer results as int64, and the rows whose value does not fit (declined; set to 0)."""
    array = np.asarray(values)
    if array.dtype != object:
        return array.astype(np.int64), None
    huge = np.asarray((array >= LIMIT) | (array <= -LIMIT), dtype=bool)
    if huge.any():
        array = np.where(huge, 0, array)
        return array.astype(np.int64), huge
    return array.astype(np.int64), None


def _divmod(x: Array, divisor: Array) -> tuple[Array, Array]:
    """np.divmod, also for Python-integer (object) columns, which it does not take."""
    if np.asarray(x).dtype == object or np.asarray(divisor).dtype == object:
        return x // divisor, x % divisor
    return np.divmod(x, divisor)  # type: ignore[no-any-return]


def divide_rounding(x: np.ndarray, divisor: Array, mode: str) -> tuple[np.ndarray, Mask]:
    """x / divisor (divisor > 0) rounded by `mode`, and the rows exactly on that mode's boundary."""
    if mode in ("floor", "ceiling"):
        q, r = _divmod(x, divisor)
        if mode == "ceiling":
            q = q + (r != 0)
        return q, r == 0
    negative = x < 0
    q, r = _divmod(np.abs(x), divisor)
    if mode == "down":
        bump: Array = False
        boundary = r == 0
    elif mode == "up":
        bump = r != 0
        boundary = r == 0
    else:
        twice = 2 * r
        boundary = twice == divisor
        if mode == "half_up":
            bump = twice >= divisor
        elif mode == "half_down":
            bump = twice > divisor
        else:
            bump = (twice > divisor) | (boundary & (q % 2 == 1))
    q = q + bump
    return np.where(negative, -q, q), boundary


def resolvable(error: Fraction, scale: int, den_high: int, places: int) -> bool:
    """Whether every value a / (10**scale · den) off a boundary of the 10**-places grid is farther from it than `error`."""
    return not (error and error * 10 ** max(scale, places) * den_high >= 1)


def _resolvable(error: Fraction, scale: int, den_high: int, places: int) -> None:
    """Refuse a decision on a value whose scalar rounding error could reach a boundary it is not on.

    A value a / (10**scale · den) that is not on a boundary of the 10**-places grid is at
    least 1 / (10**max(scale, places) · den) away from it.
    """
    if error and error * 10 ** max(scale, places) * den_high >= 1:
        raise Unsupported("a decision on a quotient too close to its boundaries for 40-digit decimals")


# ------------------------------------------------------------------ comparisons and extremes
_COMPARE = {"=": np.equal, "!=": np.not_equal, "<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal}


def cross(left: Num, right: Num) -> tuple[Callable[[Ctx], tuple[Array, Array, Mask]], int]:
    """Two integer columns ordered and equal exactly as the two numbers are, and their common scale.

    Where cross-multiplying could pass 64 bits the columns are Python integers (exact, slower)."""
    try:
        return _cross(left, right)
    except Unsupported:
        return _wide_cross(left, right), 0


def _cross(left: Num, right: Num) -> tuple[Callable[[Ctx], tuple[Array, Array, Mask]], int]:
    fns, scale, den = align([left, right])
    if den is not None:
        f, g = fns

        def pair(ctx: Ctx) -> tuple[Array, Array, Mask]:
            x, xerr = f(ctx)
            y, yerr = g(ctx)
            return x, y, either(xerr, yerr)

        return pair, scale
    a, b = rescale(left, scale), rescale(right, scale)
    if _top(a) * b.den_high >= LIMIT or _top(b) * a.den_high >= LIMIT:
        raise Unsupported("comparing quotients could overflow 64-bit integers")
    pf, qf = _den_fn(a.den), _den_fn(b.den)
    af, bf = a.fn, b.fn

    def cross_pair(ctx: Ctx) -> tuple[Array, Array, Mask]:
        x, xerr = af(ctx)
        y, yerr = bf(ctx)
        return x * qf(ctx), y * pf(ctx), either(xerr, yerr)

    return cross_pair, scale


def compare(op: str, left: Num, right: Num) -> Callable[[Ctx], tuple[Array, Mask]]:
    """A comparison's bool column; rows exactly equal after arithmetic on quotients are errors."""
    error = left.exactness.error + right.exactness.error
    if not resolvable(error, max(left.scale, right.scale), left.den_high * right.den_high, 0):
        return _near_compare(op, left, right, error)
    pair, scale = cross(left, right)
    test = _COMPARE[op]
    unsure = _or_inexact(*(_inexact_of(n) for n in (left, right) if n.exactness.kind == "composite"))

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        x, y, err = pair(ctx)
        result = np.asarray(test(x, y), dtype=bool)
        if unsure is not None:
            tie = np.asarray(x == y, dtype=bool)
            found = unsure(ctx) if tie.any() else None
            if found is not None:
                err = either(err, tie & found)
        return result, err

    return fn


def _near_compare(op: str, left: Num, right: Num, error: Fraction) -> Callable[[Ctx], tuple[Array, Mask]]:
    """A comparison whose operands' scalar error could reach the gap between two distinct values: exactly, with
    Python integers, declining the rows whose two values are within that error of each other (equal ones
    too, where either may differ from its exact value)."""
    lp, rp = _exact_parts(left), _exact_parts(right)
    test = _COMPARE[op]
    unsure = _or_inexact(*(_inexact_of(n) for n in (left, right) if n.exactness.kind != "exact"))

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        a, p, aerr = lp(ctx)
        b, q, berr = rp(ctx)
        x, y, common = a * q, b * p, p * q
        result = np.asarray(test(x, y), dtype=bool)
        gap = np.abs(x - y)
        close = np.asarray((gap != 0) & (gap * error.denominator <= error.numerator * common), dtype=bool)
        err = either(either(aerr, berr), close if close.any() else None)
        if unsure is not None:
            tie = np.asarray(gap == 0, dtype=bool)
            found = unsure(ctx) if tie.any() else None
            if found is not None:
                err = either(err, tie & found)
        return result, err

    return fn


def extreme(which: str, nodes: list[Num]) -> Num:
    """min or max of numbers (the chosen value keeps its own denominator)."""
    found = iv.minimum([n.bounds for n in nodes]) if which == "min" else iv.maximum([n.bounds for n in nodes])
    bounds = _bounds(found, f"{which}()")
    exactness = choice_exactness(nodes)
    try:
        fns, scale, den = align(nodes)
    except Unsupported:  # a finer scale would overflow: pairwise at scale 0 (see `folded`)
        nodes = [folded(n) for n in nodes]
        fns, scale, den = align(nodes)
    pick = np.minimum if which == "min" else np.maximum
    if den is not None:
        if len(fns) == 1:
            return Num(fns[0], scale, bounds, den, exactness)

        def fn(ctx: Ctx) -> tuple[Array, Mask]:
            value, err = fns[0](ctx)
            for f in fns[1:]:
                other, oerr = f(ctx)
                value = pick(value, other)
                err = either(err, oerr)
            return value, err

        top = max(_top(rescale(n, scale)) * den // n.den_high for n in nodes)  # type: ignore[operator]
        return Num(fn, scale, bounds, den, exactness, top)
    # per-row denominators: pairwise, by cross-multiplication
    best = rescale(nodes[0], scale)
    for other in nodes[1:]:
        best = _pick_pair(which, best, rescale(other, scale), bounds, exactness)
    return best


def _pick_pair(which: str, a: Num, b: Num, bounds: iv.Num, exactness: Exactness) -> Num:
    pair, _ = cross(a, b)
    af, bf = a.fn, b.fn
    pf, qf = _den_fn(a.den), _den_fn(b.den)
    key = object()

    def first(ctx: Ctx) -> Array:
        if key not in ctx.cache:
            x, y, _ = pair(ctx)
            ctx.cache[key] = np.asarray((x <= y) if which == "min" else (x >= y), dtype=bool)
        return ctx.cache[key]

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        x, xerr = af(ctx)
        y, yerr = bf(ctx)
        return np.where(first(ctx), x, y), either(xerr, yerr)

    def den_fn(ctx: Ctx) -> tuple[Array, Mask]:
        return np.where(first(ctx), pf(ctx), qf(ctx)), None

    exactness = _chosen_exactness(a, b, exactness, pair, first)
    return Num(fn, a.scale, bounds, Den(den_fn, max(a.den_high, b.den_high)), exactness, max(_top(a), _top(b)))


def _chosen_exactness(a: Num, b: Num, exactness: Exactness, pair: Callable[[Ctx], tuple[Array, Array, Mask]],
                      first: Callable[[Ctx], Array]) -> Exactness:  # fmt: skip
    """min/max of two numbers: the scalar's decimal may differ from the exact value only where the chosen one's
    may, or where the two are exactly equal and either's may (the scalar may then choose the other).

    This holds when the scalar's comparison cannot be turned by its rounding error: two values that are not
    equal are at least 1 / (10**scale · den_a · den_b) apart. Otherwise every row of either operand counts
    (`choice_exactness`), as before.
    """
    ia, ib = _inexact_of(a), _inexact_of(b)
    if exactness.kind == "exact" or (ia is None and ib is None):
        return exactness
    if (a.exactness.error + b.exactness.error) * 10**a.scale * a.den_high * b.den_high >= 1:
        return exactness

    def inexact(ctx: Ctx) -> Mask:
        ma = ia(ctx) if ia is not None else None
        mb = ib(ctx) if ib is not None else None
        if ma is None and mb is None:
            return None
        x, y, _ = pair(ctx)
        tie = np.asarray(x == y, dtype=bool)
        left = np.zeros(np.shape(tie), dtype=bool) if ma is None else ma
        right = np.zeros(np.shape(tie), dtype=bool) if mb is None else mb
        mask = np.where(first(ctx), left, right) | (tie & (left | right))
        return mask if mask.any() else None

    return Exactness(exactness.kind, exactness.error, inexact)


def choice_exactness(nodes: list[Num]) -> Exactness:
    """The exactness of a value that is one of `nodes` on each row."""
    kinds = {n.exactness.kind for n in nodes}
    error = max(n.exactness.error for n in nodes)
    if kinds == {"exact"}:
        return EXACT
    inexact = _or_inexact(*(_inexact_of(n) for n in nodes))
    return Exactness("once" if kinds <= {"exact", "once"} else "composite", error, inexact)


def merge(nodes: list[Num]) -> list[Num]:
    """Alternatives brought to one scale and one denominator form (a choice picks numerator and denominator alike)."""
    try:
        return _merge(nodes)
    except Unsupported:  # a finer scale would overflow one of them: all at scale 0, 10**scale in the denominators
        return _merge([folded(n) for n in nodes])


def folded(node: Num) -> Num:
    """The same number at scale 0: its 10**scale moved into a per-row denominator (the numerator unchanged)."""
    if node.scale == 0 and isinstance(node.den, Den):
        return node
    power = 10**node.scale
    if isinstance(node.den, Den):
        inner = node.den.fn
        den = Den(lambda ctx: (inner(ctx)[0] * power, None), node.den.high * power)
    else:
        den = Den(_constant_den(node.den * power), node.den * power)
    return Num(node.fn, 0, node.bounds, den, node.exactness, node.top)


def _merge(nodes: list[Num]) -> list[Num]:
    fns, scale, den = align(nodes)
    if den is not None:
        out = []
        for node, f in zip(nodes, fns, strict=True):
            top = _top(rescale(node, scale)) * den // node.den_high  # type: ignore[operator]
            out.append(Num(f, scale, node.bounds, den, node.exactness, top))
        return out
    out = []
    for node in nodes:
        lifted = rescale(node, scale)
        den_node = lifted.den if isinstance(lifted.den, Den) else Den(_constant_den(lifted.den), lifted.den)
        out.append(Num(lifted.fn, scale, lifted.bounds, den_node, lifted.exactness, _top(lifted)))
    return out


def _constant_den(value: int) -> Callable[[Ctx], tuple[Array, Mask]]:
    return lambda ctx: (value, None)


def _map2(f: Callable[[Ctx], tuple[Array, Mask]], g: Callable[[Ctx], tuple[Array, Mask]], op: Any) -> Callable[[Ctx], tuple[Array, Mask]]:
    if isinstance(f, Const) and isinstance(g, Const):
        return Const(op(f.value, g.value))

    def fn(ctx: Ctx) -> tuple[Array, Mask]:
        x, xerr = f(ctx)
        y, yerr = g(ctx)
        return op(x, y), either(xerr, yerr)

    return fn


def exact_fraction(numerator: int, scale: int, den: int) -> Fraction:
    return Fraction(numerator, 10**scale * den)


def gcd_all(values: list[int]) -> int:
    found = 0
    for v in values:
        found = gcd(found, v)
    return found
