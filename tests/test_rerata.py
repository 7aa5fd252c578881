"""permenpanrb-6-2022-rerata: behaviour rated by the mean of the BerAKHLAK scores (domain §6.3).

Every one of the 3^7 = 2,187 complete combinations of the seven core values is evaluated
under the base ruleset (majority of 4 of 7) and the variant (mean ≥ 2.51 / ≥ 1.5), each
against a computation written apart from the engine; the diff names the one rule that
differs, and impact shows who moves.
"""

from __future__ import annotations

import itertools
from collections import Counter

import by_hand as h
import kinerja
import pytest
from click.testing import CliRunner
from kinerja.audit.diff import diff
from kinerja.audit.impact import impact
from kinerja.cli.main import main

VALUES = ("berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif")
COMBINATIONS = list(itertools.product(h.RATINGS, repeat=7))


def _record(combination: tuple[str, ...], hasil: str = h.SESUAI) -> dict[str, str]:
    return {"rating_hasil_kerja": hasil, **{f"perilaku_{v}": r for v, r in zip(VALUES, combination, strict=True)}}


@pytest.fixture(scope="module")
def pair() -> tuple[kinerja.Ruleset, kinerja.Ruleset]:
    return kinerja.load("permenpanrb-6-2022"), kinerja.load("permenpanrb-6-2022-rerata")


def test_every_complete_combination_against_an_independent_computation(pair: tuple[kinerja.Ruleset, kinerja.Ruleset]) -> None:
    base, variant = pair
    assert len(COMBINATIONS) == 2187
    differ = Counter()
    for combination in COMBINATIONS:
        record = _record(combination)
        majority = base.evaluate(record, trace=False).outputs["rating_perilaku_efektif"]
        mean = variant.evaluate(record, trace=False).outputs["rating_perilaku_efektif"]
        assert majority == h.perilaku_mayoritas(combination), combination
        assert mean == h.perilaku_rerata(combination), combination
        if majority != mean:
            differ[(majority, mean)] += 1
    # domain §6.3: 532 of the 2,187 combinations are rated differently
    assert sum(differ.values()) == 532
    # e.g. 4 Di Atas + 3 Di Bawah: majority Di Atas, mean 15/7 = 2.14 Sesuai
    assert h.perilaku_mayoritas((h.ATAS,) * 4 + (h.BAWAH,) * 3) == h.ATAS
    assert h.perilaku_rerata((h.ATAS,) * 4 + (h.BAWAH,) * 3) == h.SESUAI


def test_diff_shows_the_one_rule_that_differs(pair: tuple[kinerja.Ruleset, kinerja.Ruleset]) -> None:
    report = diff(*pair)
    rules = {c.subject.split(" ")[0] for c in report.changes if c.kind in ("row_changed", "region_changed")}
    assert rules == {"rating_perilaku_efektif"}, rules
    rows = [c.text("en") for c in report.changes if c.kind == "row_changed"]
    assert len(rows) == 2
    assert any("rerata_berakhlak >= 2.51" in r for r in rows) and any("rerata_berakhlak < 1.5" in r for r in rows)
    added = {(c.kind, c.subject) for c in report.changes if c.kind.endswith("_added") and not c.kind.startswith("note")}
    assert added == {("declaration_added", "rerata_berakhlak"), ("output_added", "rerata_berakhlak")}
    # nothing else that decides a predikat changes: no quadrant cell, weight or exception
    assert not {c.kind for c in report.changes} & {"cell_changed", "weight_changed", "exception_result_changed"}
    runner = CliRunner()
    result = runner.invoke(main, ["--lang", "en", "diff", "permenpanrb-6-2022", "permenpanrb-6-2022-rerata"])
    assert result.exit_code == 0 and "rerata_berakhlak >= 2.51" in result.output


def test_impact_over_all_complete_combinations_shows_who_moves(pair: tuple[kinerja.Ruleset, kinerja.Ruleset]) -> None:
    rows = [{"nip": f"{i}-{j}", **_record(c, hasil)} for j, hasil in enumerate(h.RATINGS) for i, c in enumerate(COMBINATIONS)]
    report = impact(*pair, rows, id_column="nip", lang="en")
    assert report.rows == 3 * 2187 and report.output == "predikat" and not report.invalid
    expected: Counter[tuple[str, str]] = Counter()
    for row in rows:
        combination = tuple(row[f"perilaku_{v}"] for v in VALUES)
        hasil = row["rating_hasil_kerja"]
        expected[(h.QUADRANT[(hasil, h.perilaku_mayoritas(combination))], h.QUADRANT[(hasil, h.perilaku_rerata(combination))])] += 1
    assert dict(report.transitions) == dict(expected)
    # a row changes where the behaviour rating does (outputs both versions have): 532 combinations × 3
    assert report.changed == 3 * 532
    moved = sum(n for (a, b), n in expected.items() if a != b)
    assert moved > 0 and expected[("Sangat Baik", "Baik")] > 0 and expected[("Kurang/Misconduct", "Baik")] > 0
