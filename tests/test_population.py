"""Distribution-curve conformance per unit (PermenPANRB 6/2022), through the batch runner."""

from __future__ import annotations

import csv
from collections import Counter
from decimal import Decimal
from pathlib import Path

import kinerja
import pytest
from kinerja.audit.population import check_rule
from kinerja.io.batch import batch
from kinerja.syntax import tree as s

RATINGS = {
    "Sangat Baik": ("Di Atas Ekspektasi", "Di Atas Ekspektasi"),
    "Baik": ("Sesuai Ekspektasi", "Sesuai Ekspektasi"),
    "Butuh Perbaikan": ("Di Bawah Ekspektasi", "Sesuai Ekspektasi"),
    "Kurang/Misconduct": ("Sesuai Ekspektasi", "Di Bawah Ekspektasi"),
    "Sangat Kurang": ("Di Bawah Ekspektasi", "Di Bawah Ekspektasi"),
}
FIELDS = ["nip", "unit", "predikat_organisasi", "rating_hasil_kerja", "rating_perilaku_kerja"]


def write_units(path: Path, units: dict[str, tuple[str, dict[str, int]]], bad: dict[str, int] | None = None) -> None:
    """One row per employee: each unit's class and how many employees should get each predikat."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(FIELDS)
        number = 0
        for unit, (klass, wanted) in units.items():
            for predikat, count in wanted.items():
                for _ in range(count):
                    number += 1
                    writer.writerow([f"p{number}", unit, klass, *RATINGS[predikat]])
            for _ in range((bad or {}).get(unit, 0)):
                number += 1
                writer.writerow([f"p{number}", unit, klass, "Luar Biasa", "Sesuai Ekspektasi"])


@pytest.fixture(scope="module")
def ruleset() -> kinerja.Ruleset:
    return kinerja.load("permenpanrb-6-2022")


def test_flags_violating_unit_and_passes_conforming_one(tmp_path: Path, ruleset: kinerja.Ruleset) -> None:
    source = tmp_path / "pegawai.csv"
    write_units(source, {
        "U-ISTIMEWA-BAD": ("Istimewa", {"Sangat Baik": 8, "Baik": 2}),
        "U-ISTIMEWA-OK": ("Istimewa", {"Sangat Baik": 6, "Baik": 4}),
        "U-BAIK-BAD": ("Baik", {"Baik": 8, "Sangat Baik": 2}),
        "U-BAIK-OK": ("Baik", {"Baik": 6, "Sangat Baik": 3, "Butuh Perbaikan": 1}),
    }, bad={"U-ISTIMEWA-OK": 2})  # fmt: skip
    report = batch(ruleset, source, tmp_path / "hasil.csv", id_column="nip", group_by="unit", lang="en")
    assert report.rows == 10 * 4 + 2 and report.errors == 2
    assert report.groups is not None
    (curve,) = report.groups.distributions
    groups = {g.group: g for g in curve.groups}
    assert [g.status for g in curve.groups] == ["violates", "conforms", "violates", "conforms"]

    bad = groups["U-ISTIMEWA-BAD"]
    assert bad.klass == "Istimewa" and bad.total == 10
    share = next(c for c in bad.checks if c.kind == "bound")
    assert (share.count, share.total, share.conforms, share.missed_by, share.direction) == (8, 10, False, 1, "too_many")
    assert share.render("en") == "Sangat Baik: 8 of 10 = 80% > 70%: 1 employee too many"
    assert share.citations == ("PermenPANRB 6/2022 Lampiran",)
    assert all(c.conforms for c in bad.checks if c.kind == "most")

    baik = groups["U-BAIK-BAD"]
    by_kind = {c.kind: c for c in baik.checks}
    assert by_kind["bound"].missed_by == 1 and by_kind["bound"].count == 8
    assert (by_kind["count"].count, by_kind["count"].missed_by) == (0, 1)
    assert "1 employee short" in by_kind["count"].render("en")

    ok = groups["U-ISTIMEWA-OK"]
    assert ok.total == 10 and ok.invalid == 2  # invalid rows listed, not counted in the shares
    assert ok.invalid_ids == ("p21", "p22")
    assert all(c.conforms and c.missed_by == 0 for c in ok.checks)
    text = report.render("en")
    assert "U-ISTIMEWA-BAD [Istimewa]: 10 valid employees — DOES NOT CONFORM" in text
    assert "invalid rows, not counted (2): p21, p22" in text
    assert "kelebihan 1 pegawai" in report.render("id")
    data = report.to_dict("en")["groups"]["distributions"][0]
    assert data["summary"] == {"groups": 4, "conforms": 2, "violates": 2, "not_assessed": 0}


def test_class_disagreement_and_missing_class_are_reported_not_assessed(tmp_path: Path, ruleset: kinerja.Ruleset) -> None:
    source = tmp_path / "pegawai.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(FIELDS)
        writer.writerow(["1", "A", "Istimewa", *RATINGS["Baik"]])
        writer.writerow(["2", "A", "Baik", *RATINGS["Baik"]])
        writer.writerow(["3", "B", "", *RATINGS["Baik"]])
    report = batch(ruleset, source, tmp_path / "hasil.jsonl", group_by="unit", lang="en")
    assert report.groups is not None
    groups = {g.group: g for g in report.groups.distributions[0].groups}
    assert groups["A"].status == "class_conflict" and groups["A"].classes == {"Istimewa": 1, "Baik": 1}
    assert groups["B"].status == "no_class" and not groups["B"].checks
    assert "disagree on predikat_organisasi" in report.render("en")


def test_lower_bounds_and_most_shortfall_are_exact(ruleset: kinerja.Ruleset) -> None:
    decl = ruleset.module.of_kind(s.DistributionDecl)[0]
    cases = {c.group_class: c for c in decl.cases}
    at_least_60 = cases["Butuh Perbaikan"].rules[1]  # share "Butuh Perbaikan" >= 60%
    found = check_rule(at_least_60, Counter({"Butuh Perbaikan": 5, "Baik": 4}), 9, ())
    assert (found.conforms, found.missed_by, found.direction) == (False, 1, "too_few")  # 60% of 9 = 5.4 -> 6 needed
    assert found.render("en") == "Butuh Perbaikan: 5 of 9 = 55.6% < 60%: 1 employee too few"
    assert check_rule(at_least_60, Counter({"Butuh Perbaikan": 6, "Baik": 4}), 10, ()).conforms
    most = cases["Istimewa"].rules[0]
    tie = check_rule(most, Counter({"Sangat Baik": 3, "Baik": 5}), 8, ())
    assert (tie.conforms, tie.missed_by, tie.other, tie.other_count) == (False, 3, "Baik", 5)
    zero = cases["Sangat Kurang"].rules[0]  # share "Sangat Baik" <= 0%
    assert check_rule(zero, Counter({"Sangat Baik": 2, "Sangat Kurang": 8}), 10, ()).missed_by == 2
    assert zero.amount == Decimal(0)


def test_population_never_changes_individual_predikat(tmp_path: Path, ruleset: kinerja.Ruleset) -> None:
    source = tmp_path / "pegawai.csv"
    write_units(source, {"U": ("Istimewa", {"Sangat Baik": 9, "Baik": 1})})
    batch(ruleset, source, tmp_path / "a.csv", group_by="unit")
    batch(ruleset, source, tmp_path / "b.csv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    with (tmp_path / "a.csv").open(newline="", encoding="utf-8") as handle:
        assert Counter(r["predikat"] for r in csv.DictReader(handle)) == {"Sangat Baik": 9, "Baik": 1}
