"""One coercion policy for every entry point, bounded records, and the API's defaults (issues 12, 17, 19)."""

from __future__ import annotations

import json
import os
import time
from decimal import Decimal
from pathlib import Path

import kinerja
import pytest
from click.testing import CliRunner
from kinerja.cli.main import main
from kinerja.eval.inputs import places_of
from kinerja.io.records import parse_record_text
from kinerja.library import api

REPO = Path(__file__).resolve().parent.parent
RECORD = {"nilai_skp": 96, "nilai_perilaku": 76, "penilaian_360": False}


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    done = CliRunner().invoke(main, ["--lang", "en", *args], input=stdin)
    return done.exit_code, done.stdout, done.stderr


# a record written for kmk-127-2026@1.0.0 (its example before 2.0.0): two inputs KMK 300 does not have
KMK127 = {"nhk": 108.75, "npk": 101.5, "tugas_belajar_gagal": False, "pemilik_peta_strategi": False, "jpt_madya": False,
          "pengurangan_disiplin": 0, "nko": 106.2, "k3_kualitas": 1.2, "k3_target": 1.0}  # fmt: skip


def test_eval_with_as_of_ignores_the_named_versions_inputs_with_a_warning(tmp_path: Path) -> None:
    source = tmp_path / "kmk.json"
    source.write_text(json.dumps(KMK127), encoding="utf-8")
    code, out, err = run("eval", "kmk-127-2026", str(source), "--as-of", "2024-12-31")
    assert code == 0, err
    assert "kmk-300-2022@1.0.0" in out
    assert "K608" in err and "`jpt_madya`" in err and "`pengurangan_disiplin`" in err
    # the same record with the version it was written for: no warning
    code, _, err = run("eval", "kmk-127-2026@1.0.0", str(source))
    assert code == 0 and "K608" not in err
    # a key no version of the line knows is still an error
    source.write_text(json.dumps({**KMK127, "nilai_sikap": 1}), encoding="utf-8")
    code, _, err = run("eval", "kmk-127-2026", str(source), "--as-of", "2024-12-31")
    assert code == 1 and "K603" in err and "`nilai_sikap`" in err


def test_unknown_keys_are_rejected_unless_ignored() -> None:
    record = json.dumps({**RECORD, "nip": "1990"})
    code, _, err = run("eval", "pp-30-2019", "-", stdin=record)
    assert code == 1 and "K603" in err
    code, out, err = run("eval", "pp-30-2019", "-", "--unknown", "ignore", stdin=record)
    assert code == 0 and "<stdin>: warning K607: input `nip` is not known to pp-30-2019@1.0.0 and is ignored" in err
    assert "predikat = Baik" in out
    ruleset = kinerja.load("pp-30-2019")
    with pytest.raises(kinerja.InputError):
        ruleset.evaluate({**RECORD, "nip": "1990"})
    assert ruleset.evaluate({**RECORD, "nip": "1990"}, unknown="ignore").outputs["predikat"] == "Baik"


def test_text_values_only_when_asked() -> None:
    record = json.dumps({"nilai_skp": "96,5", "nilai_perilaku": "76", "penilaian_360": "tidak"})
    code, _, err = run("eval", "pp-30-2019", "-", stdin=record)
    assert code == 1 and "K602" in err
    code, out, _ = run("eval", "pp-30-2019", "-", "--coerce", "text", stdin=record)
    assert code == 0 and "nilai_kinerja = 90.35" in out


def test_yaml_aliases_are_refused_at_once() -> None:
    levels = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for name, previous in zip("bcdefgh", "abcdefg", strict=True):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    bomb = "\n".join(levels) + "\n"
    assert len(bomb) < 600
    start = time.perf_counter()
    with pytest.raises(kinerja.InputError) as caught:
        parse_record_text(bomb, "bomb.yaml")
    assert time.perf_counter() - start < 5  # a bound, not a timing: expanded it would take minutes
    text = caught.value.diagnostics[0].text("en")
    assert "aliases" in text and "line 2" in text
    assert parse_record_text("nilai_skp: 96.5\npenilaian_360: false\n") == {"nilai_skp": Decimal("96.5"), "penilaian_360": False}


def test_huge_and_tiny_exponents_are_positioned_errors_at_once() -> None:
    ruleset = kinerja.load("pp-30-2019")
    for text, code in (("1e999999999", "K604"), ("1E-9999999999", "K605"), ("-1e999999999", "K604")):
        record = parse_record_text(f'{{"nilai_skp": {text}, "nilai_perilaku": 76, "penilaian_360": false}}')
        with pytest.raises(kinerja.InputError) as caught:
            ruleset.evaluate(record)
        (problem,) = caught.value.diagnostics
        assert problem.code == code and len(problem.text("en")) < 200
    assert places_of(Decimal("1E-9999999999")) == 9_999_999_999 and places_of(Decimal("96.430")) == 2
    assert places_of(Decimal("0E-99")) == 0 and places_of(Decimal("1E+5")) == 0


def test_evaluate_builds_a_trace_only_when_asked() -> None:
    ruleset = kinerja.load("pp-30-2019")
    assert ruleset.evaluate(RECORD).trace == ()
    assert ruleset.evaluate(RECORD, trace=True).trace
    assert kinerja.evaluate("pp-30-2019", RECORD).trace == ()
    code, out, _ = run("eval", "pp-30-2019", str(REPO / "examples" / "pp-30-2019.json"))
    assert code == 0 and "Trace:" in out and "bobot" in out  # eval still shows every decision


def test_module_level_evaluate_parses_a_file_once_while_it_is_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = (REPO / "rulesets" / "pp-30-2019@1.0.0.kin").read_text(encoding="utf-8")
    path = tmp_path / "mine.kin"
    path.write_text(source, encoding="utf-8")
    first = kinerja.evaluate(str(path), RECORD)
    loads: list[str] = []
    original = api.load
    monkeypatch.setattr(api, "load", lambda ref, **kw: loads.append(str(ref)) or original(ref, **kw))
    for _ in range(5):
        assert kinerja.evaluate(str(path), RECORD).outputs == first.outputs
    assert loads == []
    path.write_text(source.replace("[90, 120]  -> \"Baik\"", "[91, 120]  -> \"Baik\"").replace("[70, 90)", "[70, 91)"),
                    encoding="utf-8")  # fmt: skip
    stamp = path.stat().st_mtime_ns + 1_000_000_000
    os.utime(path, ns=(stamp, stamp))
    changed = kinerja.evaluate(str(path), RECORD)
    assert loads == [str(path)] and changed.outputs["predikat"] == "Cukup"
