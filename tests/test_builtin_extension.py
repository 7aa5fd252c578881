"""A builtin is one table entry: registering a new one makes it work on the scalar and the column path.

The fixture adds two throwaway builtins to kinerja.semantics.builtins' table — nothing else
in the engine is told about them — and the tests run a ruleset using them through the
checker, the scalar evaluator and the vector plan, which must agree row by row.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import kinerja
import pytest
from kinerja.diagnostics.diagnostic import KinerjaError
from kinerja.semantics import builtins as bi
from kinerja.semantics import intervals as iv
from kinerja.semantics.values import ARITHMETIC, value_text
from kinerja.vector.plan import plan_for, why_not


def _per_interval(args: list[iv.Abstract], options: bi.CallOptions) -> iv.Abstract:
    x, n = args
    return iv.divide_where_defined(x, n) if isinstance(x, iv.Num) and isinstance(n, iv.Num) else None


def _per_vector(kit: bi.VectorKit, nodes: list[Any], options: bi.CallOptions) -> Any:
    return kit.arith("/", nodes[0], nodes[1])


def _negated_abs_vector(kit: bi.VectorKit, nodes: list[Any], options: bi.CallOptions) -> Any:
    return kit.arith("-", kit.constant(Decimal(0)), kit.elementwise(nodes[0], abs, None))


def _negated_abs_interval(args: list[iv.Abstract], options: bi.CallOptions) -> iv.Abstract:
    found = bi.SCALAR["abs"].interval(args, options)  # type: ignore[misc]
    return iv.negate(found) if isinstance(found, iv.Num) else None


PER = bi.Builtin("per", (bi.Param("number", "x"), bi.Param("number", "n")), lambda args: kinerja_number(), "BI_abs",
                 decimal=ARITHMETIC.divide, interval=_per_interval, vector=_per_vector)  # fmt: skip
NEGATED_ABS = bi.Builtin("nabs", (bi.Param("number", "x"),), lambda args: kinerja_number(), "BI_abs",
                         decimal=lambda x: -abs(x), interval=_negated_abs_interval, vector=_negated_abs_vector)  # fmt: skip


def kinerja_number() -> Any:
    from kinerja.semantics import types as t

    return t.NUMBER


@pytest.fixture
def extended_table(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(bi.SCALAR, "per", PER)
    monkeypatch.setitem(bi.SCALAR, "nabs", NEGATED_ABS)
    monkeypatch.setattr(bi, "NAMES", tuple(sorted({*bi.NAMES, "per", "nabs"})))
    yield


RULESET = """
ruleset uses-per version 1.0.0
  title "A ruleset calling builtins the table gained"
  source "Test" short "T"

input x: decimal [-50, 50] places 2 "x"
input n: integer [0, 9] "n"

value share = round(per(x, n), 2, half_up)
value raw = per(x, 4)
value flipped = nabs(x) + 1
output share "s"
output raw "r"
output flipped "f"
"""


def test_a_builtin_registered_in_the_table_runs_on_both_paths(extended_table: None) -> None:
    ruleset = kinerja.load_text(RULESET)
    plan = plan_for(ruleset)
    assert plan is not None, why_not(ruleset)
    xs = ["-50", "-12.34", "-0.01", "0", "0.05", "7.77", "33.33", "50"]
    ns = [str(n) for n in range(10)]
    columns = {"x": [x for x in xs for _ in ns], "n": [n for _ in xs for n in ns]}
    rows = len(columns["x"])
    outcome = plan.evaluate_text_columns(columns, rows)
    answered = 0
    for i in range(rows):
        record = {"x": columns["x"][i], "n": columns["n"][i]}
        try:
            result = ruleset.evaluate(record, trace=False, text_values=True)
        except KinerjaError:
            assert not outcome.ok[i] and record["n"] == "0"  # per(x, 0): a division by zero
            continue
        assert outcome.ok[i], record
        answered += 1
        assert {k: outcome.outputs[k][i] for k in result.outputs} == {k: value_text(v) for k, v in result.outputs.items()}
    assert answered == rows - len(xs)


def test_without_the_entry_the_name_is_unknown() -> None:
    with pytest.raises(kinerja.RulesetError) as caught:
        kinerja.load_text(RULESET.replace("uses-per", "uses-per-unregistered"))  # (a new text: nothing cached)
    assert "K105" in {d.code for d in caught.value.diagnostics}
