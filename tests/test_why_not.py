"""`--why-not`: the least change of one input, checked against brute force over the whole grid."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import kinerja
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kinerja.audit.counterfactual import Target, WhyNotUsageError, parse_target, why_not
from kinerja.cli.main import main

# Weighted by a condition, capped, banded, rated on two axes through a quadrant, overridden by an
# exception: every kind of decision a single input can cross. Places 1 keeps brute force small.
RULES = """
ruleset uji-keberatan version 1.0.0
  title "Uji keberatan" source "Peraturan Uji" short "PU 1/2026"
type rating = scale "Rendah" < "Sedang" < "Tinggi"
input hasil: decimal [0, 120] places 1 "Nilai hasil kerja"
input perilaku: decimal [0, 120] places 1 "Nilai perilaku"
input rekan: boolean default false "Penilaian rekan"
input sanksi: integer [0, 4] default 0 "Tingkat sanksi"
weights bobot
  when rekan: hasil 60%, perilaku 40%
  otherwise: hasil 70%, perilaku 30%
end
value gabungan = min(110, bobot.hasil × hasil + bobot.perilaku × perilaku) - 5 × sanksi
table nilai_hasil: rating on hasil hit first
  > 100 -> "Tinggi"
  >= 80 -> "Sedang"
  otherwise -> "Rendah"
end
table nilai_perilaku: rating on perilaku hit first
  > 95 -> "Tinggi"
  >= 75 -> "Sedang"
  otherwise -> "Rendah"
end
table predikat_angka on gabungan hit first
  >= 100 -> "Istimewa"
  >= 85 -> "Baik"
  >= 60 -> "Cukup"
  otherwise -> "Kurang"
end
quadrant predikat: rating rows nilai_hasil columns nilai_perilaku
  | | "Rendah" | "Sedang" | "Tinggi" |
  | "Tinggi" | "Sedang" | "Tinggi" | "Tinggi" |
  | "Sedang" | "Rendah" | "Sedang" | "Tinggi" |
  | "Rendah" | "Rendah" | "Rendah" | "Sedang" |
end
exception disiplin overrides predikat priority 1
  when sanksi >= 3
  then "Rendah"
output predikat
output predikat_angka
output gabungan
"""

TENTHS = st.integers(min_value=0, max_value=1200).map(lambda n: Decimal(n) / 10)
TARGETS = [("predikat", "=", "Tinggi"), ("predikat", "=", "Sedang"), ("predikat", "=", "Rendah"),
           ("predikat", ">=", "Sedang"), ("predikat_angka", "=", "Baik"), ("predikat_angka", "=", "Istimewa"),
           ("predikat_angka", "=", "Cukup"), ("gabungan", ">=", Decimal("87.5")), ("gabungan", "<", Decimal(61))]  # fmt: skip


@pytest.fixture(scope="module")
def ruleset() -> kinerja.Ruleset:
    return kinerja.load_text(RULES)


def brute_force(ruleset: kinerja.Ruleset, record: dict, name: str, target: Target) -> set[Decimal | bool | int]:
    """Every value of one input's whole domain that meets the target, by evaluating each."""
    if name in ("hasil", "perilaku"):
        domain: list = [Decimal(n) / 10 for n in range(1201)]
    elif name == "rekan":
        domain = [False, True]
    else:
        domain = [Decimal(n) for n in range(5)]
    found = set()
    for value in domain:
        outputs = ruleset.evaluate({**record, name: value}, trace=False).values
        if target.holds(outputs[target.name]):
            found.add(value)
    return found


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(hasil=TENTHS, perilaku=TENTHS, rekan=st.booleans(), sanksi=st.integers(0, 4), which=st.sampled_from(TARGETS))
def test_why_not_agrees_with_brute_force(ruleset: kinerja.Ruleset, hasil: Decimal, perilaku: Decimal, rekan: bool,
                                         sanksi: int, which: tuple) -> None:  # fmt: skip
    record = {"hasil": hasil, "perilaku": perilaku, "rekan": rekan, "sanksi": Decimal(sanksi)}
    name, op, value = which
    text = f"{name}{op}{value}"
    target = parse_target(text, ruleset)
    answer = why_not(ruleset, record, target)
    current = ruleset.evaluate(record, trace=False).values[name]
    assert answer.holds_now == target.holds(current)
    if answer.holds_now:
        return
    answered = {a.input: a for a in answer.answers}
    for input_name in ("hasil", "perilaku", "rekan", "sanksi"):
        good = brute_force(ruleset, record, input_name, target) - {record[input_name]}
        if not good:
            assert input_name in answer.impossible and input_name not in answered, input_name
            continue
        assert input_name in answered, (input_name, sorted(good)[:5])
        found = answered[input_name].nearest
        old = record[input_name]
        if isinstance(old, bool):
            assert [r.value for r in found] == [not old]
            continue
        above = [x for x in good if x > old]
        below = [x for x in good if x < old]
        expected = {min(above)} if above else set()
        expected |= {max(below)} if below else set()
        assert {r.value for r in found} == expected, (input_name, old, sorted(expected), [r.value for r in found])
        for remedy in found:  # the answer is a value the ruleset was run on, with its exact outputs
            outputs = ruleset.evaluate({**record, input_name: remedy.value}, trace=False).values
            assert target.holds(outputs[name]) and remedy.change == remedy.value - old
    least = [min(r.size for r in a.nearest) / (a.high - a.low if a.high is not None else 1) for a in answer.answers if a.high is not None]
    assert least == sorted(least)


def test_pp30_objection_exact_values_in_both_languages() -> None:
    pp30 = kinerja.load("pp-30-2019")
    record = {"nilai_skp": Decimal(80), "nilai_perilaku": Decimal(76), "penilaian_360": False}
    answer = why_not(pp30, record, parse_target("predikat=Baik", pp30))
    by_input = {a.input: [r.value for r in a.nearest] for a in answer.answers}
    # 70% × skp + 30% × 76 = 90 at skp 96; 70% × 80 + 30% × p = 90 at p 113.33…, so 113.34 on the grid
    assert by_input == {"nilai_skp": [Decimal(96)], "nilai_perilaku": [Decimal("113.34")]}
    assert answer.impossible == ("penilaian_360", "inovasi")
    text = answer.render("id")
    assert '- nilai_skp: 80 → 96 (+16); hasilnya predikat = "Baik"; nilai_kinerja = 90' in text
    assert "nilai_perilaku: 76 → 113,34 (+37,34)" in text and "nilai_kinerja = 90,002" in text
    assert 'Tidak ada nilai dalam rentangnya yang memberi predikat = "Baik": penilaian_360, inovasi.' in text
    assert "113.34 (+37.34)" in answer.render("en")
    none = why_not(pp30, record, parse_target('predikat = "Sangat Baik"', pp30))
    assert not none.answers and "No change of one input within that input's range" in none.render("en")
    assert why_not(pp30, {**record, "nilai_skp": Decimal(100)}, parse_target("predikat=Baik", pp30)).holds_now


@pytest.mark.parametrize("text, code", [("predikat", "X_WHY_SYNTAX"), ("predikatt=Baik", "X_WHY_NAME"),
                                        ("predikat=Bagus", "X_WHY_LABEL"), ("nilai_kinerja>=abc", "X_WHY_VALUE")])  # fmt: skip
def test_bad_targets_are_usage_errors(text: str, code: str) -> None:
    with pytest.raises(WhyNotUsageError) as caught:
        parse_target(text, kinerja.load("pp-30-2019"))
    assert caught.value.code == code


def test_cli_why_not_and_against(tmp_path: Path) -> None:
    record = tmp_path / "pegawai.json"
    record.write_text(json.dumps({"nhk": 118, "npk": 112, "nko": 100, "k3_kualitas": 1, "k3_target": 1,
                                  "pengurangan_disiplin": 2}), encoding="utf-8")  # fmt: skip
    runner = CliRunner()
    why = runner.invoke(main, ["--lang", "en", "explain", "kmk-127-2026@1.0.0", str(record), "--why-not", "predikat=Baik", "--format", "json"])
    assert why.exit_code == 0, why.output
    data = kinerja.parse_json(why.output)
    assert data["current"] == "Sangat Baik" and data["answers"][0]["input"] == "npk"
    assert data["answers"][0]["nearest"][0]["value"] == 100  # exactly 100 is Sesuai Ekspektasi
    side = runner.invoke(main, ["--lang", "en", "explain", "kmk-300-2022", str(record), "--against", "kmk-127-2026@1.0.0"])
    assert side.exit_code == 0, side.output
    assert "The first step where they part: `nilai_kinerja_pegawai`" in side.output
    assert "nilai_kinerja_pegawai = 75% × 118 + 25% × 112 = 88.5 + 28 = 116.5" in side.output
    assert "nilai_kinerja_pegawai = max(0, 115 - 2) = 113" in side.output
    assert any(line.startswith("≠ nkp_kalibrasi") and line.rstrip().endswith("|  115") for line in side.output.splitlines())
    bad = runner.invoke(main, ["explain", "pp-30-2019", str(record), "--why-not", "predikat=Bagus"])
    assert bad.exit_code == 2
