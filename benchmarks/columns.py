"""Column path and cluster figures, run on demand (no assertions): see benchmarks/README.md.

    python benchmarks/columns.py [--rows 100000] [--dask-rows 4300000] [--skip-dask]

1. rows/s of every shipped ruleset at N generated rows on the column path: the compiled plan on
   encoded columns (`evaluate_arrays`), and the Arrow function end to end on string columns
   (`evaluate_arrow`: validation of each distinct text, the plan, outputs as Arrow arrays), with
   the share of valid rows the column path answered; ratios against pp-30-2019 in the same run;
2. the Arrow function over 4.3 M rows: one process (batches of 500k) against Dask on a local
   cluster of 2 worker processes (same batches as partitions).
"""

from __future__ import annotations

import argparse
import random
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import kinerja
import numpy as np
import pyarrow as pa
import pyarrow.compute  # noqa: F401 - pa.compute
from kinerja.semantics import types as t
from kinerja.semantics.values import value_text
from kinerja.vector.arrow import ERROR, evaluate_arrow
from kinerja.vector.plan import OK_KEY, plan_for

REPO = Path(__file__).resolve().parent.parent
SHIPPED = sorted((REPO / "rulesets").glob("*.kin"))


def texts_of(typ: t.Type, rows: int, rng: np.random.Generator) -> list[str]:
    """Valid cell texts of a type (the population a batch usually meets), drawn uniformly."""
    if isinstance(typ, t.NumberT):
        low = typ.low if typ.low is not None else Decimal(0)
        high = typ.high if typ.high is not None else Decimal(200)
        places = 0 if typ.integer else (typ.places if typ.places is not None else 2)
        counts = rng.integers(int(low.scaleb(places)), int(high.scaleb(places)) + 1, rows)
        distinct = {int(c): value_text(Decimal(int(c)).scaleb(-places)) for c in np.unique(counts)}
        return [distinct[c] for c in counts.tolist()]
    if isinstance(typ, t.BoolT):
        return list(np.where(rng.random(rows) < 0.5, "true", "false"))
    if isinstance(typ, t.LabelT):
        labels = np.array(typ.labels, dtype=object)
        return list(labels[rng.integers(0, len(labels), rows)])
    return [""] * rows


def population(ruleset: kinerja.Ruleset, rows: int, seed: int) -> dict[str, list[str]]:
    rng = np.random.default_rng(seed)
    return {n: texts_of(ruleset.checked.types[n], rows, rng) for n in ruleset.input_names if n not in ruleset.ir.suppliable}


def best_of(runs: int, work: Any) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def shipped_table(rows: int) -> None:
    print(f"\nEvery shipped ruleset, {rows:,} generated rows (valid inputs; a row the scalar path rejects is not counted)")
    print(f"  {'ruleset':<28} {'plan rows/s':>12} {'× pp':>6} {'arrow rows/s':>13} {'× pp':>6} {'on column path':>15}")
    figures = []
    for path in SHIPPED:
        ruleset = kinerja.load(path)
        plan = plan_for(ruleset)
        assert plan is not None
        columns = population(ruleset, rows, 7)
        encoded: dict[str, np.ndarray] = {}
        for name, cells in columns.items():
            distinct = {}
            for text in dict.fromkeys(cells):
                distinct[text] = text
            encoded[name] = plan.encode(name, [_value(ruleset.checked.types[name], c) for c in cells])
        t_plan, out = best_of(7, lambda: plan.evaluate_arrays(encoded))  # noqa: B023
        table = pa.table(columns)
        t_arrow, answer = best_of(3, lambda: evaluate_arrow(ruleset, table))  # noqa: B023
        ok = out[OK_KEY]
        errors = answer.column(ERROR).to_pylist()
        valid = sum(e is None for e in errors)
        # rows the single-record path accepts but the plan declined (the Arrow function then evaluated them one by one)
        declined = sum(1 for i, e in enumerate(errors) if e is None and not ok[i])
        figures.append((path.stem, rows / t_plan, rows / t_arrow, valid, declined))
    pp = next(f for f in figures if f[0].startswith("pp-30-2019"))
    for stem, plan_rate, arrow_rate, valid, declined in figures:
        share = 100.0 * (valid - declined) / valid if valid else 0.0
        print(f"  {stem:<28} {plan_rate:>12,.0f} {plan_rate / pp[1]:>6.2f} {arrow_rate:>13,.0f} {arrow_rate / pp[2]:>6.2f}"
              f" {share:>14.1f}%")  # fmt: skip


def _value(typ: t.Type, text: str) -> Any:
    if isinstance(typ, t.NumberT):
        return Decimal(text)
    if isinstance(typ, t.BoolT):
        return text == "true"
    return text


def pp_table(rows: int) -> pa.Table:
    rng = np.random.default_rng(11)
    texts = np.array([value_text(Decimal(v).scaleb(-2)) for v in range(12001)], dtype=object)
    return pa.table({
        "nilai_skp": pa.array(texts[rng.integers(0, 12001, rows)], type=pa.string()),
        "nilai_perilaku": pa.array(texts[rng.integers(0, 12001, rows)], type=pa.string()),
        "penilaian_360": pa.array(np.where(rng.random(rows) < 0.3, "true", "false"), type=pa.string()),
        "inovasi": pa.array(np.where(rng.random(rows) < 0.1, "true", ""), type=pa.string()),
    })  # fmt: skip


def dask_table(rows: int) -> None:
    import dask.dataframe as dd
    import distributed
    import pandas as pd
    from kinerja.distributed import dask as kd

    print(f"\nThe Arrow function over {rows:,} pp-30-2019 rows (string columns, batches of 500,000; counts per predikat)")
    table = pp_table(rows)
    batch_rows = 500_000
    evaluate_arrow("pp-30-2019", table.slice(0, 1000))  # compile once, as a worker would

    def one_process() -> int:
        # score every batch and reduce it to counts per predikat, as the cluster job below does
        counts: dict[Any, int] = {}
        for batch in table.to_batches(max_chunksize=batch_rows):
            scored = evaluate_arrow("pp-30-2019", batch)
            for item in pa.compute.value_counts(scored.column("predikat")).to_pylist():
                counts[item["values"]] = counts.get(item["values"], 0) + item["counts"]
        return sum(counts.values())

    t_one, done = best_of(2, one_process)
    frame = table.to_pandas(types_mapper=pd.ArrowDtype)
    ddf = dd.from_pandas(frame, npartitions=max(1, rows // batch_rows))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:  # fmt: skip
        persisted = client.persist(ddf)  # the data on the workers first: a cluster reads its own data
        distributed.wait(persisted)
        kd.evaluate(persisted.partitions[0], "pp-30-2019").compute()  # each worker compiles on first use
        # scored on the workers, reduced there to counts per predikat: only the counts travel back
        t_dask, counts = best_of(2, lambda: kd.evaluate(persisted, "pp-30-2019").predikat.value_counts(dropna=False).compute())
        counted = int(counts.sum())
    assert done == counted == rows
    print(f"  {'one process':<40} {t_one:>8.2f} s {rows / t_one:>12,.0f} rows/s")
    print(f"  {'Dask, 2 local worker processes':<40} {t_dask:>8.2f} s {rows / t_dask:>12,.0f} rows/s  {t_one / t_dask:.2f}× one process")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--dask-rows", type=int, default=4_300_000)
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--skip-shipped", action="store_true")
    args = parser.parse_args()
    random.seed(1)
    if not args.skip_shipped:
        shipped_table(args.rows)
    if not args.skip_dask:
        dask_table(args.dask_rows)


if __name__ == "__main__":
    main()
