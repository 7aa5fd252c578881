"""Small inputs, bounded cost: the cost cases of issue 19 item 4 (and item 5's warm lookup).

    python benchmarks/limits.py [--repeat 3]

Each case is what a user runs (`kinerja.check_text`, `Library.load`, …) on a generated input,
timed in a fresh `Library` with the on-disk cache off (`KINERJA_NO_CACHE=1`: a first run);
the table gives the best of `--repeat` runs in seconds of wall and CPU time, the ratio to the
anchor (checking the shipped pp-30-2019, measured in the same run), and what the user sees:
`ok`, or the codes of the positioned errors. Nothing here asserts; the bound is "under 2 s or
a positioned error" (issue 19), read off the table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ["KINERJA_NO_CACHE"] = "1"  # every case is a first run

import kinerja  # noqa: E402 - after the environment is set
from kinerja.library import registry  # noqa: E402
from kinerja.syntax.limits import LIMITS  # noqa: E402

H = 'ruleset x version 1.0.0\n  title "A"\n  source "B" short "B"\n'


def _outcome(found: list[kinerja.Diagnostic]) -> str:
    errors = sorted({d.code for d in found if d.severity == "error"})
    return "ok" if not errors else "error " + ", ".join(errors)


def check_text(text: str) -> Callable[[], str]:
    return lambda: _outcome(kinerja.Library().check_text(text, "case.kin"))


def table(rows: int) -> str:
    body = "\n".join(f"  [{i}, {i + 1}) -> {i % 7}" for i in range(rows))
    return H + f"input a: decimal [0, {rows}] places 2\ntable t on a hit first\n{body}\n  = {rows} -> 0\nend\noutput t\n"


def largest_table() -> str:
    """The band table with the most rows the file-size limit admits (about 24,800)."""
    low, high = 10_000, 100_000
    while low < high:
        middle = (low + high + 1) // 2
        if len(table(middle).encode("utf-8")) <= LIMITS.source_bytes:
            low = middle
        else:
            high = middle - 1
    return table(low)


def places(places_: int, power: int) -> str:
    product = " * ".join(["x"] * power)
    return H + f"input x: decimal [0, 10] places {places_}\ninput n: integer [0, 5]\nvalue v = {product} + n\n" \
               "table t on v\n  [0, 50] -> 1\n  > 50 -> 2\nend\noutput t\n"  # fmt: skip


def chain(folder: Path, depth: int) -> Callable[[], str]:
    """`extends` chains: r0 extends r1 … extends r{depth-1}."""
    for level in range(depth):
        base = f"  extends r{level + 1}@1.0.0\n" if level < depth - 1 else ""
        (folder / f"r{level}@1.0.0.kin").write_text(
            f'ruleset r{level} version 1.0.0\n  title "R"\n  source "S" short "S"\n{base}\ninput a{level}: boolean\noutput a{level}\n',
            encoding="utf-8",
        )

    def run() -> str:
        try:
            kinerja.Library(folders=(folder,)).load("r0")
            return "ok"
        except kinerja.KinerjaError as error:
            return _outcome(error.diagnostics)

    return run


def big_file(folder: Path, megabytes: int) -> Callable[[], str]:
    path = folder / f"besar-{megabytes}.kin"
    line = 'input a{}: decimal [0, 120] places 2 "Nilai"\n'
    with path.open("w", encoding="utf-8") as out:
        out.write(H)
        written, index = len(H), 0
        while written < megabytes * 1_000_000:
            text = line.format(index)
            out.write(text)
            written, index = written + len(text), index + 1
    return lambda: _outcome(kinerja.Library().check(str(path)))


def broken(kilobytes: int) -> str:
    """pedoman-daerah repeated to about `kilobytes`, every 25th declaration broken."""
    pedoman = (registry.shipped_folder() / "pedoman-daerah@1.0.0.kin").read_text(encoding="utf-8")
    head, body = pedoman.split("\ninput ", 1)
    copies = []
    for copy in range((kilobytes * 1000) // len(body) + 1):
        copies.append(("\ninput " + body).replace("\ninput ", f"\ninput c{copy}_"))
    text = head + "".join(copies)
    lines = text.split("\n")
    declarations = [i for i, line in enumerate(lines) if line.startswith(("input ", "value ", "table ", "rubric "))]
    for at in declarations[::25]:
        lines[at] = lines[at].replace(":", " ", 1).replace("=", "≈", 1)
    return "\n".join(lines)[: kilobytes * 1000]


def warm_load() -> Callable[[], str]:
    library = kinerja.Library()
    library.load("pp-30-2019")  # cold

    def run() -> str:
        for _ in range(1000):
            library.load("pp-30-2019")
        return "ok (time of 1,000 loads)"

    return run


def measure(case: Callable[[], str], repeat: int) -> tuple[float, float, str]:
    best_wall, best_cpu, outcome = float("inf"), float("inf"), ""
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        outcome = case()
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best_wall, best_cpu, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kinerja-limits-"))
    try:
        for sub in ("a", "b", "c"):
            (folder / sub).mkdir()
        pp30 = (registry.shipped_folder() / "pp-30-2019@1.0.0.kin").read_text(encoding="utf-8")
        kinerja.Library().check_text(pp30)  # build the parser once, outside every timing
        cases: list[tuple[str, Callable[[], str]]] = [
            ("anchor: check pp-30-2019 (5 KB)", check_text(pp30)),
            ("places 300000, v = x*x + n (issue: 11 s)", check_text(places(300000, 2))),
            ("places 300000, v = x*x*x + n (issue: 26 s)", check_text(places(300000, 3))),
            (f"places {LIMITS.places} (the limit), x*x*x*x*x*x + n", check_text(places(LIMITS.places, 6))),
            ("places 2, x*x*x*x*x*x + n (same grid, 2 places)", check_text(places(2, 6))),
            ("table of 2,000 rows (issue: 3.9 s)", check_text(table(2_000))),
            ("table of 5,000 rows (issue: 15.6 s)", check_text(table(5_000))),
            ("table of 10,000 rows (issue: 55 s)", check_text(table(10_000))),
            (f"table filling the file limit, {largest_table().count(chr(10)) - 7:,} rows", check_text(largest_table())),
            (f"extends chain of {LIMITS.extends_depth} (the limit)", chain(folder / "a", LIMITS.extends_depth)),
            ("extends chain of 900 (issue: 10 s)", chain(folder / "b", 900)),
            ("extends chain of 1,200 (issue: RecursionError)", chain(folder / "c", 1_200)),
            ("10 MB ruleset file (issue: 76-113 s)", big_file(folder, 10)),
            ("error recovery, 85 KB, 1 error per 25 declarations (issue: 44 s)", check_text(broken(85))),
            ("error recovery, 265 KB (issue: > 120 s)", check_text(broken(265))),
            ("round(x, 999999999, up)", check_text(H + "input x: decimal [0, 10] places 2\nvalue v = round(x, 999999999, up)\noutput v\n")),
            ("round(x, -999999999, up)", check_text(H + "input x: decimal [0, 10] places 2\nvalue v = round(x, -999999999, up)\noutput v\n")),
            ("warm Library.load('pp-30-2019') × 1,000 (issue: 1.2-19.6 ms each)", warm_load()),
        ]
        rows = []
        anchor = None
        for name, case in cases:
            wall, cpu, outcome = measure(case, args.repeat)
            anchor = anchor or wall
            rows.append((name, wall, cpu, wall / anchor, outcome))
            print(f"  … {name}: {wall:.3f} s", flush=True)
        print()
        print("| case | wall s | CPU s | × anchor | outcome |\n|---|---:|---:|---:|---|")
        for name, wall, cpu, ratio, outcome in rows:
            print(f"| {name} | {wall:.3f} | {cpu:.3f} | {ratio:.1f} | {outcome} |")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
