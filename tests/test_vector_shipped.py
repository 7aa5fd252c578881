"""The batch's column path agrees with the single-record evaluator on every shipped ruleset.

tests/test_vector.py proves the law construct by construct; this runs it over the real
rulesets a batch meets, on random text cells (in range, at the edges, out of range, garbage,
empty), so a regulation that uses constructs in a new combination cannot slip through.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import kinerja
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kinerja.semantics import types as t
from kinerja.semantics.values import value_text
from kinerja.vector.plan import plan_for, why_not

SHIPPED = sorted((Path(__file__).resolve().parents[1] / "rulesets").glob("*.kin"))

# Shipped rulesets the column path declines as a whole, and why. A batch of them falls back to
# the single-record path for every row (tested below). Values per item of a list, nested lists,
# optional fields and picks compile (tests/test_vector_items.py); what is left is named here, and
# `why_not` must still say it, so an entry moves to the compiled ones when it no longer holds.
DECLINED: dict[str, tuple[str, str]] = {}  # ruleset ref -> (what `why_not` says, why)
COMPILED = [p for p in SHIPPED if p.stem not in DECLINED]


def _cell(typ: t.Type, rng: random.Random, blank: float) -> str:
    roll = rng.random()
    if roll < blank:
        return ""
    if isinstance(typ, t.ListT):  # a list cell is its JSON text, as a batch reads it from CSV
        if roll < blank + 0.03:
            return rng.choice(["[{", "abc", "[1, 2]", "{}"])
        return kinerja.to_json(_value(typ, rng), indent=None)
    if isinstance(typ, t.NumberT):
        low = typ.low if typ.low is not None else Decimal(0)
        high = typ.high if typ.high is not None else Decimal(200)
        step = Decimal(1).scaleb(-(0 if typ.integer else (typ.places if typ.places is not None else 2)))
        if roll < blank + 0.03:
            return value_text(high + step)
        if roll < blank + 0.05:
            return "abc"
        edges = [low, high, low + step, high - step]
        if roll < blank + 0.15:
            return value_text(rng.choice(edges))
        return value_text(low + step * rng.randint(0, int((high - low) / step)))
    if isinstance(typ, t.BoolT):
        return rng.choice(["true", "false", "ya"] if roll < blank + 0.05 else ["true", "false"])
    if isinstance(typ, t.LabelT):
        return rng.choice([*typ.labels, "Tidak Dikenal"] if roll < blank + 0.05 else list(typ.labels))
    return ""


@pytest.mark.parametrize("path", COMPILED, ids=[p.stem for p in COMPILED])
def test_column_path_matches_single_records(path: Path) -> None:
    ruleset = kinerja.load(path)
    plan = plan_for(ruleset)
    # every shipped ruleset not listed in DECLINED compiles (pedoman-daerah's `when` rubrics included)
    assert plan is not None, why_not(ruleset)
    rng = random.Random(path.stem)
    rows = 400
    blank = 0.15 if len(ruleset.input_names) < 10 else 0.01  # wide surveys still get complete rows
    columns = {n: [_cell(ruleset.checked.types[n], rng, blank) for _ in range(rows)] for n in ruleset.input_names}
    outcome = plan.evaluate_text_columns(columns, rows)
    answered = 0
    for i in range(rows):
        record = {n: columns[n][i] for n in ruleset.input_names if columns[n][i] != ""}
        try:
            result = ruleset.evaluate(record, trace=False, text_values=True)
        except kinerja.KinerjaError:
            assert not outcome.ok[i], f"row {i} is invalid for the single path but the column path answered it: {record}"
            continue
        if outcome.ok[i]:
            answered += 1
            truth = {k: value_text(v) for k, v in result.outputs.items()}
            assert {k: outcome.outputs[k][i] for k in truth} == truth, record
    assert answered > 0, "the column path declined every row"


# ------------------------------------------------------------------------ the law, by hypothesis
def _text_cell(typ: t.Type) -> st.SearchStrategy[str]:
    if isinstance(typ, t.NumberT):
        low = typ.low if typ.low is not None else Decimal(0)
        high = typ.high if typ.high is not None else Decimal(200)
        places = 0 if typ.integer else (typ.places if typ.places is not None else 2)
        grid = st.integers(int(low.scaleb(places)), int(high.scaleb(places))).map(lambda n: value_text(Decimal(n).scaleb(-places)))
        edges = st.sampled_from([value_text(x) for x in (low, high, high + 1, low - 1)] + ["abc", "", "1e2"])
        return st.one_of(grid, grid, grid, edges)
    if isinstance(typ, t.BoolT):
        return st.sampled_from(["true", "false", "true", "false", "ya", ""])
    if isinstance(typ, t.LabelT):
        return st.one_of(st.sampled_from(typ.labels), st.sampled_from(["", "Tidak Dikenal"]))
    if isinstance(typ, t.ListT):  # JSON text of a random list (mostly valid: see `_value`), or none, or garbage
        lists = st.integers(0, 2**32).map(lambda seed: kinerja.to_json(_value(typ, random.Random(seed)), indent=None))
        return st.one_of(lists, lists, lists, st.sampled_from(["", "[]", "[{", "[1]"]))
    return st.just("")


@pytest.mark.parametrize("path", COMPILED, ids=[p.stem for p in COMPILED])
def test_law_scalar_equals_vector(path: Path) -> None:
    """For any population: every row the column path answers is the single-record answer, and every row the
    single-record path evaluates is answered (no fallback on any shipped ruleset), but one case (see below)."""
    ruleset = kinerja.load(path)
    plan = plan_for(ruleset)
    assert plan is not None, why_not(ruleset)
    names = ruleset.input_names
    row = st.fixed_dictionaries({n: _text_cell(ruleset.checked.types[n]) for n in names})

    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.lists(row, min_size=1, max_size=30))
    def law(records: list[dict[str, str]]) -> None:
        columns = {n: [r[n] for r in records] for n in names}
        outcome = plan.evaluate_text_columns(columns, len(records))
        for i, record in enumerate(records):
            given_cells = {k: v for k, v in record.items() if v != ""}
            try:
                result = ruleset.evaluate(given_cells, trace=False, text_values=True)
            except kinerja.KinerjaError:
                assert not outcome.ok[i], given_cells
                continue
            evaluated[0] += 1
            if not outcome.ok[i]:
                # left to the single-record path: a row giving an `override input` definition while an input
                # only that definition's computation reads is missing (the scalar path excuses it per row), or
                # a row of lists whose exact sums need denominators past 64 bits (see kinerja.vector.lists)
                assert with_lists or any(n in given_cells for n in ruleset.ir.suppliable), given_cells
                continue
            answered[0] += 1
            assert {k: outcome.outputs[k][i] for k in result.outputs} == {k: value_text(v) for k, v in result.outputs.items()}

    with_lists = any(isinstance(ruleset.checked.types[n], t.ListT) for n in names)
    evaluated, answered = [0], [0]
    law()
    if with_lists:  # declines for exactness are rare: most valid rows are answered on the column path
        assert answered[0] >= 0.8 * evaluated[0], f"the column path answered {answered[0]} of {evaluated[0]} valid rows"


def _value(typ: t.Type, rng: random.Random, depth: int = 0) -> object:
    """A random JSON value of a type, mostly valid: lists of records hold 0 to 3 items."""
    if isinstance(typ, t.ListT):
        record = typ.item
        return [_value(record, rng, depth + 1) for _ in range(rng.randint(0 if depth else 1, 3))]
    if isinstance(typ, t.RecordT):
        return {name: _value(ft, rng, depth) for name, ft in typ.fields if name not in typ.optional or rng.random() < 0.5}
    if isinstance(typ, t.NumberT):
        low = max(typ.low if typ.low is not None else Decimal(0), Decimal(-200))
        high = min(typ.high if typ.high is not None else Decimal(200), Decimal(200))
        step = Decimal(1) if typ.integer else Decimal("0.5")
        return low + step * rng.randint(0, int((high - low) / step)) if high > low else low
    if isinstance(typ, t.BoolT):
        return rng.random() < 0.5
    if isinstance(typ, t.LabelT):
        return rng.choice(typ.labels)
    return None


@pytest.mark.parametrize("ruleset_ref", sorted(DECLINED))
def test_declined_rulesets_batch_on_the_single_record_path(ruleset_ref: str, tmp_path: Path) -> None:
    ruleset = kinerja.load(ruleset_ref)
    assert plan_for(ruleset) is None and DECLINED[ruleset_ref][0] in str(why_not(ruleset)), DECLINED[ruleset_ref][1]
    rng = random.Random(ruleset_ref)
    records = []
    for number in range(60):
        record = {"id": number}
        for name in ruleset.input_names:
            if rng.random() < (0.35 if isinstance(ruleset.checked.types[name], t.ListT) else 0.75):
                record[name] = _value(ruleset.checked.types[name], rng)
        records.append(record)
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("\n".join(kinerja.to_json(r, indent=None) for r in records) + "\n", encoding="utf-8")
    report = kinerja.batch(ruleset, source, target, id_column="id", lang="en")
    assert report.rows == len(records) and report.vectorised == 0
    rows = [kinerja.parse_json(line) for line in target.read_text(encoding="utf-8").splitlines()]
    answered = with_lists = 0
    for record, row in zip(records, rows, strict=True):
        given = {k: v for k, v in record.items() if k != "id"}
        try:
            outputs = ruleset.evaluate(given, trace=False).outputs
        except kinerja.KinerjaError:
            assert row["error"], given
            continue
        answered += 1
        with_lists += any(isinstance(v, list) for v in given.values())
        assert not row["error"], (given, row["error"])
        for name, value in outputs.items():
            shown = "-" if row[name] is None else value_text(row[name])
            assert shown == value_text(value), (name, given)
    assert answered > 0 and with_lists > 0, "no generated record with a list was answered"
