"""JSON Schemas generated from rulesets: the shipped examples, exact decimals, every problem with its path."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from kinerja import EvaluationError, InputError, Ruleset, load
from kinerja.cli.publish import schema_command
from kinerja.io.records import parse_record_text
from kinerja.publish.schema import diagnostic_path, input_schema, output_schema, validate_record
from kinerja.semantics.values import parse_json, to_json
from kinerja.syntax import tree as s

REPO = Path(__file__).resolve().parent.parent
SHIPPED = sorted((REPO / "rulesets").glob("*.kin"))


def _record(binding_value: object) -> object:
    """An example's given value as a JSON record would carry it (lists of records as dicts)."""
    if isinstance(binding_value, tuple):
        return [{k: _record(v.value) for k, v in item} for item in binding_value]
    return binding_value


def _examples(ruleset: Ruleset) -> list[tuple[s.ExampleDecl, dict[str, object]]]:
    return [(e, {b.name: _record(b.value.value) for b in e.given}) for e in ruleset.module.of_kind(s.ExampleDecl)]


@pytest.fixture(params=SHIPPED, ids=[p.stem for p in SHIPPED])
def shipped(request: pytest.FixtureRequest) -> Ruleset:
    return load(request.param)


def test_schemas_are_valid_draft_2020_12(shipped: Ruleset) -> None:
    for schema in (input_schema(shipped), output_schema(shipped)):
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert f"{shipped.id}@{shipped.version}" in schema["$id"]
        assert schema["additionalProperties"] is False
        # through its JSON text, as another system would read it
        Draft202012Validator.check_schema(json.loads(to_json(schema)))


def test_examples_validate_against_their_own_schema(shipped: Ruleset) -> None:
    """`expect invalid` examples are rejected naming their field; every other example is accepted."""
    examples = _examples(shipped)
    assert examples, f"{shipped.id} has no examples"
    for example, record in examples:
        problems = validate_record(shipped, parse_json(to_json(record)))
        if example.expect_invalid and problems:
            flagged = {str(diagnostic_path(p))[2:].split("[")[0].split(".")[0] for p in problems}
            assert set(example.expect_invalid) <= flagged, (example.title, [p.text("en") for p in problems])
        elif example.expect_invalid:
            # well-formed, but the case needs an optional input it left out: the evaluation says so (K704)
            with pytest.raises(EvaluationError) as caught:
                shipped.evaluate(record)
            wanting = {str(dict(d.args).get("field")) for d in caught.value.diagnostics if d.code == "K704"}
            assert set(example.expect_invalid) <= wanting, example.title
        else:
            assert problems == [], (example.title, [p.text("en") for p in problems])


def test_schema_agrees_with_the_engine_on_the_examples(shipped: Ruleset) -> None:
    """The schema and engine/inputs.py accept and reject the same records, on the same fields."""
    for example, record in _examples(shipped):
        problems = validate_record(shipped, parse_json(to_json(record)))
        try:
            shipped.validate(record)
            engine_fields: set[str] = set()
        except InputError as error:
            engine_fields = {f.split("[")[0].split(".")[0] for f in error.fields}
        schema_fields = {str(diagnostic_path(p))[2:].split("[")[0].split(".")[0] for p in problems}
        assert schema_fields == engine_fields, example.title


def test_three_problems_are_all_listed_with_their_paths() -> None:
    ruleset = load("pp-30-2019")
    record = parse_record_text('{"nilai_skp": 130, "penilaian_360": false, "nilai_sikap": 80}')
    problems = validate_record(ruleset, record)
    assert {(p.code, diagnostic_path(p)) for p in problems} == {
        ("K604", "$.nilai_skp"),
        ("K601", "$.nilai_perilaku"),
        ("K603", "$.nilai_sikap"),
    }
    english = {p.code: p.text("en") for p in problems}
    assert english["K604"] == "input `nilai_skp` = 130 is outside the range [0, 120]"
    assert "nilai_sikap" in english["K603"]
    indonesian = {p.code: p.text("id") for p in problems}
    assert indonesian["K601"].startswith("masukan `nilai_perilaku` wajib diisi")
    # the engine finds the same three
    with pytest.raises(InputError) as raised:
        ruleset.validate(record)
    assert sorted(d.code for d in raised.value.diagnostics) == sorted(p.code for p in problems)


def test_decimals_are_exact() -> None:
    """multipleOf 0.01 is the decimal 0.01: 109.99 passes, 109.991 fails, 0.1 + 0.2 problems never arise."""
    ruleset = load("pp-30-2019")
    schema = input_schema(ruleset)
    assert schema["properties"]["nilai_skp"]["multipleOf"] == Decimal("0.01")
    assert '"multipleOf": 0.01' in to_json(schema)
    base = '"nilai_perilaku": 76, "penilaian_360": false'
    for text, codes in (("109.99", []), ("0.07", []), ("120.00", []), ("109.991", ["K605"]), ("120.01", ["K604"])):
        record = parse_record_text(f'{{"nilai_skp": {text}, {base}}}')
        assert [p.code for p in validate_record(ruleset, record)] == codes, text


def test_nested_list_fields_have_paths() -> None:
    text = """
ruleset skp-daftar version 1.0.0
  title "Daftar target"
input target_skp: list of { target: decimal [0, 1000] places 2, realisasi: decimal [0, 1000] places 2 } "Target"
input hari: integer [0, 31] default 0 "Hari"
value jumlah = sum(x.realisasi for x in target_skp)
output jumlah "Jumlah"
"""
    from kinerja import load_text

    ruleset = load_text(text)
    schema = input_schema(ruleset)
    assert schema["required"] == ["target_skp"]
    assert schema["properties"]["hari"]["default"] == 0
    record = parse_json('{"target_skp": [{"target": 1, "realisasi": 1.005}, {"target": 2, "lain": 1}], "hari": 2.0}')
    found = {(p.code, diagnostic_path(p)) for p in validate_record(ruleset, record)}
    assert found == {
        ("K605", "$.target_skp[0].realisasi"),
        ("K603", "$.target_skp[1].lain"),
        ("K601", "$.target_skp[1].realisasi"),
    }  # 2.0 is a whole number: an integer input accepts it, as the engine does


def test_output_schema_lists_labels() -> None:
    ruleset = load("pp-30-2019")
    schema = output_schema(ruleset)
    assert schema["properties"]["predikat"]["enum"] == ["Sangat Baik", "Baik", "Cukup", "Kurang", "Sangat Kurang"]
    result = ruleset.evaluate({"nilai_skp": 96, "nilai_perilaku": 76, "penilaian_360": False})
    outputs = parse_json(to_json(result.outputs))
    from kinerja.publish.schema import validate_against

    assert validate_against(schema, outputs) == []


def test_cli_prints_valid_json() -> None:
    runner = CliRunner()
    for part in ("input", "output"):
        result = runner.invoke(schema_command, ["pp-30-2019", "--part", part], obj={"lang": "en"})
        assert result.exit_code == 0, result.output
        schema = json.loads(result.output)
        Draft202012Validator.check_schema(schema)
        assert schema["$id"].endswith(f"pp-30-2019@1.0.0:{part}")
    assert json.loads(runner.invoke(schema_command, ["pp-30-2019"]).output)["required"] == [
        "nilai_skp", "nilai_perilaku", "penilaian_360",
    ]  # fmt: skip
    missing = runner.invoke(schema_command, ["no-such-ruleset"], obj={"lang": "en"})
    assert missing.exit_code == 1
