"""The arithmetic of domain §6, computed by hand: plain Python and `Decimal`, no kinerja.

The tests compare the engine's rulesets with these functions, so a ruleset and its
oracle are written independently (same sources, different code). Every function
follows the domain brief's wording; where the brief leaves a choice, the choice is
the one the ruleset's `note` states, and the comment here says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext

D = Decimal
HUNDREDTH = D("0.01")

# the quadrant of PermenPANRB 6/2022 (domain §2): (hasil kerja, perilaku kerja) -> predikat
BAWAH, SESUAI, ATAS = "Di Bawah Ekspektasi", "Sesuai Ekspektasi", "Di Atas Ekspektasi"
RATINGS = (BAWAH, SESUAI, ATAS)
QUADRANT = {
    (ATAS, BAWAH): "Kurang/Misconduct", (ATAS, SESUAI): "Baik", (ATAS, ATAS): "Sangat Baik",
    (SESUAI, BAWAH): "Kurang/Misconduct", (SESUAI, SESUAI): "Baik", (SESUAI, ATAS): "Baik",
    (BAWAH, BAWAH): "Sangat Kurang", (BAWAH, SESUAI): "Butuh Perbaikan", (BAWAH, ATAS): "Butuh Perbaikan",
}  # fmt: skip


def round2(x: Decimal) -> Decimal:
    return x.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def clamp(x: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, x))


# ---------------------------------------------------------------- KMK 127/2026 (domain §6.2)
def nhk_awal(iki: Sequence[tuple[Decimal, Decimal]], active: Sequence[Decimal] | None = None) -> Decimal:
    """Item 4: per IKI nilai = min(120, capaian × K3); weight = K3 × active share, normalised."""
    shares = active or [D(1)] * len(iki)
    weights = [k3 * share for (_, k3), share in zip(iki, shares, strict=True)]
    with localcontext() as ctx:
        ctx.prec = 40
        total = sum(w * min(D(120), c * k3) for w, (c, k3) in zip(weights, iki, strict=True))
        return min(D(120), total / sum(weights))


def iki_weights(k3: Sequence[Decimal]) -> list[Decimal]:
    """Tabel 35: each IKI's weight in percent, two places."""
    return [round2(k / sum(k3) * 100) for k in k3]


def npk_awal(periods: Sequence[Sequence[Decimal]]) -> Decimal:
    """Item 5: the mean of the seven core values per period, then the mean of the periods."""
    with localcontext() as ctx:
        ctx.prec = 40
        return min(D(120), sum(sum(p) / len(p) for p in periods) / len(periods))


def kalibrasi(x: Decimal, jpt_madya: bool = False) -> Decimal:
    """Item 6: (100, 120] onto (100, 115], linearly; JPT Madya and values up to 100 unchanged."""
    if jpt_madya or x <= 100:
        return x
    return 100 + (min(x, D(120)) - 100) * 15 / 20


def bobot_nko(hasil: Decimal, nko: Decimal, tier: int | None, pemilik: bool) -> Decimal:
    """Item 8, Tabel 46–47: by tier when the value is at least NKO, else 10%. A strategy-map owner
    is not blended (the ruleset's choice: their NHK already is the unit's NKO K3)."""
    if pemilik:
        return D(0)
    if hasil >= nko:
        assert tier in (1, 2)
        return D("0.5") if tier == 1 else D("0.3")
    return D("0.1")


def rating(x: Decimal) -> str:
    """> 100 Di Atas, 90–100 Sesuai, < 90 Di Bawah."""
    return ATAS if x > 100 else SESUAI if x >= 90 else BAWAH


def kmk_127_v2(record: dict) -> dict:
    """kmk-127-2026@2.0.0 on consolidated inputs: every output the ruleset declares (None for absent)."""
    get = record.get
    nko, pemilik, jpt = D(get("nko")), bool(get("pemilik_peta_strategi", False)), bool(get("jpt_madya", False))
    k3 = None
    if get("k3_kualitas") is not None and get("k3_target") is not None:
        k3 = (D(get("k3_kualitas")) + D(get("k3_target"))) / 2
    nko_k3 = round2(min(D(120), nko * k3)) if k3 is not None else None
    if get("nhk_terkalibrasi") is not None:
        awal_h, nhk = None, D(get("nhk_terkalibrasi"))
    else:
        awal_h = nko_k3 if pemilik else D(get("nhk"))
        assert awal_h is not None
        nhk = kalibrasi(awal_h, jpt)
    if get("npk_terkalibrasi") is not None:
        awal_p, npk = None, D(get("npk_terkalibrasi"))
    else:
        awal_p = D(get("npk"))
        npk = kalibrasi(awal_p, jpt)
    with localcontext() as ctx:
        ctx.prec = 40
        nkp_awal = D("0.75") * nhk + D("0.25") * npk
        adjust = D(get("koreksi", 0)) - D(get("pengurangan_disiplin", 0)) - D(get("nilai_dampak", 0))
        tier = None if get("tier") is None else int(get("tier"))
        final = {}
        for name, value in (("nkp", nkp_awal), ("nhk", nhk), ("npk", npk)):
            hasil = clamp(value + adjust, D(0), D(120))
            w = bobot_nko(hasil, nko, tier, pemilik)
            final[name] = round2(clamp((1 - w) * hasil + w * nko, D(0), D(120)))
    hasil_kerja, perilaku = rating(final["nhk"]), rating(final["npk"])
    predikat = QUADRANT[(hasil_kerja, perilaku)]
    if get("tugas_belajar_gagal", False):
        predikat = "Sangat Kurang" if perilaku == BAWAH else "Kurang/Misconduct"
    nko_band = ("Sangat Baik" if nko >= 110 else "Baik" if nko >= 100 else "Cukup" if nko >= 90
                else "Kurang" if nko >= 80 else "Buruk")  # fmt: skip
    return {
        "predikat": predikat, "rating_hasil_kerja": hasil_kerja, "rating_perilaku_kerja": perilaku,
        "nilai_kinerja_pegawai": final["nkp"], "nhk_akhir": final["nhk"], "npk_akhir": final["npk"],
        "nilai_hasil_kerja": final["nhk"],
        "nhk_awal_dibulatkan": None if awal_h is None else round2(awal_h),
        "npk_awal_dibulatkan": None if awal_p is None else round2(awal_p),
        "nhk_kalibrasi_dibulatkan": round2(nhk), "npk_kalibrasi_dibulatkan": round2(npk),
        "nilai_hukuman_disiplin": D(get("pengurangan_disiplin", 0)), "dampak_berlaku": D(get("nilai_dampak", 0)),
        "nkp_awal_dibulatkan": round2(nkp_awal), "k3": k3, "nko_k3": nko_k3, "predikat_organisasi": nko_band,
    }  # fmt: skip


# ---------------------------------------------------------------- PermenPANRB 8/2021 (domain §6.1)
def capaian_8_2021(target: Decimal, realisasi: Decimal, lower_is_better: bool = False) -> Decimal:
    """Per target: R/T × 100, or (1 + (1 − R/T)) × 100 when lower is better; capped at 120."""
    ratio = realisasi / target
    return min(D(120), (2 - ratio if lower_is_better else ratio) * 100)


def konversi_8_2021(c: Decimal) -> Decimal | None:
    """The conversion as public code implements it; None in the four gaps it leaves open."""
    if 0 <= c <= 59:
        return c * 49 / 59
    if 60 <= c <= 79:
        return 50 + (c - 60)
    if 80 <= c <= 99:
        return 70 + (c - 80)
    if c == 100:
        return D(109)
    if 101 <= c <= 110:
        return 110 + D(10) / 9 * (c - 101)
    if c > 110:
        return D(120)
    return None


# ---------------------------------------------------------------- behaviour by BerAKHLAK (domain §6.3)
def perilaku_mayoritas(values: Sequence[str]) -> str:
    """permenpanrb-6-2022: 4 of 7 Di Atas → Di Atas; 4 of 7 Di Bawah → Di Bawah; else Sesuai."""
    if sum(v == ATAS for v in values) >= 4:
        return ATAS
    if sum(v == BAWAH for v in values) >= 4:
        return BAWAH
    return SESUAI


def perilaku_rerata(values: Sequence[str]) -> str:
    """The mean of the 1–3 scores, two places: ≥ 2.51 Di Atas, ≥ 1.5 Sesuai, else Di Bawah."""
    mean = round2(D(sum(RATINGS.index(v) + 1 for v in values)) / len(values))
    return ATAS if mean >= D("2.51") else SESUAI if mean >= D("1.5") else BAWAH


# ---------------------------------------------------------------- regional TPP (domain §6.4)
def tpp_daerah(record: dict) -> dict:
    """tpp-daerah: the allowance from attendance counts, by the domain brief and the ruleset's notes."""
    count = {k: int(record.get(k, 0)) for k in (
        "tl1", "tl2", "tl3", "tl4", "psw1", "psw2", "psw3", "psw4", "tanpa_keterangan", "tidak_apel_harian", "tidak_apel_senin")}  # fmt: skip
    per_band = {"1": D("0.5"), "2": D("1"), "3": D("1.25"), "4": D("1.5")}
    late = sum(per_band[k[-1]] * count[k] for k in ("tl1", "tl2", "tl3", "tl4", "psw1", "psw2", "psw3", "psw4"))
    absent = 3 * count["tanpa_keterangan"]
    apel = 2 * count["tidak_apel_harian"] + D("2.25") * count["tidak_apel_senin"]
    kehadiran = max(D(0), 100 - late - absent - apel)  # percent
    eligible = count["tanpa_keterangan"] <= 3 and apel <= 40
    dasar = D(record["tpp_dasar"])
    kinerja = min(D(100), D(record["capaian_kinerja"]))
    bagian_kinerja = (dasar * D("0.6") * kinerja / 100).to_integral_value(rounding=ROUND_FLOOR)
    bagian_kehadiran = (dasar * D("0.4") * kehadiran / 100).to_integral_value(rounding=ROUND_FLOOR)
    bruto = bagian_kinerja + bagian_kehadiran if eligible else D(0)
    pajak = {"I": D(0), "II": D(0), "III": D("0.05"), "IV": D("0.15")}[record["golongan"]]

    def cut(rate: Decimal) -> Decimal:
        return (bruto * rate).to_integral_value(rounding=ROUND_HALF_UP)

    bpjs, iuran, pph = cut(D("0.01")), cut(D("0.04")), cut(pajak)
    return {
        "persentase_kehadiran": kehadiran, "memenuhi_syarat": eligible, "tpp_kinerja": bagian_kinerja,
        "tpp_kehadiran": bagian_kehadiran, "tpp_bruto": bruto, "potongan_bpjs": bpjs, "potongan_iuran": iuran,
        "potongan_pph": pph, "tpp_diterima": bruto - bpjs - iuran - pph,
    }  # fmt: skip



# ---------------------------------------------------------------- KMK 127/2026 from records (domain §6.2 items 1–5, 7)
BOBOT_KUALITAS = {  # Tabel 14; exact/tinggi and activity/rendah: the ruleset's choice, the row's nearest defined cell
    ("exact", "rendah"): D("1.2"), ("exact", "sedang"): D("1.15"), ("exact", "tinggi"): D("1.15"),
    ("proxy", "rendah"): D("1.1"), ("proxy", "sedang"): D("1.0"), ("proxy", "tinggi"): D("0.9"),
    ("activity", "rendah"): D("0.8"), ("activity", "sedang"): D("0.8"), ("activity", "tinggi"): D("0.6"),
}  # fmt: skip


def konsolidasi(iki: dict) -> tuple[Decimal | None, Decimal | None]:
    """Tabel 4: (annual target, annual realisation) over the quarters that have a target; realisation None
    when a targeted quarter has none (not computable)."""
    quarters = [q for q in iki["triwulan"] if q.get("target") is not None]
    if not quarters:
        return None, None
    how = iki["konsolidasi"]
    with localcontext() as ctx:
        ctx.prec = 40
        if how == "nilai terakhir":
            last = max(enumerate(quarters), key=lambda iq: (iq[1]["ke"], iq[0]))[1]
            target, realisasi = D(last["target"]), last.get("realisasi")
            return target, None if any(q.get("realisasi") is None for q in quarters) else D(realisasi)
        targets = [D(q["target"]) for q in quarters]
        if any(q.get("realisasi") is None for q in quarters):
            return (sum(targets) if how == "jumlah" else sum(targets) / len(targets)), None
        reals = [D(q["realisasi"]) for q in quarters]
        if how == "jumlah":
            return sum(targets), sum(reals)
        return sum(targets) / len(targets), sum(reals) / len(reals)


def capaian_iki(iki: dict, t: Decimal, r: Decimal) -> Decimal:
    """Item 1: by polarisation, clamped to [0, 120]; konversi 120 when met."""
    with localcontext() as ctx:
        ctx.prec = 40
        pol = iki["polarisasi"]
        if pol == "maksimal":
            raw = (1 + (1 - r / t)) * 100 if t < 0 else r / t * 100
        elif pol == "minimal":
            raw = (D(iki["terburuk"]) - r) / D(iki["terburuk"]) * 100 if t == 0 else (1 + (1 - r / t)) * 100
        else:
            ca = clamp(r / t * 100 if r <= t else 200 - r / t * 100, D(0), D(100))
            points = iki.get("titik_konversi") or [{"x": 0, "y": 0}, {"x": 90, "y": 100}, {"x": 100, "y": 120}]
            ordered = sorted((D(p["x"]), D(p["y"])) for p in points)
            (x0, y0) = max(p for p in ordered if p[0] <= ca)
            (x1, y1) = min(p for p in ordered if p[0] >= ca)
            raw = y0 if x1 == x0 else y0 + (y1 - y0) * (ca - x0) / (x1 - x0)
        if iki["konversi_120"] and raw >= 100:
            raw = D(120)
        return clamp(raw, D(0), D(120))


def bobot_target(iki: dict, t: Decimal) -> Decimal:
    """Tabel 15, minimize mirrored by negating; the ruleset's choices: stabilize first, then a fixed target,
    then no history (no R1), then a mandatory IKI at least 1.0; T = T1 with R1 = T1 gives 1.0."""
    if iki["polarisasi"] == "stabil":
        return D("1.0")
    if iki["sifat_target"] == "ditetapkan":
        return D("1.2")
    if iki.get("realisasi_tahun_lalu") is None:
        return D("1.0")
    sign = -1 if iki["polarisasi"] == "minimal" else 1
    r1 = D(iki["realisasi_tahun_lalu"])
    t1 = D(iki["target_tahun_lalu"]) if iki.get("target_tahun_lalu") is not None else r1
    if sign * t < sign * t1:
        found = D("0.8")
    elif t == t1:
        found = D("0.9") if sign * r1 > sign * t1 else D("1.0")
    elif t == r1:
        found = D("1.1")
    else:
        found = D("1.2") if sign * t > sign * r1 else D("1.0")
    return max(D(1), found) if iki["sifat_target"] == "wajib" else found


def nhk_from_records(iki_list: Sequence[dict], hari_periode: int | None = None) -> Decimal:
    """Items 1–4 from the IKI records: NHK Awal (exact)."""
    pairs, shares = [], []
    for iki in iki_list:
        t, r = konsolidasi(iki)
        if t is None or r is None:
            continue  # not computable: left out of the weights
        k3 = (BOBOT_KUALITAS[(iki["validitas"], iki["keterkendalian"])] + bobot_target(iki, t)) / 2
        pairs.append((capaian_iki(iki, t, r), k3))
        shares.append(D(iki["hari_aktif"]) / D(hari_periode) if iki.get("hari_aktif") is not None else D(1))
    with localcontext() as ctx:
        ctx.prec = 40
        weights = [k3 * share for (_, k3), share in zip(pairs, shares, strict=True)]
        total = sum(w * min(D(120), c * k3) for w, (c, k3) in zip(weights, pairs, strict=True))
        return min(D(120), total / sum(weights))


def hukdis_from_records(sanctions: Sequence[dict], tahun: int, triwulan: int) -> Decimal:
    """Item 7: the sanctions counted in the appraised quarter; the heaviest category, then the highest score."""
    percent = {"ringan": D("0.1"), "sedang": D("0.25"), "berat": D("0.4")}
    length = {"ringan": 2, "sedang": 3, "berat": 4}
    rank = {"ringan": 1, "sedang": 2, "berat": 3}
    now = tahun * 4 + triwulan - 1
    counted = [h for h in sanctions if 0 <= now - (h["tahun_mulai"] * 4 + h["triwulan_mulai"] - 1) < length[h["kategori"]]]
    if not counted:
        return D(0)
    worst = max(counted, key=lambda h: (rank[h["kategori"]], D(h["skor"])))
    return percent[worst["kategori"]] * D(worst["skor"])
