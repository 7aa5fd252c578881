"""What a change of rules does to one output over a population, in exact figures.

A label output is summarised by its transition matrix (old label → new label,
with `invalid` for a row one version rejects) and, when its labels are ordered,
by how many steps each person moved. A number is summarised by the
distribution of its change: how many went up, down or stayed, the smallest,
median and largest change among those whose value changed, and a histogram
of those changes over round-numbered bins. Every figure is an exact count or
an exact Decimal (a median of an even count is the exact mean of the middle
two).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from kinerja.library.ruleset import Ruleset
from kinerja.semantics import types as t
from kinerja.semantics.values import ABSENT, value_text
from kinerja.syntax import tree as s

INVALID = "invalid"
ABSENT_LABEL = "-"  # a value that does not apply (`when`), as the text form writes it
LABEL, NUMBER, BOOLEAN, OTHER = "label", "number", "boolean", "other"

# The five bands of an ordered label's move, and the three of a number's.
UP2, UP1, SAME, DOWN1, DOWN2 = "up2", "up1", "same", "down1", "down2"
BANDS = (UP2, UP1, SAME, DOWN1, DOWN2)
UP, DOWN, CHANGED = "up", "down", "changed"  # a number's direction, or an unordered label's change
HISTOGRAM_BINS = 12


def output_kind(ruleset: Ruleset, name: str) -> str:
    found = ruleset.checked.types.get(name)
    if isinstance(found, t.NumberT):
        return NUMBER
    if isinstance(found, t.LabelT):
        return LABEL
    if isinstance(found, t.BoolT):
        return BOOLEAN
    return OTHER


def label_order(ruleset: Ruleset, name: str) -> tuple[str, ...] | None:
    """The labels of an output from lowest to highest, when the ruleset says which is higher.

    A `scale` says it. Otherwise a band table over a number says it by its rows: the label of the
    higher band is the higher label (PP 30/2019's predikat: Sangat Kurang below 50 … Sangat Baik
    from 110). Else the labels have no order (None), and a move is only "changed".
    """
    found = ruleset.checked.types.get(name)
    if not isinstance(found, t.LabelT):
        return None
    if found.ordered:
        return found.labels
    decl = ruleset.checked.definitions.get(name)
    if not isinstance(decl, s.TableDecl) or not isinstance(ruleset.checked.type_of(decl.subject), t.NumberT):
        return None
    lowest: dict[str, tuple[Decimal, Decimal]] = {}
    for row in decl.rows:
        if not isinstance(row.result, s.StringLit) or not isinstance(row.condition, s.Interval):
            return None
        low = row.condition.low if row.condition.low is not None else Decimal("-Infinity")
        high = row.condition.high if row.condition.high is not None else Decimal("Infinity")
        key = lowest.get(row.result.value)
        lowest[row.result.value] = (low, high) if key is None else (min(key[0], low), min(key[1], high))
    ordered = sorted(lowest, key=lambda label: lowest[label])
    extra = [x for x in found.labels if x not in ordered]  # labels only an exception gives: unordered
    return None if extra else tuple(ordered)


def plain(value: Any) -> str:
    """A value as the transition matrix and the per-person table write it."""
    if value is ABSENT or value is None:
        return ABSENT_LABEL
    return value if isinstance(value, str) else value_text(value)


@dataclass
class OutputTally:
    """Accumulates one output's figures row by row (see the module docstring)."""

    name: str
    kind: str
    order: tuple[str, ...] | None = None  # label order, lowest first
    transitions: Counter[tuple[str, str]] = field(default_factory=Counter)
    moves: Counter[str] = field(default_factory=Counter)  # band or direction -> people
    deltas: Counter[Decimal] = field(default_factory=Counter)  # a number's non-zero changes
    compared: int = 0  # rows valid under both versions

    def add(self, old: Any, new: Any) -> str | None:
        """One row valid under both versions; returns its move (a band or direction), None when unchanged."""
        self.compared += 1
        if self.kind != NUMBER:
            self.transitions[(plain(old), plain(new))] += 1
        move = move_of(self.kind, self.order, old, new)
        self.moves[move or SAME] += 1
        if self.kind == NUMBER and move in (UP, DOWN):
            self.deltas[new - old] += 1
        return move

    def add_invalid(self, old: Any, new: Any, old_ok: bool, new_ok: bool) -> None:
        if self.kind != NUMBER:
            self.transitions[(plain(old) if old_ok else INVALID, plain(new) if new_ok else INVALID)] += 1

    def figures(self) -> OutputFigures:
        return OutputFigures(self.name, self.kind, self.order, Counter(self.transitions), Counter(self.moves),
                             self.compared, Counter(self.deltas))  # fmt: skip


def move_of(kind: str, order: tuple[str, ...] | None, old: Any, new: Any) -> str | None:
    """How one person's value moved: a band for ordered labels, up/down for numbers, `changed` otherwise."""
    if old == new:
        return None
    if kind == NUMBER and _is_number(old) and _is_number(new):
        return UP if new > old else DOWN
    if order is not None and old in order and new in order:
        steps = order.index(new) - order.index(old)
        return UP2 if steps >= 2 else UP1 if steps == 1 else DOWN1 if steps == -1 else DOWN2
    return CHANGED


def direction(move: str | None) -> str | None:
    """up, down or changed (None when unchanged), whatever the kind of output."""
    if move in (UP, UP1, UP2):
        return UP
    if move in (DOWN, DOWN1, DOWN2):
        return DOWN
    return move


def _is_number(value: Any) -> bool:
    return isinstance(value, Decimal)


@dataclass(frozen=True)
class Bin:
    low: Decimal
    high: Decimal  # the bin is [low, high), the last one [low, high]
    count: int

    def to_dict(self) -> dict[str, Any]:
        return {"low": self.low, "high": self.high, "count": self.count}


@dataclass(frozen=True)
class OutputFigures:
    name: str
    kind: str
    order: tuple[str, ...] | None
    transitions: Counter[tuple[str, str]]
    moves: Counter[str]
    compared: int
    deltas: Counter[Decimal]

    @property
    def up(self) -> int:
        return sum(n for m, n in self.moves.items() if direction(m) == UP)

    @property
    def down(self) -> int:
        return sum(n for m, n in self.moves.items() if direction(m) == DOWN)

    @property
    def changed(self) -> int:
        return self.compared - self.moves.get(SAME, 0)

    @property
    def same(self) -> int:
        return self.moves.get(SAME, 0)

    def transition_list(self) -> list[dict[str, Any]]:
        order = list(self.order or ())
        seen = sorted({x for pair in self.transitions for x in pair} - set(order) - {INVALID})

        def rank(label: str) -> int:
            everything = order + seen + [INVALID]
            return everything.index(label)

        ordered = sorted(self.transitions.items(), key=lambda item: (rank(item[0][0]), rank(item[0][1])))
        return [{"from": a, "to": b, "count": n} for (a, b), n in ordered]

    def labels(self) -> list[str]:
        """Every label the matrix shows, in order (the scale's, then others, then `invalid`)."""
        found = {x for pair in self.transitions for x in pair}
        order = [x for x in (self.order or ()) if x in found]
        return order + sorted(found - set(order) - {INVALID}) + ([INVALID] if INVALID in found else [])

    def delta_stats(self) -> dict[str, Decimal] | None:
        """Smallest, median and largest change among the people whose number changed."""
        if not self.deltas:
            return None
        values = sorted(self.deltas)
        total = sum(self.deltas.values())
        return {"min": values[0], "median": _median(values, self.deltas, total), "max": values[-1]}

    def histogram(self, bins: int = HISTOGRAM_BINS) -> list[Bin]:
        if not self.deltas:
            return []
        low, high = min(self.deltas), max(self.deltas)
        width = _nice_width((high - low) / bins) if high > low else Decimal(1)
        start = (low / width).to_integral_value(ROUND_FLOOR) * width
        count = max(int(((high - start) / width).to_integral_value(ROUND_FLOOR)) + 1, 1)
        found = [0] * count
        for value, n in self.deltas.items():
            found[min(int(((value - start) / width).to_integral_value(ROUND_FLOOR)), count - 1)] += n
        return [Bin(start + i * width, start + (i + 1) * width, n) for i, n in enumerate(found)]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "kind": self.kind, "compared": self.compared, "changed": self.changed,
                               "up": self.up, "down": self.down, "same": self.same}  # fmt: skip
        if self.kind == NUMBER:
            out["delta"] = self.delta_stats()
            out["histogram"] = [b.to_dict() for b in self.histogram()]
        else:
            out["order"] = list(self.order) if self.order is not None else None
            out["transitions"] = self.transition_list()
            if self.order is not None:
                out["bands"] = {band: self.moves.get(band, 0) for band in BANDS}
        return out


def _median(values: list[Decimal], counts: Counter[Decimal], total: int) -> Decimal:
    def at(position: int) -> Decimal:
        seen = 0
        for value in values:
            seen += counts[value]
            if seen > position:
                return value
        return values[-1]

    if total % 2:
        return at(total // 2)
    return (at(total // 2 - 1) + at(total // 2)) / 2


def _nice_width(raw: Decimal) -> Decimal:
    """The smallest 1, 2 or 5 × 10^k at least `raw` (bins a reader can name)."""
    if raw <= 0:
        return Decimal(1)
    exponent = raw.adjusted()
    for k in (exponent - 1, exponent, exponent + 1):
        for mantissa in (1, 2, 5):
            width = Decimal(mantissa).scaleb(k)
            if width >= raw:
                return width
    return Decimal(10).scaleb(exponent + 1)


__all__ = ["BANDS", "Bin", "OutputFigures", "OutputTally", "direction", "label_order", "move_of", "output_kind", "plain"]
