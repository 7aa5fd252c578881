"""Row conditions and axis keys, normalised: the one place that says when a value matches.

A band row's condition (`[90, 120]`, `>= 110`, `= "Baik"`, `otherwise`) and a quadrant's
axis key (`"Di Atas"`, `[100, 120]`) are lowered to one of three forms:

- `Range`: numbers between two bounds, each bound open or closed or absent (unbounded);
- `Is`: exactly one value — a label, a boolean or a number;
- `Always`: every value (`otherwise`).

`matches` is the language's one equality and containment rule, used by the scalar
evaluator, the column path, the range and coverage analyses, the explainer and the diff:
a number never equals a boolean (even though Python says `True == 1`), labels are equal when
their text is, numbers when their exact decimal values are.

`NumberLine` cuts the number line at every bound of a list of conditions. Each cut point and
each open gap between two cut points is a *piece* on which every condition is constant, so
"which rows hold for x" is a binary search (evaluation), and "which values no row covers" or
"where two rows overlap" is one pass over the pieces (analysis): n log n, never n².
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Union

from kinerja.syntax import tree as s
from kinerja.syntax.frozen import dataclass


@dataclass(frozen=True)
class Range:
    """Numbers from `low` to `high`; a missing bound is unbounded on that side."""

    low: Decimal | None
    low_closed: bool
    high: Decimal | None
    high_closed: bool

    def contains(self, x: Decimal) -> bool:
        low, high = self.low, self.high
        if low is not None and (x < low or (x == low and not self.low_closed)):
            return False
        return not (high is not None and (x > high or (x == high and not self.high_closed)))

    @property
    def bounds(self) -> tuple[Decimal, ...]:
        return tuple(b for b in (self.low, self.high) if b is not None)

    def covers_gap(self, below: Decimal | None, above: Decimal | None) -> bool:
        """Whether every number strictly between `below` and `above` (None: unbounded) is inside."""
        low_ok = self.low is None or (below is not None and self.low <= below)
        high_ok = self.high is None or (above is not None and above <= self.high)
        return low_ok and high_ok


@dataclass(frozen=True)
class Is:
    """Exactly one value: a label (str), a boolean or a number (Decimal)."""

    value: Decimal | str | bool


@dataclass(frozen=True)
class Always:
    """Every value: a row written `otherwise`."""


Condition = Union[Range, Is, Always]
ALWAYS = Always()


def same_value(a: Any, b: Any) -> bool:
    """The language's equality: booleans equal only booleans, labels only labels, numbers only numbers."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a == b
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a == b
    return bool(a == b)


def matches(condition: Condition, x: Any) -> bool:
    """Whether value `x` satisfies `condition`."""
    if isinstance(condition, Always):
        return True
    if isinstance(condition, Is):
        return same_value(x, condition.value)
    return isinstance(x, Decimal) and not isinstance(x, bool) and condition.contains(x)


def first_match(conditions: Sequence[Condition], x: Any) -> int:
    """The index of the first condition `x` satisfies, or -1."""
    for index, condition in enumerate(conditions):
        if matches(condition, x):
            return index
    return -1


def from_interval(interval: s.Interval) -> Range:
    return Range(interval.low, interval.low_closed, interval.high, interval.high_closed)


def from_row(condition: s.Condition) -> Condition:
    """A band row's written condition, normalised."""
    if isinstance(condition, s.Otherwise):
        return ALWAYS
    if isinstance(condition, s.Equals):
        value = condition.value.value
        assert isinstance(value, (Decimal, str, bool)), value
        return Is(value)
    return from_interval(condition)


def from_key(key: s.AxisKey) -> Condition:
    """A quadrant's axis key, normalised: a label or an interval."""
    if isinstance(key, s.StringLit):
        return Is(key.value)
    return from_interval(key)


def key_value(condition: Condition) -> Any:
    """The value an `Is` condition names (for dictionary lookups); None for the other forms."""
    return condition.value if isinstance(condition, Is) else None


# ---------------------------------------------------------------- the number line


@dataclass(frozen=True)
class Piece:
    """A cut point (`low == high`, both closed) or an open gap between two cut points."""

    low: Decimal | None
    high: Decimal | None
    point: bool
    holding: tuple[int, ...]  # indices of the conditions true everywhere on the piece

    def as_range(self) -> Range:
        return Range(self.low, self.point, self.high, self.point)


@dataclass(frozen=True)
class NumberLine:
    """Numeric conditions (ranges, numeric `Is`, `Always`) cut into pieces at every bound.

    `pieces` alternates gap, point, gap, …, point, gap: piece 2k is the open gap below cut
    point k, piece 2k+1 is cut point k itself. Building costs O(n log n + n·m) for n
    conditions over m distinct bounds, plus the size of the holding lists (each condition
    marks only the pieces it covers: linear for bands that do not overlap); `locate` is O(log m).
    """

    cuts: tuple[Decimal, ...]
    pieces: tuple[Piece, ...]

    @staticmethod
    def of(conditions: Sequence[Condition]) -> NumberLine:
        cuts = sorted({b for c in conditions for b in _cut_points(c)})
        holding: list[list[int]] = [[] for _ in range(2 * len(cuts) + 1)]
        position = {x: k for k, x in enumerate(cuts)}
        for index, condition in enumerate(conditions):
            first, last = _span_of(condition, position, len(cuts))
            for piece in range(first, last + 1):  # each condition marks only the pieces it covers
                holding[piece].append(index)
        bounds: list[Decimal | None] = [None, *cuts, None]
        pieces = []
        for k in range(len(cuts) + 1):
            pieces.append(Piece(bounds[k], bounds[k + 1], False, tuple(holding[2 * k])))
            if k < len(cuts):
                pieces.append(Piece(cuts[k], cuts[k], True, tuple(holding[2 * k + 1])))
        return NumberLine(tuple(cuts), tuple(pieces))

    def locate(self, x: Decimal) -> int:
        """The index in `pieces` of the piece holding `x`."""
        k = bisect_left(self.cuts, x)
        if k < len(self.cuts) and self.cuts[k] == x:
            return 2 * k + 1
        return 2 * k

    def holding(self, x: Decimal) -> tuple[int, ...]:
        return self.pieces[self.locate(x)].holding

    def within(self, domain: Range) -> list[Piece]:
        """The pieces clipped to `domain` (empty pieces dropped)."""
        out = []
        for piece in self.pieces:
            clipped = _clip(piece, domain)
            if clipped is not None:
                out.append(clipped)
        return out


def is_numeric(condition: Condition) -> bool:
    return isinstance(condition, (Range, Always)) or (
        isinstance(condition, Is) and isinstance(condition.value, Decimal) and not isinstance(condition.value, bool)
    )


def _cut_points(condition: Condition) -> tuple[Decimal, ...]:
    if isinstance(condition, Range):
        return condition.bounds
    if isinstance(condition, Is) and isinstance(condition.value, Decimal) and not isinstance(condition.value, bool):
        return (condition.value,)
    return ()


def _span_of(condition: Condition, position: dict[Decimal, int], count: int) -> tuple[int, int]:
    """The first and last piece a numeric condition covers (first > last: none)."""
    if isinstance(condition, Always):
        return 0, 2 * count
    if isinstance(condition, Is):
        if isinstance(condition.value, Decimal) and not isinstance(condition.value, bool):
            k = position[condition.value]
            return 2 * k + 1, 2 * k + 1
        return 1, 0  # a label or boolean holds on no number
    first = 0 if condition.low is None else 2 * position[condition.low] + (1 if condition.low_closed else 2)
    last = 2 * count if condition.high is None else 2 * position[condition.high] + (1 if condition.high_closed else 0)
    return first, last


def _clip(piece: Piece, domain: Range) -> Piece | None:
    if piece.point:
        assert piece.low is not None
        return piece if domain.contains(piece.low) else None
    low, high = piece.low, piece.high
    # the open gap (low, high) intersected with the domain
    if domain.high is not None and low is not None and domain.high <= low:
        return None
    if domain.low is not None and high is not None and domain.low >= high:
        return None
    new_low, low_closed = low, False
    if domain.low is not None and (low is None or domain.low > low):
        new_low, low_closed = domain.low, domain.low_closed
    new_high, high_closed = high, False
    if domain.high is not None and (high is None or domain.high < high):
        new_high, high_closed = domain.high, domain.high_closed
    if new_low is not None and new_high is not None:
        if new_low > new_high or (new_low == new_high and not (low_closed and high_closed)):
            return None
    return _ClippedPiece(new_low, new_high, False, piece.holding, low_closed, high_closed)


@dataclass(frozen=True)
class _ClippedPiece(Piece):
    """A gap cut by the domain: its ends may now be closed (the domain's own bounds)."""

    low_closed: bool = False
    high_closed: bool = False

    def as_range(self) -> Range:
        return Range(self.low, self.low_closed, self.high, self.high_closed)
