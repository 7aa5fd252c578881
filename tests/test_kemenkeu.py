"""The Kemenkeu succession: KMK 300/KMK.01/2022 and its successor KMK 127/2026.

An auditor's questions, asked of the two shipped rulesets: what changed in meaning (and
on which basis on each side), which version governs a given day, who moves where over a
workforce, and how the tugas-belajar exception is explained to the employee.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import kinerja
import pytest
from click.testing import CliRunner
from kinerja.audit.diff import diff
from kinerja.audit.explain import explain
from kinerja.audit.impact import INVALID, impact
from kinerja.cli.main import main

REPO = Path(__file__).resolve().parent.parent
OLD, NEW = "kmk-300-2022", "kmk-127-2026"
# The succession pair is KMK 300 and the first reading of KMK 127 (1.0.0). `kmk-127-2026` alone now
# means its revision 2.0.0 (`revises kmk-127-2026@1.0.0`, tests/test_revisions.py), which governs
# every day 1.0.0 did.
NEW_V1 = f"{NEW}@1.0.0"
IN_FORCE = {OLD: f"{OLD}@1.0.0", NEW: f"{NEW}@2.0.0"}
OLD_REG, NEW_REG = "KMK 300/KMK.01/2022", "KMK 127/2026"

# Every change in meaning from KMK 300 to KMK 127, as (kind, subject): the new regulation's
# header; the successor's own numbers replace assumptions borrowed from it (notes removed);
# calibration at 115 and discipline deductions enter the nilai kinerja pegawai.
EXPECTED_CHANGES = {
    ("header_changed", "header"),
    ("note_removed", "header"),
    ("note_added", "header"),
    ("input_added", "jpt_madya"),
    ("input_added", "pengurangan_disiplin"),
    ("note_removed", "nko"),
    ("note_added", "nko"),
    ("note_removed", "k3_kualitas"),
    ("note_removed", "k3_target"),
    ("note_removed", "k3"),
    ("declaration_added", "nkp_sebelum_kalibrasi"),
    ("declaration_added", "nkp_kalibrasi"),
    ("formula_changed", "nilai_kinerja_pegawai"),
    ("note_added", "nilai_kinerja_pegawai"),
    ("note_removed", "bobot_nkp"),
    ("note_removed", "predikat_organisasi"),
    ("note_removed", "rating_hasil_kerja"),
    ("note_removed", "rating_perilaku_kerja"),
}


@pytest.fixture(scope="module")
def pair() -> tuple[kinerja.Ruleset, kinerja.Ruleset]:
    return kinerja.load(OLD), kinerja.load(NEW_V1)


# ---------------------------------------------------------------- (a) the semantic diff


def test_diff_lists_every_change_in_meaning_and_nothing_else(pair: tuple[kinerja.Ruleset, kinerja.Ruleset]) -> None:
    old, new = pair
    report = diff(old, new)
    assert {(c.kind, c.subject) for c in report.changes} == EXPECTED_CHANGES
    headers = sorted(dict(c.details)["field"] for c in report.changes if c.kind == "header_changed")
    assert headers == ["effective_from", "effective_until", "source", "source_short", "supersedes"]
    # three header notes replaced one for one; no other change is repeated
    assert sum(1 for c in report.changes if (c.kind, c.subject) == ("note_removed", "header")) == 3
    assert sum(1 for c in report.changes if (c.kind, c.subject) == ("note_added", "header")) == 3
    assert len(report.changes) == len(EXPECTED_CHANGES) + 4 + 2 * 2
    # the rules that decide the predikat are the same: no row, cell, region or exception change
    assert not {c.kind for c in report.changes} & {"region_changed", "row_changed", "cell_changed", "exception_result_changed"}


def test_every_change_names_the_citation_on_both_sides(pair: tuple[kinerja.Ruleset, kinerja.Ruleset]) -> None:
    report = diff(*pair)
    for change in report.changes:
        assert change.old_citations, change.text("en")
        assert change.new_citations, change.text("en")
        assert all(c.startswith(OLD_REG) for c in change.old_citations), change.old_citations
        assert all(c.startswith(NEW_REG) for c in change.new_citations), change.new_citations
    formula = next(c for c in report.changes if c.kind == "formula_changed")
    assert formula.old_citations == (f"{OLD_REG} Lampiran, Evaluasi Kinerja Pegawai",)
    assert formula.new_citations == (f"{NEW_REG} Lampiran, Evaluasi Kinerja Pegawai",)
    assert "max(0, nkp_kalibrasi - pengurangan_disiplin)" in formula.text("en")
    added = next(c for c in report.changes if (c.kind, c.subject) == ("input_added", "jpt_madya"))
    # an added rule: the old side is the old regulation as a whole
    assert added.old_citations == (f"{OLD_REG} Lampiran, Evaluasi Kinerja",)


def test_diff_backwards_mirrors_forwards(pair: tuple[kinerja.Ruleset, kinerja.Ruleset]) -> None:
    old, new = pair
    back = {(c.kind, c.subject) for c in diff(new, old).changes}
    mirror = {"note_removed": "note_added", "note_added": "note_removed", "input_added": "input_removed",
              "declaration_added": "declaration_removed"}  # fmt: skip
    assert back == {(mirror.get(kind, kind), subject) for kind, subject in EXPECTED_CHANGES}
    assert diff(old, old).same_meaning and diff(new, new).same_meaning


# ---------------------------------------------------------------- (b) which version governs a day


def test_effective_periods_meet_without_overlap(pair: tuple[kinerja.Ruleset, kinerja.Ruleset]) -> None:
    old, new = (r.module.header for r in pair)
    assert new.supersedes == f"{OLD}@1.0.0"
    assert old.effective_until is not None and new.effective_from is not None
    assert old.effective_until + timedelta(days=1) == new.effective_from
    assert old.effective_from == date(2022, 7, 28)


@pytest.mark.parametrize("ref", [OLD, NEW])
def test_as_of_picks_the_version_in_force_along_the_succession(ref: str) -> None:
    start = kinerja.load(NEW).module.header.effective_from
    assert start is not None
    for day, expected in ((date(2022, 7, 28), OLD), (date(2024, 6, 30), OLD), (start - timedelta(days=1), OLD),
                          (start, NEW), (date(2030, 1, 1), NEW)):  # fmt: skip
        selection = kinerja.select(ref, as_of=day)
        assert selection.ref == IN_FORCE[expected], (ref, day)
        assert kinerja.load(ref, as_of=day).id == expected
        note = selection.note("en") or ""
        assert selection.ref in note and day.isoformat() in note
        if expected != ref:
            assert ref in note  # says why another id was chosen


def test_as_of_before_the_first_regulation_is_an_error() -> None:
    for ref in (OLD, NEW):
        with pytest.raises(kinerja.KinerjaError) as caught:
            kinerja.select(ref, as_of=date(2022, 7, 27))
        assert caught.value.diagnostics[0].code == "K803"


def test_without_as_of_an_id_names_itself() -> None:
    assert kinerja.select(OLD).ref == f"{OLD}@1.0.0"
    assert kinerja.select(NEW).ref == f"{NEW}@2.0.0"
    assert kinerja.select(NEW_V1).ref == NEW_V1


def test_cli_eval_as_of_uses_the_predecessor_for_an_earlier_year() -> None:
    runner = CliRunner()
    sample = str(REPO / "examples" / f"{OLD}.json")
    result = runner.invoke(main, ["--lang", "en", "eval", NEW, sample, "--as-of", "2024-12-31", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert f"{OLD}@1.0.0" in result.output


# ---------------------------------------------------------------- (c) impact over a workforce


def _two_places(rng: random.Random, low: int, high: int) -> str:
    """A decimal text with two places drawn from [low, high] hundredths (no binary floats)."""
    n = rng.randint(low, high)
    return f"{n // 100}.{n % 100:02d}"


def _workforce(count: int, seed: int) -> Iterator[dict[str, str]]:
    rng = random.Random(seed)
    for i in range(count):
        yield {
            "nip": f"19{i:016d}",
            "nhk": _two_places(rng, 6000, 12000),
            "npk": _two_places(rng, 7000, 12000),
            "nko": _two_places(rng, 7000, 12000),
            "k3_kualitas": rng.choice(["0.6", "0.8", "1", "1.2"]),
            "k3_target": rng.choice(["0.8", "1", "1.2"]),
            "pemilik_peta_strategi": "true" if rng.random() < 0.05 else "false",
            "tugas_belajar_gagal": "true" if rng.random() < 0.01 else "false",
            "jpt_madya": "true" if rng.random() < 0.01 else "false",
            # one row in fifty carries a deduction, one in five hundred an impossible one
            "pengurangan_disiplin": rng.choice(["0"] * 48 + ["2.5", "130"] if i % 10 == 0 else ["0"] * 49 + ["5"]),
        }


def _expected_nkp_change(row: dict[str, str]) -> bool:
    """Whether the successor's nilai kinerja pegawai differs, computed apart from the engine."""
    k3 = (Decimal(row["k3_kualitas"]) + Decimal(row["k3_target"])) / 2
    nko_k3 = min(Decimal(120), Decimal(row["nko"]) * k3).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    hasil = nko_k3 if row["pemilik_peta_strategi"] == "true" else Decimal(row["nhk"])
    nkp = Decimal("0.75") * hasil + Decimal("0.25") * Decimal(row["npk"])
    capped = nkp if row["jpt_madya"] == "true" else min(Decimal(115), nkp)
    return max(Decimal(0), capped - Decimal(row["pengurangan_disiplin"])) != nkp


def test_impact_over_ten_thousand_generated_rows(pair: tuple[kinerja.Ruleset, kinerja.Ruleset]) -> None:
    rows = list(_workforce(10_000, seed=300_127))
    report = impact(*pair, rows, id_column="nip", lang="en")
    assert report.rows == 10_000
    assert sum(report.transitions.values()) == report.rows
    assert sum(x["count"] for x in report.transition_list()) == report.rows
    impossible = [r for r in rows if r["pengurangan_disiplin"] == "130"]
    assert impossible, "the generator produces some rows the successor rejects"
    # the old version has no such input: those rows are valid there and invalid under the new one
    assert report.invalid_old == 0 and report.invalid_new == len(impossible)
    assert {r.id for r in report.invalid} == {r["nip"] for r in impossible}
    # the predikat rules are the same: every valid row keeps its predikat
    for (before, after), count in report.transitions.items():
        assert count > 0
        assert after == INVALID or before == after, (before, after)
    assert sum(n for (_, after), n in report.transitions.items() if after == INVALID) == len(impossible)
    # rows change only through calibration and discipline deductions
    valid = [r for r in rows if r["pengurangan_disiplin"] != "130"]
    assert report.changed == len(impossible) + sum(1 for r in valid if _expected_nkp_change(r))
    assert report.changed > len(impossible)
    assert report.output == "predikat"


# ---------------------------------------------------------------- (d) the tugas-belajar exception explained


@pytest.mark.parametrize("ref", [OLD, NEW_V1, NEW])
@pytest.mark.parametrize(("npk", "expected"), [("85", "Sangat Kurang"), ("95", "Kurang/Misconduct")])
def test_explain_names_the_tugas_belajar_exception_and_its_citation(ref: str, npk: str, expected: str) -> None:
    ruleset = kinerja.load(ref)
    record = {"nhk": "110", "npk": npk, "nko": "100", "k3_kualitas": "1", "k3_target": "1", "tugas_belajar_gagal": "true"}
    if ref == NEW:
        record["tier"] = "2"  # 2.0.0 blends NKO by tier: NPK akhir 86.5 or 95.5, the same ratings
    result = ruleset.evaluate(record, trace=True, text_values=True)
    assert result.outputs["predikat"] == expected
    regulation = OLD_REG if ref == OLD else NEW_REG
    for lang in ("en", "id"):
        text = explain(ruleset, result, lang)
        line = next(i for i, t in enumerate(text.splitlines()) if "gagal_tugas_belajar" in t)
        following = "\n".join(text.splitlines()[line : line + 4])
        assert f'"{expected}"' in following
        assert f"{regulation} Lampiran, Predikat Kinerja" in following
        assert "Kurang atau Sangat Kurang berdasarkan perilaku kerja" in following  # its assumption note


def test_exception_does_not_apply_when_study_is_completed() -> None:
    ruleset = kinerja.load(OLD)
    record = {"nhk": "110", "npk": "110", "nko": "100", "k3_kualitas": "1", "k3_target": "1"}
    result = ruleset.evaluate(record, trace=True, text_values=True)
    assert result.outputs["predikat"] == "Sangat Baik"
    assert "gagal_tugas_belajar" not in explain(ruleset, result, "en")


def test_cli_explain_names_the_exception() -> None:
    runner = CliRunner()
    record = '{"nhk": 110, "npk": 85, "nko": 100, "k3_kualitas": 1, "k3_target": 1, "tugas_belajar_gagal": true}'
    result = runner.invoke(main, ["explain", OLD, "-", "--lang", "en"], input=record)
    assert result.exit_code == 0, result.output
    assert "exception `gagal_tugas_belajar`" in result.output
    assert f"{OLD_REG} Lampiran, Predikat Kinerja" in result.output


# ---------------------------------------------------------------- (e) `kinerja diff` on the command line


def test_cli_diff_text_output() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["--lang", "en", "diff", OLD, NEW_V1])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Changes in meaning from {OLD}@1.0.0 to {NEW}@1.0.0"
    report = diff(kinerja.load(OLD), kinerja.load(NEW_V1))
    assert f"{len(report.changes)} changes in meaning:" in result.output
    assert "- header `supersedes`: - → kmk-300-2022@1.0.0" in lines
    assert "- header `effective_from`: 2022-07-28 → 2026-01-01" in lines
    assert "- input `jpt_madya` added: boolean" in lines
    assert "- input `pengurangan_disiplin` added: decimal [0, 120] places 2" in lines
    bullets = [line for line in lines if line.startswith("- ")]
    assert len(bullets) == len(report.changes)
    # every change is followed by the basis on both sides
    for i, line in enumerate(lines):
        if line.startswith("- "):
            assert f"old citation: {OLD_REG}" in lines[i + 1] and f"new citation: {NEW_REG}" in lines[i + 1]
    same = runner.invoke(main, ["--lang", "id", "diff", NEW, NEW])
    assert "tidak ada perubahan makna" in same.output
