"""kinerja's speed figures, run on demand (no assertions): see benchmarks/README.md.

    python benchmarks/bench.py [--rows 1000000] [--csv-rows 4300000] [--skip-csv]

Binary floats appear here only as timings (and as zen-engine's JSON inputs);
every score is compared as an exact fixed-point integer.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import kinerja
import numpy as np
from kinerja.vector.plan import OK_KEY, VectorPlan, plan_for

SEED = 20190426
REPO = Path(__file__).resolve().parent.parent
RATINGS = ["Di Bawah Ekspektasi", "Sesuai Ekspektasi", "Di Atas Ekspektasi"]
ORGANISATION = ["Sangat Kurang", "Kurang", "Butuh Perbaikan", "Baik", "Istimewa"]
BERAKHLAK = ["perilaku_berorientasi_pelayanan", "perilaku_akuntabel", "perilaku_kompeten", "perilaku_harmonis",
             "perilaku_loyal", "perilaku_adaptif", "perilaku_kolaboratif"]  # fmt: skip
QUADRANT = [["Sangat Kurang", "Butuh Perbaikan", "Butuh Perbaikan"],  # hasil Di Bawah × perilaku Di Bawah/Sesuai/Di Atas
            ["Kurang/Misconduct", "Baik", "Baik"],
            ["Kurang/Misconduct", "Baik", "Sangat Baik"]]  # fmt: skip
ROWS_OUT: list[tuple[str, str]] = []


def report(name: str, figure: str) -> None:
    ROWS_OUT.append((name, figure))
    print(f"  {name:<58} {figure}", flush=True)


def best_of(runs: int, work: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


# ------------------------------------------------------------------ generated populations (encoded)
def pp_columns(rows: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    skp = rng.integers(0, 12001, rows, dtype=np.int64)
    skp[: rows // 50] = 9600  # exact boundaries: 70% × 96 + 30% × 76 = 90
    per = rng.integers(0, 12001, rows, dtype=np.int64)
    per[: rows // 50] = 7600
    return {"nilai_skp": skp, "nilai_perilaku": per, "penilaian_360": rng.random(rows) < 0.3, "inovasi": rng.random(rows) < 0.1}


def permen_columns(rows: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    leader = rng.random(rows) < 0.05
    hasil = rng.integers(0, 3, rows, dtype=np.int64)
    hasil[leader & (rng.random(rows) < 0.5)] = -1
    organisation = np.where(leader, rng.integers(0, 5, rows), np.where(rng.random(rows) < 0.5, rng.integers(0, 5, rows), -1)).astype(np.int64)
    direct = rng.random(rows) < 0.6
    behaviour = np.where(direct, rng.integers(0, 3, rows), -1).astype(np.int64)
    columns = {"rating_hasil_kerja": hasil, "rating_perilaku_kerja": behaviour, "pimpinan_unit": leader,
               "predikat_organisasi": organisation}  # fmt: skip
    for name in BERAKHLAK:  # given whenever the direct rating is not, sometimes also when it is
        columns[name] = np.where(~direct | (rng.random(rows) < 0.2), rng.integers(0, 3, rows), -1).astype(np.int64)
    return columns


# ------------------------------------------------------------------ hand-written numpy (exact, fixed point)
def hand_pp(c: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Weights in tenths, scores in hundredths: the result is in thousandths."""
    w = np.where(c["penilaian_360"], 6, 7)
    nk = w * c["nilai_skp"] + (10 - w) * c["nilai_perilaku"]
    band = np.searchsorted(np.array([50_000, 70_000, 90_000]), nk, side="right")  # 0 <50, 1 [50,70), 2 [70,90), 3 >=90
    predikat = np.take(np.array([4, 3, 2, 1]), band)  # codes into ("Sangat Baik", "Baik", "Cukup", "Kurang", "Sangat Kurang")
    predikat = np.where(c["inovasi"] & (nk >= 110_000), 0, predikat)
    return {"nilai_kinerja": nk, "predikat": predikat}


def hand_permen(c: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    organisation_to_rating = np.array([0, 0, 0, 1, 2])
    hasil = np.where(c["pimpinan_unit"], np.take(organisation_to_rating, c["predikat_organisasi"], mode="clip"), c["rating_hasil_kerja"])
    above = sum((c[n] == 2).astype(np.int64) for n in BERAKHLAK)
    below = sum((c[n] == 0).astype(np.int64) for n in BERAKHLAK)
    derived = np.where(above >= 4, 2, np.where(below >= 4, 0, 1))
    perilaku = np.where(c["rating_perilaku_kerja"] >= 0, c["rating_perilaku_kerja"], derived)
    labels = ["Sangat Kurang", "Kurang/Misconduct", "Butuh Perbaikan", "Baik", "Sangat Baik"]
    table = np.array([labels.index(x) for row in QUADRANT for x in row])
    return {"rating_hasil_efektif": hasil, "rating_perilaku_efektif": perilaku, "predikat": np.take(table, hasil * 3 + perilaku)}


def compare_outputs(plan: VectorPlan, mine: dict[str, np.ndarray], theirs: dict[str, np.ndarray], scales: dict[str, int]) -> str:
    if not mine[OK_KEY].all():
        return f"vector path declined {int((~mine[OK_KEY]).sum())} rows"
    for name, values in theirs.items():
        ours = mine[name]
        if name in scales:  # bring both to one scale before comparing
            shift = plan.output_scale(name) - scales[name]
            ours, values = (ours, values * 10**shift) if shift >= 0 else (ours * 10**-shift, values)
        else:
            labels = plan.labels(name)
            want = HAND_LABELS[plan.ruleset.id][name]
            mapping = np.array([labels.index(x) for x in want])
            values = np.take(mapping, values)
        if not np.array_equal(ours, values):
            return f"MISMATCH on {name}: {int((ours != values).sum())} rows"
    return "identical"


HAND_LABELS = {
    "pp-30-2019": {"predikat": ["Sangat Baik", "Baik", "Cukup", "Kurang", "Sangat Kurang"]},
    "permenpanrb-6-2022": {"rating_hasil_efektif": RATINGS, "rating_perilaku_efektif": RATINGS,
                           "predikat": ["Sangat Kurang", "Kurang/Misconduct", "Butuh Perbaikan", "Baik", "Sangat Baik"]},
}  # fmt: skip


def in_memory(ref: str, rows: int) -> dict[str, Any]:
    ruleset = kinerja.load(ref)
    plan = plan_for(ruleset)
    if plan is None:
        report(f"{ref}: vector path", "not compiled (plan_for gave None)")
        return {}
    rng = np.random.default_rng(SEED)
    columns = pp_columns(rows, rng) if ref == "pp-30-2019" else permen_columns(rows, rng)
    hand = hand_pp if ref == "pp-30-2019" else hand_permen
    t_vec, mine = best_of(3, lambda: plan.evaluate_arrays(columns))
    t_hand, theirs = best_of(3, lambda: hand(columns))
    verdict = compare_outputs(plan, mine, theirs, {"nilai_kinerja": 3} if ref == "pp-30-2019" else {})
    report(f"{ref}: vector path, {rows:,} rows in memory", f"{rows / t_vec:>14,.0f} rec/s  ({t_vec * 1000:.0f} ms)")
    report(f"{ref}: hand-written numpy, same rows", f"{rows / t_hand:>14,.0f} rec/s  ({t_hand * 1000:.0f} ms)")
    report(f"{ref}: vector / hand-written (target >= 0.5x)", f"{t_hand / t_vec:>14.2f}x  outputs {verdict}")
    return columns


# ------------------------------------------------------------------ single record vs zen-engine
def _node(node_id: str, kind: str, content: dict[str, Any] | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"id": node_id, "type": kind, "name": node_id, "position": {"x": 0, "y": 0}}
    if content is not None:
        node["content"] = content
    return node


def _graph(nodes: list[dict[str, Any]]) -> str:
    edges = [{"id": f"e{i}", "sourceId": a["id"], "targetId": b["id"], "type": "edge"} for i, (a, b) in enumerate(zip(nodes, nodes[1:], strict=False))]
    return json.dumps({"nodes": nodes, "edges": edges})


def _table(inputs: list[tuple[str, str]], output: str, rules: list[tuple[list[str], str]]) -> dict[str, Any]:
    return {
        "hitPolicy": "first", "passThrough": True, "inputField": None, "outputPath": None,
        "inputs": [{"id": key, "name": key, "field": field} for key, field in inputs],
        "outputs": [{"id": "out", "name": output, "field": output}],
        "rules": [{"_id": f"r{i}", **dict(zip([k for k, _ in inputs], tests, strict=True)), "out": result} for i, (tests, result) in enumerate(rules)],
    }  # fmt: skip


def zen_pp() -> str:
    """PP 30/2019 as a JDM graph: an expression node for the score, a first-hit table for the predikat."""
    score = "(penilaian_360 ? 0.6 : 0.7) * nilai_skp + (penilaian_360 ? 0.4 : 0.3) * nilai_perilaku"
    expression = {"passThrough": True, "expressions": [{"id": "x", "key": "nilai_kinerja", "value": score}]}
    rules = [(["[110..120]", "true"], '"Sangat Baik"'), (["[90..120]", ""], '"Baik"'), (["[70..90)", ""], '"Cukup"'),
             (["[50..70)", ""], '"Kurang"'), (["[0..50)", ""], '"Sangat Kurang"')]  # fmt: skip
    table = _table([("nk", "nilai_kinerja"), ("ino", "inovasi")], "predikat", rules)
    return _graph([_node("in", "inputNode"), _node("score", "expressionNode", expression), _node("band", "decisionTableNode", table), _node("out", "outputNode")])


def zen_permen() -> str:
    """PermenPANRB 6/2022: effective ratings by two first-hit tables, then the quadrant as a table."""
    hasil_rules = [(["false", ""], "rating_hasil_kerja"), (["true", '"Istimewa"'], '"Di Atas Ekspektasi"'),
                   (["true", '"Baik"'], '"Sesuai Ekspektasi"'), (["true", ""], '"Di Bawah Ekspektasi"')]  # fmt: skip
    hasil = _table([("p", "pimpinan_unit"), ("o", "predikat_organisasi")], "rating_hasil_efektif", hasil_rules)
    counts = " + ".join(f"({n} == \"%s\" ? 1 : 0)" for n in BERAKHLAK)
    perilaku_rules = [(["true", "", ""], "rating_perilaku_kerja"), (["", ">= 4", ""], '"Di Atas Ekspektasi"'),
                      (["", "", ">= 4"], '"Di Bawah Ekspektasi"'), (["", "", ""], '"Sesuai Ekspektasi"')]  # fmt: skip
    perilaku = _table([("g", "rating_perilaku_kerja != null"), ("a", counts % tuple(["Di Atas Ekspektasi"] * 7)),
                       ("b", counts % tuple(["Di Bawah Ekspektasi"] * 7))], "rating_perilaku_efektif", perilaku_rules)  # fmt: skip
    quadrant_rules = [([f'"{RATINGS[i]}"', f'"{RATINGS[j]}"'], f'"{QUADRANT[i][j]}"') for i in range(3) for j in range(3)]
    quadrant = _table([("h", "rating_hasil_efektif"), ("q", "rating_perilaku_efektif")], "predikat", quadrant_rules)
    return _graph([_node("in", "inputNode"), _node("hasil", "decisionTableNode", hasil), _node("perilaku", "decisionTableNode", perilaku),
                   _node("quadrant", "decisionTableNode", quadrant), _node("out", "outputNode")])  # fmt: skip


def records_of(ref: str, columns: dict[str, np.ndarray], count: int) -> list[dict[str, Any]]:
    """The first `count` generated rows as JSON-like records (Decimal numbers, label texts)."""
    records = []
    for i in range(count):
        record: dict[str, Any] = {}
        for name, values in columns.items():
            v = values[i].item()
            if ref == "pp-30-2019":
                record[name] = Decimal(v).scaleb(-2) if name.startswith("nilai") else bool(v)
            elif name == "pimpinan_unit":
                record[name] = bool(v)
            elif v >= 0:
                record[name] = (ORGANISATION if name == "predikat_organisasi" else RATINGS)[v]
        records.append(record)
    return records


def single_record(ref: str, columns: dict[str, np.ndarray], count: int) -> None:
    import zen

    ruleset = kinerja.load(ref)
    records = records_of(ref, columns, count)
    # zen's fastest per-record call: the engine's own evaluate on a decision held by a static loader
    # (ZenDecision.evaluate from create_decision is ~15x slower per call on zen-engine 2.x)
    engine = zen.ZenEngine({"loader": {"type": "static", "content": {ref: json.loads(zen_pp() if ref == "pp-30-2019" else zen_permen())}}})
    zen_records = [{k: (float(v) if isinstance(v, Decimal) else v) for k, v in r.items()} for r in records]
    if ref != "pp-30-2019":
        zen_records = [{**{n: None for n in ["rating_hasil_kerja", "rating_perilaku_kerja", "predikat_organisasi"]}, **r} for r in zen_records]
    # rounds alternate between the two, best of each kept: a shared machine's load falls on both alike
    t_kin = t_zen = float("inf")
    ours: Any = None
    theirs: Any = None
    for _ in range(7):
        elapsed, ours = best_of(1, lambda: [ruleset.evaluate(r, trace=False).outputs for r in records])
        t_kin = min(t_kin, elapsed)
        elapsed, theirs = best_of(1, lambda: [engine.evaluate(ref, r)["result"] for r in zen_records])
        t_zen = min(t_zen, elapsed)
    t_ref, _ = best_of(3, lambda: [ruleset.evaluate_reference(r).outputs for r in records])
    report(f"{ref}: kinerja reference closures (before generation)", f"{count / t_ref:>14,.0f} rec/s")
    same = sum(o["predikat"] == z.get("predikat") for o, z in zip(ours, theirs, strict=True))
    report(f"{ref}: kinerja evaluate(trace=False), {count:,} records", f"{count / t_kin:>14,.0f} rec/s")
    report(f"{ref}: zen-engine engine.evaluate, same records", f"{count / t_zen:>14,.0f} rec/s")
    report(f"{ref}: kinerja / zen-engine (target >= 5x)", f"{t_zen / t_kin:>14.2f}x  predikat agrees on {same:,}/{count:,}")


# ------------------------------------------------------------------ end to end batch on CSV
def kinerja_command() -> list[str]:
    script = Path(sys.executable).parent / "kinerja"
    return [str(script)] if script.exists() else [shutil.which("kinerja") or "kinerja"]


def write_csv(path: Path, rows: int) -> int:
    rng = np.random.default_rng(SEED + 1)
    texts = np.array([f"{v // 100}" if v % 100 == 0 else f"{v // 100}.{v % 100:02d}".rstrip("0") for v in range(12001)], dtype=object)
    bad = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("nilai_skp,nilai_perilaku,penilaian_360,inovasi\n")
        for start in range(0, rows, 500_000):
            n = min(500_000, rows - start)
            skp = list(texts[rng.integers(0, 12001, n)])
            per = list(texts[rng.integers(0, 12001, n)])
            for k in np.nonzero(rng.random(n) < 0.001)[0].tolist():  # a sprinkling of bad rows
                skp[k] = ["130", "abc", "", "89.999"][k % 4]
                bad += 1
            p360 = list(np.where(rng.random(n) < 0.3, "true", "false"))
            ino = list(np.where(rng.random(n) < 0.1, "true", ""))
            out.write("\n".join(map(",".join, zip(skp, per, p360, ino, strict=True))))
            out.write("\n")
    return bad


def batch_csv(rows: int) -> None:
    probe = subprocess.run([*kinerja_command(), "batch", "--help"], capture_output=True, text=True)
    if probe.returncode != 0:
        report(f"kinerja batch pp-30-2019, {rows:,} CSV rows", "not available")
        return
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "in.csv", Path(folder) / "out.csv"
        start = time.perf_counter()
        bad = write_csv(source, rows)
        report(f"generated CSV ({bad:,} bad rows)", f"{source.stat().st_size / 1e6:>11,.0f} MB in {time.perf_counter() - start:.1f} s")
        timer = ["/usr/bin/time", "-f", "%M"] if Path("/usr/bin/time").exists() else []
        start = time.perf_counter()
        done = subprocess.run([*timer, *kinerja_command(), "batch", "pp-30-2019", str(source), "-o", str(target), "--format", "json"],
                              capture_output=True, text=True)  # fmt: skip
        wall = time.perf_counter() - start
        peak_kb = int(done.stderr.strip().splitlines()[-1]) if timer and done.stderr.strip() else resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        status = "ok" if done.returncode in (0, 1) and target.exists() else f"exit {done.returncode}: {done.stderr[-300:]}"
        report(f"kinerja batch pp-30-2019, {rows:,} CSV rows (target < 60 s)", f"{wall:>12.1f} s  ({status})")
        report("kinerja batch peak RSS (target < 2 GB)", f"{peak_kb / 1024:>12,.0f} MB")
        if target.exists():
            # every row accounted for: one output row per input row, the bad ones carrying an error
            with target.open(encoding="utf-8", newline="") as handle:
                reader = csv.reader(handle)
                error_at = next(reader).index("error")
                written = failed = 0
                for row in reader:
                    written += 1
                    failed += bool(row[error_at])
            summary = json.loads(done.stdout)
            report("rows in / rows out / rows with an error", f"{rows:,} / {written:,} / {failed:,} (summary: {summary['rows']:,} rows, {summary['errors']:,} errors)")


# ------------------------------------------------------------------ cold start
def cold_start() -> None:
    command = [*kinerja_command(), "eval", "pp-30-2019", str(REPO / "examples" / "pp-30-2019.json")]
    times = []
    for run in range(6):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        if run:  # the first run warms the file cache
            times.append(time.perf_counter() - start)
    report("kinerja eval pp-30-2019 cold start, median of 5 (target < 300 ms)", f"{statistics.median(times) * 1000:>12.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--csv-rows", type=int, default=4_300_000)
    parser.add_argument("--single-rows", type=int, default=20_000, help="records for the single-record comparison")
    parser.add_argument("--skip-csv", action="store_true")
    args = parser.parse_args()
    print(f"kinerja benchmarks (seed {SEED}, {os.cpu_count()} CPUs, numpy {np.__version__})")
    populations = {ref: in_memory(ref, args.rows) for ref in ("pp-30-2019", "permenpanrb-6-2022")}
    for ref, columns in populations.items():
        if columns:
            single_record(ref, columns, min(args.single_rows, args.rows))
    if args.skip_csv:
        report("kinerja batch on CSV", "skipped")
    else:
        batch_csv(args.csv_rows)
    cold_start()


if __name__ == "__main__":
    main()
