"""The issue-13 rulesets in a batch: N generated rows each, column path against single records.

    python benchmarks/records.py [--rows 100000]

For each ruleset: the rows `kinerja batch` evaluated on the column path, the wall time of
the batch, the time of the single-record path on the same rows, and how many rows'
outputs differ between the batch's CSV and `Ruleset.evaluate` (must be 0). Nothing
asserts; the table is the result (see benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import kinerja
from kinerja.semantics.values import value_text

RATINGS = ["Di Bawah Ekspektasi", "Sesuai Ekspektasi", "Di Atas Ekspektasi"]
BERAKHLAK = ["berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif"]


def _places(rng: random.Random, low: int, high: int, places: int) -> str:
    value = rng.randint(low * 10**places, high * 10**places)
    sign = "-" if value < 0 else ""
    whole, part = divmod(abs(value), 10**places)
    return f"{sign}{whole}.{part:0{places}d}" if places else f"{sign}{whole}"


def kmk_row(rng: random.Random) -> dict[str, str]:
    row = {"nko": _places(rng, 60, 120, 2), "tier": rng.choice(["1", "2"]),
           "jpt_madya": "true" if rng.random() < 0.02 else "false",
           "pemilik_peta_strategi": "true" if rng.random() < 0.05 else "false",
           "tugas_belajar_gagal": "true" if rng.random() < 0.01 else "false",
           "koreksi": _places(rng, -5, 5, 2) if rng.random() < 0.3 else "",
           "pengurangan_disiplin": _places(rng, 0, 40, 4) if rng.random() < 0.05 else "",
           "nilai_dampak": _places(rng, 0, 5, 4) if rng.random() < 0.02 else "",
           "k3_kualitas": rng.choice(["0.6", "0.8", "1", "1.2"]), "k3_target": rng.choice(["0.8", "1", "1.2"])}  # fmt: skip
    calibrated = rng.random() < 0.1
    row["nhk"] = "" if calibrated else _places(rng, 60, 120, rng.choice([2, 4]))
    row["nhk_terkalibrasi"] = _places(rng, 60, 115, 2) if calibrated else ""
    row["npk"] = "" if calibrated else _places(rng, 60, 120, rng.choice([2, 4]))
    row["npk_terkalibrasi"] = _places(rng, 60, 115, 2) if calibrated else ""
    return row


def rerata_row(rng: random.Random) -> dict[str, str]:
    row = {f"perilaku_{v}": rng.choice(RATINGS) for v in BERAKHLAK}
    row["rating_hasil_kerja"] = rng.choice(RATINGS)
    if rng.random() < 0.05:
        row[f"perilaku_{rng.choice(BERAKHLAK)}"] = ""
        row["rating_perilaku_kerja"] = rng.choice(RATINGS)
    return row


def tpp_row(rng: random.Random) -> dict[str, str]:
    row = {"tpp_dasar": str(rng.randint(1_000_000, 40_000_000)), "capaian_kinerja": _places(rng, 0, 100, 2),
           "golongan": rng.choice(["I", "II", "III", "IV"]), "tidak_apel_senin": str(rng.choice([0, 0, 0, 1, 2]))}  # fmt: skip
    for name in ("tl1", "tl2", "tl3", "tl4", "psw1", "psw2", "psw3", "psw4", "tanpa_keterangan", "tidak_apel_harian"):
        row[name] = str(rng.choice([0, 0, 0, 0, 1, 2, rng.randint(0, 10)]))
    return row


def _json(value: object) -> str:
    return kinerja.to_json(value, indent=None)


def kmk_records_row(rng: random.Random) -> dict[str, str]:
    """The raw-record path: IKI with quarters, BerAKHLAK per period, sanctions (list cells as JSON)."""
    iki = []
    for _ in range(rng.randint(2, 6)):
        quarters = [{"ke": ke, "target": rng.randint(50, 150), "realisasi": rng.randint(30, 180)} for ke in range(1, 5)]
        iki.append({"polarisasi": rng.choice(["maksimal", "maksimal", "minimal", "stabil"]),
                    "konsolidasi": rng.choice(["jumlah", "nilai terakhir", "rata-rata"]), "triwulan": quarters,
                    "konversi_120": rng.random() < 0.1, "validitas": rng.choice(["exact", "proxy", "activity"]),
                    "keterkendalian": rng.choice(["rendah", "sedang", "tinggi"]),
                    "sifat_target": rng.choice(["biasa", "wajib", "ditetapkan"])})  # fmt: skip
    perilaku = [{v: rng.randint(70, 120) for v in BERAKHLAK} for _ in range(rng.randint(1, 4))]
    row = {"iki": _json(iki), "perilaku": _json(perilaku), "nko": _places(rng, 60, 120, 2), "tier": rng.choice(["1", "2"]),
           "tahun_penilaian": "2026", "triwulan_penilaian": str(rng.randint(1, 4))}  # fmt: skip
    if rng.random() < 0.1:
        row["hukuman_disiplin"] = _json([{"kategori": rng.choice(["ringan", "sedang", "berat"]), "skor": rng.randint(0, 100),
                                          "tahun_mulai": 2026, "triwulan_mulai": rng.randint(1, 4)}])  # fmt: skip
    return row


def skp_row(rng: random.Random) -> dict[str, str]:
    targets = [{"target": rng.randint(1, 200), "realisasi": rng.randint(0, 240), "lebih_rendah_lebih_baik": rng.random() < 0.2,
                "target_maksimal": rng.random() < 0.1} for _ in range(rng.randint(1, 8))]  # fmt: skip
    return {"target_skp": _json(targets), "nilai_perilaku": _places(rng, 60, 120, 2),
            "penilaian_360": rng.choice(["true", "false"]), "inovasi": "true" if rng.random() < 0.1 else "false"}  # fmt: skip


GENERATORS: dict[str, Callable[[random.Random], dict[str, str]]] = {
    "kmk-127-2026@2.0.0": kmk_row,
    "kmk-127-2026": kmk_records_row,
    "permenpanrb-8-2021": skp_row,
    "permenpanrb-6-2022-rerata": rerata_row,
    "tpp-daerah": tpp_row,
}


def run(ref: str, rows: int, folder: Path) -> tuple[str, ...]:
    ruleset = kinerja.load(ref)
    rng = random.Random(ref)
    records = [GENERATORS[ref](rng) for _ in range(rows)]
    header = list(dict.fromkeys(k for r in records[:1000] for k in r))
    source, target = folder / f"{ref}.csv", folder / f"{ref}-out.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerows(records)
    start = time.perf_counter()
    report = kinerja.batch(ruleset, source, target)
    batch_time = time.perf_counter() - start
    with target.open(newline="", encoding="utf-8") as handle:
        written = list(csv.DictReader(handle))
    start = time.perf_counter()
    differ = errors = 0
    for record, out in zip(records, written, strict=True):
        given = {k: v for k, v in record.items() if v != ""}
        try:
            result = ruleset.evaluate(given, trace=False, text_values=True)
        except kinerja.KinerjaError:
            errors += 1
            differ += out["error"] == ""
            continue
        differ += any(value_text(v) != (out[k] or "-") for k, v in result.outputs.items())
    single_time = time.perf_counter() - start
    path = " (records)" if ref == "kmk-127-2026" else ""
    return (f"{ruleset.id}@{ruleset.version}{path}", f"{rows:,}", f"{report.vectorised:,}", f"{errors:,}",
            f"{batch_time:.2f} s", f"{single_time:.2f} s", str(differ))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    titles = ("ruleset", "rows", "column path", "invalid", "kinerja batch", "single records", "rows that differ")
    lines = [titles]
    with tempfile.TemporaryDirectory() as folder:
        for ref in GENERATORS:
            lines.append(run(ref, args.rows, Path(folder)))
            print(" | ".join(lines[-1]), file=sys.stderr, flush=True)
    print("| " + " | ".join(titles) + " |")
    print("|" + "---|" * len(titles))
    for line in lines[1:]:
        print("| " + " | ".join(line) + " |")


if __name__ == "__main__":
    main()
