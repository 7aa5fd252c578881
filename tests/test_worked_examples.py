"""The worked examples of domain §6, computed by hand, and the shipped rulesets against them.

Each figure is the one the regulation (or the implementation that reproduces it) prints;
`by_hand` computes it without kinerja, and the rulesets must agree with `by_hand` on the
worked examples and on generated records.
"""

from __future__ import annotations

import random
from decimal import Decimal as D

import by_hand as h
import kinerja
import pytest
from kinerja.semantics.values import ABSENT

# ---------------------------------------------------------------- the figures, by hand

ITEM_4 = [(D(80), D("1.05")), (D(120), D("0.9")), (D("104.69"), D(1)), (D(120), D(1)), (D(100), D("1.1"))]
ITEM_5 = [[D(82), D(100), D(98), D(105), D(100), D(115), D(105)]]


def test_kmk_127_items_4_to_6_by_hand() -> None:
    nhk = h.nhk_awal(ITEM_4)
    assert h.round2(nhk) == D("105.17")  # 531.09 / 5.05
    assert sum(k * min(D(120), c * k) for c, k in ITEM_4) == D("531.09") and sum(k for _, k in ITEM_4) == D("5.05")
    assert min(D(120), ITEM_4[0][0] * ITEM_4[0][1]) == 84
    assert (ITEM_4[0][1] / D("5.05") * 100).quantize(D("0.1")) == D("20.8")  # the first IKI's weight
    assert h.iki_weights([D(1), D("1.1"), D("0.85")]) == [D("33.90"), D("37.29"), D("28.81")]  # Tabel 35
    npk = h.npk_awal(ITEM_5)
    assert h.round2(npk) == D("100.71")
    assert h.round2(h.kalibrasi(nhk)) == D("103.87") and h.round2(h.kalibrasi(npk)) == D("100.54")
    assert h.round2(D("0.75") * h.kalibrasi(nhk) + D("0.25") * h.kalibrasi(npk)) == D("103.04")
    assert h.round2(h.kalibrasi(h.round2(nhk))) == D("103.88")  # rounding first is off by 0.01
    assert h.kalibrasi(D(120)) == 115 and h.kalibrasi(D(120), jpt_madya=True) == 120 and h.kalibrasi(D(100)) == 100


def test_kmk_127_jerry_by_hand() -> None:
    out = h.kmk_127_v2({"nhk_terkalibrasi": 108, "npk_terkalibrasi": 96, "nko": 102, "tier": 2, "koreksi": -5})
    assert (out["nilai_kinerja_pegawai"], out["nhk_akhir"], out["npk_akhir"]) == (D("100.2"), D("102.7"), D("92.1"))
    assert (out["rating_hasil_kerja"], out["rating_perilaku_kerja"], out["predikat"]) == (h.ATAS, h.SESUAI, "Baik")


def test_permenpanrb_8_2021_conversion_by_hand() -> None:
    assert h.konversi_8_2021(D(100)) == 109 and h.konversi_8_2021(D(98)) == 88
    assert h.konversi_8_2021(D(59)) == 49 and h.konversi_8_2021(D(60)) == 50 and h.konversi_8_2021(D(79)) == 69
    assert h.konversi_8_2021(D(80)) == 70 and h.konversi_8_2021(D(99)) == 89
    assert h.konversi_8_2021(D(101)) == 110 and h.konversi_8_2021(D(110)) == 120 and h.konversi_8_2021(D(120)) == 120
    for gap in ("59.5", "79.5", "99.5", "100.5"):  # the four gaps public code leaves open
        assert h.konversi_8_2021(D(gap)) is None
    assert h.capaian_8_2021(D(10), D(8), lower_is_better=True) == 120  # (1 + (1 − 0.8)) × 100 = 120
    assert h.capaian_8_2021(D(10), D(9)) == 90


# ---------------------------------------------------------------- kmk-127-2026@2.0.0 against the figures


@pytest.fixture(scope="module")
def kmk() -> kinerja.Ruleset:
    return kinerja.load("kmk-127-2026@2.0.0")


def test_kmk_127_v2_reproduces_item_6(kmk: kinerja.Ruleset) -> None:
    # NHK Awal and NPK Awal given to four places (the figures of items 4 and 5, unrounded)
    record = {"nhk": D("105.1663"), "npk": D("100.7143"), "nko": 100, "tier": 1}
    out = kmk.evaluate(record, trace=False).outputs
    assert (out["nhk_kalibrasi_dibulatkan"], out["npk_kalibrasi_dibulatkan"], out["nkp_awal_dibulatkan"]) == (
        D("103.87"), D("100.54"), D("103.04"))  # fmt: skip
    assert out == {k: (ABSENT if v is None else v) for k, v in h.kmk_127_v2(record).items()}


def test_kmk_127_v2_reproduces_jerry(kmk: kinerja.Ruleset) -> None:
    record = {"nhk_terkalibrasi": 108, "npk_terkalibrasi": 96, "nko": 102, "tier": 2, "koreksi": -5}
    out = kmk.evaluate(record, trace=False).outputs
    assert (out["nilai_kinerja_pegawai"], out["nhk_akhir"], out["npk_akhir"], out["predikat"]) == (
        D("100.2"), D("102.7"), D("92.1"), "Baik")  # fmt: skip


def _two(rng: random.Random, low: int, high: int, places: int = 2) -> D:
    return D(rng.randint(low * 10**places, high * 10**places)).scaleb(-places)


def _kmk_record(rng: random.Random) -> dict:
    record: dict = {"nko": _two(rng, 60, 120), "tier": rng.choice([1, 2])}
    if rng.random() < 0.2:
        record["nhk_terkalibrasi"] = _two(rng, 60, 115, 4)
    else:
        record["nhk"] = rng.choice([_two(rng, 60, 120, 4), D(100), D(120), D("100.0001")])
    if rng.random() < 0.2:
        record["npk_terkalibrasi"] = _two(rng, 60, 115, 4)
    else:
        record["npk"] = rng.choice([_two(rng, 60, 120, 4), D(100), D(90)])
    for name, chance in (("jpt_madya", 0.1), ("pemilik_peta_strategi", 0.1), ("tugas_belajar_gagal", 0.05)):
        record[name] = rng.random() < chance
    if record["pemilik_peta_strategi"] or rng.random() < 0.3:
        record["k3_kualitas"] = rng.choice([D("0.6"), D("0.8"), D("0.9"), D(1), D("1.1"), D("1.15"), D("1.2")])
        record["k3_target"] = rng.choice([D("0.8"), D("0.9"), D(1), D("1.1"), D("1.2")])
    if rng.random() < 0.5:
        record["koreksi"] = _two(rng, -5, 5)
    if rng.random() < 0.3:
        record["pengurangan_disiplin"] = rng.choice([_two(rng, 0, 40, 4), D(0)])
    if rng.random() < 0.2:
        record["nilai_dampak"] = _two(rng, 0, 5, 4)
    return record


def test_kmk_127_v2_agrees_with_the_hand_computation_on_generated_records(kmk: kinerja.Ruleset) -> None:
    rng = random.Random(1272026)
    for _ in range(3000):
        record = _kmk_record(rng)
        expected = {k: (ABSENT if v is None else v) for k, v in h.kmk_127_v2(record).items()}
        assert kmk.evaluate(record, trace=False).outputs == expected, record


# ---------------------------------------------------------------- kmk-127-2026@2.0.0 from officers' records


def _iki(rng: random.Random) -> dict:
    polarisasi = rng.choice(["maksimal", "maksimal", "minimal", "stabil"])
    quarters = []
    for ke in rng.sample([1, 2, 3, 4], rng.randint(1, 4)):
        quarter: dict = {"ke": ke}
        if rng.random() < 0.9:
            quarter["target"] = D(rng.randint(1, 200))
        if rng.random() < 0.93:
            quarter["realisasi"] = D(rng.randint(0, 240))
        quarters.append(quarter)
    iki: dict = {"polarisasi": polarisasi, "konsolidasi": rng.choice(["jumlah", "nilai terakhir", "rata-rata"]),
                 "triwulan": quarters, "konversi_120": rng.random() < 0.15,
                 "validitas": rng.choice(["exact", "proxy", "activity"]), "keterkendalian": rng.choice(["rendah", "sedang", "tinggi"]),
                 "sifat_target": rng.choice(["biasa", "biasa", "wajib", "ditetapkan"])}  # fmt: skip
    if rng.random() < 0.6:
        iki["realisasi_tahun_lalu"] = D(rng.randint(1, 200))
        if rng.random() < 0.8:
            iki["target_tahun_lalu"] = D(rng.randint(1, 200))
    if polarisasi == "stabil" and rng.random() < 0.3:
        iki["titik_konversi"] = [{"x": 0, "y": 0}, {"x": 80, "y": 90}, {"x": 100, "y": 120}]
    if rng.random() < 0.3:
        iki["hari_aktif"] = rng.randint(1, 360)
    return iki


def test_kmk_127_v2_from_records_agrees_with_the_hand_computation(kmk: kinerja.Ruleset) -> None:
    """NHK Awal from generated IKI lists, NPK Awal from periods, nilai hukdis from sanctions: the ruleset and
    the hand computation (written from the domain brief, apart from the ruleset) agree to 25 places."""
    rng = random.Random(6020127)
    compared = 0
    for _ in range(400):
        iki = [_iki(rng) for _ in range(rng.randint(1, 6))]
        periods = [[D(rng.randint(6000, 12000)).scaleb(-2) for _ in range(7)] for _ in range(rng.randint(1, 4))]
        names = ("berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif")
        sanctions = [{"kategori": rng.choice(["ringan", "sedang", "berat"]), "skor": D(rng.randint(0, 100)),
                      "tahun_mulai": rng.choice([2025, 2026]), "triwulan_mulai": rng.randint(1, 4)}
                     for _ in range(rng.randint(0, 3))]  # fmt: skip
        record = {"iki": iki, "hari_periode": 360, "perilaku": [dict(zip(names, p, strict=True)) for p in periods],
                  "hukuman_disiplin": sanctions, "tahun_penilaian": 2026, "triwulan_penilaian": rng.randint(1, 4),
                  "nko": D(100), "tier": 1}  # fmt: skip
        try:
            expected_nhk = h.nhk_from_records(iki, 360)
        except (ZeroDivisionError, ArithmeticError, ValueError):
            continue  # no computable IKI, a target 0 of a maximised IKI, Ca outside the points: the ruleset fails too
        values = kmk.evaluate(record, trace=False).values
        # both compute with 40 significant digits; a quotient that does not end (active days / 360, a mean of
        # thirds) is rounded at the 40th digit, in a different order of operations on each side
        assert abs(values["nhk_awal"] - expected_nhk) < D("1e-25"), record
        assert abs(values["npk_awal"] - h.npk_awal(periods)) < D("1e-25"), record
        assert values["nilai_hukuman_disiplin"] == h.hukdis_from_records(sanctions, 2026, record["triwulan_penilaian"]), record
        compared += 1
    assert compared > 250


def _expects(example: kinerja.ExampleOutcome, ruleset: kinerja.Ruleset) -> dict[str, D]:
    decl = next(e for e in ruleset.module.declarations if getattr(e, "title", None) == example.title)
    return {b.name: b.value.value for b in decl.expect}


def test_the_decree_worked_examples_from_records_are_inside_the_ruleset(kmk: kinerja.Ruleset) -> None:
    """Domain §6.2 items 4–6 and 9, given as officers' records (IKI, BerAKHLAK scores), are examples of
    kmk-127-2026@2.0.0 and pass; so are 8/2021's 100% → 109 and 98% → 88 in permenpanrb-8-2021."""
    outcomes = {o.title: o for o in kmk.run_examples()}
    from_records = [o for o in outcomes.values() if "dari catatan pegawai" in o.title]
    figures = [_expects(o, kmk) for o in from_records]
    assert any(f.get("nhk_awal_dibulatkan") == D("105.17") and f.get("npk_awal_dibulatkan") == D("100.71")
               and f.get("nkp_awal_dibulatkan") == D("103.04") and f.get("iki[1].nilai") == 84 for f in figures)  # fmt: skip
    assert any(f.get("nilai_kinerja_pegawai") == D("100.2") and f.get("nhk_akhir") == D("102.7")
               and f.get("npk_akhir") == D("92.1") for f in figures)  # fmt: skip
    assert all(o.passed for o in from_records) and len(from_records) >= 2
    skp = kinerja.load("permenpanrb-8-2021")
    worked = {o.title: (o, _expects(o, skp)) for o in skp.run_examples() if o.title.startswith("Contoh peraturan")}
    assert sorted(f["target_skp[1].nilai"] for _, f in worked.values()) == [88, 109]
    assert all(o.passed for o, _ in worked.values())
