"""List inputs on the column path: padded 2-D columns agree with the single-record path.

A list cell reaches a batch as its JSON text; the plan reads each distinct text once with the
single-record path's own validation, pads the lists into 2-D columns and reduces along the
items.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from typing import Any

import kinerja
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kinerja.diagnostics.diagnostic import KinerjaError
from kinerja.semantics.values import parse_json, value_text
from kinerja.vector.plan import OK_KEY, plan_for, why_not

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

LISTS = """
ruleset vec-lists version 1.0.0
  title "Lists"
  source "Probe" short "P"

type arah = enum { naik, turun }

input target: list of { nilai: decimal [0, 200] places 2, bobot: integer [0, 10], arah: arah, wajib: boolean } "targets"
input catatan: optional list of { skor: integer [0, 4] } "notes"
input batas: decimal [0, 150] places 1 "threshold"

value jumlah = sum(t.nilai for t in target)
value jumlah_naik = sum(t.nilai × t.bobot for t in target where t.arah = "naik")
value banyak_di_atas = count(t for t in target where t.nilai > batas)
value rata = round(mean(t.nilai for t in target), 2, half_up)
value rata_tertimbang = round(weighted_mean(t.nilai by t.bobot for t in target where t.wajib), 3, half_even)
value tertinggi = max(t.nilai for t in target)
value terendah_wajib = min(t.nilai for t in target where t.wajib)
value catatan_total = if given(catatan) then sum(c.skor for c in catatan) else -1
value daftar = max([batas, jumlah / 4, 10])
value hitung = count(v for v in [batas, 50, jumlah] where v >= 50)

output jumlah "j"
output jumlah_naik "jn"
output banyak_di_atas "b"
output rata "r"
output rata_tertimbang "rt"
output tertinggi "t"
output terendah_wajib "tw"
output catatan_total "c"
output daftar "d"
output hitung "h"
"""


@cache
def _ruleset() -> kinerja.Ruleset:
    return kinerja.load_text(LISTS)


ITEM = st.fixed_dictionaries({
    "nilai": st.integers(0, 20000).map(lambda n: float(Decimal(n).scaleb(-2)) if n % 7 else str(Decimal(n).scaleb(-2))),
    "bobot": st.integers(0, 10),
    "arah": st.sampled_from(["naik", "turun"]),
    "wajib": st.booleans(),
})  # fmt: skip
BAD_CELLS = ["[", '[{"nilai": 1}]', '[{"nilai": 300, "bobot": 1, "arah": "naik", "wajib": true}]', '"x"', "{}"]


def _cell(items: list[dict[str, Any]]) -> str:
    return json.dumps(items)


@st.composite
def populations(draw: st.DrawFn) -> dict[str, list[str]]:
    rows = draw(st.integers(1, 25))
    target = [draw(st.one_of(st.lists(ITEM, max_size=6).map(_cell), st.sampled_from(["", "[]", *BAD_CELLS]))) for _ in range(rows)]
    notes = [draw(st.one_of(st.just(""), st.lists(st.fixed_dictionaries({"skor": st.integers(0, 5)}), max_size=4).map(_cell)))
             for _ in range(rows)]  # fmt: skip
    batas = [draw(st.one_of(st.integers(0, 1500).map(lambda n: value_text(Decimal(n).scaleb(-1))), st.just("")))
             for _ in range(rows)]  # fmt: skip
    return {"target": target, "catatan": notes, "batas": batas}


def _record(columns: dict[str, list[str]], i: int) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for name, cells in columns.items():
        text = cells[i]
        if text == "":
            continue
        if name in ("target", "catatan"):
            try:
                record[name] = parse_json(text)
            except ValueError:
                record[name] = text
        else:
            record[name] = text
    return record


def _compare(columns: dict[str, list[str]]) -> np.ndarray:
    ruleset = _ruleset()
    plan = plan_for(ruleset)
    assert plan is not None, why_not(ruleset)
    rows = len(columns["target"])
    outcome = plan.evaluate_text_columns(columns, rows)
    for i in range(rows):
        record = _record(columns, i)
        try:
            result = ruleset.evaluate(record, trace=False, text_values=True)
        except KinerjaError:
            assert not outcome.ok[i], record
            continue
        truth = {k: value_text(v) for k, v in result.outputs.items()}
        if outcome.ok[i]:
            assert {k: outcome.outputs[k][i] for k in truth} == truth, record
        else:  # only an empty selection (a mean, a minimum, a weighted mean of nothing) may be declined
            raise AssertionError(f"declined a row the single-record path evaluates: {record}")
    return outcome.ok


def test_lists_compile() -> None:
    assert why_not(_ruleset()) is None


@SETTINGS
@given(populations())
def test_lists_agree_with_the_scalar_path(columns: dict[str, list[str]]) -> None:
    _compare(columns)


def test_empty_selections_fail_on_both_paths() -> None:
    none_wajib = _cell([{"nilai": 10, "bobot": 1, "arah": "naik", "wajib": False}])
    ok = _compare({"target": ["[]", none_wajib, _cell([{"nilai": "12.5", "bobot": 2, "arah": "turun", "wajib": True}])],
                   "catatan": ["", "", '[{"skor": 4}, {"skor": 3}]'], "batas": ["10", "10", "10"]})  # fmt: skip
    assert ok.tolist() == [False, False, True]


def test_encode_columns_and_evaluate_arrays() -> None:
    plan = plan_for(_ruleset())
    assert plan is not None
    targets = [[{"nilai": Decimal("10.5"), "bobot": 2, "arah": "naik", "wajib": True},
                {"nilai": Decimal("99.99"), "bobot": 1, "arah": "turun", "wajib": True}],
               [{"nilai": Decimal(1), "bobot": 0, "arah": "naik", "wajib": True}]]  # fmt: skip
    columns = {**plan.encode_columns("target", targets), **plan.encode_columns("catatan", [None, [{"skor": 2}]]),
               "batas": plan.encode("batas", [Decimal(50), Decimal("0.5")])}  # fmt: skip
    assert columns["target"].tolist() == [2, 1] and columns["target.nilai"].shape == (2, 2)
    assert plan.labels("target.arah") == ("naik", "turun") and plan.input_scale("target.nilai") == 2
    out = plan.evaluate_arrays(columns)
    assert out[OK_KEY].tolist() == [True, False]  # row 2: a weighted mean whose weights sum to 0
    assert plan.decode("jumlah", out["jumlah"]) == ["110.49", "1"]
    assert plan.decode("rata_tertimbang", out["rata_tertimbang"][:1]) == ["40.33"]
    assert plan.decode("catatan_total", out["catatan_total"]) == ["-1", "2"]
