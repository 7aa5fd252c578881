"""Every invalid row of a batch carries the text `Ruleset.evaluate` gives the same cells, on every shipped ruleset.

The batch works out a row's validation problems per distinct cell (`Scorer._field_texts`); this checks
that the joined texts are, row for row, what the single-record path says — one bad cell, several, blank
cells, defaults and optional inputs — and that a row that validates still goes the whole way.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

import kinerja
import pytest
from kinerja.io.chunk import cell_text
from kinerja.semantics.values import to_json

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SHIPPED = sorted(p.stem for p in EXAMPLES.glob("*.json"))


def cell(value: Any) -> str:
    return to_json(value, indent=None) if isinstance(value, list | dict) else cell_text(value)


def rows_of(record: dict[str, Any]) -> list[dict[str, str]]:
    """The example as cells, and cells gone wrong: one field, two fields, blanks, other forms."""
    base = {name: cell(value) for name, value in record.items()}
    found = [dict(base)]
    broken = {"abc", "", "  ", "1e3", "-5", "12.34567", "130", "ya", "[1, 2]", "Sangat Baik x"}
    names = list(base)
    for at, name in enumerate(names):
        for text in sorted(broken):
            found.append({**base, name: text})
            other = names[(at + 1) % len(names)]
            found.append({**base, name: text, other: "abc"})
    found.append({name: "" for name in names})
    return found


@pytest.mark.parametrize("ref", SHIPPED)
def test_batch_error_texts_are_the_single_record_texts(ref: str, tmp_path: Path) -> None:
    ruleset = kinerja.load(ref)
    record = kinerja.parse_json((EXAMPLES / f"{ref}.json").read_text(encoding="utf-8"))
    rows = rows_of({k: v for k, v in record.items() if k in ruleset.checked.inputs})
    header = list(rows[0])
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows([row[name] for name in header] for row in rows)
    kinerja.batch(ruleset, source, target, lang="en")
    with target.open(newline="", encoding="utf-8") as handle:
        written = list(csv.DictReader(handle))
    assert len(written) == len(rows)
    for index, (row, out) in enumerate(zip(rows, written, strict=True)):
        cells = {name: text for name, text in row.items() if text != ""}
        try:
            ruleset.evaluate(cells, trace=False, text_values=True)
            want = ""
        except kinerja.KinerjaError as error:
            want = "; ".join(d.text("en") for d in error.diagnostics)
        assert out["error"] == want, (index, row)


def test_decimal_cells_keep_their_own_text_in_the_error(tmp_path: Path) -> None:
    """1.0 and 1.00 are equal decimals but different cells: each error names its own."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    source, target = tmp_path / "in.parquet", tmp_path / "out.csv"
    values = [Decimal("130.0"), Decimal("130.00"), Decimal("130.0"), Decimal("-1.000")]
    pq.write_table(pa.table({"nilai_skp": pa.array(values, pa.decimal128(6, 3)),
                             "nilai_perilaku": pa.array([Decimal(80)] * 4, pa.decimal128(6, 3)),
                             "penilaian_360": [True] * 4}), source)  # fmt: skip
    kinerja.batch("pp-30-2019", source, target, lang="en")
    with target.open(newline="", encoding="utf-8") as handle:
        errors = [row["error"] for row in csv.DictReader(handle)]
    ruleset = kinerja.load("pp-30-2019")
    for value, error in zip(pq.read_table(source).column("nilai_skp").to_pylist(), errors, strict=True):
        try:
            ruleset.evaluate({"nilai_skp": value, "nilai_perilaku": Decimal("80.000"), "penilaian_360": True},
                             trace=False, text_values=True)  # fmt: skip
            want = ""
        except kinerja.KinerjaError as problem:
            want = "; ".join(d.text("en") for d in problem.diagnostics)
        assert error == want
