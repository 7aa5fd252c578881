"""Column-wise number reading in the batch agrees with the single-record path's `coerce`, cell for cell."""

from __future__ import annotations

import random
from decimal import Decimal

import kinerja
import numpy as np
import pyarrow as pa
import pytest
from kinerja.io.scoring import ColumnEncoder, _code_declined
from kinerja.vector.plan import plan_for

TEXTS = ["96", "96.5", "96.50", "96.505", "-0", "0012.25", "5.", "+5", "1e2", " 5", "", "abc", "120.00", "130", "96,5",
         "-1.5", "1234567890123456", "0.1", "7.000", "99999999999999999999", "0.001", "119.99", "1.", "00"]  # fmt: skip


def encoders(name: str = "nilai_skp") -> tuple[ColumnEncoder, ColumnEncoder, tuple[int, int]]:
    ruleset = kinerja.load("pp-30-2019")
    plan = plan_for(ruleset)
    fast = ColumnEncoder(plan, ruleset, name, True)
    fast.many_distinct = True  # as if the column had turned out to hold many distinct values
    slow = ColumnEncoder(plan, ruleset, name, True)
    bounds = (0, 120 * 10 ** plan.input_scale(name)) if fast.kind == "number" else (0, 0)
    return fast, slow, bounds


def same(fast: np.ndarray, slow: list[int], bounds: tuple[int, int]) -> list[int]:
    """Rows where the two disagree: equal codes, or both declined (bad, or outside the range the plan checks)."""
    return [i for i, (a, b) in enumerate(zip(fast.tolist(), slow, strict=True))
            if a != b and not (_code_declined(a, bounds) and _code_declined(b, bounds))]  # fmt: skip


def test_plain_text_path_matches_coerce() -> None:
    fast, slow, bounds = encoders()
    rng = random.Random(7)
    texts = TEXTS + [f"{rng.randint(-5, 130)}.{rng.randint(0, 9999):0{rng.randint(1, 4)}d}" for _ in range(3000)]
    codes = fast.encode(pa.array(texts))
    assert same(codes, [slow._code(t) for t in texts], bounds) == []


def test_decimal_columns_match_coerce() -> None:
    fast, slow, bounds = encoders()
    for scale in (0, 2, 3, 4):
        values = [None, Decimal(0), Decimal("96.5"), Decimal("-1"), Decimal("120"), Decimal("130"), Decimal("0.001")]
        column = pa.array([v if v is None else v.quantize(Decimal(1).scaleb(-scale)) if -v.as_tuple().exponent <= scale else None
                           for v in values], pa.decimal128(12, scale))  # fmt: skip
        codes = fast.encode(column)
        assert same(codes, [slow._code(v) for v in column.to_pylist()], bounds) == [], scale


@pytest.mark.parametrize("name", ["penilaian_360"])
def test_other_kinds_keep_the_distinct_path(name: str) -> None:
    fast, slow, _ = encoders(name)
    column = pa.array(["true", "ya", "0", "", "mungkin"])
    assert fast.encode(column).tolist() == [slow._code(v) for v in column.to_pylist()]


def test_number_texts_are_value_text_at_every_scale() -> None:
    """The column path writes a decimal output exactly as the single-record path's `value_text` does:
    no trailing zeros, no bare point, never an exponent (1E-7), whatever the scale."""
    from kinerja.io.scoring import number_texts
    from kinerja.semantics.values import value_text

    rng = np.random.default_rng(17)
    for scale in (0, 1, 2, 4, 7, 12, 18, 19):
        counts = np.concatenate([rng.integers(-(10**12), 10**12, 200), [0, 1, -1, 10, -10, 2**31, -(2**31), 2**63 - 1]])
        written = number_texts(counts.astype(np.int64), scale).to_pylist()
        assert written == [value_text(Decimal(int(c)).scaleb(-scale)) for c in counts]


def test_label_counts_from_codes_are_the_texts_counts() -> None:
    """A label output's counts (the batch summary) come from its codes; they are what counting its texts gives."""
    from kinerja.io.scoring import LABEL, OutputColumn

    column = OutputColumn("predikat", LABEL, 8, labels=("Baik", "Cukup"))
    column.codes = np.array([0, 1, 1, -1, 0, 1, 0, 0], dtype=np.int64)
    column.present = np.array([True, True, True, True, False, True, True, True])
    column.patch = {6: "Cukup", 7: None}
    ok = np.array([True, True, False, True, True, True, True, True])
    import pyarrow.compute as pc

    from_texts = pc.value_counts(column.texts().filter(pa.array(ok)))
    by_text = dict(zip(from_texts.field("values").to_pylist(), from_texts.field("counts").to_pylist(), strict=True))
    assert column.counts(ok) == by_text == {"Baik": 1, "Cukup": 3, "": 3}


def test_typed_outputs_put_single_record_values_among_the_codes() -> None:
    """A typed (Parquet) output column holds the column path's counts and the single-record rows' values
    alike: decimals at the column's scale, none as null, texts with their own words."""
    from kinerja.io.scoring import LABEL, NUMBER, OutputColumn

    number = OutputColumn("nilai", NUMBER, 6, scale=3)
    number.codes = np.array([90_175, 0, -1_500, 12, 0, 7], dtype=np.int64)
    number.present = np.array([True, True, True, False, True, True])
    number.patch = {1: Decimal("88.5"), 4: None, 5: Decimal("0.001")}
    assert number.arrow(pa.decimal128(38, 3)).to_pylist() == [
        Decimal("90.175"), Decimal("88.500"), Decimal("-1.500"), None, None, Decimal("0.001")]
    assert number.arrow(pa.decimal128(38, 5)).to_pylist()[:3] == [Decimal("90.17500"), Decimal("88.50000"), Decimal("-1.50000")]
    label = OutputColumn("predikat", LABEL, 5, labels=("Baik", "Cukup"))
    label.codes = np.array([0, 1, -1, 0, 1], dtype=np.int64)
    label.present = np.array([True, True, True, True, False])
    label.patch = {0: "Sangat Baik", 3: None}
    assert label.arrow(pa.string()).to_pylist() == ["Sangat Baik", "Cukup", None, None, None]
    assert label.texts().to_pylist() == ["Sangat Baik", "Cukup", "", "", ""]


def test_spliced_puts_texts_into_empty_rows() -> None:
    from kinerja.vector.buffers import spliced

    base = pa.array(["a", "", None, "bc", ""]).slice(1)
    assert spliced(base, [0, 1, 3], ["x", None, "yz"]).to_pylist() == ["x", None, "bc", "yz"]
    assert spliced(base, [2], ["no"]) is None  # a row holding text is not filled
