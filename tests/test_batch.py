"""`kinerja batch` and `kinerja.batch`: one output row per input row, in order, errors carried."""

from __future__ import annotations

import csv
import json
import types
from pathlib import Path
from typing import Any

import kinerja
import openpyxl
import pytest
from click.testing import CliRunner
from kinerja.cli.main import main
from kinerja.io import tabular
from kinerja.io.batch import BatchUsageError, batch
from kinerja.semantics.values import value_text

HEADER = ["nip", "nilai_skp", "nilai_perilaku", "penilaian_360", "catatan"]
ROWS = [
    ["A1", "96", "76", "false", "biasa"],
    ["A2", "abc", "76", "false", "angka rusak"],
    ["A3", "", "80", "true", "kosong"],
    ["A4", "130", "80", "true", "di atas rentang"],
    ["A5", "100.5", "95", "ya", ""],
    ["A6", "96", "76", "mungkin", "boolean salah"],
    ["A7", "110", "110", "true", "tinggi"],
]


def write_csv(path: Path, header: list[str], rows: list[list[str]], extra: str = "") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
        handle.write(extra)
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def expected(ruleset: kinerja.Ruleset, row: dict[str, str]) -> dict[str, str]:
    """The single-record path's answer for one row: outputs as text, or the error."""
    record = {k: v for k, v in row.items() if k in ruleset.input_names and v != ""}
    try:
        result = ruleset.evaluate(record, trace=False, text_values=True)
    except kinerja.KinerjaError as error:
        return {**{n: "" for n in ruleset.output_names}, "error": "; ".join(d.text("en") for d in error.diagnostics)}
    return {**{n: value_text(v).replace("-", "") for n, v in result.outputs.items()}, "error": ""}


@pytest.fixture(scope="module")
def pp30() -> kinerja.Ruleset:
    return kinerja.load("pp-30-2019")


def test_one_row_per_input_row_in_order_with_errors(tmp_path: Path, pp30: kinerja.Ruleset) -> None:
    source = write_csv(tmp_path / "in.csv", HEADER, ROWS, extra="A8,96,76\n")  # a line short of cells
    report = batch(pp30, source, tmp_path / "out.csv", lang="en")
    out = read_csv(tmp_path / "out.csv")
    assert list(out[0]) == HEADER + ["nilai_kinerja", "predikat", "error"]
    assert [r["nip"] for r in out] == [f"A{i}" for i in range(1, 9)]
    assert [r["catatan"] for r in out[:7]] == [r[4] for r in ROWS]
    for row in out[:7]:
        assert {k: row[k] for k in ("nilai_kinerja", "predikat", "error")} == expected(pp30, row)
    assert out[0]["predikat"] == "Baik" and out[0]["nilai_kinerja"] == "90"
    assert "`nilai_skp`" in out[1]["error"] and '"abc"' in out[1]["error"]
    assert "required" in out[2]["error"]
    assert "130" in out[3]["error"] and "[0, 120]" in out[3]["error"]
    assert "penilaian_360" in out[5]["error"] and '"mungkin"' in out[5]["error"]
    assert out[7]["error"] == "line 9: 3 cells where the header has 5 columns" and out[7]["predikat"] == ""
    assert report.rows == 8 and report.errors == 5
    assert sum(report.counts.values()) + report.errors == report.rows
    assert report.counts == {"Baik": 3}


def test_wrong_label_and_undecodable_bytes(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(
        b"nip,rating_hasil_kerja,rating_perilaku_kerja\n"
        b"1,Sesuai Ekspektasi,Di Atas Ekspektasi\n"
        b"2,Melebihi Ekspektasi,Sesuai Ekspektasi\n"
        b"3,Sesuai Ekspektasi,Sesuai \xff Ekspektasi\n"
    )
    report = batch("permenpanrb-6-2022", source, tmp_path / "out.csv", lang="en")
    out = read_csv(tmp_path / "out.csv")
    assert [r["predikat"] for r in out] == ["Baik", "", ""]
    # the summary counts the predikat, not the first label output (rating_hasil_efektif)
    assert report.output == "predikat" and report.counts == {"Baik": 1}
    assert '"Melebihi Ekspektasi"' in out[1]["error"] and "rating_hasil_kerja" in out[1]["error"]
    assert out[2]["error"] == "line 4: holds bytes that are not UTF-8 (shown as �)"
    assert out[2]["rating_perilaku_kerja"] == "Sesuai \ufffd Ekspektasi"


def test_map_and_id_and_group_summary(tmp_path: Path, pp30: kinerja.Ruleset) -> None:
    header = ["NIP", "SKP", "PERILAKU", "360"]
    source = write_csv(tmp_path / "in.csv", header, [["x", "96", "76", "false"], ["y", "zz", "76", "false"]])
    report = batch(pp30, source, tmp_path / "out.csv", id_column="NIP", lang="en",
                   column_map={"nilai_skp": "SKP", "nilai_perilaku": "PERILAKU", "penilaian_360": "360"})  # fmt: skip
    out = read_csv(tmp_path / "out.csv")
    assert [r["predikat"] for r in out] == ["Baik", ""]
    assert report.first_errors[0][0] == "y"
    with pytest.raises(BatchUsageError):
        batch(pp30, source, tmp_path / "o.csv", column_map={"nilai_skp": "NOPE"})
    with pytest.raises(BatchUsageError):
        batch(pp30, source, tmp_path / "o.csv", column_map={"bukan_input": "SKP"})
    with pytest.raises(BatchUsageError):
        batch(pp30, source, tmp_path / "o.txt")
    assert not (tmp_path / "o.csv").exists()


@pytest.mark.parametrize("suffix", ["csv", "jsonl", "xlsx"])
def test_round_trip_every_format(tmp_path: Path, pp30: kinerja.Ruleset, suffix: str) -> None:
    source = write_csv(tmp_path / "in.csv", HEADER, ROWS)
    batch(pp30, source, tmp_path / f"mid.{suffix}")
    batch(pp30, tmp_path / f"mid.{suffix}", tmp_path / "back.csv")  # outputs re-read as extra columns
    back = read_csv(tmp_path / "back.csv")
    assert [r["nip"] for r in back] == [r[0] for r in ROWS]
    first = read_csv(tmp_path / "in.csv")
    for row, original in zip(back, first, strict=True):
        assert {k: row[k] for k in HEADER} == original
    assert back[0]["predikat"] == "Baik"


def test_jsonl_numbers_are_exact_and_absent_is_null(tmp_path: Path, pp30: kinerja.Ruleset) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"nilai_skp": 96.5, "nilai_perilaku": 76, "penilaian_360": false}\n'
                      '{"nilai_skp": 96, "penilaian_360": false}\n'
                      'not json\n', encoding="utf-8")  # fmt: skip
    batch(pp30, source, tmp_path / "out.jsonl", lang="en")
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert '"nilai_kinerja": 90.35' in lines[0]
    assert json.loads(lines[1])["predikat"] is None and "nilai_perilaku" in json.loads(lines[1])["error"]
    assert json.loads(lines[2])["error"].startswith("line 3: not a JSON object")


def test_xlsx_output_is_typed(tmp_path: Path, pp30: kinerja.Ruleset) -> None:
    source = write_csv(tmp_path / "in.csv", HEADER, ROWS[:2])
    batch(pp30, source, tmp_path / "out.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True).worksheets[0]
    rows = [(list(r) + [None] * 8)[:8] for r in sheet.iter_rows(values_only=True)]  # read-only trims empty ends
    assert rows[0] == HEADER + ["nilai_kinerja", "predikat", "error"]
    assert rows[1][5:] == [90, "Baik", None]
    assert rows[2][5] is None and "nilai_skp" in rows[2][7]


def test_chunking_does_not_change_results(tmp_path: Path, pp30: kinerja.Ruleset) -> None:
    rows = [[f"n{i}", str(60 + i % 61), str((i * 7) % 125), "true" if i % 3 else "no", ""] for i in range(300)]
    source = write_csv(tmp_path / "in.csv", HEADER, rows)
    small = batch(pp30, source, tmp_path / "small.csv", chunk_size=7, group_by="catatan")
    large = batch(pp30, source, tmp_path / "large.csv", chunk_size=100_000, group_by="catatan")
    assert (tmp_path / "small.csv").read_bytes() == (tmp_path / "large.csv").read_bytes()
    assert small.to_dict() == {**large.to_dict(), "output_file": str(tmp_path / "small.csv")}
    assert sum(small.counts.values()) + small.errors == small.rows == 300


def test_interrupted_run_leaves_no_half_output(tmp_path: Path, pp30: kinerja.Ruleset, monkeypatch: Any) -> None:
    rows = [[f"n{i}", "96", "76", "false", ""] for i in range(50)]
    source = write_csv(tmp_path / "in.csv", HEADER, rows)
    target = tmp_path / "out.csv"
    original = tabular.CsvWriter.write
    calls = {"n": 0}

    def failing(self: Any, *args: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        original(self, *args)

    monkeypatch.setattr(tabular.CsvWriter, "write", failing)
    with pytest.raises(KeyboardInterrupt):
        batch(pp30, source, target, chunk_size=10)
    assert not target.exists()
    target.write_text("previous run\n", encoding="utf-8")
    calls["n"] = 0
    with pytest.raises(KeyboardInterrupt):
        batch(pp30, source, target, chunk_size=10, overwrite=True)  # replacing an output is asked for
    assert target.read_text(encoding="utf-8") == "previous run\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]  # no temporary left behind


def test_public_api_is_exported_and_no_submodule_shadows_it() -> None:
    import kinerja.audit.diff  # noqa: F401
    import kinerja.audit.explain  # noqa: F401
    import kinerja.audit.impact  # noqa: F401
    import kinerja.io.batch  # noqa: F401 - importing every engine module must not rebind the entry points

    assert kinerja.BatchReport.__name__ == "BatchReport"
    for name in ("batch", "diff", "impact", "explain"):
        entry = getattr(kinerja, name)
        assert callable(entry) and not isinstance(entry, types.ModuleType), name


def test_cli_batch_text_json_and_exit_codes(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", HEADER, ROWS)
    runner = CliRunner()
    done = runner.invoke(main, ["--lang", "en", "batch", "pp-30-2019", str(source), "-o", str(tmp_path / "o.csv"),
                                "--as-of", "2021-06-01", "--id", "nip"])  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "7 rows, 4 with errors" in done.stderr
    assert "pp-30-2019@1.0.0" in done.stderr and "2021-06-01" in done.stderr and "sha256:" in done.stderr
    assert "A2: input `nilai_skp`" in done.stderr
    assert done.stdout == ""
    as_json = runner.invoke(main, ["batch", "pp-30-2019", str(source), "-o", str(tmp_path / "o.jsonl"),
                                   "--format", "json", "--as-of", "2021-06-01"])  # fmt: skip
    data = json.loads(as_json.stdout)
    assert data["rows"] == 7 and data["errors"] == 4 and data["counts"] == {"Baik": 3}
    assert data["selection"]["ref"] == "pp-30-2019@1.0.0" and data["ruleset"]["fingerprint"].startswith("sha256:")
    assert len((tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()) == 7
    usage = runner.invoke(main, ["batch", "pp-30-2019", str(source), "-o", str(tmp_path / "o.txt")])
    assert usage.exit_code == 2
    bad_map = runner.invoke(main, ["batch", "pp-30-2019", str(source), "-o", str(tmp_path / "o.csv"), "--map", "nilai_skp"])
    assert bad_map.exit_code == 2
    broken = runner.invoke(main, ["batch", "tests/data/rusak.kin", str(source), "-o", str(tmp_path / "x.csv")])
    assert broken.exit_code == 1 and not (tmp_path / "x.csv").exists()
