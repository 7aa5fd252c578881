"""The types of the ruleset language, as the checker and compiler see them."""

from __future__ import annotations

from decimal import Decimal
from typing import Union

from kinerja.syntax.frozen import dataclass


@dataclass(frozen=True)
class NumberT:
    integer: bool = False
    low: Decimal | None = None
    high: Decimal | None = None
    places: int | None = None

    def describe(self) -> str:
        kind = "integer" if self.integer else "decimal"
        if self.low is not None and self.high is not None and self.low != self.high:
            return f"{kind} [{self.low}, {self.high}]"
        return kind


@dataclass(frozen=True)
class BoolT:
    def describe(self) -> str:
        return "boolean"


@dataclass(frozen=True)
class LabelT:
    """An enumeration; `ordered` makes it a scale (labels from lowest to highest)."""

    labels: tuple[str, ...]
    ordered: bool = False
    name: str | None = None

    def describe(self) -> str:
        kind = "scale" if self.ordered else "enum"
        listed = ", ".join(f'"{x}"' for x in self.labels)
        return f"{self.name or kind} {{{listed}}}"


@dataclass(frozen=True)
class LiteralLabelT:
    """A quoted label whose type is not known yet; it fits any label type holding it."""

    label: str

    def describe(self) -> str:
        return f'label "{self.label}"'


@dataclass(frozen=True)
class RecordT:
    """A record: an item of a list input (or of a list field of an item).

    `path` names the list the item belongs to (`("iki",)`, `("iki", "triwulan")` for a quarter
    of an IKI): the level at which per-item definitions of that list (`value iki.nilai = …`)
    live, so a field that is not in the record may be one of those definitions.
    """

    fields: tuple[tuple[str, Type], ...]
    optional: frozenset[str] = frozenset()  # fields a record may leave out (absent, K704 when read)
    path: tuple[str, ...] = ()

    def field(self, name: str) -> Type | None:
        return dict(self.fields).get(name)

    def describe(self) -> str:
        return "record {" + ", ".join(f"{n}: {'optional ' if n in self.optional else ''}{t.describe()}" for n, t in self.fields) + "}"


@dataclass(frozen=True)
class ListT:
    item: Type
    max_items: int | None = None  # `at most N`: bounds sums and counts over the list

    def describe(self) -> str:
        bound = f" at most {self.max_items}" if self.max_items is not None else ""
        return f"list of {self.item.describe()}{bound}"


def at_path(typ: Type, path: tuple[str, ...]) -> Type:
    """A list type whose items (and nested lists' items) know the list path they live at."""
    if isinstance(typ, ListT) and isinstance(typ.item, RecordT):
        item = typ.item
        fields = tuple((n, at_path(ft, (*path, n))) for n, ft in item.fields)
        return ListT(RecordT(fields, item.optional, path), typ.max_items)
    return typ


@dataclass(frozen=True)
class WeightsT:
    parts: tuple[str, ...]

    def describe(self) -> str:
        return "weights {" + ", ".join(self.parts) + "}"


@dataclass(frozen=True)
class ErrorT:
    """The type of an expression that already produced a diagnostic: no further errors from it."""

    def describe(self) -> str:
        return "?"


Type = Union[NumberT, BoolT, LabelT, LiteralLabelT, RecordT, ListT, WeightsT, ErrorT]

NUMBER = NumberT()
INTEGER = NumberT(integer=True)
BOOL = BoolT()
ERROR = ErrorT()


def is_number(t: Type) -> bool:
    return isinstance(t, NumberT)


def is_labels(t: Type) -> bool:
    return isinstance(t, (LabelT, LiteralLabelT))


def same_kind(a: Type, b: Type) -> bool:
    """Whether values of `a` and `b` can meet in one place (a table's rows, an if's branches)."""
    if isinstance(a, ErrorT) or isinstance(b, ErrorT):
        return True
    if isinstance(a, NumberT) and isinstance(b, NumberT):
        return True
    if is_labels(a) and is_labels(b):
        return True
    return type(a) is type(b) and a == b


def join(a: Type, b: Type) -> Type:
    """The type of a place that holds values of `a` or `b` (both of the same kind)."""
    if isinstance(a, ErrorT):
        return b
    if isinstance(b, ErrorT):
        return a
    if isinstance(a, NumberT) and isinstance(b, NumberT):
        return NumberT(integer=a.integer and b.integer)
    if is_labels(a) and is_labels(b):
        if isinstance(a, LabelT) and isinstance(b, LabelT) and a == b:
            return a
        if isinstance(a, LabelT) and isinstance(b, LiteralLabelT) and b.label in a.labels:
            return a
        if isinstance(b, LabelT) and isinstance(a, LiteralLabelT) and a.label in b.labels:
            return b
        labels = list(labels_of(a))
        labels += [x for x in labels_of(b) if x not in labels]
        return LabelT(tuple(labels))
    return a


def labels_of(t: Type) -> tuple[str, ...]:
    if isinstance(t, LabelT):
        return t.labels
    if isinstance(t, LiteralLabelT):
        return (t.label,)
    return ()
