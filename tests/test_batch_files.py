"""`kinerja batch` and files: what it refuses, what it never destroys, what it writes (issues 12, 17, 19)."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import kinerja
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from kinerja.cli.main import main
from kinerja.io.batch import BatchUsageError, batch, score_table

HEADER = ["nip", "nilai_skp", "nilai_perilaku", "penilaian_360"]
ROWS = [["A1", "96", "76", "false"], ["A2", "abc", "76", "false"], ["A3", "100,5", "95", "ya"], ["A4", "", "80", "true"]]


def write_csv(path: Path, header: list[str] = HEADER, rows: list[list[str]] = ROWS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def run(*args: str) -> tuple[int, str]:
    done = CliRunner().invoke(main, ["--lang", "en", *args])
    return done.exit_code, done.output


@pytest.fixture(scope="module")
def pp30() -> kinerja.Ruleset:
    return kinerja.load("pp-30-2019")


# ------------------------------------------------------------------ targets (issue 12: new users 2, 4, 9, 11)


def test_a_missing_output_folder_is_a_clear_usage_error(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv")
    code, out = run("batch", "pp-30-2019", str(source), "-o", str(tmp_path / "nope" / "dir" / "out.csv"))
    assert code == 2 and "output folder" in out and "nope" in out and "Traceback" not in out


def test_the_input_is_never_overwritten(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "data.csv")
    before = source.read_bytes()
    for target in (source, tmp_path / "." / "data.csv"):
        code, out = run("batch", "pp-30-2019", str(source), "-o", str(target), "--force")
        assert code == 2 and "is the input file" in out
    link = tmp_path / "link.csv"
    link.symlink_to(source)
    code, out = run("batch", "pp-30-2019", str(source), "-o", str(link), "--force")
    assert code == 2 and "is the input file" in out
    hard = tmp_path / "hard.csv"
    os.link(source, hard)
    assert run("batch", "pp-30-2019", str(hard), "-o", str(source), "--force")[0] == 2
    assert source.read_bytes() == before


def test_an_existing_output_is_replaced_only_with_force(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv")
    target = tmp_path / "out.csv"
    target.write_text("keep me\n", encoding="utf-8")
    code, out = run("batch", "pp-30-2019", str(source), "-o", str(target))
    assert code == 2 and "--force" in out and target.read_text(encoding="utf-8") == "keep me\n"
    code, _ = run("batch", "pp-30-2019", str(source), "-o", str(target), "--force")
    assert code == 0 and read_csv(target)[0]["predikat"] == "Baik"


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_output_files_follow_the_umask(tmp_path: Path, pp30: kinerja.Ruleset, umask: int, mode: int) -> None:
    source = write_csv(tmp_path / "in.csv")
    previous = os.umask(umask)
    try:
        batch(pp30, source, tmp_path / "out.csv")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "out.csv").stat().st_mode) == mode


def test_parts_left_by_a_killed_run_are_removed(tmp_path: Path, pp30: kinerja.Ruleset) -> None:
    source = write_csv(tmp_path / "in.csv")
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # its process id is now free: a run with it was killed
    stale = tmp_path / f".out.csv.{gone.pid}.0123abcd.part"
    stale.write_bytes(b"x" * 1000)
    other = tmp_path / f".other.csv.{gone.pid}.0123abcd.part"  # another target's part is not ours to remove
    other.write_bytes(b"x")
    live = tmp_path / f".out.csv.{os.getppid()}.89abcdef.part"  # a run still writing (its process lives)
    live.write_bytes(b"x")
    batch(pp30, source, tmp_path / "out.csv")
    assert not stale.exists() and other.exists() and live.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["in.csv", "out.csv"]


def test_a_killed_batch_leaves_only_a_part_that_the_next_run_removes(tmp_path: Path) -> None:
    """SIGKILL cannot be caught: the part stays, named with the dead process's id, and the next run removes it."""
    source = write_csv(tmp_path / "in.csv", rows=[["A", "96", "76", "false"]] * 100_000)
    target = tmp_path / "out.csv"
    script = Path(sys.executable).parent / "kinerja"
    process = subprocess.Popen([str(script), "batch", "pp-30-2019", str(source), "-o", str(target), "--chunk-size", "1000"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        for _ in range(600):
            if any(p.name.endswith(".part") and p.stat().st_size for p in tmp_path.iterdir()) or process.poll() is not None:
                break
            time.sleep(0.05)
        process.kill()
    finally:
        process.wait()
    assert not target.exists() or process.returncode == 0
    batch("pp-30-2019", source, tmp_path / "out.csv", overwrite=True, chunk_size=100_000)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


# ------------------------------------------------------------------ columns (issue 12 item 13, issue 19 item 7)


def test_a_required_input_without_a_column_is_refused_before_scoring(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", ["nip", "NILAI_SKP", "nilai_perilaku"], [["1", "96", "76"]])
    code, out = run("batch", "pp-30-2019", str(source), "-o", str(tmp_path / "out.csv"))
    assert code == 2 and "`nilai_skp`" in out and "`penilaian_360`" in out and "--map nilai_skp=NILAI_SKP" in out
    assert not (tmp_path / "out.csv").exists()


def test_duplicate_columns_read_by_the_run_are_refused_others_renamed(tmp_path: Path, pp30: kinerja.Ruleset) -> None:
    source = write_csv(tmp_path / "in.csv", [*HEADER, "nilai_skp"], [["1", "96", "76", "false", "50"]])
    with pytest.raises(BatchUsageError) as caught:
        batch(pp30, source, tmp_path / "out.csv")
    assert caught.value.code == "B_DUPLICATE_COLUMN" and "2, 5" in caught.value.render("en")
    source = write_csv(tmp_path / "in2.csv", [*HEADER, "catatan", "catatan"], [["1", "96", "76", "false", "a", "b"]])
    report = batch(pp30, source, tmp_path / "out2.csv")
    out = read_csv(tmp_path / "out2.csv")
    assert (out[0]["catatan"], out[0]["catatan_2"]) == ("a", "b")
    assert "`catatan_2`" in report.render("en")


def test_input_columns_named_like_outputs_are_renamed_and_said(tmp_path: Path, pp30: kinerja.Ruleset) -> None:
    source = write_csv(tmp_path / "in.csv", [*HEADER, "predikat", "error"], [["1", "96", "76", "false", "Lama", "x"]])
    for suffix in ("csv", "jsonl", "parquet"):
        report = batch(pp30, source, tmp_path / f"out.{suffix}")
        text = report.render("en")
        assert "`predikat_input`" in text and "`error_input`" in text
    row = read_csv(tmp_path / "out.csv")[0]
    assert (row["predikat"], row["predikat_input"], row["error"], row["error_input"]) == ("Baik", "Lama", "", "x")
    assert pq.read_table(tmp_path / "out.parquet").column_names == [*HEADER, "predikat_input", "error_input",
                                                                      "nilai_kinerja", "predikat", "error"]  # fmt: skip


# ------------------------------------------------------------------ formats


def test_parquet_in_and_out_with_decimal128(tmp_path: Path, pp30: kinerja.Ruleset) -> None:
    source = write_csv(tmp_path / "in.csv")
    batch(pp30, source, tmp_path / "out.parquet")
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.schema.field("nilai_kinerja").type == pa.decimal128(38, 3)
    assert table.column("nilai_kinerja").to_pylist()[0] == Decimal("90.000")
    assert table.column("predikat").to_pylist() == ["Baik", None, "Baik", None]
    assert table.column("error").to_pylist()[0] is None and "nilai_skp" in table.column("error").to_pylist()[1]
    typed = pa.table({"nip": ["x", "y", "z"], "nilai_skp": pa.array([Decimal("96.00"), Decimal("89.999"), None], pa.decimal128(6, 3)),
                      "nilai_perilaku": pa.array([76.0, 76.5, 80.0]), "penilaian_360": [False, True, None]})  # fmt: skip
    pq.write_table(typed, tmp_path / "typed.parquet")
    report = batch(pp30, tmp_path / "typed.parquet", tmp_path / "typed-out.parquet", lang="en")
    back = pq.read_table(tmp_path / "typed-out.parquet").to_pylist()
    assert back[0]["nilai_kinerja"] == Decimal("90") and back[0]["nilai_skp"] == Decimal("96.000")
    assert "more than 2 decimal places" in back[1]["error"] and "required" in back[2]["error"]
    assert report.rows == 3 and report.errors == 2
    batch(pp30, tmp_path / "typed.parquet", tmp_path / "typed-out.csv")
    assert read_csv(tmp_path / "typed-out.csv")[0]["nilai_skp"] == "96.000"


@pytest.mark.parametrize("suffix", ["csv", "jsonl", "xlsx", "parquet"])
def test_every_output_format_is_byte_for_byte_deterministic(tmp_path: Path, pp30: kinerja.Ruleset, suffix: str) -> None:
    source = write_csv(tmp_path / "in.csv")
    batch(pp30, source, tmp_path / f"a.{suffix}")
    os.utime(source, (1_000_000_000, 1_000_000_000))  # a later run, an older file: nothing time-dependent
    batch(pp30, source, tmp_path / f"b.{suffix}")
    assert (tmp_path / f"a.{suffix}").read_bytes() == (tmp_path / f"b.{suffix}").read_bytes()
    if suffix == "xlsx":
        with zipfile.ZipFile(tmp_path / "a.xlsx") as book:
            assert {info.date_time[:1] for info in book.infolist()} == {(1980,)}  # XlsxWriter's fixed zip date
            assert b"2000-01-01" in book.read("docProps/core.xml")


def test_xlsx_sheet_and_header_row(tmp_path: Path, pp30: kinerja.Ruleset) -> None:
    book = openpyxl.Workbook()
    book.active.append(["cover"])
    data = book.create_sheet("Nilai")
    data.append(["Rekap penilaian 2024"])
    data.append([])
    data.append(HEADER)
    data.append(["A1", 96, 76, False])
    data.append(["A2", 100.5, "96,5", "ya"])
    book.save(tmp_path / "in.xlsx")
    report = batch(pp30, tmp_path / "in.xlsx", tmp_path / "out.csv", sheet="Nilai", header_row=3)
    out = read_csv(tmp_path / "out.csv")
    assert [r["predikat"] for r in out] == ["Baik", "Baik"] and out[1]["nilai_skp"] == "100.5" and report.errors == 0
    batch(pp30, tmp_path / "in.xlsx", tmp_path / "out2.csv", sheet="2", header_row=3)
    assert (tmp_path / "out2.csv").read_bytes() == (tmp_path / "out.csv").read_bytes()
    code, out_text = run("batch", "pp-30-2019", str(tmp_path / "in.xlsx"), "-o", str(tmp_path / "x.csv"), "--sheet", "Data")
    assert code == 2 and "Nilai" in out_text
    code, out_text = run("batch", "pp-30-2019", str(tmp_path / "in.xlsx"), "-o", str(tmp_path / "x.csv"), "--sheet", "Nilai")
    assert code == 2 and "`nilai_skp`" in out_text  # the title row is no header: the inputs have no columns


def test_windows_1252_needs_encoding_and_the_summary_says_so(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes("nip;nama;nilai_skp;nilai_perilaku;penilaian_360\n1;José;96;76;false\n2;Ana;96;76;false\n".encode("cp1252"))
    code, out = run("batch", "pp-30-2019", str(source), "-o", str(tmp_path / "a.csv"))
    assert code == 0 and "--encoding" in out and "1 rows, 1 with errors" not in out
    assert read_csv(tmp_path / "a.csv")[0]["nama"] == "Jos\ufffd"
    code, out = run("batch", "pp-30-2019", str(source), "-o", str(tmp_path / "b.csv"), "--encoding", "cp1252")
    assert code == 0 and "--encoding" not in out
    row = read_csv(tmp_path / "b.csv")[0]
    assert (row["nama"], row["predikat"], row["error"]) == ("José", "Baik", "")
    code, out = run("batch", "pp-30-2019", str(source), "-o", str(tmp_path / "c.csv"), "--encoding", "klingon")
    assert code == 2 and "--encoding klingon" in out


# ------------------------------------------------------------------ JSON Lines (issues 12 item 6, 19 items 4 and 7)


def test_jsonl_is_strict_for_numbers_unless_asked(tmp_path: Path, pp30: kinerja.Ruleset) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"nilai_skp": "96,5", "nilai_perilaku": 76, "penilaian_360": "ya"}\n'
                      '{"nilai_skp": 96, "nilai_perilaku": 76, "penilaian_360": false}\n', encoding="utf-8")  # fmt: skip
    strict = batch(pp30, source, tmp_path / "a.jsonl", lang="en")
    lines = [json.loads(x) for x in (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()]
    assert strict.errors == 1 and '"96,5"' in lines[0]["error"] and lines[1]["predikat"] == "Baik"
    lenient = batch(pp30, source, tmp_path / "b.jsonl", coerce="text")
    assert lenient.errors == 0
    # the same record through the API: the same policy
    with pytest.raises(kinerja.InputError):
        pp30.evaluate({"nilai_skp": "96,5", "nilai_perilaku": 76, "penilaian_360": "ya"})
    assert pp30.evaluate({"nilai_skp": "96,5", "nilai_perilaku": 76, "penilaian_360": "ya"}, text_values=True).outputs["predikat"] == "Cukup"


def test_a_huge_exponent_is_an_immediate_row_error(tmp_path: Path, pp30: kinerja.Ruleset) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"nilai_skp": 1e999999999, "nilai_perilaku": 76, "penilaian_360": false}\n'
                      '{"nilai_skp": 1E-9999999999, "nilai_perilaku": 76, "penilaian_360": false}\n', encoding="utf-8")  # fmt: skip
    batch(pp30, source, tmp_path / "out.jsonl", lang="en")
    lines = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert "1E+999999999 is outside the range [0, 120]" in lines[0]["error"]
    assert "has more than 2 decimal places" in lines[1]["error"]
    assert (tmp_path / "out.jsonl").stat().st_size < 2000


def test_invalid_utf8_in_jsonl_is_flagged_like_csv(tmp_path: Path, pp30: kinerja.Ruleset) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(b'{"nama": "Jos\xe9", "nilai_skp": 96, "nilai_perilaku": 76, "penilaian_360": false}\n'
                       b'{"nama": "Ana", "nilai_skp": 96, "nilai_perilaku": 76, "penilaian_360": false}\n')  # fmt: skip
    report = batch(pp30, source, tmp_path / "out.csv", lang="en")
    out = read_csv(tmp_path / "out.csv")
    assert out[0]["error"] == "line 1: holds bytes that are not UTF-8 (shown as �)" and out[0]["nama"] == "Jos\ufffd"
    assert out[1]["predikat"] == "Baik" and report.errors == 1


# ------------------------------------------------------------------ in memory (the HTTP service's entry point)


def test_score_table_in_memory_every_format(pp30: kinerja.Ruleset, tmp_path: Path) -> None:
    data = write_csv(tmp_path / "in.csv").read_bytes()
    on_disk = batch(pp30, tmp_path / "in.csv", tmp_path / "out.csv")
    scored = score_table(pp30, data, "csv")
    assert scored.data == (tmp_path / "out.csv").read_bytes() and scored.format == "csv"
    assert scored.report.counts == on_disk.counts and scored.report.errors == on_disk.errors
    parquet = score_table(pp30, io.BytesIO(data), "csv", "parquet").data
    back = score_table(pp30, parquet, "parquet", "jsonl").data.decode()
    assert json.loads(back.splitlines()[0])["predikat"] == "Baik"
    with pytest.raises(BatchUsageError):
        score_table(pp30, data, "txt")
