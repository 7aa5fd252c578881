"""The long fuzzing run, on demand (the short one runs in CI: `tests/fuzz/test_fuzz.py`).

    python tests/fuzz/run.py rulesets --count 100000 --jobs 2
    python tests/fuzz/run.py records --count 100000 --jobs 2

Each input is drawn from `random.Random(seed)` with seeds `--start` … `--start + count - 1`,
so a run can be split into chunks (`--start 0 --count 20000`, `--start 20000 …`) and any
finding is reproduced by its seed alone. Findings are written to `--out` (one file per
distinct place: the input and what happened) and summed up at the end; the exit status is 1
when anything crashed or hung. `KINERJA_FUZZ_SECONDS` sets the hang threshold (default 10).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `fuzz` is importable as in pytest

CHUNK = 100


def _worker_setup() -> None:
    # the signed parse cache is on (it is part of what is tested) in a folder of this worker's own
    os.environ.pop("KINERJA_NO_CACHE", None)
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="kinerja-fuzz-")


def _rulesets(seeds: range) -> dict[str, Any]:
    from fuzz.generate import ruleset_text
    from fuzz.harness import ruleset_findings

    tally: Counter[str] = Counter()
    found: dict[str, dict[str, Any]] = {}
    slowest = (0.0, -1)
    for seed in seeds:
        rnd = random.Random(seed)
        kind, text = ruleset_text(rnd)
        tally[kind] += 1
        started = time.perf_counter()
        for finding in ruleset_findings(text, rnd):
            tally[finding.kind] += 1
            found.setdefault(f"{finding.kind}: {finding.where}", {"seed": seed, "kind": kind, "detail": finding.detail, "input": text})
        slowest = max(slowest, (time.perf_counter() - started, seed))
    return {"tally": tally, "found": found, "slowest": slowest, "count": len(seeds)}


_LOADED: dict[str, Any] = {}


def _records(seeds: range) -> dict[str, Any]:
    import kinerja

    from fuzz.generate import SHIPPED, record
    from fuzz.harness import batch_findings, inputs_of, record_findings

    if not _LOADED:
        _LOADED.update({ref: kinerja.load(ref) for ref in SHIPPED})
    tally: Counter[str] = Counter()
    found: dict[str, dict[str, Any]] = {}
    slowest = (0.0, -1)
    for seed in seeds:
        rnd = random.Random(seed)
        ref = SHIPPED[seed % len(SHIPPED)]
        ruleset = _LOADED[ref]
        drawn = record(rnd, inputs_of(ruleset))
        tally[ref] += 1
        started = time.perf_counter()
        for finding in record_findings(ruleset, drawn):
            tally[finding.kind] += 1
            found.setdefault(f"{finding.kind}: {finding.where}", {"seed": seed, "kind": ref, "detail": finding.detail, "input": repr(drawn)})
        slowest = max(slowest, (time.perf_counter() - started, seed))
    # the chunk's records of one ruleset, once more through `kinerja.batch` (CSV, column path)
    ref = SHIPPED[seeds.start // CHUNK % len(SHIPPED)]
    batch = [record(random.Random(seed), inputs_of(_LOADED[ref])) for seed in seeds]
    with tempfile.TemporaryDirectory() as folder:
        for finding in batch_findings(_LOADED[ref], batch, Path(folder)):
            tally[finding.kind] += 1
            found.setdefault(f"{finding.kind}: {finding.where}", {"seed": seeds.start, "kind": f"batch {ref}", "detail": finding.detail, "input": repr(batch)[:100000]})
    tally["batch rows"] += len(batch)
    return {"tally": tally, "found": found, "slowest": slowest, "count": len(seeds)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["rulesets", "records"])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("fuzz-findings"))
    args = parser.parse_args(argv)
    work = _rulesets if args.what == "rulesets" else _records
    chunks = [range(at, min(at + CHUNK, args.start + args.count)) for at in range(args.start, args.start + args.count, CHUNK)]
    tally: Counter[str] = Counter()
    found: dict[str, dict[str, Any]] = {}
    slowest = (0.0, -1)
    done = 0
    started = time.time()
    with multiprocessing.get_context("fork").Pool(args.jobs, initializer=_worker_setup) as pool:
        for result in pool.imap_unordered(work, chunks):
            tally.update(result["tally"])
            for key, value in result["found"].items():
                if key not in found:
                    print(f"  new: {key} (seed {value['seed']}: {value['detail'][:160]})", flush=True)
                    found[key] = value
            slowest = max(slowest, tuple(result["slowest"]))  # type: ignore[assignment]
            done += result["count"]
            if done % (CHUNK * 10) == 0 or done == args.count:
                failures = tally["crash"] + tally["hang"] + tally["fmt"]
                print(f"{done}/{args.count} {args.what}  {time.time() - started:,.0f} s  failures {failures}  "
                      f"slow {tally['slow']}  distinct {len(found)}", flush=True)  # fmt: skip
    args.out.mkdir(parents=True, exist_ok=True)
    for index, (key, value) in enumerate(sorted(found.items())):
        (args.out / f"{args.what}-{index}.json").write_text(json.dumps({"finding": key, **value}, indent=1), encoding="utf-8")
    elapsed = time.time() - started
    print(f"\n{args.what}: {done} inputs (seeds {args.start}…{args.start + done - 1}) in {elapsed:,.0f} s with {args.jobs} job(s)")
    for key in sorted(tally):
        print(f"  {key:<22} {tally[key]:>8}")
    print(f"  slowest input: {slowest[0]:.2f} s (seed {slowest[1]})")
    for key in sorted(found):
        print(f"  {key}  (seed {found[key]['seed']}: {found[key]['detail'][:120]})")
    return 1 if tally["crash"] or tally["hang"] or tally["fmt"] else 0


if __name__ == "__main__":
    sys.exit(main())
