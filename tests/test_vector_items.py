"""Values per item of a list on the column path: 2-D steps, nested lists, optional fields and picks.

Each construct of issue 13's raw-record rulesets, on a small ruleset of its own: a definition per
item (with `when`, a band table and a quotient), sums of per-item quotients, an optional field read
through `given`, a nested list reduced per item, `top … by` over a nested list and over a list
(a picked record, whose values per item are read), `first`/`last`/`bottom`. On random populations
every row the column path answers is the single-record answer, and most rows are answered.
"""

from __future__ import annotations

import json
import random
from decimal import Decimal
from functools import cache
from typing import Any

import kinerja
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kinerja.diagnostics.diagnostic import KinerjaError
from kinerja.semantics.values import value_text
from kinerja.vector.plan import plan_for, why_not

ITEMS = """
ruleset vec-items version 1.0.0
  title "Values per item"
  source "Probe" short "P"

type jenis = scale "ringan" < "sedang" < "berat"

input tugas: optional list of {
    target: decimal [0.5, 500] places 1,
    realisasi: decimal [0, 600] places 1,
    bonus: optional decimal [0, 10] places 2,
    jenis: jenis,
    ditutup: boolean,
    triwulan: list of { ke: integer [1, 4], nilai: optional integer [0, 50] } at most 4
  } at most 20 "tasks"
input faktor: decimal [0, 2] places 2 "factor"

value tugas.capaian = tugas.realisasi / tugas.target × 100
table tugas.skor on tugas.capaian hit first
  < 60       -> tugas.capaian × 49 / 59
  [60, 100]  -> 50 + (tugas.capaian - 60)
  > 100      -> 90 + (tugas.capaian - 100) / 3
end
value tugas.tambahan = tugas.bonus × faktor when given(tugas.bonus)
value tugas.terisi = count(q for q in tugas.triwulan where given(q.nilai))
value tugas.jumlah = sum(q.nilai for q in tugas.triwulan where given(q.nilai))
value tugas.terakhir = top(q.nilai for q in tugas.triwulan where given(q.nilai) by q.ke) when tugas.terisi > 0
value tugas.pertama = first(q.ke for q in tugas.triwulan)  when count(q for q in tugas.triwulan) > 0
value tugas.nilai = min(120, tugas.skor + (if given(tugas.tambahan) then tugas.tambahan else 0)) when not tugas.ditutup

value rata = round(mean(t.skor for t in tugas), 2, half_up) when given(tugas) and count(t for t in tugas) > 0
value terbaik = max(t.jumlah for t in tugas where t.capaian < 1000) when given(tugas) and count(t for t in tugas where t.capaian < 1000) > 0
value jumlah_nilai = sum(t.jumlah for t in tugas) when given(tugas)
value terberat = top(t for t in tugas where not t.ditutup by t.jenis, t.jumlah) when given(tugas) and count(t for t in tugas where not t.ditutup) > 0
value skor_terberat = if given(terberat) then round(terberat.skor, 2, half_even) else -1
value nilai_terberat = if given(terberat) then terberat.realisasi else -1
value bonus_terberat = if given(terberat) then (if given(terberat.bonus) then terberat.bonus else -1) else -2
value terendah = bottom(t.target for t in tugas by t.jumlah) when given(tugas) and count(t for t in tugas) > 0
value terakhir = last(t.jenis for t in tugas) when given(tugas) and count(t for t in tugas) > 0
value ada_terakhir = count(t for t in tugas where given(t.terakhir)) when given(tugas)

output rata "r"
output terbaik "b"
output jumlah_nilai "j"
output skor_terberat "s"
output nilai_terberat "n"
output bonus_terberat "o"
output terendah "e"
output terakhir "a"
output ada_terakhir "t"
"""


@cache
def _ruleset() -> kinerja.Ruleset:
    return kinerja.load_text(ITEMS)


def _item(rng: random.Random) -> dict[str, Any]:
    item: dict[str, Any] = {
        "target": Decimal(rng.randint(5, 5000)).scaleb(-1),
        "realisasi": Decimal(rng.choice([0, rng.randint(0, 6000), 600])).scaleb(-1),
        "jenis": rng.choice(["ringan", "sedang", "berat"]),
        "ditutup": rng.random() < 0.2,
        "triwulan": [{"ke": ke, **({"nilai": rng.randint(0, 50)} if rng.random() < 0.7 else {})}
                     for ke in rng.sample([1, 2, 3, 4], rng.randint(0, 4))],  # fmt: skip
    }
    if rng.random() < 0.5:
        item["bonus"] = Decimal(rng.randint(0, 1000)).scaleb(-2)
    return item


def _cell(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.1:
        return ""
    if roll < 0.13:
        return rng.choice(["[", "[1]", '[{"target": 0}]', "{}"])
    return json.dumps([_item(rng) for _ in range(rng.randint(0, 5))], default=str)


def _check(seed: int, rows: int) -> tuple[int, int]:
    ruleset = _ruleset()
    plan = plan_for(ruleset)
    assert plan is not None, why_not(ruleset)
    rng = random.Random(seed)
    columns = {"tugas": [_cell(rng) for _ in range(rows)],
               "faktor": [value_text(Decimal(rng.randint(0, 200)).scaleb(-2)) for _ in range(rows)]}  # fmt: skip
    outcome = plan.evaluate_text_columns(columns, rows)
    evaluated = answered = 0
    for i in range(rows):
        record = {n: c[i] for n, c in columns.items() if c[i] != ""}
        try:
            result = ruleset.evaluate(record, trace=False, text_values=True)
        except KinerjaError:
            assert not outcome.ok[i], record
            continue
        evaluated += 1
        if outcome.ok[i]:
            answered += 1
            truth = {k: value_text(v) for k, v in result.outputs.items()}
            assert {k: outcome.outputs[k][i] for k in truth} == truth, record
    return evaluated, answered


def test_values_per_item_compile() -> None:
    assert why_not(_ruleset()) is None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32))
def test_values_per_item_agree_with_the_scalar_path(seed: int) -> None:
    _check(seed, 20)


def test_most_rows_are_answered() -> None:
    # declined here: means of skor whose exact sum needs a denominator past the cap (capaian reaches 120000
    # on this probe's ranges, so the cap is small; see kinerja.vector.lists `_total_of_quotients`)
    evaluated, answered = _check(13, 400)
    assert evaluated > 200 and answered >= 0.75 * evaluated, (evaluated, answered)


def test_batch_reads_list_cells_from_json_records(tmp_path: Any) -> None:
    """JSON Lines give the lists themselves (not their text): the column path reads them as the scalar path does."""
    ruleset = _ruleset()
    rng = random.Random(5)
    records = [{"id": i, "faktor": Decimal(rng.randint(0, 200)).scaleb(-2),
                "tugas": [_item(rng) for _ in range(rng.randint(1, 4))]} for i in range(80)]  # fmt: skip
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("\n".join(kinerja.to_json(r, indent=None) for r in records) + "\n", encoding="utf-8")
    report = kinerja.batch(ruleset, source, target, id_column="id", lang="en")
    assert report.rows == 80 and report.vectorised >= 60
    rows = [kinerja.parse_json(line) for line in target.read_text(encoding="utf-8").splitlines()]
    for record, row in zip(records, rows, strict=True):
        outputs = ruleset.evaluate({k: v for k, v in record.items() if k != "id"}, trace=False).outputs
        for name, value in outputs.items():
            assert ("-" if row[name] is None else value_text(row[name])) == value_text(value), (name, record)
