"""The column path rounds an exact quotient: `round(a / b, p, MODE)` and `round(mean(…), p, MODE)`.

A quotient that does not end (95 / 7) used to make the column path decline the row; rounding it
from the integers (the remainder decides the last digit) answers it, and must agree with the
single-record path (which rounds a quotient computed to 28 or more digits) on every row.
"""

from __future__ import annotations

import random

import kinerja
import pytest
from kinerja.semantics.values import value_text
from kinerja.vector.plan import plan_for

TEXT = """ruleset pembulatan version 1.0.0
  title "Pembulatan hasil bagi" source "Contoh" short "Contoh"
input a: decimal [-50, 50] places 2 "a"
input b: integer [-7, 9] "b"
input c: decimal [0, 1000] places 3 "c"
value hu = round(a / b, 2, half_up) "x"
value he = round(a / b, 1, half_even) "x"
value hd = round(a / b, 2, half_down) "x"
value fl = round(a / b, 0, floor) "x"
value ce = round(a / b, 3, ceiling) "x"
value dn = round(a / b, 2, down) "x"
value up = round(a / b, 2, up) "x"
value rata = round(mean([a, c, a]), 4, half_up) "x"
value tujuh = round(c / 7, 2, half_up) + 1 "x"
value tetap = round(c / 7 + 1, 2, half_up) "x"
output hu
output he
output hd
output fl
output ce
output dn
output up
output rata
output tujuh
output tetap
"""


@pytest.fixture(scope="module")
def ruleset() -> kinerja.Ruleset:
    return kinerja.load_text(TEXT)


def test_every_mode_agrees_with_the_single_record_path(ruleset: kinerja.Ruleset) -> None:
    plan = plan_for(ruleset)
    assert plan is not None
    rng = random.Random(7)
    rows = 3000
    # ties on purpose: a / b = x.xx5 exactly (b = 2, 4, 8) and negative quotients
    columns = {
        "a": [f"{rng.randint(-5000, 5000) / 100:.2f}" for _ in range(rows)],
        "b": [str(rng.choice([-7, -3, -1, 0, 1, 2, 3, 4, 6, 7, 8, 9])) for _ in range(rows)],
        "c": [f"{rng.randint(0, 1_000_000) / 1000:.3f}" for _ in range(rows)],
    }
    outcome = plan.evaluate_text_columns(columns, rows)
    answered = 0
    for i in range(rows):
        record = {name: cells[i] for name, cells in columns.items()}
        try:
            result = ruleset.evaluate(record, trace=False, text_values=True)
        except kinerja.KinerjaError:  # b = 0
            assert not outcome.ok[i], record
            continue
        truth = {k: value_text(v) for k, v in result.outputs.items()}
        # `tetap` rounds a sum that holds a quotient: only rows where c / 7 ends are answered
        if outcome.ok[i]:
            answered += 1
            assert {k: outcome.outputs[k][i] for k in truth} == truth, record
        else:
            assert record["c"] and (int(record["c"].replace(".", "")) % 7) != 0, record
    assert answered > rows // 20


def test_without_the_sum_every_valid_row_is_answered() -> None:
    ruleset = kinerja.load_text(TEXT.replace('value tetap = round(c / 7 + 1, 2, half_up) "x"', 'value tetap = c "x"'))
    plan = plan_for(ruleset)
    assert plan is not None
    columns = {"a": ["1", "-1", "0.05", "-0.05", "50"], "b": ["7", "7", "2", "2", "-3"], "c": ["95", "1", "0.001", "0", "1000"]}
    outcome = plan.evaluate_text_columns(columns, 5)
    assert list(outcome.ok) == [True] * 5
    assert outcome.outputs["hu"] == ["0.14", "-0.14", "0.03", "-0.03", "-16.67"]
    assert outcome.outputs["tujuh"][0] == "14.57"  # 95 / 7 = 13.571428…
