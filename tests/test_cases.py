"""Shared case corpora: one ruleset, some records, the expected outputs, run on every path.

Each `tests/cases/*.yaml` is a list of cases (read with kinerja's own YAML reader, so numbers
are exact decimals):

    - name: what the case shows
      ruleset: pp-30-2019          # a shipped ruleset, or
      rules: |                     # a snippet; the standard header is put in front
        input n: integer [0, 10]
        ...
      vector: compiles             # (default) the column path must compile the ruleset;
                                   # `unsupported`: it must decline the whole ruleset
      records:
        - given: {n: 6}            # one input record
          expect: {t: "b"}         # outputs as text (value_text): `-` for absent
        - given: {n: 5}
          error: [K702]            # the codes the single-record path raises; the column path declines the row
        - given: {x: 1}
          expect: {v: "0.3333…"}
          vector: declines         # answered by the single-record path, declined by the column path

Every record runs three ways: the single-record path on typed values (`Ruleset.evaluate`), the
same on the text a batch cell holds (`text_values=True`), and all records of a case at once
as text columns through the vector plan (`kinerja.vector.plan.plan_for`). The paths must agree
with the expectation, and so with one another.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import harness
import kinerja
import pytest
from kinerja.diagnostics.diagnostic import KinerjaError
from kinerja.io.records import parse_record_text
from kinerja.semantics.values import value_text
from kinerja.vector.plan import VectorPlan, plan_for, why_not

CORPORA = Path(__file__).parent / "cases"
CASE_KEYS = {"name", "ruleset", "rules", "vector", "records"}
RECORD_KEYS = {"given", "expect", "error", "vector"}


def _corpus() -> list[dict[str, Any]]:
    found = []
    for path in sorted(CORPORA.glob("*.yaml")):
        for case in parse_record_text(path.read_text(encoding="utf-8"), str(path)):
            assert set(case) <= CASE_KEYS and case.get("records"), (path.name, case.get("name"))
            assert ("ruleset" in case) != ("rules" in case), f"{case['name']}: either `ruleset` or `rules`"
            for record in case["records"]:
                assert set(record) <= RECORD_KEYS and ("expect" in record) != ("error" in record), (case["name"], record)
            found.append({**case, "file": path.stem})
    return found


CASES = _corpus()


@cache
def _ruleset(ref: str | None, rules: str | None) -> kinerja.Ruleset:
    return kinerja.load(ref) if ref else kinerja.load_text(harness.HEADER + (rules or ""), "case.kin")


def _text(value: Any) -> Any:
    """A typed value as a batch cell (or a JSON text field) would hold it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, list):
        return [_text(v) for v in value]
    if isinstance(value, dict):
        return {k: _text(v) for k, v in value.items()}
    return value


def _scalar(ruleset: kinerja.Ruleset, record: dict[str, Any], text: bool) -> dict[str, str] | list[str]:
    """Outputs as text, or the codes of the error raised."""
    try:
        result = ruleset.evaluate(_text(record) if text else record, text_values=text)
    except KinerjaError as error:
        return [d.code for d in error.diagnostics]
    return {name: value_text(value) for name, value in result.outputs.items()}


def test_there_is_a_corpus() -> None:
    assert len(CASES) >= 10 and sum(len(c["records"]) for c in CASES) >= 60


@pytest.mark.parametrize("case", CASES, ids=[f"{c['file']}:{c['name']}" for c in CASES])
def test_single_record_path(case: dict[str, Any]) -> None:
    ruleset = _ruleset(case.get("ruleset"), case.get("rules"))
    for record in case["records"]:
        given = record.get("given") or {}
        for text in (False, True):
            found = _scalar(ruleset, given, text)
            if "error" in record:
                assert found == record["error"], (given, "text" if text else "typed", found)
            else:
                assert isinstance(found, dict), (given, "text" if text else "typed", found)
                assert {k: found.get(k) for k in record["expect"]} == record["expect"], (given, "text" if text else "typed")


@pytest.mark.parametrize("case", CASES, ids=[f"{c['file']}:{c['name']}" for c in CASES])
def test_column_path(case: dict[str, Any]) -> None:
    ruleset = _ruleset(case.get("ruleset"), case.get("rules"))
    plan = plan_for(ruleset)
    if case.get("vector") == "unsupported":
        assert plan is None, "the column path compiles a ruleset this case says it declines"
        return
    assert plan is not None, why_not(ruleset)
    _run_columns(plan, case["records"])


def _run_columns(plan: VectorPlan, records: list[dict[str, Any]]) -> None:
    rows = len(records)
    names = sorted({name for record in records for name in record.get("given") or {}})
    columns = {name: [_text((r.get("given") or {}).get(name, "")) for r in records] for name in names}
    outcome = plan.evaluate_text_columns(columns, rows)
    for i, record in enumerate(records):
        answered = bool(outcome.ok[i])
        if "error" in record or record.get("vector") == "declines":
            assert not answered, (record, {k: v[i] for k, v in outcome.outputs.items()})
            continue
        assert answered, f"the column path declines {record['given']}"
        assert {k: outcome.outputs[k][i] for k in record["expect"]} == record["expect"], record["given"]
