"""Impact of a new version on a generated population: transitions, changed rows, invalid rows."""

from __future__ import annotations

import csv
import json
import random
from decimal import Decimal
from pathlib import Path

import kinerja
import pytest
from click.testing import CliRunner
from kinerja.audit.impact import impact
from kinerja.cli.audit import impact_command

REPO = Path(__file__).resolve().parent.parent
PP30 = (REPO / "rulesets" / "pp-30-2019@1.0.0.kin").read_text(encoding="utf-8")
RULES = PP30[: PP30.index('example "')]
MOVED = (
    RULES.replace("version 1.0.0", "version 1.1.0")
    .replace('[90, 120]  -> "Baik"', '[85, 120]  -> "Baik"')
    .replace('[70, 90)   -> "Cukup"', '[70, 85)   -> "Cukup"')
)
ROWS = 10_000


def population(n: int = ROWS, seed: int = 30) -> list[dict[str, str]]:
    """Rows as a CSV gives them: text. Every 997th row has a value no version accepts."""
    rng = random.Random(seed)
    rows = []
    for i in range(1, n + 1):
        row = {
            "nip": f"1990{i:08d}",
            "unit": rng.choice(["Setjen", "Itjen", "DJP"]),
            "nilai_skp": str(Decimal(rng.randint(6000, 12000)) / 100),
            "nilai_perilaku": str(Decimal(rng.randint(6000, 12000)) / 100),
            "penilaian_360": rng.choice(["ya", "tidak"]),
            "inovasi": rng.choice(["ya", "tidak", ""]),
        }
        if i % 997 == 0:
            row["nilai_skp"] = rng.choice(["130", "abc", ""])
        rows.append(row)
    return rows


def expected_change(row: dict[str, str]) -> bool | None:
    """Independently: does this row's predikat move? None for an invalid row."""
    try:
        skp, perilaku = Decimal(row["nilai_skp"]), Decimal(row["nilai_perilaku"])
    except ArithmeticError:
        return None
    if not (0 <= skp <= 120):
        return None
    w = Decimal("0.6") if row["penilaian_360"] == "ya" else Decimal("0.7")
    nilai = w * skp + (1 - w) * perilaku
    return Decimal(85) <= nilai < Decimal(90)


@pytest.fixture(scope="module")
def versions() -> tuple[kinerja.Ruleset, kinerja.Ruleset]:
    return kinerja.load_text(RULES), kinerja.load_text(MOVED)


def test_ten_thousand_rows(versions: tuple[kinerja.Ruleset, kinerja.Ruleset]) -> None:
    old, new = versions
    rows = population()
    report = impact(old, new, rows, id_column="nip")
    data = report.to_dict("en")
    assert data["rows"] == ROWS
    assert sum(t["count"] for t in data["transitions"]) == ROWS
    expected = [row["nip"] for row in rows if expected_change(row)]
    assert len(expected) > 100  # the population does reach the moved region
    assert data["changed_ids"] == expected
    assert data["changed"] == len(expected)
    moved = {(t["from"], t["to"]): t["count"] for t in data["transitions"] if t["from"] != t["to"]}
    assert moved == {("Cukup", "Baik"): len(expected)}
    invalid = [row["nip"] for row in rows if expected_change(row) is None]
    assert len(invalid) == ROWS // 997
    assert data["invalid"]["either"] == data["invalid"]["old"] == data["invalid"]["new"] == len(invalid)
    assert [r["id"] for r in data["invalid"]["rows"]] == invalid
    assert {(t["from"], t["to"]): t["count"] for t in data["transitions"]}[("invalid", "invalid")] == len(invalid)
    assert all(r["old"] and r["new"] for r in data["invalid"]["rows"])


def test_rows_without_id_column_are_numbered(versions: tuple[kinerja.Ruleset, kinerja.Ruleset]) -> None:
    old, new = versions
    rows = [
        {"nilai_skp": "96", "nilai_perilaku": "70", "penilaian_360": "tidak"},  # 88.2: Cukup -> Baik
        {"nilai_skp": "96", "nilai_perilaku": "76", "penilaian_360": "tidak"},  # 90: Baik either way
        {"nilai_skp": "x", "nilai_perilaku": "76", "penilaian_360": "tidak"},  # invalid
    ]
    report = impact(old, new, rows)
    assert report.changed_ids == [1]
    assert [r.id for r in report.invalid] == [3]
    text = report.render("en")
    assert "3 rows; 1 with changed outputs; 1 invalid" in text
    assert "Cukup" in text and "invalid" in text


def test_valid_under_one_version_only_counts_as_changed() -> None:
    old = kinerja.load_text(RULES)
    narrower = kinerja.load_text(RULES.replace("version 1.0.0", "version 1.2.0").replace(
        "input nilai_perilaku: decimal [0, 120] places 2", "input nilai_perilaku: decimal [0, 100] places 2"))  # fmt: skip
    rows = [{"id": "a", "nilai_skp": "100", "nilai_perilaku": "110", "penilaian_360": "tidak"},
            {"id": "b", "nilai_skp": "100", "nilai_perilaku": "90", "penilaian_360": "tidak"}]  # fmt: skip
    report = impact(old, narrower, rows, id_column="id")
    assert report.changed_ids == ["a"]
    assert report.invalid[0].old is None and report.invalid[0].new
    assert report.transition_list() == [{"from": "Baik", "to": "Baik", "count": 1}, {"from": "Baik", "to": "invalid", "count": 1}]


def test_cli_impact_csv_and_jsonl(tmp_path: Path) -> None:
    old_path, new_path = tmp_path / "pp-30-2019@1.0.0.kin", tmp_path / "pp-30-2019@1.1.0.kin"
    old_path.write_text(RULES, encoding="utf-8")
    new_path.write_text(MOVED, encoding="utf-8")
    rows = population(300, seed=7)
    csv_path = tmp_path / "populasi.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    jsonl_path = tmp_path / "populasi.jsonl"
    jsonl_path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    expected = [r["nip"] for r in rows if expected_change(r)]
    runner = CliRunner()
    for path in (csv_path, jsonl_path):
        result = runner.invoke(impact_command, [str(old_path), str(new_path), str(path), "--format", "json", "--id", "nip"],
                               obj={"lang": "en"})  # fmt: skip
        assert result.exit_code == 0, result.output
        data = kinerja.parse_json(result.output)
        assert data["rows"] == 300 and data["changed_ids"] == expected
        assert sum(t["count"] for t in data["transitions"]) == 300
    text = runner.invoke(impact_command, [str(old_path), str(new_path), str(csv_path)], obj={"lang": "id"})
    assert text.exit_code == 0 and "300 baris" in text.output


def test_cli_impact_refuses_an_unknown_extension_as_a_usage_error(tmp_path: Path) -> None:
    population = tmp_path / "pegawai.txt"
    population.write_text("nilai_skp,nilai_perilaku,penilaian_360\n96,76,false\n", encoding="utf-8")
    result = CliRunner().invoke(impact_command, ["pp-30-2019", "pp-30-2019", str(population)], obj={"lang": "en"})
    assert result.exit_code == 2
    assert "unknown extension" in result.output and "pegawai.txt" in result.output
