"""Explain: a narrative that reproduces the arithmetic by hand, with citations, in both languages."""

from __future__ import annotations

import json
from pathlib import Path

import kinerja
import pytest
from click.testing import CliRunner
from kinerja.audit.explain import explain
from kinerja.cli.audit import explain_command

EXAMPLE = {"nilai_skp": 96, "nilai_perilaku": 76, "penilaian_360": False}


@pytest.fixture(scope="module")
def pp30() -> kinerja.Ruleset:
    return kinerja.load("pp-30-2019")


def test_explain_indonesian_reproduces_the_arithmetic(pp30: kinerja.Ruleset) -> None:
    text = explain(pp30, pp30.evaluate(EXAMPLE, trace=True), "id")
    assert "nilai_kinerja = 70% × 96 + 30% × 76 = 67,2 + 22,8 = 90" in text
    assert "cabang `otherwise` berlaku" in text and "penilaian_360 = tidak" in text
    assert "skp 70%, perilaku 30%" in text
    assert 'memenuhi baris 2 (`[90, 120] -> "Baik"`), sehingga predikat = "Baik"' in text
    assert "Dasar: PP 30/2019 Pasal 41 ayat (1)." in text
    assert "PP 30/2019 Pasal 41 ayat (3)" in text  # the 70:30 branch
    assert "Catatan asumsi: Parafrasa berita" in text  # the assumption note on the Baik row
    assert text.rstrip().endswith('Hasil: nilai_kinerja = 90; predikat = "Baik".')
    assert pp30.fingerprint in text


def test_explain_english(pp30: kinerja.Ruleset) -> None:
    text = explain(pp30, pp30.evaluate(EXAMPLE, trace=True), "en")
    assert "nilai_kinerja = 70% × 96 + 30% × 76 = 67.2 + 22.8 = 90" in text
    assert "the `otherwise` branch applies because no earlier branch's condition holds (penilaian_360 = no)" in text
    assert 'falls in row 2 (`[90, 120] -> "Baik"`), so predikat = "Baik".' in text
    assert "Basis: PP 30/2019 Pasal 41 ayat (1)." in text
    assert "Pasal 41" in text


def test_explain_conditional_branch_and_skipped_guarded_row(pp30: kinerja.Ruleset) -> None:
    result = pp30.evaluate({"nilai_skp": 115, "nilai_perilaku": "110.5", "penilaian_360": True}, text_values=True, trace=True)
    text = explain(pp30, result, "id")
    assert "cabang `when penilaian_360` berlaku karena syaratnya terpenuhi (penilaian_360 = ya)" in text
    assert "nilai_kinerja = 60% × 115 + 40% × 110,5 = 69 + 44,2 = 113,2" in text
    assert "Baris 1 (`[110, 120] if inovasi -> \"Sangat Baik\"`) tidak berlaku" in text
    assert "inovasi = tidak" in text
    english = explain(pp30, pp30.evaluate({"nilai_skp": 110, "nilai_perilaku": 110, "penilaian_360": False, "inovasi": True}, trace=True), "en")
    assert 'falls in row 1 (`[110, 120] if inovasi -> "Sangat Baik"`)' in english
    assert "PP 30/2019 Pasal 41 ayat (5) huruf a" in english


QUADRANT = """
ruleset kuadran-uji version 1.0.0
  title "Uji kuadran" source "Peraturan Uji" short "PU 1/2024"
type rating = scale "Di Bawah Ekspektasi" < "Sesuai Ekspektasi" < "Di Atas Ekspektasi"
input hasil: rating
input perilaku: rating
input tugas_belajar_gagal: boolean default false
quadrant predikat rows hasil columns perilaku
  cite "Lampiran"
  | | "Di Bawah Ekspektasi" | "Sesuai Ekspektasi" | "Di Atas Ekspektasi" |
  | "Di Atas Ekspektasi"  | "Kurang/Misconduct" | "Baik" | "Sangat Baik" | cite "Lampiran baris 1"
  | "Sesuai Ekspektasi"   | "Kurang/Misconduct" | "Baik" | "Baik" |
  | "Di Bawah Ekspektasi" | "Sangat Kurang" | "Butuh Perbaikan" | "Butuh Perbaikan" |
end
exception gagal_tugas_belajar overrides predikat priority 10
  "Pegawai tugas belajar yang gagal" cite "Lampiran II"
  when tugas_belajar_gagal
  then if perilaku = "Di Bawah Ekspektasi" then "Sangat Kurang" else "Kurang/Misconduct"
  note "Asumsi: berlaku pada penilaian tahunan"
output predikat
"""


def test_explain_quadrant_and_exception() -> None:
    ruleset = kinerja.load_text(QUADRANT)
    cell = explain(ruleset, ruleset.evaluate({"hasil": "Di Atas Ekspektasi", "perilaku": "Di Atas Ekspektasi"}, trace=True), "en")
    assert 'hasil = "Di Atas Ekspektasi" (row) and perilaku = "Di Atas Ekspektasi" (column)' in cell
    assert 'so predikat = "Sangat Baik"' in cell and "PU 1/2024 Lampiran baris 1" in cell
    failed = ruleset.evaluate({"hasil": "Di Atas Ekspektasi", "perilaku": "Sesuai Ekspektasi", "tugas_belajar_gagal": True}, trace=True)
    text = explain(ruleset, failed, "id")
    assert "pengecualian `gagal_tugas_belajar` (prioritas 10) berlaku" in text
    assert "tugas_belajar_gagal = ya" in text
    assert 'predikat = "Kurang/Misconduct"' in text
    assert "PU 1/2024 Lampiran II" in text and "Catatan asumsi: Asumsi: berlaku pada penilaian tahunan" in text


def test_cli_explain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINERJA_LANG", "id")
    record = tmp_path / "pegawai.json"
    record.write_text(json.dumps(EXAMPLE), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(explain_command, ["pp-30-2019", str(record)], obj={})
    assert result.exit_code == 0, result.output
    assert "67,2 + 22,8 = 90" in result.output
    english = runner.invoke(explain_command, ["pp-30-2019", "-", "--lang", "en", "--as-of", "2024-01-01"], input=json.dumps(EXAMPLE))
    assert english.exit_code == 0, english.output
    assert "67.2 + 22.8 = 90" in english.output
    bad = runner.invoke(explain_command, ["pp-30-2019", "-"], input='{"nilai_skp": 130}')
    assert bad.exit_code == 1


ROUNDED = """
ruleset bulat-uji version 1.0.0
  source "Peraturan Uji" short "PU 2/2026"
input a: decimal [0, 1000] places 4 "Nilai"
value rata = round(a / 3, 2, half_up) "Rata-rata" cite "Pasal 1" cite "Pasal 1" cite "Pasal 2"
output rata
"""


def test_explain_shows_the_value_before_rounding_and_each_citation_once() -> None:
    ruleset = kinerja.load_text(ROUNDED)
    result = ruleset.evaluate({"a": "224.0225"}, text_values=True, trace=True)
    indonesian = explain(ruleset, result, "id")
    assert "rata = round(224,0225 / 3, 2, half_up) = round(74,674166666666…, 2, half_up) = 74,67" in indonesian
    assert "Dasar: PU 2/2026 Pasal 1; Pasal 2." in indonesian
    english = explain(ruleset, result, "en")
    assert "= round(74.674166666666…, 2, half_up) = 74.67" in english
    kmk = kinerja.load("kmk-127-2026@1.0.0")
    organisation = kmk.evaluate({"nhk": 95, "npk": 95, "nko": "99.99", "k3_kualitas": "1.01", "k3_target": 1}, text_values=True, trace=True)
    assert "round(min(120, 99.99 × 1.005), 2, half_up) = round(100.48995, 2, half_up) = 100.49" in explain(kmk, organisation, "en")


def test_compare_aligns_steps_and_finds_where_they_part() -> None:
    from kinerja.audit.explain import compare

    old, new = kinerja.load("kmk-300-2022"), kinerja.load("kmk-127-2026@1.0.0")
    record = {"nhk": 118, "npk": 112, "nko": 100, "k3_kualitas": 1, "k3_target": 1}
    comparison = compare(old, old.evaluate(record, trace=True), new, new.evaluate(record, trace=True), "en")
    names = [x.name for x in comparison.steps]
    assert names.index("nkp_sebelum_kalibrasi") < names.index("nkp_kalibrasi") < names.index("nilai_kinerja_pegawai")
    assert comparison.parting == "nilai_kinerja_pegawai"
    row = next(x for x in comparison.steps if x.name == "nkp_kalibrasi")
    assert row.left is None and row.right is not None and row.right.value == 115
    assert all(x.same for x in comparison.steps if x.left is not None and x.right is not None and x.name != "nilai_kinerja_pegawai")
    same = compare(old, old.evaluate(record, trace=True), old, old.evaluate(record, trace=True), "id")
    assert same.parting is None and "Kedua aturan menghitung setiap langkah" in same.text()
