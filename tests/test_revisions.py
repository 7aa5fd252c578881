"""Revisions (`revises`): a corrected version of the same decree, as opposed to a successor.

Two versions of one id whose periods overlap are K904, unless the newer one says it
`revises` the older (directly or along a chain of revisions): then `--as-of` picks the
newest revision in force, the corrected version stays loadable by `id@version`, and
`kinerja diff` lists the corrections. A successor across decrees stays `supersedes`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import kinerja
import pytest
from click.testing import CliRunner
from kinerja.audit.diff import diff
from kinerja.cli.main import main
from kinerja.library.api import Library
from kinerja.syntax.format import format_text

HEADER = """ruleset contoh-revisi version {version}
  title "Contoh" source "Keputusan Contoh" short "Kep Contoh"
  {dates}
  {link}
input x: decimal [0, 10] places 2 "x" cite "Pasal 1"
value y = x × {factor} "y" cite "Pasal 2"
output y
example "y" given x = 1 expect y = {factor}
"""


def _write(folder: Path, version: str, dates: str, link: str = "", factor: str = "2") -> Path:
    path = folder / f"contoh-revisi@{version}.kin"
    path.write_text(HEADER.format(version=version, dates=dates, link=link, factor=factor), encoding="utf-8")
    return path


def _codes(library: Library, path: Path) -> list[str]:
    return [d.code for d in library.check(str(path))]


def test_overlapping_versions_without_revises_are_still_k904(tmp_path: Path) -> None:
    _write(tmp_path, "1.0.0", "effective from 2026-01-01")
    second = _write(tmp_path, "2.0.0", "effective from 2026-01-01", factor="3")
    assert "K904" in _codes(Library((tmp_path,)), second)


def test_a_revision_may_overlap_the_version_it_corrects(tmp_path: Path) -> None:
    first = _write(tmp_path, "1.0.0", "effective from 2026-01-01")
    second = _write(tmp_path, "2.0.0", "effective from 2026-01-01", "revises contoh-revisi@1.0.0", "3")
    library = Library((tmp_path,))
    assert "K904" not in _codes(library, second)
    assert "K904" not in _codes(library, first)  # checked from either side
    # the revision governs every day both are in force; the corrected version stays reproducible
    assert library.select("contoh-revisi", as_of=date(2026, 3, 1)).ref == "contoh-revisi@2.0.0"
    assert library.load("contoh-revisi@1.0.0").evaluate({"x": 1}).outputs["y"] == 2
    assert library.load("contoh-revisi").evaluate({"x": 1}).outputs["y"] == 3


def test_a_revision_starting_later_governs_from_its_start(tmp_path: Path) -> None:
    _write(tmp_path, "1.0.0", "effective from 2026-01-01")
    _write(tmp_path, "1.1.0", "effective from 2026-07-01", "revises contoh-revisi@1.0.0", "3")
    library = Library((tmp_path,))
    before = library.select("contoh-revisi", as_of=date(2026, 6, 30))
    after = library.select("contoh-revisi", as_of=date(2026, 7, 1))
    assert (before.ref, after.ref) == ("contoh-revisi@1.0.0", "contoh-revisi@1.1.0")
    assert before.revises is None and after.revises == "contoh-revisi@1.0.0"
    assert "a revision of contoh-revisi@1.0.0" in (after.note("en") or "")
    assert "revisi dari contoh-revisi@1.0.0" in (after.note("id") or "")


def test_revisions_chain_but_two_revisions_of_one_version_must_be_ordered(tmp_path: Path) -> None:
    _write(tmp_path, "1.0.0", "effective from 2026-01-01")
    _write(tmp_path, "2.0.0", "effective from 2026-01-01", "revises contoh-revisi@1.0.0", "3")
    third = _write(tmp_path, "3.0.0", "effective from 2026-01-01", "revises contoh-revisi@2.0.0", "4")
    library = Library((tmp_path,))
    assert "K904" not in _codes(library, third)  # 3.0.0 corrects 1.0.0 through 2.0.0
    assert library.select("contoh-revisi", as_of=date(2026, 1, 1)).ref == "contoh-revisi@3.0.0"
    # a 3.0.0 that also says it revises 1.0.0 skips 2.0.0: the two revisions overlap unordered
    _write(tmp_path, "3.0.0", "effective from 2026-01-01", "revises contoh-revisi@1.0.0", "4")
    assert "K904" in _codes(library, third)


@pytest.mark.parametrize(
    ("link", "code"),
    [
        ("revises pp-30-2019@1.0.0", "K406"),  # another regulation: that is `supersedes`
        ("revises contoh-revisi@2.0.0", "K407"),  # not an earlier version
        ("revises contoh-revisi@3.0.0", "K407"),
        ("revises contoh-revisi@0.9.0", "K906"),  # no such version
    ],
)
def test_a_revision_must_name_an_earlier_version_of_the_same_ruleset(tmp_path: Path, link: str, code: str) -> None:
    _write(tmp_path, "1.0.0", "effective from 2026-01-01")
    revision = _write(tmp_path, "2.0.0", "effective from 2026-01-01", link, "3")
    found = [d for d in Library((tmp_path,)).check(str(revision)) if d.code == code]
    assert found and found[0].severity == "error"
    assert found[0].span.line == 1 and found[0].source_line  # the header, with its source line
    for lang in ("en", "id"):
        assert link.split()[1] in found[0].render(lang)


def test_revises_is_formatted_and_kept_in_the_fingerprint(tmp_path: Path) -> None:
    _write(tmp_path, "1.0.0", "effective from 2026-01-01")
    revision = _write(tmp_path, "2.0.0", "effective from 2026-01-01", "revises contoh-revisi@1.0.0", "3")
    text = revision.read_text(encoding="utf-8")
    formatted = format_text(text)
    assert "  revises contoh-revisi@1.0.0\n" in formatted
    assert format_text(formatted) == formatted
    library = Library((tmp_path,))
    plain = library.load_text(text.replace("revises contoh-revisi@1.0.0", ""))
    assert library.load(str(revision)).fingerprint != plain.fingerprint


def test_the_shipped_kmk_127_revision() -> None:
    v1, v2 = kinerja.load("kmk-127-2026@1.0.0"), kinerja.load("kmk-127-2026@2.0.0")
    assert v2.module.header.revises == "kmk-127-2026@1.0.0"
    assert v2.module.header.supersedes == v1.module.header.supersedes == "kmk-300-2022@1.0.0"
    assert kinerja.load("kmk-127-2026").fingerprint == v2.fingerprint
    for ref in ("kmk-127-2026@1.0.0", "kmk-127-2026@2.0.0"):
        assert not [d for d in kinerja.check(ref) if d.severity == "error"], ref
    # every day 1.0.0 governed, the revision governs now; the predecessor's id follows the line too
    for day in (date(2026, 1, 1), date(2030, 12, 31)):
        assert kinerja.select("kmk-127-2026", as_of=day).ref == "kmk-127-2026@2.0.0"
        assert kinerja.select("kmk-300-2022", as_of=day).ref == "kmk-127-2026@2.0.0"
    listed = {i.version: i for i in kinerja.list_rulesets() if i.id == "kmk-127-2026"}
    assert listed["2.0.0"].revises == "kmk-127-2026@1.0.0" and listed["1.0.0"].revises is None


# Each correction 2.0.0 makes to the first reading of KMK 127/2026, as (kind, subject): what an
# auditor reading the erratum must find in `kinerja diff`.
CORRECTIONS = {
    ("header_changed", "header"),  # `revises`
    ("input_added", "tier"),
    ("input_added", "koreksi"),
    ("input_added", "nilai_dampak"),
    ("input_added", "nhk_terkalibrasi"),
    ("input_added", "npk_terkalibrasi"),
    ("declaration_added", "nhk_kalibrasi"),  # linear kalibrasi of the components ...
    ("declaration_added", "npk_kalibrasi"),
    ("declaration_removed", "nkp_kalibrasi"),  # ... replaces the cap of NKP at 115
    ("declaration_added", "penyesuaian"),
    ("declaration_added", "bobot_nko_tier"),
    ("declaration_added", "nkp_akhir"),
    ("formula_changed", "nilai_kinerja_pegawai"),
    ("formula_changed", "nilai_hasil_kerja"),
    ("output_added", "nhk_akhir"),
    ("output_added", "npk_akhir"),
}


def test_diff_of_the_revision_lists_the_corrections() -> None:
    report = diff(kinerja.load("kmk-127-2026@1.0.0"), kinerja.load("kmk-127-2026@2.0.0"))
    found = {(c.kind, c.subject) for c in report.changes}
    assert CORRECTIONS <= found, CORRECTIONS - found
    header = [dict(c.details) for c in report.changes if c.kind == "header_changed"]
    assert header == [{"field": "revises", "old": "-", "new": "kmk-127-2026@1.0.0"}]
    # the ratings are now given on the final components: the tables look at other values
    subjects = [c.text("en") for c in report.changes if c.subject in ("rating_hasil_kerja", "rating_perilaku_kerja")]
    assert "table `rating_hasil_kerja` now looks at nhk_akhir (was nilai_hasil_kerja)" in subjects
    assert "table `rating_perilaku_kerja` now looks at npk_akhir (was npk)" in subjects
    for change in report.changes:
        assert change.old_citations or change.new_citations, change.text("en")


def test_cli_diff_and_list_show_the_revision() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["--lang", "en", "diff", "kmk-127-2026@1.0.0", "kmk-127-2026@2.0.0"])
    assert result.exit_code == 0, result.output
    assert "- header `revises`: - → kmk-127-2026@1.0.0" in result.output.splitlines()
    assert "formula of `nilai_kinerja_pegawai` changed: max(0, nkp_kalibrasi - pengurangan_disiplin) → round(nkp_akhir, 2, half_up)" in result.output
    listed = runner.invoke(main, ["--lang", "en", "list"])
    line = next(x for x in listed.output.splitlines() if x.startswith("kmk-127-2026@2.0.0"))
    assert "(a revision of kmk-127-2026@1.0.0)" in line
    evaluated = runner.invoke(main, ["--lang", "en", "eval", "kmk-127-2026", "-", "--as-of", "2026-03-01"],
                              input='{"nhk": 105.1663, "npk": 100.7143, "nko": 100, "tier": 1}')  # fmt: skip
    assert evaluated.exit_code == 0, evaluated.output
    assert "using kmk-127-2026@2.0.0, in force on 2026-03-01 (a revision of kmk-127-2026@1.0.0)" in evaluated.output
