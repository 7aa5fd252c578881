"""Scoring a chunk: input columns encoded once per distinct cell, the compiled plan, the rest one by one.

Each input column has a `ColumnEncoder` that lives for the whole file: a cell's value is
validated (by the single-record path's own `coerce`, so what is accepted, and how, is
exactly what `evaluate` accepts) the first time it is seen and remembered, so a national
file of millions of rows validates each distinct text once per column. The encoded columns
go to the vector plan (`kinerja.vector`); every row the plan does not vouch for — a bad
cell, a case the plan declines, or every row when the ruleset has no plan — is evaluated
by the single-record path, which also gives an invalid row its error text.

Outputs stay in the plan's encoding (`OutputColumn`) until a writer asks for text, JSON
text, typed Arrow arrays or Python values: no per-row Python object on the fast path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import compress
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from kinerja.diagnostics.diagnostic import Diagnostic, KinerjaError
from kinerja.diagnostics.messages import message
from kinerja.eval.inputs import coerce, input_value
from kinerja.io.chunk import Chunk, Column, cell_text
from kinerja.library.ruleset import Ruleset
from kinerja.semantics import types as t
from kinerja.semantics.values import ABSENT, value_text
from kinerja.vector.buffers import array_of, filled, numpy_of, repeated, scalar, spliced, strings, valid_of, validity

NUMBER, BOOLEAN, LABEL, OTHER = "number", "boolean", "label", "other"
FALLBACK_SCALE = 18  # places of a decimal output in typed files when the ruleset has no column plan

try:  # the vector path is optional: without it every row goes the single-record way
    from kinerja.vector.compile import NUMBER_ABSENT, Unsupported, scaled
    from kinerja.vector.plan import OK_KEY, plan_for
except ImportError:  # pragma: no cover - the vector package ships with kinerja
    plan_for = None  # type: ignore[assignment]
    NUMBER_ABSENT = -(2**63)

LABEL_ABSENT, LABEL_BAD = -1, -2
NUMBER_BAD = NUMBER_ABSENT + 1  # below any input's range: the plan declines the row


def output_kind(found: t.Type | None) -> str:
    if isinstance(found, t.NumberT):
        return NUMBER
    if isinstance(found, t.BoolT):
        return BOOLEAN
    if isinstance(found, t.LabelT):
        return LABEL
    return OTHER


class ColumnEncoder:
    """One input column's cells -> the plan's codes, each distinct cell validated once per file."""

    def __init__(self, plan: Any, ruleset: Ruleset, name: str, text_values: bool):
        self.name = name
        self.expected = ruleset.checked.types[name]
        self.text_values = text_values
        self.kind = output_kind(self.expected)
        self.absent = NUMBER_ABSENT if self.kind == NUMBER else LABEL_ABSENT
        self.bad = NUMBER_BAD if self.kind == NUMBER else LABEL_BAD
        self.scale = plan.input_scale(name) if self.kind == NUMBER else 0
        self.labels = {label: i for i, label in enumerate(plan.labels(name))} if self.kind == LABEL else {}
        self.cache: dict[Any, int] = {}
        self.many_distinct = False  # a text column of numbers found to hold many distinct values
        self._decided = False
        self._known: pa.Array | None = None  # every distinct Arrow value seen so far in this column
        self._known_codes = np.zeros(0, dtype=np.int64)  # and its code, position for position

    def code(self, value: Any) -> int:
        """One distinct value's code (the cache key keeps True apart from 1 and 1.0)."""
        key = (type(value), value)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = self._code(value)
        return found

    def _code(self, value: Any) -> int:
        if value is None or (self.text_values and isinstance(value, str) and not value.strip()):
            return self.absent
        problems: list[Diagnostic] = []
        try:
            checked = coerce(self.name, value, self.expected, problems, text_values=self.text_values)
        except (InvalidOperation, ValueError, OverflowError):
            return self.bad
        if problems or checked is None:
            return self.bad
        if self.kind == NUMBER:
            try:
                return scaled(checked, self.scale)
            except (Unsupported, InvalidOperation, OverflowError):
                return self.bad  # more places than the plan keeps: the single-record path decides
        if self.kind == LABEL:
            return self.labels.get(checked, self.bad)
        if self.kind == BOOLEAN:
            return 1 if checked else 0
        return self.bad

    def encode(self, column: Column) -> np.ndarray:
        if isinstance(column, list):
            code = self.code
            return np.fromiter((code(v) for v in column), dtype=np.int64, count=len(column))
        if pa.types.is_null(column.type):
            return np.full(len(column), self.absent, dtype=np.int64)
        if self.kind == NUMBER:
            fast = self._numbers(column)
            if fast is not None:
                return fast
        if pa.types.is_floating(column.type) or not _hashable_type(column.type):
            return self.encode(column.to_pylist())
        return self._distinct(column)

    def _numbers(self, column: pa.Array) -> np.ndarray | None:
        """A number column read column-wise where its form allows: decimals by their digits, and text
        that is plain decimal notation once a column turns out to hold many distinct values (ids, four
        places). What this path does not read goes the distinct-value way; it accepts nothing the
        single-record path would refuse, and gives the same count for what it accepts."""
        limit = self._limit()
        if pa.types.is_decimal(column.type):
            return _decimal_counts(column, self.scale, limit, self.absent, self.bad)
        if not pa.types.is_string(column.type):
            return None
        if not self.many_distinct and not self._decided and len(column) >= 4096:
            # decided on the first sizeable chunk, read the distinct-value way (its dictionary counts them):
            # a few distinct values are cheapest looked up, many parsed
            self._decided = True
            codes, distinct = self._distinct_counted(column)
            self.many_distinct = distinct > len(column) // 20
            return codes
        if not self.many_distinct:
            return None
        codes, careful = _plain_counts(column, self.scale, limit, self.bad)
        if careful.any():
            rows = np.flatnonzero(careful)
            codes[rows] = self._distinct(column.take(array_of(rows)))
        return codes

    def _distinct(self, column: pa.Array) -> np.ndarray:
        """Codes through the distinct values: each validated by `coerce` once per file."""
        return self._distinct_counted(column)[0]

    def _distinct_counted(self, column: pa.Array) -> tuple[np.ndarray, int]:
        """`_distinct`'s codes, and how many distinct values (nulls aside) the column holds."""
        encoded = column.dictionary_encode()
        table = self._codes_of(encoded.dictionary)
        values = encoded.dictionary
        indices = encoded.indices
        if indices.null_count:
            positions = filled(indices, len(values))
            table = np.append(table, self.absent)
        else:
            positions = numpy_of(indices)
        return table[positions], len(values)


    def _codes_of(self, values: pa.Array) -> np.ndarray:
        """Codes of a chunk's distinct values: those seen in earlier chunks found in one vectorised lookup."""
        known = self._known
        if known is not None and known.type == values.type and len(known):
            where = filled(pc.index_in(values, value_set=known), -1).astype(np.int64)
        else:
            where = np.full(len(values), -1, dtype=np.int64)
        fresh = np.flatnonzero(where < 0)
        if len(fresh):
            added = values.take(array_of(fresh))
            codes = self._fresh_codes(added)
            start = len(self._known_codes)
            self._known = added if known is None or known.type != values.type else pa.concat_arrays([known, added])
            self._known_codes = codes if start == 0 or known is None or known.type != values.type else np.append(self._known_codes, codes)
            where = where.astype(np.int64)
            where[fresh] = np.arange(len(self._known_codes) - len(fresh), len(self._known_codes))
        return self._known_codes[where]

    def _fresh_codes(self, values: pa.Array) -> np.ndarray:
        """Codes of values not seen before in this column: plain decimal texts of a number column read
        column-wise (`_plain_counts`, which accepts only what `coerce` accepts, with the same count),
        every other value validated by `coerce`."""
        code = self.code
        if self.kind == NUMBER and self.text_values and pa.types.is_string(values.type) and len(values) > 64:
            codes, careful = _plain_counts(values, self.scale, self._limit(), self.bad)
            rows = np.flatnonzero(careful)
            if len(rows):
                codes[rows] = [code(v) for v in values.take(array_of(rows)).to_pylist()]
            return codes
        return np.fromiter((code(v) for v in values.to_pylist()), dtype=np.int64, count=len(values))

    def _limit(self) -> int:
        """The most places a number cell may have (more makes it invalid)."""
        expected = self.expected
        assert isinstance(expected, t.NumberT)
        return 0 if expected.integer else min(self.scale, expected.places if expected.places is not None else self.scale)


class ListEncoder:
    """A list input's cells -> the plan's lengths and padded field columns (kinerja.vector.plan), and the rows
    whose cell the plan does not read (left to the single-record path, which says what is wrong)."""

    def __init__(self, plan: Any, name: str, text_values: bool):
        plan.list_fields(name)  # KeyError when the plan does not hold it as a list
        self.plan = plan
        self.name = name
        self.text_values = text_values

    def encode(self, column: Column) -> tuple[dict[str, np.ndarray], np.ndarray | None]:
        cells = column.to_pylist() if isinstance(column, pa.Array) else list(column)
        return self.plan.read_list_cells(self.name, cells, len(cells), self.text_values)  # type: ignore[no-any-return]


_PLAIN = r"^(?P<sign>-?)(?P<whole>[0-9]{1,15})(?:\.(?P<fraction>[0-9]*))?$"  # what `_plain_counts` reads


def _plain_counts(column: pa.Array, scale: int, limit: int, bad: int) -> tuple[np.ndarray, np.ndarray]:
    """Plain decimal texts ("-12.50") as counts of 10**-scale, column-wise; `bad` where a text has more
    than `limit` places; and the mask of cells left to the careful path (any other form, blanks, or
    digits too many for 64 bits). A count outside the input's range is left for the plan to decline."""
    parts = pc.extract_regex(column, _PLAIN)
    careful = pc.invert(parts.is_valid())
    empty = scalar("")
    whole = parts.field("whole").fill_null(scalar("0"))
    fraction = pc.utf8_rtrim(parts.field("fraction").fill_null(empty), "0")
    too_fine = pc.greater(pc.utf8_length(fraction), scalar(limit, pa.int32()))
    careful = pc.or_(careful, pc.greater(pc.add(pc.utf8_length(whole), scalar(scale, pa.int32())), scalar(17, pa.int32())))
    digits = pc.binary_join_element_wise(whole, pc.utf8_rpad(fraction, scale, "0"), empty) if scale else whole
    skip = pc.or_(careful, too_fine)
    counts = filled(pc.cast(pc.if_else(skip, scalar("0"), digits), pa.int64()), 0).astype(np.int64)
    negative = filled(pc.equal(parts.field("sign").fill_null(empty), scalar("-")), False)
    counts[negative] = -counts[negative]
    counts[filled(too_fine, False)] = bad
    return counts, filled(careful, True)


def _decimal_counts(column: pa.Array, scale: int, limit: int, absent: int, bad: int) -> np.ndarray | None:
    """A decimal128 column (Parquet) as counts of 10**-scale from its digits; None when 64 bits might not hold them."""
    kind = column.type
    if not pa.types.is_decimal128(kind) or kind.precision + max(0, scale - kind.scale) > 18:
        return None
    words = np.frombuffer(column.buffers()[1], dtype=np.int64, count=2 * (len(column) + column.offset))
    unscaled = words[2 * column.offset :: 2].copy()  # the low 64 bits hold the whole value at this precision
    if kind.scale <= scale:
        counts = unscaled * 10 ** (scale - kind.scale)
        fine = np.zeros(len(column), dtype=bool) if kind.scale <= limit else unscaled % 10 ** (kind.scale - limit) != 0
    else:
        fine = unscaled % 10 ** (kind.scale - limit) != 0
        counts = unscaled // 10 ** (kind.scale - scale)
    counts[fine] = bad
    if column.null_count:
        counts[~valid_of(column)] = absent
    return counts


def _code_declined(code: int, bounds: tuple[int, int]) -> bool:
    """Whether the plan declines a number code (a bad cell, or a count outside the input's range)."""
    return code == NUMBER_BAD or not bounds[0] <= code <= bounds[1]


def _hashable_type(kind: pa.DataType) -> bool:
    return (pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_integer(kind)
            or pa.types.is_decimal(kind) or pa.types.is_boolean(kind))  # fmt: skip


@dataclass
class OutputColumn:
    """One output for one chunk: the plan's codes where it answered, Python values where a row went one by one."""

    name: str
    kind: str
    length: int
    scale: int = 0
    labels: tuple[str, ...] = ()
    codes: np.ndarray | None = None  # number counts / label codes / 1, 0, -1 booleans
    present: np.ndarray | None = None  # bool: rows whose code holds a value
    patch: dict[int, Any] = field(default_factory=dict)  # row -> Python value (None: empty)
    _texts: pa.Array | None = field(default=None, repr=False)
    _typed: dict[str, pa.Array] = field(default_factory=dict, repr=False)  # arrow(type) by type, computed once

    def _present_mask(self) -> np.ndarray:
        if self.codes is None or self.present is None:
            return np.zeros(self.length, dtype=bool)
        mask = self.present.copy()
        if self.kind == NUMBER:
            mask &= self.codes != NUMBER_ABSENT
        elif self.kind in (LABEL, BOOLEAN):
            mask &= self.codes >= 0
        if self.patch:
            mask[list(self.patch)] = False
        return mask

    def _patched(self, array: pa.Array, convert: Any, arrow_type: pa.DataType) -> pa.Array:
        if not self.patch:
            return array
        rows = sorted(self.patch)
        values = [convert(self.patch[r]) for r in rows]
        if pa.types.is_string(arrow_type):
            found = spliced(array, rows, values)  # the patched rows are empty in `array`: their texts inserted
            if found is not None:
                return found
        mask = np.zeros(self.length, dtype=bool)
        mask[rows] = True
        return pc.replace_with_mask(array, array_of(mask), _values_array(values, arrow_type))

    def texts(self) -> pa.Array:
        """value_text of each value, '' where there is none (CSV, and the summary's counts); computed once."""
        if self._texts is None:
            array = self._vector_texts()
            self._texts = self._patched(array, lambda v: "" if v is None or v is ABSENT else value_text(v), pa.string())
        return self._texts

    def counts(self, ok: np.ndarray) -> dict[str, int]:
        """How many rows where `ok` hold each text (the summary's count per label).

        A label column counts its codes (one bincount) without building its texts; any other
        column counts its texts."""
        if self.kind == LABEL and self.codes is not None and self.labels:
            mask = self._present_mask()
            chosen = self.codes[mask & ok]
            if not len(chosen) or int(chosen.max()) < len(self.labels):
                found: dict[str, int] = {}
                for label, count in zip(self.labels, np.bincount(chosen, minlength=len(self.labels)).tolist(), strict=False):
                    if count:
                        found[label] = found.get(label, 0) + count
                empty = ok & ~mask  # rows with no code: a patched value's text, else ''
                for row, value in self.patch.items():
                    if ok[row]:
                        text = "" if value is None or value is ABSENT else value_text(value)
                        found[text] = found.get(text, 0) + 1
                        empty[row] = False
                blanks = int(np.count_nonzero(empty))
                if blanks:
                    found[""] = found.get("", 0) + blanks
                return found
        found_texts = pc.value_counts(self.texts().filter(array_of(ok)))
        return dict(zip(found_texts.field("values").to_pylist(), found_texts.field("counts").to_pylist(), strict=True))

    def _vector_texts(self) -> pa.Array:
        mask = self._present_mask()
        if self.codes is None or not mask.any():
            return repeated("", self.length)
        if self.kind == NUMBER:
            texts = number_texts(np.where(mask, self.codes, 0), self.scale)
            return texts if mask.all() else pc.if_else(array_of(mask), texts, scalar(""))
        if self.kind == LABEL:
            distinct_codes = np.where(mask, self.codes, 0)
            words, inverse = list(self.labels), distinct_codes
        else:
            words, inverse = ["false", "true"], np.where(mask, self.codes, 0).astype(np.int64)
        values = pc.take(strings(words), array_of(inverse.reshape(-1).astype(np.int32)))
        return values if mask.all() else pc.if_else(array_of(mask), values, scalar(""))

    def arrow(self, arrow_type: pa.DataType) -> pa.Array:
        """Typed values with nulls where there is none: decimal128 for numbers, bool, string; computed once per type."""
        key = str(arrow_type)
        found = self._typed.get(key)
        if found is None:
            found = self._typed[key] = self._arrow(arrow_type)
        return found

    def _arrow(self, arrow_type: pa.DataType) -> pa.Array:
        mask = self._present_mask()
        if self.kind == NUMBER and pa.types.is_decimal(arrow_type):
            counts = self.codes if self.codes is not None else np.zeros(self.length, np.int64)
            merged = self._patched_counts(counts, mask) if arrow_type.scale == self.scale else None
            if merged is not None:  # the single-record rows' decimals put among the counts: one array, no second pass
                return _decimals(merged[0], merged[1], self.scale, arrow_type)
            array = _decimals(counts, mask, self.scale, arrow_type)
            return self._patched(array, lambda v: None if v is None or v is ABSENT else v, arrow_type)
        if self.kind == BOOLEAN and pa.types.is_boolean(arrow_type):
            values = self.codes == 1 if self.codes is not None else np.zeros(self.length, dtype=bool)
            array = array_of(values, mask)
            return self._patched(array, lambda v: None if v is None or v is ABSENT else bool(v), arrow_type)
        if self.kind == LABEL and self.codes is not None and self.labels and pa.types.is_string(arrow_type):
            # the labels taken by code, null where there is no code: one take, no texts in between
            indices = array_of(np.where(mask, self.codes, 0).astype(np.int32), mask)
            array = pc.take(strings(list(self.labels)), indices)
        else:
            array = pc.if_else(array_of(mask), self._vector_texts(), scalar(None, pa.string()))
        return self._patched(array, lambda v: None if v is None or v is ABSENT else value_text(v), pa.string())

    def _patched_counts(self, counts: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """Counts and mask with the patched rows' values (Decimals, or none) put in at this column's scale;
        None when a value has more places than the scale, or does not fit 64 bits."""
        if not self.patch:
            return counts, mask
        counts, mask = counts.copy(), mask.copy()
        for row, value in self.patch.items():
            if value is None or value is ABSENT:
                mask[row] = False
                continue
            if not isinstance(value, Decimal) or not value.is_finite():
                return None
            units = value.scaleb(self.scale)
            whole = int(units)
            if whole != units or not -(2**63) < whole < 2**63:
                return None
            counts[row], mask[row] = whole, True
        return counts, mask

    def python(self) -> list[Any]:
        """Python values (Decimal, str, bool; None where there is none), for the spreadsheet writer."""
        mask = self._present_mask().tolist()
        out: list[Any] = [None] * self.length
        if self.codes is not None:
            codes = self.codes.tolist()
            for row in compress(range(self.length), mask):
                code = codes[row]
                if self.kind == NUMBER:
                    out[row] = Decimal(code).scaleb(-self.scale)
                elif self.kind == LABEL:
                    out[row] = self.labels[code]
                else:
                    out[row] = code == 1
        for row, value in self.patch.items():
            out[row] = None if value is ABSENT else value
        return out


def number_texts(counts: np.ndarray, scale: int) -> pa.Array:
    """int64 counts of 10**-scale as the texts `value_text` writes (90, 89.5, -0.25), column-wise.

    The texts are laid out as digits in a small byte matrix — sign, whole digits, point,
    fraction digits, one row per value — and the bytes each row keeps (no leading zeros, no
    trailing fraction zeros, no bare point) are its text: a few numpy passes per digit, about
    a quarter cheaper than formatting a decimal128 at its scale and trimming it, and never
    Arrow's exponent form (a decimal128 below 1E-6 is written "1E-7", `value_text` writes 0.0000001).
    """
    counts = np.asarray(counts, dtype=np.int64)
    if scale == 0:
        return array_of(counts).cast(pa.string())
    if scale > 18 or not len(counts) or (counts == np.iinfo(np.int64).min).any():
        return _number_texts_one_by_one(counts, scale)  # beyond what int64 digit arithmetic holds
    negative = counts < 0
    magnitude = np.abs(counts)
    # 32-bit digit arithmetic where the values allow it: integer division is most of the cost
    small = int(magnitude.max()) < 2**31
    kind = np.int32 if small else np.int64
    whole, fraction = np.divmod(magnitude.astype(kind), kind(10**scale)) if small and scale <= 9 else np.divmod(magnitude, np.int64(10**scale))
    whole, fraction = whole.astype(kind, copy=False), fraction.astype(kind, copy=False)
    width = len(str(int(whole.max())))
    rows = len(counts)
    digits = np.empty((rows, width + scale + 2), dtype=np.uint8)
    keep = np.empty((rows, width + scale + 2), dtype=bool)
    digits[:, 0], keep[:, 0] = ord("-"), negative
    length = negative.astype(np.int64)
    for place in range(width):  # whole digits, most significant first; a leading zero only for 0 itself
        power = kind(10 ** (width - 1 - place))
        digits[:, 1 + place] = (whole // power) % 10 + 48
        present = whole >= power if place < width - 1 else np.ones(rows, dtype=bool)
        keep[:, 1 + place] = present
        length += present
    remaining = fraction.copy()
    for place in range(scale):  # fraction digits, kept while something non-zero follows
        power = kind(10 ** (scale - 1 - place))
        digits[:, 2 + width + place] = remaining // power + 48
        present = remaining != 0
        keep[:, 2 + width + place] = present
        length += present
        remaining %= power
    point = fraction != 0
    digits[:, 1 + width], keep[:, 1 + width] = ord("."), point
    length += point
    data = digits[keep]
    offsets = np.zeros(rows + 1, dtype=np.int64)
    np.cumsum(length, out=offsets[1:])
    kind, width_type = (pa.string(), np.int32) if offsets[-1] < 2**31 else (pa.large_string(), np.int64)
    return pa.Array.from_buffers(kind, rows, [None, pa.py_buffer(offsets.astype(width_type)), pa.py_buffer(data)])


def _number_texts_one_by_one(counts: np.ndarray, scale: int) -> pa.Array:
    """`number_texts` value by value, for what int64 digit arithmetic cannot hold (rare: scale > 18)."""
    return strings([value_text(Decimal(int(count)).scaleb(-scale)) for count in counts.tolist()])


def _decimals(counts: np.ndarray, mask: np.ndarray, scale: int, arrow_type: pa.DataType) -> pa.Array:
    """int64 counts of 10**-scale as a decimal128 array of `arrow_type` (its scale >= `scale`)."""
    counts = np.where(mask, counts, 0).astype(np.int64)
    shift = arrow_type.scale - scale
    if shift:
        counts = counts * (10**shift)
    words = np.empty(len(counts) * 2, dtype=np.int64)
    words[0::2] = counts  # the low 64 bits, then the sign extended into the high 64 bits (little endian)
    words[1::2] = counts >> 63
    bitmap, nulls = validity(mask)
    return pa.Array.from_buffers(arrow_type, len(counts), [bitmap, pa.py_buffer(words)], null_count=nulls)


def _values_array(values: list[Any], arrow_type: pa.DataType) -> pa.Array:
    """Python values (None: null) as an Arrow array of `arrow_type`: strings, booleans, decimals."""
    valid = np.array([v is not None for v in values], dtype=bool)
    if pa.types.is_string(arrow_type):
        return strings(values)
    if pa.types.is_boolean(arrow_type):
        return array_of(np.array([bool(v) for v in values], dtype=bool), valid)
    if pa.types.is_decimal128(arrow_type):
        shifted = [v.scaleb(arrow_type.scale) if v is not None else Decimal(0) for v in values]
        units = [int(v) for v in shifted]
        if all(-(2**63) < u < 2**63 and u == v for u, v in zip(units, shifted, strict=True)):
            return _decimals(np.array(units, dtype=np.int64), valid, arrow_type.scale, arrow_type)
    return pa.array(values, arrow_type)  # wider than 64 bits: pyarrow's own converter


@dataclass
class Scored:
    """A chunk's outputs and error texts ('' where the row is valid)."""

    outputs: list[OutputColumn]
    errors: list[str]
    inputs: dict[str, Column]  # the input columns read (by input name), for the population tally
    error_rows: list[int] | None = None  # rows that may hold an error, in order (None: any row may)

    def failed(self) -> list[int]:
        """The rows whose error text is not empty, in order."""
        errors = self.errors
        rows = range(len(errors)) if self.error_rows is None else self.error_rows
        return [row for row in rows if errors[row]]


class Scorer:
    """Evaluates chunks of one table with one ruleset; one instance per file (it holds the caches)."""

    def __init__(self, ruleset: Ruleset, sources: dict[str, int], lang: str | None, text_values: bool):
        self.ruleset = ruleset
        self.sources = sources  # input name -> column index in the table
        self.lang = lang
        self.text_values = text_values
        self.output_names = ruleset.output_names
        self.kinds = [output_kind(ruleset.checked.types.get(n)) for n in self.output_names]
        self.plan = _plan(ruleset)
        self.encoders: dict[str, ColumnEncoder] = {}
        if self.plan is not None:
            try:
                self.encoders = {n: ListEncoder(self.plan, n, text_values) if isinstance(ruleset.checked.types[n], t.ListT)
                                 else ColumnEncoder(self.plan, ruleset, n, text_values) for n in sources}  # fmt: skip
            except (KeyError, Unsupported):
                self.plan = None
        # an output that is only an input (never computed) shows the input's own cell
        self._echoes = {n for n in self.output_names if n in ruleset.checked.inputs and n not in ruleset.checked.definitions}
        self.vectorised = 0
        # A record whose cells break validation fails with exactly its fields' problems, in declared order
        # (`kinerja.eval.inputs.validate`), each a function of its own cell alone — unless an input may be
        # excused by another (`override input`), or values are typed (JSON Lines: `evaluate` reads them
        # its own way first): then every record goes through `evaluate` itself.
        self._per_field = text_values and not ruleset.checked.suppliable and set(sources) <= set(ruleset.checked.inputs)
        self._declared = list(ruleset.checked.inputs)
        self._field_cache: dict[Any, tuple[str, ...]] = {}

    def scale(self, name: str) -> int:
        """The number of places a decimal output is written with in typed files (Parquet)."""
        if self.plan is not None:
            try:
                return int(self.plan.output_scale(name))
            except KeyError:
                pass
        return FALLBACK_SCALE

    def score(self, chunk: Chunk) -> Scored:
        count = chunk.length
        inputs = {name: chunk.columns[index] for name, index in self.sources.items()}
        outputs = [OutputColumn(name, kind, count) for name, kind in zip(self.output_names, self.kinds, strict=True)]
        ok = np.zeros(count, dtype=bool)
        if self.plan is not None and count and self.encoders:
            try:
                ok = self._vector(inputs, outputs, count)
            except Exception:  # a vector-path failure must not lose the batch: every row goes the slow way
                ok = np.zeros(count, dtype=bool)
                outputs = [OutputColumn(name, kind, count) for name, kind in zip(self.output_names, self.kinds, strict=True)]
        errors = [""] * count
        broken = chunk.broken
        if broken:
            ok[list(broken)] = False
        todo = np.flatnonzero(~ok).tolist()  # broken rows included: they were just marked not ok
        if todo:
            self._one_by_one(todo, inputs, broken, outputs, errors)
        self.vectorised += int(ok.sum())
        return Scored(outputs, errors, inputs, todo)

    def _vector(self, inputs: dict[str, Column], outputs: list[OutputColumn], count: int) -> np.ndarray:
        plan = self.plan
        codes: dict[str, np.ndarray] = {}
        declined: list[np.ndarray] = []
        for name, column in inputs.items():
            encoder = self.encoders[name]
            if isinstance(encoder, ListEncoder):
                columns, bad = encoder.encode(column)
                codes.update(columns)
                if bad is not None:
                    declined.append(bad)
            else:
                codes[name] = encoder.encode(column)
        answer = plan.evaluate_arrays(codes)
        ok = np.asarray(answer[OK_KEY], dtype=bool).copy()
        for bad in declined:
            ok &= ~bad
        for output in outputs:
            name = output.name
            if name in self._echoes and name in codes:
                values = codes[name]
            else:
                values = np.asarray(answer[name])
            if output.kind == NUMBER:
                output.scale = plan.output_scale(name) if name not in self._echoes else plan.input_scale(name)
                output.codes = values.astype(np.int64, copy=False)
            elif output.kind == LABEL:
                output.labels = tuple(plan.labels(name))
                output.codes = values.astype(np.int64, copy=False)
            elif output.kind == BOOLEAN:
                output.codes = values.astype(np.int64) if values.dtype != bool else values.astype(np.int64)
            else:
                ok[:] = False
                continue
            output.present = ok
        return ok

    def _one_by_one(self, todo: list[int], inputs: dict[str, Column], broken: dict[int, Any],
                    outputs: list[OutputColumn], errors: list[str]) -> None:  # fmt: skip
        lang = self.lang
        names = list(inputs)
        picked = array_of(np.array(todo, dtype=np.int64))
        cells = {n: (c.take(picked).to_pylist() if isinstance(c, pa.Array) else [c[i] for i in todo]) for n, c in inputs.items()}
        evaluate = self.ruleset.evaluate
        field_texts = self._field_texts
        for position, row in enumerate(todo):
            problem = broken.get(row)
            if problem is not None:
                errors[row] = message(problem[0], lang, **problem[1])
                for output in outputs:
                    output.patch[row] = None
                continue
            if self._per_field:
                # the record's error, when it has one, is its fields' problems in declared order: known per cell
                found = [text for name in self._declared for text in field_texts(name, cells[name][position] if name in cells else None)]
                if found:
                    errors[row] = "; ".join(found)
                    for output in outputs:
                        output.patch[row] = None
                    continue
            record = {n: cells[n][position] for n in names if cells[n][position] is not None}
            try:
                result = evaluate(record, trace=False, text_values=self.text_values)
            except KinerjaError as error:
                errors[row] = "; ".join(d.text(lang) for d in error.diagnostics)
                for output in outputs:
                    output.patch[row] = None
                continue
            for output in outputs:
                output.patch[row] = result.outputs.get(output.name)


    def _field_texts(self, name: str, raw: Any) -> tuple[str, ...]:
        """The texts of one cell's validation problems (none for a good cell), each distinct cell worked out once."""
        key = (name, type(raw), repr(raw)) if isinstance(raw, (str, int, float, Decimal)) or raw is None else None
        found = self._field_cache.get(key) if key is not None else None
        if found is None:
            problems: list[Diagnostic] = []
            input_value(self.ruleset.checked, name, raw, problems, self.text_values)
            found = tuple(d.text(self.lang) for d in problems)
            if key is not None:
                self._field_cache[key] = found
        return found


def _plan(ruleset: Ruleset) -> Any:
    """The vector path's plan, or None: the path may decline a ruleset."""
    if plan_for is None:
        return None
    try:
        return plan_for(ruleset)
    except Exception:  # the single-record path is always right, so a failing plan only costs speed
        return None


def cells_as_text(column: Column) -> list[str]:
    """A column's cells as text ('' for an empty cell), e.g. the unit column of a population tally."""
    if isinstance(column, list):
        return [cell_text(v) for v in column]
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return column.fill_null(scalar("", column.type)).to_pylist()  # type: ignore[no-any-return]
    return [cell_text(v) for v in column.to_pylist()]


def row_ids(column: Column, rows: Sequence[int]) -> list[str]:
    picked = column.take(array_of(np.array(list(rows), dtype=np.int64))).to_pylist() if isinstance(column, pa.Array) else [column[i] for i in rows]
    return [cell_text(v) for v in picked]


__all__ = ["BOOLEAN", "LABEL", "NUMBER", "OTHER", "ColumnEncoder", "OutputColumn", "Scored", "Scorer", "cells_as_text",
           "output_kind", "row_ids"]  # fmt: skip
