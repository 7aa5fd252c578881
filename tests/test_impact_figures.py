"""Impact on every output, per group and per diff item, checked against an independent exact computation.

Two pairs: the Kemenkeu succession (the `@1.0.0` files, whose figures these are) and PP 30/2019
against a copy in which Baik starts at 85. Each expected figure is computed here from the
regulation's arithmetic in plain Decimals, never through the engine.
"""

from __future__ import annotations

import csv
import json
import random
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import kinerja
import pytest
from click.testing import CliRunner
from kinerja.audit.impact import impact
from kinerja.cli.main import main

REPO = Path(__file__).resolve().parent.parent
KMK_OLD = REPO / "rulesets" / "kmk-300-2022@1.0.0.kin"
KMK_NEW = REPO / "rulesets" / "kmk-127-2026@1.0.0.kin"
PP30 = (REPO / "rulesets" / "pp-30-2019@1.0.0.kin").read_text(encoding="utf-8")
PP30_RULES = PP30[: PP30.index('example "')]
PP30_BAIK_85 = (
    PP30_RULES.replace("version 1.0.0", "version 1.1.0")
    .replace('[90, 120]  -> "Baik"', '[85, 120]  -> "Baik"')
    .replace('[70, 90)   -> "Cukup"', '[70, 85)   -> "Cukup"')
)
UNITS = ("Setjen", "DJP", "DJBC", "DJA")


def _hundredths(rng: random.Random, low: int, high: int) -> str:
    n = rng.randint(low, high)
    return f"{n // 100}.{n % 100:02d}"


def kemenkeu_rows(count: int = 4_000, seed: int = 16) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        rows.append({
            "nip": f"1980{i:08d}", "unit": rng.choice(UNITS),
            "nhk": _hundredths(rng, 6000, 12000), "npk": _hundredths(rng, 7000, 12000), "nko": _hundredths(rng, 7000, 12000),
            "k3_kualitas": rng.choice(["0.6", "0.8", "1", "1.2"]), "k3_target": rng.choice(["0.8", "1", "1.2"]),
            "pemilik_peta_strategi": "true" if rng.random() < 0.05 else "false",
            "tugas_belajar_gagal": "true" if rng.random() < 0.02 else "false",
            "jpt_madya": "true" if rng.random() < 0.05 else "false",
            "pengurangan_disiplin": rng.choice(["0"] * 40 + ["1.25", "2.5", "10", "130"]),
        })  # fmt: skip
    return rows


def kmk_nkp(row: dict[str, str]) -> tuple[Decimal, Decimal | None, bool, bool]:
    """(old NKP, new NKP or None when the new version rejects the row, capped?, deducted?) — by hand."""
    k3 = (Decimal(row["k3_kualitas"]) + Decimal(row["k3_target"])) / 2
    nko_k3 = min(Decimal(120), Decimal(row["nko"]) * k3).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    hasil = nko_k3 if row["pemilik_peta_strategi"] == "true" else Decimal(row["nhk"])
    old = Decimal("0.75") * hasil + Decimal("0.25") * Decimal(row["npk"])
    deduction = Decimal(row["pengurangan_disiplin"])
    if deduction > 120:
        return old, None, False, False
    capped = old if row["jpt_madya"] == "true" else min(Decimal(115), old)
    new = max(Decimal(0), capped - deduction)
    return old, new, capped != old, new != capped


@pytest.fixture(scope="module")
def kemenkeu() -> tuple[list[dict[str, str]], kinerja.audit.impact.ImpactReport]:  # type: ignore[name-defined]
    rows = kemenkeu_rows()
    report = impact(kinerja.load(KMK_OLD), kinerja.load(KMK_NEW), rows, id_column="nip", lang="id", group_by="unit")
    return rows, report


def test_kemenkeu_number_output_agrees_with_the_arithmetic(kemenkeu: tuple) -> None:
    rows, report = kemenkeu
    data = report.to_dict("en")
    figures = {f["name"]: f for f in data["outputs"]}
    nkp = figures["nilai_kinerja_pegawai"]
    deltas = [new - old for old, new, _, _ in map(kmk_nkp, rows) if new is not None]
    moved = sorted(d for d in deltas if d)
    assert nkp["compared"] == len(deltas)
    assert (nkp["down"], nkp["up"], nkp["same"]) == (sum(d < 0 for d in deltas), sum(d > 0 for d in deltas), deltas.count(0))
    assert nkp["up"] == 0 and nkp["down"] > 100
    middle = len(moved) // 2
    median = moved[middle] if len(moved) % 2 else (moved[middle - 1] + moved[middle]) / 2
    assert (nkp["delta"]["min"], nkp["delta"]["median"], nkp["delta"]["max"]) == (moved[0], median, moved[-1])
    bins = nkp["histogram"]
    assert sum(b["count"] for b in bins) == len(moved)
    for b in bins:
        assert b["count"] == sum(1 for d in moved if b["low"] <= d < b["high"] or (b is bins[-1] and d == b["high"]))
    # the predikat rules did not change: every valid row keeps its label, the rejected rows go to invalid
    rejected = sum(1 for r in rows if kmk_nkp(r)[1] is None)
    assert rejected > 0
    assert figures["predikat"]["changed"] == 0
    assert sum(t["count"] for t in data["transitions"] if t["to"] == "invalid") == rejected
    assert sum(t["count"] for t in data["transitions"]) == len(rows)
    assert data["changed"] == rejected + len(moved)


def test_kemenkeu_attribution_splits_calibration_from_discipline(kemenkeu: tuple) -> None:
    rows, report = kemenkeu
    expected = [kmk_nkp(r) for r in rows]
    capped = sum(1 for old, new, cap, _ in expected if new is not None and cap)
    deducted = sum(1 for old, new, _, cut in expected if new is not None and cut)
    rejected = sum(1 for _, new, _, _ in expected if new is None)
    items = {(a.change.kind, a.change.subject): a for a in report.attribution}
    calibration = items[("declaration_added", "nkp_kalibrasi")]
    formula = items[("formula_changed", "nilai_kinerja_pegawai")]
    assert calibration.moves == Counter({("nilai_kinerja_pegawai", "down"): capped})
    assert formula.moves == Counter({("nilai_kinerja_pegawai", "down"): deducted})
    assert items[("input_added", "pengurangan_disiplin")].moves == Counter({("-", "invalid"): rejected})
    assert report.unexplained == 0
    sentence = calibration.sentences("id")[0]
    assert sentence.endswith(f"(KMK 127/2026 Lampiran, Evaluasi Kinerja Pegawai): {capped} pegawai turun nilai_kinerja_pegawai")
    assert sentence.startswith("nilai `nkp_kalibrasi` ditambahkan: if jpt_madya then nkp_sebelum_kalibrasi else min(115, nkp_sebelum_kalibrasi)")
    english = formula.sentences("en")[0]
    assert english.endswith(f": {deducted} employees down in nilai_kinerja_pegawai")
    top = max(capped, deducted)
    assert f"{top} pegawai." in report.headline("id") and "Penyebab terbesar" in report.headline("id")


def test_kemenkeu_groups_agree_with_the_arithmetic(kemenkeu: tuple) -> None:
    rows, report = kemenkeu
    by_unit: dict[str, Counter[str]] = {}
    for row in rows:
        old, new, _, _ = kmk_nkp(row)
        counts = by_unit.setdefault(row["unit"], Counter())
        counts["rows"] += 1
        if new is None:
            counts["invalid"] += 1
        else:
            counts["down" if new < old else "same"] += 1
    assert {g.group for g in report.groups} == set(UNITS)
    for group in report.groups:
        expected = by_unit[group.group]
        assert (group.rows, group.invalid) == (expected["rows"], expected["invalid"])
        assert group.moves["nilai_kinerja_pegawai"] == Counter({k: expected[k] for k in ("down", "same") if expected[k]})
        assert group.moves["predikat"] == Counter({"same": expected["rows"] - expected["invalid"]})


def pp30_rows(count: int = 3_000, seed: int = 85) -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [{"nip": f"1990{i:08d}", "unit": rng.choice(UNITS[:3]),
             "nilai_skp": _hundredths(rng, 6000, 12000), "nilai_perilaku": _hundredths(rng, 6000, 12000),
             "penilaian_360": rng.choice(["ya", "tidak"]), "inovasi": rng.choice(["ya", "tidak"])}
            for i in range(count)]  # fmt: skip


def pp30_predikat(row: dict[str, str], baik_from: Decimal) -> tuple[Decimal, str]:
    w = Decimal("0.6") if row["penilaian_360"] == "ya" else Decimal("0.7")
    nilai = w * Decimal(row["nilai_skp"]) + (1 - w) * Decimal(row["nilai_perilaku"])
    if nilai >= 110 and row["inovasi"] == "ya":
        return nilai, "Sangat Baik"
    if nilai >= baik_from:
        return nilai, "Baik"
    return nilai, "Cukup" if nilai >= 70 else "Kurang" if nilai >= 50 else "Sangat Kurang"


def test_pp30_baik_from_85_agrees_with_the_arithmetic(tmp_path: Path) -> None:
    rows = pp30_rows()
    people = tmp_path / "per-orang.csv"
    report = impact(kinerja.load_text(PP30_RULES), kinerja.load_text(PP30_BAIK_85), rows, id_column="nip",
                    group_by="unit", people=str(people))  # fmt: skip
    expected = Counter((pp30_predikat(r, Decimal(90))[1], pp30_predikat(r, Decimal(85))[1]) for r in rows)
    assert report.transitions == expected
    moved = expected[("Cukup", "Baik")]
    assert moved > 100 and sum(n for (a, b), n in expected.items() if a != b) == moved
    predikat = report.figures("predikat")
    assert predikat is not None and predikat.order == ("Sangat Kurang", "Kurang", "Cukup", "Baik", "Sangat Baik")
    assert predikat.to_dict()["bands"] == {"up2": 0, "up1": moved, "same": len(rows) - moved, "down1": 0, "down2": 0}
    assert report.figures("nilai_kinerja") is not None and report.figures("nilai_kinerja").changed == 0  # type: ignore[union-attr]
    [item] = report.attribution
    assert (item.change.kind, dict(item.change.details)["region"]) == ("region_changed", "[85, 90)")
    assert item.moves == Counter({("predikat", "up"): moved})
    assert item.change.old_citations == ("PP 30/2019 Pasal 41 ayat (5) huruf c",)
    assert item.change.new_citations == ("PP 30/2019 Pasal 41 ayat (5) huruf b",)
    for group in report.groups:
        mine = [r for r in rows if r["unit"] == group.group]
        up = sum(1 for r in mine if pp30_predikat(r, Decimal(90))[1] != pp30_predikat(r, Decimal(85))[1])
        assert group.moves["predikat"] == Counter({k: v for k, v in (("up1", up), ("same", len(mine) - up)) if v})
    with people.open(encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert len(table) == len(rows) and [t["id"] for t in table] == [r["nip"] for r in rows]
    for row, line in zip(rows, table, strict=True):
        before, after = pp30_predikat(row, Decimal(90))[1], pp30_predikat(row, Decimal(85))[1]
        assert (line["predikat.old"], line["predikat.new"], line["unit"]) == (before, after, row["unit"])
        assert line["moved_by"] == (f"{item.index + 1}:predikat" if before != after else "")
        assert line["changed"] == ("predikat" if before != after else "")


def test_cli_impact_options_json_people_and_report(tmp_path: Path) -> None:
    rows = pp30_rows(400, seed=7)
    for row in rows:
        row["Nilai SKP"] = row.pop("nilai_skp")
    population = tmp_path / "pegawai.jsonl"
    population.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    old, new = tmp_path / "lama.kin", tmp_path / "baru.kin"
    old.write_text(PP30_RULES, encoding="utf-8")
    new.write_text(PP30_BAIK_85, encoding="utf-8")
    people, page = tmp_path / "orang.xlsx", tmp_path / "dampak.html"
    args = ["--lang", "en", "impact", str(old), str(new), str(population), "--id", "nip", "--group-by", "unit",
            "--map", "nilai_skp=Nilai SKP", "--output", "predikat", "-o", str(people), "--report", str(page), "--format", "json"]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    data = kinerja.parse_json(result.output)
    assert [f["name"] for f in data["outputs"]] == ["predikat"]
    renamed = [{**r, "nilai_skp": r["Nilai SKP"]} for r in rows]
    moved = sum(1 for r in renamed if pp30_predikat(r, Decimal(90))[1] != pp30_predikat(r, Decimal(85))[1])
    assert data["changed"] == moved and data["outputs"][0]["up"] == moved
    assert data["command"].startswith("kinerja impact ") and "--map 'nilai_skp=Nilai SKP'" in data["command"]
    import openpyxl

    sheet = openpyxl.load_workbook(people, read_only=True).worksheets[0]
    header = [c for c in next(sheet.iter_rows(values_only=True))]
    assert header == ["id", "unit", "predikat.old", "predikat.new", "changed", "moved_by", "error"]
    assert sum(1 for _ in sheet.iter_rows(min_row=2)) == len(rows)
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    bad = CliRunner().invoke(main, ["impact", str(old), str(new), str(population), "--output", "nilai_skp"])
    assert bad.exit_code == 2 and "nilai_skp" in bad.output
    missing = CliRunner().invoke(main, ["--lang", "en", "impact", str(old), str(new), str(population), "--group-by", "satker"])
    assert missing.exit_code == 2 and "satker" in missing.output


def test_cli_impact_as_of_twice_walks_the_succession(tmp_path: Path) -> None:
    rows = kemenkeu_rows(60, seed=3)
    population = tmp_path / "pegawai.csv"
    with population.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = CliRunner().invoke(main, ["--lang", "en", "impact", "kmk-127-2026", "kmk-127-2026", str(population),
                                       "--as-of", "2025-06-30", "--as-of", "2026-06-30", "--format", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    data = kinerja.parse_json(result.output[result.output.index("{") :])
    assert (data["old"]["id"], data["new"]["id"]) == ("kmk-300-2022", "kmk-127-2026")
    assert len(data["notes"]) == 2 and "2025-06-30" in data["notes"][0]


def test_distribution_curve_before_and_after_per_group() -> None:
    text = (REPO / "rulesets" / "permenpanrb-6-2022@1.0.0.kin").read_text(encoding="utf-8")
    rules = text[: text.index('example "')] if 'example "' in text else text
    cell = '| "Sesuai Ekspektasi"             | "Kurang/Misconduct"   | "Baik"              | "Baik"               |'
    assert cell in rules
    generous = rules.replace("version 1.0.0", "version 1.1.0").replace(cell, cell[: cell.rindex('"Baik"')] + '"Sangat Baik"        |')
    mix = [("Sesuai Ekspektasi", "Di Atas Ekspektasi")] * 4 + [("Sesuai Ekspektasi", "Sesuai Ekspektasi")] * 3 + \
          [("Di Atas Ekspektasi", "Di Atas Ekspektasi")] * 2 + [("Di Bawah Ekspektasi", "Sesuai Ekspektasi")]  # fmt: skip
    rows = [{"nip": f"A{i}", "unit": "Biro A", "predikat_organisasi": "Baik", "rating_hasil_kerja": h, "rating_perilaku_kerja": p}
            for i, (h, p) in enumerate(mix)]  # fmt: skip
    report = impact(kinerja.load_text(rules), kinerja.load_text(generous), rows, id_column="nip", group_by="unit")
    [group] = report.groups
    assert group.moves["predikat"] == Counter({"up1": 4, "same": 6})
    before = report.population_old.distributions[0].groups[0]  # type: ignore[union-attr]
    after = report.population_new.distributions[0].groups[0]  # type: ignore[union-attr]
    assert (before.status, after.status) == ("conforms", "violates")
    assert after.counts == {"Sangat Baik": 6, "Baik": 3, "Butuh Perbaikan": 1}
    text_en = report.render("en")
    assert "distribution curve before: kurva_distribusi: conforms" in text_en
    assert "distribution curve after: kurva_distribusi: DOES NOT CONFORM" in text_en
    [item] = report.attribution
    assert item.change.kind == "cell_changed" and item.moves == Counter({("predikat", "up"): 4})
    assert dict(item.change.details)["row"] == '"Sesuai Ekspektasi"' and dict(item.change.details)["column"] == '"Di Atas Ekspektasi"'
