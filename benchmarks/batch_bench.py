"""Batch end to end: `kinerja batch` against DuckDB (DECIMAL SQL) and Polars on the same files, same rounds.

    python benchmarks/batch_bench.py [--rows 1000000 4300000] [--rounds 3] [--formats csv parquet]
                                     [--per-ruleset 100000] [--skip-tools]

Prints tables (no assertion). For each size and format the three commands run in turn,
round after round (A B C A B C …), each as a whole process, so a drifting machine slows all
three alike; the ratio column is the median of the per-round ratios duckdb / kinerja
(above 1.0 kinerja is faster). Peak RSS is the largest resident set of the process
(`/usr/bin/time -f %M`). kinerja runs as an installed kinerja does: its bytecode compiled
(`compile_bytecode`) and its parsed-ruleset cache its own (`XDG_CACHE_HOME` in the run's
temporary folder, filled by the first round), so neither an editable install under
PYTHONDONTWRITEBYTECODE nor other kinerja processes pruning a shared cache is timed.

The three do not do the same work: kinerja validates every cell (range, places, types)
and gives each invalid row its error text, exactly; DuckDB and Polars compute the same
formula and bands on DECIMAL(5,2) columns read with TRY_CAST (an invalid cell becomes
NULL, nothing says why). Their outputs are compared on the valid rows.

The second table gives rows/s of every shipped ruleset on generated valid records
(`kinerja.batch` in process, CSV in and out), with the share of rows the compiled column
plan answered (the rest went through the single-record path).
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench import write_csv  # noqa: E402 - the same generated rows as the main benchmark

TEXT_COLUMNS = "{'nilai_skp': 'VARCHAR', 'nilai_perilaku': 'VARCHAR', 'penilaian_360': 'VARCHAR', 'inovasi': 'VARCHAR'}"


def csv_reader(path: Path | str) -> str:
    """DuckDB's reader of the generated CSV with every column as text (TRY_CAST decides what a cell is)."""
    return f"read_csv('{path}', header = true, types = {TEXT_COLUMNS})"

DUCKDB_SQL = """
COPY (
  WITH typed AS (
    SELECT *, TRY_CAST({cell}(nilai_skp) AS DECIMAL(5,2)) AS skp, TRY_CAST({cell}(nilai_perilaku) AS DECIMAL(5,2)) AS per,
           TRY_CAST({cell}(penilaian_360) AS BOOLEAN) AS p360, coalesce(TRY_CAST({cell}(inovasi) AS BOOLEAN), false) AS ino
    FROM {source}
  ), scored AS (
    SELECT * EXCLUDE (skp, per, p360, ino),
      CASE WHEN p360 THEN 0.6 * skp + 0.4 * per ELSE 0.7 * skp + 0.3 * per END AS nilai_kinerja, ino
    FROM typed
  )
  SELECT * EXCLUDE (ino),
    CASE WHEN nilai_kinerja IS NULL THEN NULL
         WHEN nilai_kinerja >= 110 AND ino THEN 'Sangat Baik'
         WHEN nilai_kinerja >= 90 THEN 'Baik'
         WHEN nilai_kinerja >= 70 THEN 'Cukup'
         WHEN nilai_kinerja >= 50 THEN 'Kurang'
         ELSE 'Sangat Kurang' END AS predikat
  FROM scored
) TO '{target}' {options}
"""

POLARS_CODE = """
import polars as pl, sys
source, target, kind = sys.argv[1:4]
frame = pl.scan_csv(source, infer_schema=False) if kind == "csv" else pl.scan_parquet(source)
if kind == "csv":
    typed = frame.with_columns(
        pl.col("nilai_skp").cast(pl.Decimal(5, 2), strict=False).alias("skp"),
        pl.col("nilai_perilaku").cast(pl.Decimal(5, 2), strict=False).alias("per"),
        pl.col("penilaian_360").replace_strict({"true": True, "false": False}, default=None).alias("p360"),
        pl.col("inovasi").replace_strict({"true": True}, default=False).alias("ino"),
    )
else:
    typed = frame.with_columns(
        pl.col("nilai_skp").cast(pl.Decimal(5, 2), strict=False).alias("skp"),
        pl.col("nilai_perilaku").cast(pl.Decimal(5, 2), strict=False).alias("per"),
        pl.col("penilaian_360").alias("p360"), pl.col("inovasi").fill_null(False).alias("ino"),
    )
nk = pl.when(pl.col("p360")).then(pl.col("skp") * pl.lit(0.6).cast(pl.Decimal(2, 1)) + pl.col("per") * pl.lit(0.4).cast(pl.Decimal(2, 1))) \
       .otherwise(pl.col("skp") * pl.lit(0.7).cast(pl.Decimal(2, 1)) + pl.col("per") * pl.lit(0.3).cast(pl.Decimal(2, 1)))
scored = typed.with_columns(nk.alias("nilai_kinerja")).with_columns(
    pl.when(pl.col("nilai_kinerja").is_null()).then(None)
      .when((pl.col("nilai_kinerja") >= 110) & pl.col("ino")).then(pl.lit("Sangat Baik"))
      .when(pl.col("nilai_kinerja") >= 90).then(pl.lit("Baik"))
      .when(pl.col("nilai_kinerja") >= 70).then(pl.lit("Cukup"))
      .when(pl.col("nilai_kinerja") >= 50).then(pl.lit("Kurang"))
      .otherwise(pl.lit("Sangat Kurang")).alias("predikat")
).drop(["skp", "per", "p360", "ino"])
(scored.sink_csv(target) if kind == "csv" else scored.sink_parquet(target))
"""


def compile_bytecode() -> str:
    """Write kinerja's bytecode cache (`__pycache__`) before timing, as `pip install` does for an installed
    package: an editable install under PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module of
    kinerja from source in every run (~0.3-0.4 s of CPU), a cost no installed kinerja pays and that
    DuckDB's and Polars' own (installed, compiled) modules do not pay either."""
    import compileall
    import importlib.util

    found = importlib.util.find_spec("kinerja")
    folders = {Path(p) for p in (found.submodule_search_locations or [])} if found else set()
    cli = importlib.util.find_spec("kinerja.cli")
    folders |= {Path(p) for p in (cli.submodule_search_locations or [])} if cli else set()
    done = all(compileall.compile_dir(str(folder), quiet=1, force=False) for folder in sorted(folders))
    return "bytecode compiled" if done and folders else "bytecode not compiled"


def kinerja_command() -> list[str]:
    script = Path(sys.executable).parent / "kinerja"
    return [str(script)] if script.exists() else [shutil.which("kinerja") or "kinerja"]


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB, and stderr's tail, of one whole process."""
    timer = ["/usr/bin/time", "-f", "%M"] if Path("/usr/bin/time").exists() else []
    start = time.perf_counter()
    done = subprocess.run([*timer, *command], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    lines = done.stderr.strip().splitlines()
    peak = int(lines[-1]) / 1024 if timer and lines and lines[-1].isdigit() else float("nan")
    if done.returncode != 0:
        return wall, peak, f"exit {done.returncode}: {done.stderr[-400:]}"
    return wall, peak, ""


def write_parquet(csv_path: Path, target: Path) -> None:
    """The same rows as typed columns: decimals as DECIMAL(6,3) (so 89.999 stays), booleans as booleans, bad text as null."""
    import duckdb

    duckdb.sql(f"""
        COPY (SELECT TRY_CAST(trim(nilai_skp) AS DECIMAL(6,3)) AS nilai_skp, TRY_CAST(trim(nilai_perilaku) AS DECIMAL(6,3)) AS nilai_perilaku,
                     TRY_CAST(trim(penilaian_360) AS BOOLEAN) AS penilaian_360, TRY_CAST(trim(inovasi) AS BOOLEAN) AS inovasi
              FROM {csv_reader(csv_path)})
        TO '{target}' (FORMAT parquet)
    """)


def commands(kind: str, source: Path, folder: Path) -> dict[str, list[str]]:
    out = {name: folder / f"out-{name}.{kind}" for name in ("kinerja", "duckdb", "polars")}
    reader = csv_reader(source) if kind == "csv" else f"read_parquet('{source}')"
    options = "(HEADER)" if kind == "csv" else "(FORMAT parquet)"
    # trim() keeps DuckDB from pushing the cast into its CSV scan, where a bad cell would stop the whole query
    sql = DUCKDB_SQL.format(source=reader, target=out["duckdb"], options=options, cell="trim" if kind == "csv" else "")
    return {
        "kinerja": [*kinerja_command(), "batch", "pp-30-2019", str(source), "-o", str(out["kinerja"]), "--force",
                    "--format", "json"],
        "duckdb": [sys.executable, "-c", f"import duckdb; duckdb.sql({sql!r})"],
        "polars": [sys.executable, "-c", POLARS_CODE, str(source), str(out["polars"]), kind],
    }


def agree(kind: str, folder: Path) -> str:
    """Do kinerja and DuckDB give the same predikat on the rows kinerja found valid?"""
    import duckdb

    mine = folder / f"out-kinerja.{kind}"
    theirs = folder / f"out-duckdb.{kind}"
    def read(path: Path) -> str:
        return f"read_csv('{path}', all_varchar = true, sample_size = -1)" if kind == "csv" else f"read_parquet('{path}')"

    a = duckdb.sql(f"SELECT predikat, error FROM {read(mine)}").fetchnumpy()
    b = duckdb.sql(f"SELECT predikat FROM {read(theirs)}").fetchnumpy()
    errors = np.array([bool(e) for e in a["error"]])
    same = sum(1 for x, y, e in zip(a["predikat"], b["predikat"], errors, strict=True) if not e and x == y)
    return f"{same:,}/{int((~errors).sum()):,} valid rows agree; {int(errors.sum()):,} flagged by kinerja"


def end_to_end(rows_list: list[int], rounds: int, kinds: list[str]) -> None:
    print("\n| rows | format | tool | median wall s | peak RSS MB | duckdb / tool (median of rounds) |")
    print("| ---: | --- | --- | ---: | ---: | ---: |")
    for rows in rows_list:
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            source_csv = folder / "in.csv"
            write_csv(source_csv, rows)
            sources = {"csv": source_csv}
            if "parquet" in kinds:
                sources["parquet"] = folder / "in.parquet"
                write_parquet(source_csv, sources["parquet"])
            for kind in kinds:
                plan = commands(kind, sources[kind], folder)
                # kinerja keeps parsed rulesets in $XDG_CACHE_HOME/kinerja; on a machine shared with other
                # kinerja processes (test suites) a shared cache is pruned under it, so it gets its own:
                # the first round fills it, as a user's first run does
                private_cache = {**os.environ, "XDG_CACHE_HOME": str(folder / "cache")}
                walls: dict[str, list[float]] = {n: [] for n in plan}
                peaks: dict[str, list[float]] = {n: [] for n in plan}
                problems: dict[str, str] = {}
                for _ in range(rounds):
                    for tool, command in plan.items():
                        wall, peak, problem = timed(command, private_cache if tool == "kinerja" else None)
                        walls[tool].append(wall)
                        peaks[tool].append(peak)
                        if problem:
                            problems[tool] = problem
                for tool in plan:
                    ratios = [d / w for d, w in zip(walls["duckdb"], walls[tool], strict=True)]
                    note = f" ({problems[tool][:80]})" if tool in problems else ""
                    print(f"| {rows:,} | {kind} | {tool} | {statistics.median(walls[tool]):.2f} | "
                          f"{max(peaks[tool]):,.0f} | {statistics.median(ratios):.2f}×{note} |")  # fmt: skip
                try:
                    print(f"|  | {kind} | check | {agree(kind, folder)} | | |")
                except Exception as error:  # the comparison is informative only
                    print(f"|  | {kind} | check | not compared: {error} | | |")
                sys.stdout.flush()


# ------------------------------------------------------------------ every shipped ruleset


def generated_rows(ruleset: Any, rows: int, rng: np.random.Generator) -> tuple[list[str], list[list[str]]]:
    """Valid records for any ruleset, from its declared input types (numbers on their grid, labels, booleans)."""
    from kinerja.semantics import types as t

    header: list[str] = []
    columns: list[list[str]] = []
    for name in ruleset.input_names:
        kind = ruleset.checked.types[name]
        if isinstance(kind, t.NumberT):
            low = kind.low if kind.low is not None else Decimal(0)
            high = kind.high if kind.high is not None else Decimal(100)
            places = 0 if kind.integer else (kind.places if kind.places is not None else 2)
            unit = Decimal(1).scaleb(-places)
            steps = int((high - low) / unit)
            picks = rng.integers(0, steps + 1, rows)
            column = [str((low + unit * int(p)).quantize(unit)) for p in picks]
        elif isinstance(kind, t.BoolT):
            column = list(np.where(rng.random(rows) < 0.5, "true", "false"))
        elif isinstance(kind, t.LabelT):
            column = [kind.labels[i] for i in rng.integers(0, len(kind.labels), rows)]
        else:
            continue
        header.append(name)
        columns.append(column)
    return header, [list(r) for r in zip(*columns, strict=True)]


def per_ruleset(rows: int) -> None:
    import kinerja

    rng = np.random.default_rng(20240601)
    print("\n| ruleset | rows | rows/s (in process, CSV → CSV) | on the column plan | vs pp-30-2019 |")
    print("| --- | ---: | ---: | ---: | ---: |")
    figures: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for info in kinerja.list_rulesets():
            ruleset = kinerja.load(info.path)
            header, data = generated_rows(ruleset, rows, rng)
            source = folder / f"{info.id}.csv"
            with source.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(header)
                writer.writerows(data)
            best = float("inf")
            report = None
            for _ in range(2):
                start = time.perf_counter()
                report = kinerja.batch(ruleset, source, folder / "out.csv", overwrite=True)
                best = min(best, time.perf_counter() - start)
            assert report is not None
            figures[info.id] = (rows / best, report.vectorised / max(report.rows, 1))
    anchor = figures.get("pp-30-2019", (1.0, 0.0))[0]
    for ruleset_id, (speed, share) in figures.items():
        print(f"| {ruleset_id} | {rows:,} | {speed:,.0f} | {share:.1%} | {speed / anchor:.2f}× |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 4_300_000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--formats", nargs="+", default=["csv", "parquet"], choices=["csv", "parquet"])
    parser.add_argument("--per-ruleset", type=int, default=100_000)
    parser.add_argument("--skip-tools", action="store_true", help="only the per-ruleset table")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus; load average {os.getloadavg()[0]:.1f}; "
          f"{compile_bytecode()}")
    if not args.skip_tools:
        end_to_end(args.rows, args.rounds, args.formats)
    if args.per_ruleset:
        per_ruleset(args.per_ruleset)


if __name__ == "__main__":
    main()
