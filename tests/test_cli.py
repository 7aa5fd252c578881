"""The `kinerja` command line, run in-process; outputs are compared with golden files.

Refresh the golden files after an intended change with
`KINERJA_UPDATE_GOLDEN=1 python -m pytest tests/test_cli.py` and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from kinerja.cli.main import main

HERE = Path(__file__).parent
REPO = HERE.parent
GOLDEN = HERE / "golden"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), obj={}, catch_exceptions=False)
    return result.exit_code, result.output


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    text = text.replace(str(REPO) + os.sep, "")
    if os.environ.get("KINERJA_UPDATE_GOLDEN") or not path.exists():
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


EXAMPLE = str(REPO / "examples" / "pp-30-2019.json")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_eval_text(lang: str) -> None:
    code, out = run("--lang", lang, "eval", "pp-30-2019", EXAMPLE)
    assert code == 0
    golden(f"eval-pp30-{lang}.txt", out)


def test_eval_json_shape() -> None:
    code, out = run("eval", "pp-30-2019", EXAMPLE, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["outputs"] == {"nilai_kinerja": 90, "predikat": "Baik"}
    assert data["ruleset"]["id"] == "pp-30-2019" and data["ruleset"]["fingerprint"].startswith("sha256:")
    golden("eval-pp30.json", out)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_invalid_input_lists_every_problem_and_exits_1(lang: str) -> None:
    code, out = run("--lang", lang, "eval", "pp-30-2019", str(HERE / "data" / "salah-input.json"))
    assert code == 1
    for field in ("nilai_skp", "nilai_prilaku", "penilaian_360", "nilai_perilaku"):
        assert field in out
    golden(f"invalid-input-{lang}.txt", out)


def test_broken_ruleset_check_reports_all_problems_with_carets() -> None:
    code, out = run("--lang", "en", "check", str(HERE / "data" / "rusak.kin"))
    assert code == 1
    assert "K006" in out and "K002" in out and "^" in out
    golden("check-rusak-en.txt", out)


def test_check_json_gives_one_object_per_finding() -> None:
    code, out = run("check", str(HERE / "data" / "rusak.kin"), "--format", "json")
    assert code == 1
    findings = json.loads(out)
    findings = findings["findings"] if isinstance(findings, dict) else findings
    assert {f["code"] for f in findings} >= {"K006", "K002"}
    for f in findings:
        assert {"code", "severity", "file", "line", "column", "message"} <= set(f)


def test_test_command_counts_passes() -> None:
    code, out = run("test", "pp-30-2019")
    assert code == 0
    assert out.rstrip().endswith("16 passed, 0 failed")


def test_unknown_ruleset_exits_1_and_names_it() -> None:
    code, out = run("--lang", "en", "eval", "pp-30-2091", EXAMPLE)
    assert code == 1 and "pp-30-2091" in out


@pytest.mark.parametrize("lang", ["id", "en"])
def test_explain_reads_aloud(lang: str) -> None:
    code, out = run("--lang", lang, "explain", "pp-30-2019", EXAMPLE)
    assert code == 0
    assert "70%" in out and "90" in out and "Pasal 41" in out
    golden(f"explain-pp30-{lang}.txt", out)


@pytest.mark.parametrize(("lang", "words"), [("id", "Menilai satu rekaman"), ("en", "Evaluate one record")])
def test_help_summaries_exist_in_both_languages(lang: str, words: str) -> None:
    code, out = run("--lang", lang, "--help")
    assert code == 0 and words in out
    code, out = run("--lang", lang, "eval", "--help")
    assert code == 0 and words in out
