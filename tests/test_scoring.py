"""`kinerja.score_records` gives, record by record, what `Ruleset.evaluate(..., text_values=True)` gives:
the same outputs (as exact text) for valid records, the same error codes for invalid ones, on every
shipped ruleset, whether the column path or the single-record path answered."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import kinerja
import pytest
from kinerja.semantics.values import ABSENT, to_json, value_text

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SHIPPED = sorted(p.stem for p in EXAMPLES.glob("*.json"))


def variants(record: dict[str, Any]) -> list[Any]:
    """The example, and the ways an app gets it wrong or writes it differently."""
    found: list[Any] = [record, dict(record)]
    for name, value in record.items():
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            found.append({**record, name: str(value)})  # a number sent as a string
            found.append({**record, name: value + Decimal("0.001")})  # more places than declared, often
            found.append({**record, name: value * 1000})  # out of range
            found.append({**record, name: True})  # a boolean for a number
        elif isinstance(value, bool):
            found.append({**record, name: "ya" if value else "tidak"})
            found.append({**record, name: 1})  # a number for a boolean: invalid in JSON
        elif isinstance(value, str):
            found.append({**record, name: value.lower() + "x"})  # not a label
            found.append({**record, name: 3})
        without = dict(record)
        del without[name]
        found.append(without)
    found += [{**record, "tidak_dikenal": 1}, "not a record", [record], {}]
    return found


def expected(ruleset: kinerja.Ruleset, record: Any) -> tuple[str, Any]:
    try:
        result = ruleset.evaluate(record, trace=False, text_values=True)
    except kinerja.KinerjaError as error:
        return ("error", [d.code for d in error.diagnostics])
    shown = {}
    for name, value in result.outputs.items():
        if value is ABSENT or value is None:
            shown[name] = None
        elif isinstance(value, list | dict):
            shown[name] = to_json(value, indent=None)
        else:
            shown[name] = value_text(value)
    return ("ok", shown)


@pytest.mark.parametrize("ref", SHIPPED)
def test_scoring_many_records_is_evaluating_each(ref: str) -> None:
    ruleset = kinerja.load(ref)
    record = kinerja.parse_json((EXAMPLES / f"{ref}.json").read_text(encoding="utf-8"))
    records = variants(record) * 3  # enough rows for the column path to take them
    scored = kinerja.score_records(ruleset, records)
    assert len(scored) == len(records)
    for index, one in enumerate(records):
        got = ("error", [d.code for d in scored.errors[index].diagnostics]) if index in scored.errors else \
            ("ok", {name: scored.outputs[name][index] for name in ruleset.output_names})  # fmt: skip
        assert got == expected(ruleset, one), (index, json.dumps(one, default=str))


def test_a_scorer_reused_across_calls_gives_the_same_answers() -> None:
    scorer = kinerja.RecordScorer(kinerja.load("pp-30-2019"))
    records = [{"nilai_skp": Decimal(n) / 4, "nilai_perilaku": 76, "penilaian_360": n % 2 == 0} for n in range(480)]
    first, second = scorer.score(records), scorer.score(list(reversed(records)))
    assert first.outputs["nilai_kinerja"] == list(reversed(second.outputs["nilai_kinerja"]))
    assert first.outputs["nilai_kinerja"][385] == "90.175"  # 70% × 96.25 + 30% × 76, exactly
    assert first.vectorised == second.vectorised == len(records)  # the column path took every one
