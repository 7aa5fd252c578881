"""The published JSON Schema in ordinary validators that read JSON numbers as binary floats (issue 12, new users 5).

The same 12,001 two-place values from 0 to 120, as JSON text, through Python's jsonschema
(numbers read by the json module) and Ajv (numbers read by JSON.parse, installed from npm).
`multipleOf: 0.01` rejects some of them in both (4.35 / 0.01 is 434.99999999999994); the
schema `kinerja schema` publishes states places as `x-kinerja-places`, which both accept,
and which each enforces with the few lines the README shows.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import kinerja
import pytest
from jsonschema import Draft202012Validator, ValidationError, validators
from kinerja.publish.schema import input_schema, validate_record
from kinerja.semantics.values import parse_json, to_json

VALUES = [f"{i // 100}.{i % 100:02d}" for i in range(12_001)]
THREE_PLACES = ["4.355", "0.001", "119.999"]


def records(values: list[str]) -> list[str]:
    return [f'{{"nilai_skp": {v}, "nilai_perilaku": 76, "penilaian_360": false}}' for v in values]


def schema_text(numbers: str) -> str:
    return to_json(input_schema(kinerja.load("pp-30-2019"), numbers))


def places_validator() -> Any:
    """jsonschema extended with x-kinerja-places, as the README shows."""

    def places(validator: Any, allowed: int, instance: Any, schema: Any) -> Any:
        if isinstance(instance, float) and float(f"{instance:.{allowed}f}") != instance:
            yield ValidationError(f"{instance} has more than {allowed} decimal places")

    return validators.extend(Draft202012Validator, {"x-kinerja-places": places})


def test_jsonschema_with_floats() -> None:
    decimal_schema = json.loads(schema_text("decimal"))
    float_schema = json.loads(schema_text("float"))
    assert "multipleOf" in decimal_schema["properties"]["nilai_skp"] and "multipleOf" not in float_schema["properties"]["nilai_skp"]
    assert float_schema["properties"]["nilai_skp"]["x-kinerja-places"] == 2
    plain = [json.loads(r) for r in records(VALUES)]
    trap = Draft202012Validator(decimal_schema)
    rejected = [r["nilai_skp"] for r in plain if not trap.is_valid(r)]
    assert len(rejected) > 1000 and 4.35 in rejected  # the trap the float schema avoids
    ordinary = Draft202012Validator(float_schema)
    assert all(ordinary.is_valid(r) for r in plain)
    enforcing = places_validator()(float_schema)
    assert all(enforcing.is_valid(r) for r in plain)
    assert not any(enforcing.is_valid(json.loads(r)) for r in records(THREE_PLACES))


def test_kinerjas_own_validator_reads_both_forms() -> None:
    ruleset = kinerja.load("pp-30-2019")
    for text, codes in (("4.35", []), ("4.355", ["K605"]), ("120.01", ["K604"])):
        record = parse_json(records([text])[0])
        assert [p.code for p in validate_record(ruleset, record)] == codes
        from kinerja.publish.schema import validate_against

        assert [p.code for p in validate_against(input_schema(ruleset, "float"), record)] == codes


AJV_SCRIPT = r"""
const Ajv = require("ajv/dist/2020");
const fs = require("fs");
const [schemaFile, recordsFile, enforce] = process.argv.slice(2);
const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8"));
const ajv = new Ajv({allErrors: true});
// Ajv's strict mode refuses keywords it does not know: kinerja's are annotations, declared once
const words = new Set();
(function walk(node) {
  if (node && typeof node === "object") for (const [k, v] of Object.entries(node)) { if (k.startsWith("x-kinerja-")) words.add(k); walk(v); }
})(schema);
words.delete("x-kinerja-places");
ajv.addVocabulary([...words]);
if (enforce === "yes") {
  ajv.addKeyword({keyword: "x-kinerja-places", type: "number", schemaType: "number",
                  validate: (places, data) => Number(data.toFixed(places)) === data});
} else {
  ajv.addVocabulary(["x-kinerja-places"]);
}
const validate = ajv.compile(schema);
const lines = fs.readFileSync(recordsFile, "utf8").split("\n").filter(Boolean);
let rejected = 0;
for (const line of lines) if (!validate(JSON.parse(line))) rejected++;
console.log(JSON.stringify({checked: lines.length, rejected}));
"""


@pytest.fixture(scope="module")
def ajv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.skip("node and npm are not installed")
    folder = tmp_path_factory.mktemp("ajv")
    subprocess.run([npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(folder), "ajv@8"], check=True,
                   capture_output=True, timeout=300)  # fmt: skip
    (folder / "check.js").write_text(AJV_SCRIPT, encoding="utf-8")
    return folder


def run_ajv(folder: Path, numbers: str, values: list[str], enforce: bool) -> dict[str, int]:
    (folder / "schema.json").write_text(schema_text(numbers), encoding="utf-8")
    (folder / "records.jsonl").write_text("\n".join(records(values)) + "\n", encoding="utf-8")
    done = subprocess.run(["node", str(folder / "check.js"), str(folder / "schema.json"), str(folder / "records.jsonl"),
                           "yes" if enforce else "no"], capture_output=True, text=True, cwd=folder, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_ajv_with_floats(ajv: Path) -> None:
    trap = run_ajv(ajv, "decimal", VALUES, enforce=False)
    assert trap["checked"] == 12_001 and trap["rejected"] > 1000
    assert run_ajv(ajv, "float", VALUES, enforce=False) == {"checked": 12_001, "rejected": 0}
    assert run_ajv(ajv, "float", VALUES, enforce=True) == {"checked": 12_001, "rejected": 0}
    assert run_ajv(ajv, "float", THREE_PLACES, enforce=True) == {"checked": 3, "rejected": 3}
