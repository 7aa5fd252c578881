"""The Arrow function: every row's outputs and error exactly as `Ruleset.evaluate` gives them.

Batches arrive as a CSV reader leaves them (strings) or typed (integers, decimals, floats,
booleans, lists of structs); the answer is the same either way.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import kinerja
import pyarrow as pa
import pytest
from kinerja.semantics import types as t
from kinerja.semantics.values import value_text
from kinerja.vector.arrow import ERROR, arrow_schema, evaluate_arrow, impact_arrow, reduce_impact

SHIPPED = sorted((Path(__file__).resolve().parents[1] / "rulesets").glob("*.kin"))


def _cell(typ: t.Type, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.03:
        return ""
    if isinstance(typ, t.NumberT):
        low, high = typ.low or Decimal(0), typ.high if typ.high is not None else Decimal(200)
        step = Decimal(1).scaleb(-(0 if typ.integer else (typ.places if typ.places is not None else 2)))
        if roll < 0.05:
            return "abc"
        if roll < 0.07:
            return value_text(high + step)
        return value_text(low + step * rng.randint(0, int((high - low) / step)))
    if isinstance(typ, t.BoolT):
        return rng.choice(["true", "false"])
    if isinstance(typ, t.LabelT):
        return rng.choice([*typ.labels, "Tidak Dikenal"] if roll < 0.06 else list(typ.labels))
    return ""


def _scalar(ruleset: kinerja.Ruleset, record: dict[str, Any]) -> tuple[dict[str, str | None], str | None]:
    try:
        result = ruleset.evaluate(record, trace=False, text_values=True)
    except kinerja.KinerjaError as error:
        return {}, "; ".join(d.text(None) for d in error.diagnostics)
    return {k: None if value_text(v) == "-" else value_text(v) for k, v in result.outputs.items()}, None


def _texts(batch: pa.RecordBatch, name: str) -> list[str | None]:
    return [None if v is None else v if isinstance(v, str) else value_text(v if not isinstance(v, int) or isinstance(v, bool)
            else Decimal(v)) for v in batch.column(name).to_pylist()]  # fmt: skip


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_string_batches_match_single_records(path: Path) -> None:
    ruleset = kinerja.load(path)
    rng = random.Random(path.stem)
    rows = 150
    columns = {n: [_cell(ruleset.checked.types[n], rng) for _ in range(rows)] for n in ruleset.input_names}
    columns["nip"] = [f"19{i:06d}" for i in range(rows)]
    out = evaluate_arrow(ruleset, pa.table(columns), keep=["nip"])
    assert out.schema == arrow_schema(ruleset, [("nip", pa.string())])
    assert out.num_rows == rows and out.column("nip").to_pylist() == columns["nip"]
    texts = {name: _texts(out, name) for name in ruleset.output_names}
    errors = out.column(ERROR).to_pylist()
    for i in range(rows):
        record = {n: columns[n][i] for n in ruleset.input_names if columns[n][i] != ""}
        outputs, error = _scalar(ruleset, record)
        assert errors[i] == error, record
        if error is None:
            assert {k: texts[k][i] for k in outputs} == outputs, record
        else:
            assert all(texts[k][i] is None for k in ruleset.output_names)


def test_typed_columns_decimal_outputs_and_nulls() -> None:
    batch = pa.table({
        "nilai_skp": pa.array([Decimal("96"), Decimal("89.5"), None, Decimal("120.001")], type=pa.decimal128(9, 3)),
        "nilai_perilaku": pa.array([76, 90, 10, 120], type=pa.int16()),
        "penilaian_360": pa.array([False, True, False, None]),
        "inovasi": pa.array([None, None, True, True]),
    })  # fmt: skip
    out = evaluate_arrow("pp-30-2019", batch)
    assert out.schema.field("nilai_kinerja").type == pa.decimal128(38, 3)  # 70% × hundredths: thousandths
    assert out.column("nilai_kinerja").to_pylist()[:2] == [Decimal("90.000"), Decimal("89.700")]  # 60/40 with 360°
    assert out.column("predikat").to_pylist() == ["Baik", "Cukup", None, None]
    errors = out.column(ERROR).to_pylist()
    assert errors[:2] == [None, None] and errors[2] and errors[3]  # nilai_skp missing; 120.001 has 3 places


def test_list_of_struct_column() -> None:
    text = """ruleset arrow-lists version 1.0.0
  title "t"
  source "s" short "S"
input target: list of { nilai: decimal [0, 200] places 2, bobot: integer [0, 10] }
value rata = round(weighted_mean(x.nilai by x.bobot for x in target), 2, half_up)
value banyak = count(x for x in target where x.nilai >= 100)
output rata
output banyak
"""
    items = pa.struct([("nilai", pa.decimal128(10, 2)), ("bobot", pa.int64())])
    column = pa.array([[{"nilai": Decimal("100"), "bobot": 1}, {"nilai": Decimal("50.5"), "bobot": 2}], [], None,
                       [{"nilai": Decimal("300"), "bobot": 1}]], type=pa.list_(items))  # fmt: skip
    ruleset = kinerja.load_text(text)
    out = evaluate_arrow(text, pa.table({"target": column}))
    assert out.column("rata").to_pylist()[0] == Decimal("67.00")
    assert out.column("banyak").to_pylist()[0] == 1
    errors = out.column(ERROR).to_pylist()
    assert errors[0] is None and all(errors[1:])  # empty mean, missing list, 300 out of range
    for i, cell in enumerate(column.to_pylist()):
        record = {} if cell is None else {"target": cell}
        assert _scalar(ruleset, record)[1] == errors[i]


def test_impact_counts_add_up() -> None:
    batch = pa.table({"rating_hasil_kerja": ["Sesuai Ekspektasi", "Di Atas Ekspektasi", "x", "Di Bawah Ekspektasi"],
                      "rating_perilaku_kerja": ["Sesuai Ekspektasi", "Di Atas Ekspektasi", "", "Di Atas Ekspektasi"]})  # fmt: skip
    halves = [impact_arrow("kmk-300-2022", "permenpanrb-6-2022", batch.slice(0, 2)),
              impact_arrow("kmk-300-2022", "permenpanrb-6-2022", batch.slice(2))]
    report = reduce_impact("kmk-300-2022", "permenpanrb-6-2022", halves)
    rows = [{k: str(v) for k, v in row.items()} for row in batch.to_pylist()]
    expected = kinerja.impact(kinerja.load("kmk-300-2022"), kinerja.load("permenpanrb-6-2022"), rows)
    assert report.rows == 4 and report.transitions == expected.transitions and report.changed == expected.changed


def test_fingerprint_reference() -> None:
    ruleset = kinerja.load("pp-30-2019")
    out = evaluate_arrow(ruleset.fingerprint, pa.table({"nilai_skp": ["96"], "nilai_perilaku": ["76"], "penilaian_360": ["false"]}))
    assert out.column("predikat").to_pylist() == ["Baik"]
    with pytest.raises(kinerja.RulesetNotFound) as caught:
        evaluate_arrow("sha256:" + "0" * 64, pa.table({"x": [1]}))
    assert caught.value.diagnostics[0].code == "K850"


def test_a_list_input_in_a_column_of_another_type() -> None:
    text = """ruleset arrow-wrong-list version 1.0.0
  title "t"
  source "s" short "S"
input target: list of { nilai: decimal [0, 200] places 2 }
value banyak = count(x for x in target)
output banyak
"""
    with pytest.raises(kinerja.InputError) as caught:
        evaluate_arrow(text, pa.table({"target": pa.array([1, 2], type=pa.int64())}))
    assert caught.value.diagnostics[0].code == "K851"
