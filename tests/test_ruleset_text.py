"""Issue 12 "found by new users": ruleset text as editors save it and as people mistype it.

Items 1 (not UTF-8), 3 (decimal comma), 7 (near-duplicate labels), 8 (BOM, CRLF, tabs,
no-break spaces, curly quotes), 9 (a missing `end`), 10 (file name and header disagree),
15 (`fmt` exit code, `check` of a folder), 16 (analysis despite broken examples), and
issue 19 item 2 (ASCII digits only).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import kinerja
import pytest
from click.testing import CliRunner
from kinerja.cli.main import main
from kinerja.library import registry
from kinerja.semantics.labels import near_duplicates
from kinerja.syntax.format import format_text

H = 'ruleset x version 1.0.0\n  title "A"\n  source "B" short "B"\n'
SHIPPED = registry.shipped_folder()


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--lang", "en", *args], obj={})
    return result.exit_code, result.output


def _codes(text: str) -> list[str]:
    return [d.code for d in kinerja.check_text(text, "t.kin") if d.severity == "error"]


# ------------------------------------------------------------------ 1. a file that is not UTF-8


@pytest.mark.parametrize("command", ["check", "test", "fmt", "doc", "eval", "explain", "schema"])
def test_a_file_that_is_not_utf8_is_one_positioned_error(tmp_path: Path, command: str) -> None:
    path = tmp_path / "l1.kin"
    path.write_bytes(b'ruleset x version 1.0.0\n  title "A"\n  source "B" short "B"\n# \xd7\n')
    record = tmp_path / "r.json"
    record.write_text("{}", encoding="utf-8")
    args = [command, str(path)] + ([str(record)] if command in ("eval", "explain") else [])
    code, output = _cli(*args)
    assert code == 1, output
    assert "Traceback" not in output and "UnicodeDecodeError" not in output
    assert f"{path}:4:3: error K020" in output and "0xD7" in output and "UTF-8" in output


def test_utf8_with_a_byte_order_mark_crlf_tabs_and_no_break_spaces_is_the_same_ruleset(tmp_path: Path) -> None:
    plain = (SHIPPED / "pp-30-2019@1.0.0.kin").read_text(encoding="utf-8")
    edited = "\ufeff" + plain.replace("\n", "\r\n").replace("  ", "\t").replace("input nilai_skp", "input\u00a0nilai_skp")
    path = tmp_path / "pp-30-2019@1.0.0.kin"
    path.write_bytes(edited.encode("utf-8"))
    assert [d.code for d in kinerja.check(str(path))] == [d.code for d in kinerja.check(str(SHIPPED / "pp-30-2019@1.0.0.kin"))]
    assert kinerja.load(str(path)).fingerprint == kinerja.load("pp-30-2019").fingerprint
    code, output = _cli("fmt", str(path))
    assert code == 0, output
    fixed = path.read_bytes()
    assert not fixed.startswith(b"\xef\xbb\xbf") and b"\r\n" not in fixed and b"\t" not in fixed
    assert kinerja.load(str(path)).fingerprint == kinerja.load("pp-30-2019").fingerprint


def test_curly_quotes_say_use_straight_quotes() -> None:
    found = kinerja.check_text(H + "input a: boolean “Penilaian”\noutput a\n", "t.kin")
    assert [d.code for d in found] == ["K021"]
    assert (found[0].span.line, found[0].span.column) == (4, 18)
    assert found[0].suggestion is not None and '"Penilaian"' in found[0].suggestion.render("en")
    assert "straight quotes" in found[0].render("en") and "petik lurus" in found[0].render("id")


# ------------------------------------------------------------------ 3. decimal commas


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("value v = min(100, a × 2,5)", 24),
        ("value v = max([2,5, a])", 16),
        ("weights w: p 70,5%, q 29,5%", 14),
        ("table t on a\n  [2,5, 10] -> 1\nend", 4),
    ],
)
def test_a_decimal_comma_is_an_error_suggesting_a_dot(line: str, column: int) -> None:
    found = [d for d in kinerja.check_text(H + f"input a: decimal [0, 10] places 2\n{line}\n", "t.kin") if d.severity == "error"]
    assert found and found[0].code == "K023", [d.render("en") for d in found]
    assert found[0].span.column == column
    assert found[0].suggestion is not None and "." in found[0].suggestion.render("en")
    assert "dot" in found[0].render("en") and "titik" in found[0].render("id")


def test_a_decimal_comma_in_an_example_says_use_a_dot() -> None:
    text = H + 'input a: decimal [0, 10] places 2\noutput a\nexample "e"\n  given a = 2,5\n  expect a = 2.5\n'
    found = kinerja.check_text(text, "t.kin")
    assert [d.code for d in found if d.severity == "error"] == ["K023"]
    assert found[0].suggestion is not None and "`2.5`" in found[0].suggestion.render("en")


def test_commas_that_separate_written_intervals_and_names_stay_valid() -> None:
    text = H + "input a: decimal [0,120] places 2\ninput skor_1: integer [0, 4]\nvalue v = min(skor_1,2)\n" \
               "table t on a\n  (0,5) -> 1\n  otherwise -> 2\nend\noutput t\noutput v\n"  # fmt: skip
    assert "K023" not in _codes(text)


def test_the_decimal_comma_of_issue_12_no_longer_changes_the_answer() -> None:
    with pytest.raises(kinerja.RulesetError) as caught:
        kinerja.load_text(H + "input a: decimal [0, 100] places 2\nvalue v = min(100, a × 2,5)\noutput v\n")
    assert [d.code for d in caught.value.diagnostics] == ["K023"]


# ------------------------------------------------------------------ 7. near-duplicate labels

QUADRANT = H + """
type rating = scale "Rendah" < "Tinggi"
input a: rating
input b: rating

quadrant predikat rows a columns b
  | | "Rendah" | "Tinggi" |
  | "Rendah" | "Kurang" | "Baik" |
  | "Tinggi" | "Baik" | "Sangat baik" |
end

output predikat

example "puncak"
  given a = "Tinggi", b = "Tinggi"
  expect predikat = "Sangat Baik"
example "puncak lagi"
  given a = "Tinggi", b = "Tinggi"
  expect predikat = "Sangat Baik"
"""


def test_a_misspelt_label_is_a_warning_pointing_at_the_spelling_used_more() -> None:
    found = kinerja.check_text(QUADRANT, "t.kin")
    typo = [d for d in found if d.code == "K240"]
    assert len(typo) == 1 and typo[0].severity == "warning"
    assert (typo[0].span.line, typo[0].span.column) == (12, 25)  # the cell, written once
    assert "(19:21)" in typo[0].render("en")  # where the other spelling is written
    assert typo[0].suggestion is not None and typo[0].suggestion.render("en") == 'did you mean "Sangat Baik"?'
    # the example's error no longer advises the typo
    for d in found:
        if d.code == "K203":
            assert d.suggestion is None or "Sangat baik" not in d.suggestion.render("en")


@pytest.mark.parametrize(
    ("labels", "near"),
    [
        (["Sangat Baik", "Sangat  Baik"], True),
        (["Sangat Baik", "Sangat\u00a0Baik"], True),
        (["Sangat Baik", "Sangat Baek"], True),
        (["Kurang", "Kurangg"], True),
        (["Golongan III/a", "Golongan III/b"], False),
        (["Level 1", "Level 2"], False),
        (["I", "II"], False),
        (["Baik", "Sangat Baik"], False),
        (["Di Atas Ekspektasi", "Di Bawah Ekspektasi"], False),
    ],
)
def test_which_labels_are_near(labels: list[str], near: bool) -> None:
    rows = "\n".join(f'  = {i} -> "{label}"' for i, label in enumerate(labels))
    text = H + f"input a: integer [0, {len(labels) - 1}]\ntable t on a hit first\n{rows}\nend\noutput t\n"
    assert ("K240" in [d.code for d in kinerja.check_text(text, "t.kin")]) is near


def test_no_shipped_ruleset_has_a_near_duplicate_label() -> None:
    for path in sorted(SHIPPED.glob("*.kin")):
        assert "K240" not in [d.code for d in kinerja.check(str(path))], path.name


# ------------------------------------------------------------------ 9. a missing `end`


def test_a_missing_end_is_one_error_naming_the_block() -> None:
    text = (SHIPPED / "pp-30-2019@1.0.0.kin").read_text(encoding="utf-8")
    lines = text.split("\n")
    table_line = next(i for i, line in enumerate(lines) if line.startswith("table predikat"))
    end_line = next(i for i in range(table_line, len(lines)) if lines[i] == "end")
    broken = "\n".join(lines[:end_line] + lines[end_line + 1 :])
    found = kinerja.check_text(broken, "t.kin")
    assert [d.code for d in found] == ["K004"], [d.render("en") for d in found]
    assert found[0].span.line > table_line + 1  # where `end` was due
    assert "`table predikat`" in found[0].render("en") and f"line {table_line + 1}" in found[0].render("en")
    assert found[0].suggestion is not None


def test_after_a_missing_end_the_rest_is_still_checked() -> None:
    text = H + "input a: decimal [0, 10] places 2\ntable t on a\n  [0, 10] -> 1\ninput b decimal\noutput t\n"
    assert [d.code for d in kinerja.check_text(text, "t.kin")] == ["K004", "K006"]


def test_a_block_open_at_the_end_of_the_file() -> None:
    found = kinerja.check_text(H + "input a: decimal [0, 10] places 2\nweights w\n  when true: p 100%\n", "t.kin")
    assert [d.code for d in found] == ["K004"] and "`weights w`" in found[0].render("en")


# ------------------------------------------------------------------ 10. file name and header


def test_a_file_name_that_disagrees_with_the_header_is_said(tmp_path: Path) -> None:
    path = tmp_path / "pp-30-2019@2.0.0.kin"
    shutil.copy(SHIPPED / "pp-30-2019@1.0.0.kin", path)
    found = kinerja.check(str(path))
    assert found[0].code == "K402" and "pp-30-2019@2.0.0" in found[0].render("en") and "pp-30-2019@1.0.0" in found[0].render("en")
    assert "K904" not in [d.code for d in found]  # the file does not overlap itself
    library = kinerja.Library(folders=(tmp_path,))
    with pytest.raises(kinerja.RulesetError) as caught:
        library.load("pp-30-2019@2.0.0")
    assert [d.code for d in caught.value.diagnostics] == ["K402"]


# ------------------------------------------------------------------ 15. fmt's exit code, check of a folder


def test_fmt_exits_1_on_an_invalid_ruleset(tmp_path: Path) -> None:
    path = tmp_path / "rusak.kin"
    path.write_text(H + "input a decimal\n", encoding="utf-8")
    code, _ = _cli("fmt", str(path))
    assert code == 1


def test_check_of_a_folder_checks_every_kin_file_in_it(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    shutil.copy(SHIPPED / "pp-30-2019@1.0.0.kin", tmp_path / "pp-30-2019@1.0.0.kin")
    (tmp_path / "sub" / "rusak.kin").write_text(H + "input a decimal\n", encoding="utf-8")
    (tmp_path / "catatan.txt").write_text("not a ruleset", encoding="utf-8")
    code, output = _cli("check", str(tmp_path))
    assert code == 1 and "does not exist" not in output
    assert "rusak.kin:4" in output and "K006" in output
    found = kinerja.check(str(tmp_path))
    assert {Path(d.span.file).name for d in found} == {"rusak.kin"}
    empty = tmp_path / "kosong"
    empty.mkdir()
    assert [d.code for d in kinerja.check(str(empty))] == ["K810"]


def test_rulesets_of_a_checked_folder_extend_one_another(tmp_path: Path) -> None:
    (tmp_path / "dasar@1.0.0.kin").write_text(
        'ruleset dasar version 1.0.0\n  title "D"\n  source "S" short "S"\n\ninput a: boolean\noutput a\n', encoding="utf-8")
    (tmp_path / "anak@1.0.0.kin").write_text(
        'ruleset anak version 1.0.0\n  title "A"\n  source "S" short "S"\n  extends dasar@1.0.0\n\ninput b: boolean\noutput b\n',
        encoding="utf-8")  # fmt: skip
    assert [d.code for d in kinerja.check(str(tmp_path)) if d.severity == "error"] == []


# ------------------------------------------------------------------ 16. analysis whatever the examples say


def test_deleting_a_row_reports_the_gap_even_when_examples_name_its_label(tmp_path: Path) -> None:
    text = (SHIPPED / "pp-30-2019@1.0.0.kin").read_text(encoding="utf-8")
    path = tmp_path / "pp-30-2019@1.0.0.kin"
    path.write_text("\n".join(line for line in text.split("\n") if '-> "Cukup"' not in line), encoding="utf-8")
    found = kinerja.check(str(path))
    codes = [d.code for d in found]
    assert codes.count("K203") >= 1 and "K501" in codes
    gap = next(d for d in found if d.code == "K501")
    assert "70" in gap.render("en") and "89.9" in gap.render("en")


# ------------------------------------------------------------------ issue 19 item 2: ASCII digits


@pytest.mark.parametrize(("digits", "ascii_digits"), [("١٢٠", "120"), ("۱۲۰", "120"), ("१२०", "120")])
def test_digits_of_other_scripts_are_refused_with_the_ascii_number(digits: str, ascii_digits: str) -> None:
    found = kinerja.check_text(H + f"input a: decimal [0, {digits}] places 2\noutput a\n", "t.kin")
    assert [d.code for d in found] == ["K022"]
    assert found[0].suggestion is not None and f"`{ascii_digits}`" in found[0].suggestion.render("en")
    assert "0–9" in found[0].render("en")


def test_fmt_keeps_line_separators_and_control_characters_in_comments() -> None:
    text = H + "# a\u2028b\x1cc\rd\ninput a: boolean  # e\u2028f\noutput a\n"
    once = format_text(text)
    assert format_text(once) == once
    assert "a\u2028b\x1cc\rd" in once and "e\u2028f" in once


def test_a_label_an_error_already_names_gets_no_second_finding() -> None:
    """`"Baek"` in an example of a typed output is K203 with its `did you mean "Baik"`; K240 would repeat it."""
    text = (H + 'input a: integer [0, 1]\ntable t on a hit first\n  = 0 -> "Baik"\n'
            '  = 1 -> "Cukup"\nend\noutput t\nexample "e"\n  given a = 0\n  expect t = "Baek"\n')  # fmt: skip
    assert [d.code for d in near_duplicates(kinerja.parse(text, "t.kin"))[0]] == ["K240"]  # on its own, a near pair
    found = kinerja.check_text(text, "t.kin")
    assert [d.code for d in found] == ["K203"]
    assert found[0].suggestion is not None and found[0].suggestion.render("en") == 'did you mean "Baik"?'
