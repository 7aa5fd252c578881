"""Quotients on the column path: exact where rounded or compared, the scalar's own text where not.

The scalar evaluator computes in 40-digit decimals; the column path keeps a quotient that
does not end as an exact fraction. They must agree on every row the column path answers,
and it must answer every row except those where the scalar's rounding could decide
differently from the exact value (arithmetic on non-ending quotients landing exactly on a
rounding or comparison boundary).
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

import kinerja
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kinerja.diagnostics.diagnostic import KinerjaError
from kinerja.semantics.values import value_text
from kinerja.vector.plan import DEN_SUFFIX, OK_KEY, plan_for, why_not

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

QUOTIENTS = """
ruleset vec-exact version 1.0.0
  title "Quotients"
  source "Probe" short "P"

input a: integer [0, 40] "a"
input b: integer [-6, 6] "b"
input x: decimal [0, 100] places 2 "x"

value twelfth = round(a × x / 12, 3, half_up)
value sixth_even = round(x / 6, 2, half_even)
value third = a / 3
value per_b = a / b
value per_b_rounded = round(x / b, 1, half_down)
value thirds_floor = floor(a / 3 + x / 3)
value thirds_sum = a / 3 + x / 3
value compared = a / 7 >= x / 13
value capped = min(x / 3, a / 7, 5)
table band on x / 7 hit first
  >= 10 -> "high"
  [5, 10) -> "mid"
  otherwise -> "low"
end
table band_b on a / b hit first
  > 2 -> "up"
  [-2, 2] -> "flat"
  otherwise -> "down"
end

output twelfth "t"
output sixth_even "s"
output third "th"
output per_b "pb"
output per_b_rounded "pr"
output thirds_floor "tf"
output compared "c"
output capped "cap"
output band "band"
output band_b "bb"
"""


@cache
def _ruleset() -> kinerja.Ruleset:
    return kinerja.load_text(QUOTIENTS)


def _truth(ruleset: kinerja.Ruleset, record: dict[str, str]) -> dict[str, str] | None:
    try:
        result = ruleset.evaluate(record, trace=False, text_values=True)
    except KinerjaError:
        return None
    return {k: value_text(v) for k, v in result.outputs.items()}


def _check(columns: dict[str, list[str]]) -> np.ndarray:
    ruleset = _ruleset()
    plan = plan_for(ruleset)
    assert plan is not None, why_not(ruleset)
    rows = len(next(iter(columns.values())))
    outcome = plan.evaluate_text_columns(columns, rows)
    for i in range(rows):
        record = {k: v[i] for k, v in columns.items()}
        truth = _truth(ruleset, record)
        if truth is None:
            assert not outcome.ok[i], record
        elif outcome.ok[i]:
            assert {k: outcome.outputs[k][i] for k in truth} == truth, record
    return outcome.ok


def test_quotients_compile() -> None:
    assert why_not(_ruleset()) is None


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(-6, 6), st.integers(0, 10000)), min_size=1, max_size=30))
def test_quotients_agree_with_the_scalar_path(rows: list[tuple[int, int, int]]) -> None:
    columns = {"a": [str(a) for a, _, _ in rows], "b": [str(b) for _, b, _ in rows],
               "x": [value_text(Decimal(x).scaleb(-2)) for _, _, x in rows]}  # fmt: skip
    ok = _check(columns)
    for (a, b, x), answered in zip(rows, ok, strict=True):
        if b != 0 and (a * 100 + x) % 300 != 0:
            # only a division by zero, or thirds whose exact sum is a whole number (floor on its boundary), decline
            assert answered, (a, b, x)


def test_every_row_of_a_grid_is_answered_except_division_by_zero() -> None:
    grid = [(a, b, x) for a in range(0, 41, 3) for b in range(-6, 7) for x in (0, 1, 33, 50, 99, 700, 1234, 9999, 10000)]
    columns = {"a": [str(a) for a, _, _ in grid], "b": [str(b) for _, b, _ in grid],
               "x": [value_text(Decimal(x).scaleb(-2)) for _, _, x in grid]}  # fmt: skip
    ok = _check(columns)
    declined = [row for row, answered in zip(grid, ok, strict=True) if not answered]
    assert all(b == 0 or (a * 100 + x) % 300 == 0 for a, b, x in declined)
    assert len(declined) < len(grid) // 4


def test_non_ending_quotient_output_is_the_scalar_text() -> None:
    ok = _check({"a": ["1", "2", "3"], "b": ["3", "-6", "1"], "x": ["1", "0.01", "3"]})
    assert ok.tolist() == [True, True, True]
    plan = plan_for(_ruleset())
    assert plan is not None
    out = plan.evaluate_text_columns({"a": ["1"], "b": ["3"], "x": ["1"]}, 1).outputs
    truth = _truth(_ruleset(), {"a": "1", "b": "3", "x": "1"})
    assert truth is not None and out["third"] == [truth["third"]] and out["per_b"] == [truth["per_b"]]
    assert out["third"][0].startswith("0.33333333333333333333")


def test_quotient_outputs_come_with_denominators() -> None:
    plan = plan_for(_ruleset())
    assert plan is not None
    assert plan.output_is_quotient("third") and not plan.output_is_quotient("twelfth")
    columns = {"a": plan.encode("a", [1, 6]), "b": plan.encode("b", [3, -4]), "x": plan.encode("x", [Decimal("1.5"), Decimal(0)])}
    out = plan.evaluate_arrays(columns)
    assert out[OK_KEY].tolist() == [True, True]
    third = _truth(_ruleset(), {"a": "1", "b": "3", "x": "1.5"})
    assert third is not None
    assert plan.decode("third", out["third"], out["third" + DEN_SUFFIX]) == [third["third"], "2"]
    assert plan.decode("per_b", out["per_b"], out["per_b" + DEN_SUFFIX]) == [third["per_b"], "-1.5"]


COMPOSITE = """
ruleset vec-composite version 1.0.0
  title "Unrounded arithmetic on quotients"
  source "Probe" short "P"

input a: integer [0, 40] "a"
input x: decimal [0, 100] places 2 "x"

value thirds_sum = a / 3 + x / 3
output thirds_sum "ts"
"""


def test_unrounded_sum_of_quotients_declines_only_where_a_quotient_does_not_end() -> None:
    """The scalar's 40-digit text of a/3 + x/3 depends on how each third was rounded: where a third does not
    end, the row is the single-record path's; elsewhere the exact sum is its text."""
    ruleset = kinerja.load_text(COMPOSITE)
    plan = plan_for(ruleset)
    assert plan is not None, why_not(ruleset)
    columns = {"a": ["3", "1", "0", "6"], "x": ["3", "2", "0.01", "0.03"]}
    outcome = plan.evaluate_text_columns(columns, 4)
    assert outcome.ok.tolist() == [True, False, False, True]
    assert outcome.outputs["thirds_sum"][0] == "2" and outcome.outputs["thirds_sum"][3] == "2.01"
    for i in (0, 3):
        truth = _truth(ruleset, {k: v[i] for k, v in columns.items()})
        assert truth == {"thirds_sum": outcome.outputs["thirds_sum"][i]}


@pytest.mark.parametrize("ref", ["pedoman-daerah", "bkkbn-cuk", "angka-kredit"])
def test_shipped_rulesets_with_quotients_compile(ref: str) -> None:
    """The three regulations whose divisions do not end (÷6, ÷14, ÷12) stay on the column path."""
    assert why_not(kinerja.load(ref)) is None
