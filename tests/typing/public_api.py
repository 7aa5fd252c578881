"""Every public entry point of `kinerja`, used as a developer would: `mypy --strict` must accept it.

Checked by `tests/test_typing.py` (never imported by pytest: it writes files when run).
"""

from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import kinerja


def single_employee() -> str:
    ruleset: kinerja.Ruleset = kinerja.load("pp-30-2019")
    result: kinerja.Result = ruleset.evaluate({"nilai_skp": 96, "nilai_perilaku": 76, "penilaian_360": False})
    label: object = result.outputs["predikat"]
    score = result.outputs["nilai_kinerja"]
    assert isinstance(score, Decimal)
    steps: tuple[kinerja.TraceStep, ...] = result.trace
    ref: kinerja.RulesetRef = result.ruleset
    explained: str = kinerja.explain(ruleset, result, "en")
    same: kinerja.Result = kinerja.evaluate("pp-30-2019", {"nilai_skp": 96, "nilai_perilaku": 76, "penilaian_360": False})
    return f"{label} {kinerja.decimal_text(score)} {len(steps)} {ref.fingerprint} {explained} {same.outputs}"


def errors() -> list[str]:
    codes: list[str] = []
    ruleset = kinerja.load("pp-30-2019")
    try:
        ruleset.evaluate({"nilai_skp": 130, "nilai_perilaku": 76, "penilaian_360": False})
    except kinerja.InputError as error:
        codes += [d.code for d in error.diagnostics] + error.fields
    except kinerja.EvaluationError as error:
        codes += [d.code for d in error.errors]
    try:
        kinerja.load("no-such-ruleset")
    except kinerja.RulesetNotFound as error:
        codes.append(error.render("en"))
    try:
        kinerja.load_text("ruleset x version 1.0.0\ninput a decimal\n")
    except kinerja.RulesetError as error:
        found: list[kinerja.Diagnostic] = error.diagnostics
        codes += [f"{d.code} {d.span.line}:{d.span.column} {d.render('id')} {d.to_dict('en')}" for d in found]
    except kinerja.KinerjaError:
        pass
    return codes


def library_and_checks() -> int:
    library = kinerja.Library(folders=(Path("rulesets"),))
    chosen: kinerja.Selection = kinerja.select("kmk-300-2022", as_of=date(2026, 3, 1))
    note: str | None = chosen.note("en")
    infos: list[kinerja.RulesetInfo] = kinerja.list_rulesets()
    found: list[kinerja.Diagnostic] = kinerja.check("pp-30-2019") + kinerja.check_text("ruleset x version 1.0.0\n")
    outcomes: list[kinerja.ExampleOutcome] = library.load("pp-30-2019").run_examples()
    default: kinerja.Library = kinerja.default_library()
    module = kinerja.parse("ruleset x version 1.0.0\n", "x.kin")
    return len(infos) + len(found) + len(outcomes) + len(note or "") + len(default.folders) + len(module.declarations)


def audit_and_publish() -> str:
    old, new = kinerja.load("kmk-300-2022"), kinerja.load("kmk-127-2026")
    changes = kinerja.diff(old, new)
    moved = kinerja.impact(old, new, [{"nip": "1"}], "nip", "en")
    schema: dict[str, object] = kinerja.input_schema(new)
    outputs: dict[str, object] = kinerja.output_schema(new)
    problems: list[kinerja.Diagnostic] = kinerja.validate_record(new, {"x": 1})
    document: str = kinerja.render_document(new, "md", "en")
    record = kinerja.parse_json('{"nilai_skp": 96.5}')
    text: str = kinerja.to_json(record)
    return f"{changes.summary('en')} {moved.render('en')} {schema} {outputs} {problems} {document} {text}"


def whole_workforce() -> int:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "pegawai.csv"
        source.write_text("nip,nilai_skp,nilai_perilaku,penilaian_360\n1,96,76,false\n", encoding="utf-8")
        report: kinerja.BatchReport = kinerja.batch("pp-30-2019", source, Path(folder) / "hasil.csv", id_column="nip")
        return report.rows - report.errors
