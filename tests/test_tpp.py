"""tpp-daerah: the regional allowance from attendance (domain §6.4), against a hand computation."""

from __future__ import annotations

import random
from decimal import Decimal as D

import by_hand as h
import kinerja
import pytest

COUNTS = ("tl1", "tl2", "tl3", "tl4", "psw1", "psw2", "psw3", "psw4", "tanpa_keterangan", "tidak_apel_harian")


@pytest.fixture(scope="module")
def tpp() -> kinerja.Ruleset:
    return kinerja.load("tpp-daerah")


def _record(rng: random.Random) -> dict:
    record: dict = {
        "tpp_dasar": rng.choice([0, 1, 999, 3333333, rng.randint(0, 500_000_000)]),
        "capaian_kinerja": D(rng.randint(0, 10_000)).scaleb(-2),
        "golongan": rng.choice(["I", "II", "III", "IV"]),
        "tidak_apel_senin": rng.choice([0, 0, 1, rng.randint(0, 5)]),
    }
    for name in COUNTS:
        record[name] = rng.choice([0, 0, 0, 1, 2, rng.randint(0, 31)])
    return record


def test_agrees_with_the_hand_computation_on_generated_records(tpp: kinerja.Ruleset) -> None:
    rng = random.Random(64)
    eligible = 0
    for _ in range(3000):
        record = _record(rng)
        expected = h.tpp_daerah(record)
        out = tpp.evaluate(record, trace=False).outputs
        assert out == expected, record
        assert isinstance(out["tpp_diterima"], D) and out["tpp_diterima"] == out["tpp_diterima"].to_integral_value()
        eligible += bool(out["memenuhi_syarat"])
    assert 0 < eligible < 3000  # both sides of the eligibility rule were reached


@pytest.mark.parametrize(("absent", "harian", "senin", "eligible"), [
    (3, 0, 0, True), (4, 0, 0, False), (0, 20, 0, True), (0, 19, 1, False), (0, 16, 1, True), (3, 20, 0, True),
])  # fmt: skip
def test_eligibility_edges(tpp: kinerja.Ruleset, absent: int, harian: int, senin: int, eligible: bool) -> None:
    record = {"tpp_dasar": 1_000_000, "capaian_kinerja": 100, "golongan": "III",
              "tanpa_keterangan": absent, "tidak_apel_harian": harian, "tidak_apel_senin": senin}  # fmt: skip
    out = tpp.evaluate(record, trace=False).outputs
    assert out["memenuhi_syarat"] is eligible
    assert (out["tpp_diterima"] > 0) is eligible
