"""Compile and evaluate: exact decimal semantics, functions, aggregates, traces."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import kinerja
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kinerja.diagnostics.diagnostic import EvaluationError

PP30 = kinerja.load("pp-30-2019")

scores = st.decimals(min_value=0, max_value=120, places=2, allow_nan=False, allow_infinity=False)


def _by_hand(skp: Decimal, perilaku: Decimal, is_360: bool, inovasi: bool) -> tuple[Decimal, str]:
    """PP 30/2019 Pasal 41 computed directly, as an officer would on paper."""
    skp_w, perilaku_w = (Decimal("0.6"), Decimal("0.4")) if is_360 else (Decimal("0.7"), Decimal("0.3"))
    nilai = skp_w * skp + perilaku_w * perilaku
    if nilai >= 110 and inovasi:
        return nilai, "Sangat Baik"
    if nilai >= 90:
        return nilai, "Baik"
    if nilai >= 70:
        return nilai, "Cukup"
    if nilai >= 50:
        return nilai, "Kurang"
    return nilai, "Sangat Kurang"


@settings(max_examples=400, deadline=None)
@given(scores, scores, st.booleans(), st.booleans())
def test_pp30_agrees_with_decimal_arithmetic_by_hand(skp: Decimal, perilaku: Decimal, is_360: bool, inovasi: bool) -> None:
    result = PP30.evaluate({"nilai_skp": skp, "nilai_perilaku": perilaku, "penilaian_360": is_360, "inovasi": inovasi},
                           trace=False)  # fmt: skip
    nilai, predikat = _by_hand(skp, perilaku, is_360, inovasi)
    assert result.outputs["nilai_kinerja"] == nilai
    assert result.outputs["predikat"] == predikat


@pytest.mark.parametrize(("skp", "perilaku"), [(96, 76), (Decimal("96.00"), Decimal("76.00")), (Decimal("96"), Decimal("76"))])
def test_seventy_percent_of_96_plus_thirty_percent_of_76_is_exactly_90(skp: object, perilaku: object) -> None:
    result = PP30.evaluate({"nilai_skp": skp, "nilai_perilaku": perilaku, "penilaian_360": False}, trace=False)
    assert result.outputs["nilai_kinerja"] == Decimal(90)
    assert result.outputs["predikat"] == "Baik"
    assert kinerja.decimal_text(result.outputs["nilai_kinerja"]) == "90"


def test_json_numbers_are_read_as_decimals_not_floats() -> None:
    record = kinerja.parse_json('{"nilai_skp": 96.1, "nilai_perilaku": 76.3, "penilaian_360": false}')
    assert isinstance(record["nilai_skp"], Decimal)
    result = PP30.evaluate(record)
    assert result.outputs["nilai_kinerja"] == Decimal("0.7") * Decimal("96.1") + Decimal("0.3") * Decimal("76.3")
    assert kinerja.to_json(result.outputs["nilai_kinerja"]) == "90.16"


FUNCTIONS = """
ruleset fungsi version 1.0.0
  title "Uji fungsi" source "Peraturan Uji" short "PU"
input x: decimal [-100, 100] places 3
input pembagi: decimal [0, 10] places 1
input daftar: list of { nilai: decimal [0, 120], bobot: decimal [0, 1] places 2 }
value bulat_atas = round(x, 1, half_up)
value bulat_genap = round(x, 1, half_even)
value bulat_bawah = round(x, 1, down)
value kecil = min(x, 10, 20)
value besar = max(x, 10)
value dijepit = clamp(x, 0, 50)
value mutlak = abs(x)
value bagi = if pembagi = 0 then 0 else x / pembagi
value jumlah = sum(d.nilai for d in daftar)
value rata = mean(d.nilai for d in daftar)
value banyak_tinggi = count(d for d in daftar where d.nilai >= 100)
value tertimbang = weighted_mean(d.nilai by d.bobot for d in daftar)
value terbesar = max(d.nilai for d in daftar)
output bulat_atas output bulat_genap output bulat_bawah output kecil output besar output dijepit output mutlak
output bagi output jumlah output rata output banyak_tinggi output tertimbang output terbesar
"""


def test_functions_and_aggregates_are_exact() -> None:
    ruleset = kinerja.load_text(FUNCTIONS)
    record = kinerja.parse_json('{"x": -12.25, "pembagi": 3, "daftar": [{"nilai": 100, "bobot": 0.25}, {"nilai": 80, "bobot": 0.75}]}')
    out = ruleset.evaluate(record).outputs
    x = Decimal("-12.25")
    assert out["bulat_atas"] == x.quantize(Decimal("0.1"), ROUND_HALF_UP) == Decimal("-12.3")
    assert out["bulat_genap"] == Decimal("-12.2")
    assert out["bulat_bawah"] == Decimal("-12.2")
    assert (out["kecil"], out["besar"], out["dijepit"], out["mutlak"]) == (x, 10, 0, Decimal("12.25"))
    assert out["jumlah"] == 180 and out["rata"] == 90 and out["banyak_tinggi"] == 1 and out["terbesar"] == 100
    assert out["tertimbang"] == Decimal(85)
    assert abs(out["bagi"] * 3 - x) < Decimal("1e-30")


def test_aggregate_over_an_empty_list_is_an_error_naming_the_value() -> None:
    ruleset = kinerja.load_text(FUNCTIONS)
    with pytest.raises(EvaluationError) as caught:
        ruleset.evaluate({"x": 1, "pembagi": 1, "daftar": []})
    assert any(d.code == "K707" for d in caught.value.diagnostics)


def test_trace_names_the_row_and_its_citation() -> None:
    result = PP30.evaluate({"nilai_skp": 96, "nilai_perilaku": 76, "penilaian_360": False}, trace=True)
    steps = {step.name: step for step in result.trace}
    weights = steps["bobot"]
    assert "Pasal 41 ayat (3)" in " ".join(weights.citations)
    predikat = steps["predikat"]
    assert predikat.value == "Baik"
    assert any("Pasal 41 ayat (5) huruf b" in c for c in predikat.citations)
    assert predikat.notes, "the Baik row carries the assumption note about the overlap at 90"
    assert result.ruleset.fingerprint.startswith("sha256:")


def test_no_table_row_matches_is_an_evaluation_error() -> None:
    ruleset = kinerja.load_text("""
ruleset celah version 1.0.0
  title "Celah" source "Peraturan Uji" short "PU"
input n: integer [0, 10]
table t on n
  [0, 4] -> "a"
  [6, 10] -> "b"
end
output t
""")
    with pytest.raises(EvaluationError) as caught:
        ruleset.evaluate({"n": 5})
    assert [d.code for d in caught.value.diagnostics] == ["K702"]
    assert ruleset.evaluate({"n": 6}).outputs["t"] == "b"


BANDS = kinerja.load_text("""
ruleset pita version 1.0.0
  title "Pita" source "Peraturan Uji" short "PU"
input x: decimal [-100, 100] places 2
input flag: boolean
table t on x hit first
  (10, 20] if flag -> "guarded"
  [5, 10)  -> "a"
  (10, 20] -> "b"
  [20, 30) -> "c"
  (30, 40) -> "d"
  >= 50 -> "e"
  <= -5 -> "f"
end
output t
""")


def _band_by_hand(x: Decimal, flag: bool) -> str | None:
    """The rows of `pita` in order, first hit wins; None where no row holds (K702)."""
    if 10 < x <= 20 and flag:
        return "guarded"
    for low, low_closed, high, high_closed, label in [(5, True, 10, False, "a"), (10, False, 20, True, "b"),
                                                      (20, True, 30, False, "c"), (30, False, 40, False, "d"),
                                                      (50, True, None, False, "e"), (None, False, -5, True, "f")]:  # fmt: skip
        above = low is None or (x >= low if low_closed else x > low)
        below = high is None or (x <= high if high_closed else x < high)
        if above and below:
            return label
    return None


def test_band_table_lookup_is_exact_at_every_bound() -> None:
    """First-hit band tables are looked up by bisecting the bounds: open and closed ends must hold exactly."""
    points = [Decimal(b) + d for b in (-100, -5, 0, 5, 10, 20, 30, 40, 50, 100) for d in (Decimal("-0.01"), 0, Decimal("0.01"))]
    for x in [p for p in points if -100 <= p <= 100]:
        for flag in (False, True):
            expected = _band_by_hand(x, flag)
            for trace in (False, True):
                if expected is None:
                    with pytest.raises(EvaluationError) as caught:
                        BANDS.evaluate({"x": x, "flag": flag}, trace=trace)
                    assert [d.code for d in caught.value.diagnostics] == ["K702"]
                else:
                    assert BANDS.evaluate({"x": x, "flag": flag}, trace=trace).outputs["t"] == expected, (x, flag)
