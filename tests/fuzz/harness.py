"""What a fuzzed input must never do: crash (any exception but kinerja's own), hang, or mislead.

kinerja's own errors are its two deliberate kinds: a `KinerjaError` (diagnostics about a place
in a ruleset or a record) and a `CodedError` (one coded message about how a command was used:
a table the batch refuses, a column that is missing or appears twice). Either is an answer.

`ruleset_findings(text)` runs a ruleset text through everything a user can: check (every
diagnostic rendered in both languages), fmt (which must be idempotent and keep the
fingerprint), load, the examples, a few records, explain and the input schema.
`record_findings(ruleset, record)` evaluates one record every way the API offers: traced
and untraced (same outputs), as text values, validated, explained.

A finding names the place it happened (exception type, innermost kinerja frame) so that
thousands of crashing inputs collapse into their few distinct causes.
"""

from __future__ import annotations

import contextlib
import csv
import os
import random
import signal
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import kinerja
from kinerja.audit.explain import explain
from kinerja.diagnostics.diagnostic import CodedError
from kinerja.publish.schema import input_schema
from kinerja.syntax.canonical import fingerprint
from kinerja.syntax.format import format_text

from fuzz.generate import record

HANG_SECONDS = float(os.environ.get("KINERJA_FUZZ_SECONDS", "10"))  # one command taking longer is a hang (the threshold)
SLOW_SECONDS = 2.0  # longer is reported as slow, not counted as a failure


@dataclass(frozen=True)
class Finding:
    kind: str  # "crash", "hang", "fmt" (formatting changed the meaning or is not idempotent), "slow"
    where: str  # exception type and innermost kinerja frame, or what was compared
    detail: str

    @property
    def failure(self) -> bool:
        return self.kind != "slow"


class _Hang(BaseException):
    """Raised by the alarm; a BaseException so that no `except Exception` in the engine swallows it."""


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Interrupt the block after `seconds` (Unix main thread; elsewhere only measured)."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def ring(signum: int, frame: Any) -> None:
        raise _Hang()

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def where(error: BaseException) -> str:
    """The exception type and the innermost frame inside kinerja (or the innermost at all)."""
    frames = traceback.extract_tb(error.__traceback__)
    inside = [f for f in frames if "kinerja" in f.filename or "/engine/" in f.filename or "/cli/" in f.filename]
    frame = (inside or frames or [None])[-1]
    place = f"{Path(frame.filename).name}:{frame.lineno} {frame.name}" if frame is not None else "?"
    return f"{type(error).__name__} at {place}"


def guarded(findings: list[Finding], step: Callable[[], Any], seconds: float = HANG_SECONDS) -> Any:
    """Run one step; kinerja's own errors (KinerjaError, CodedError) are answers, anything else a finding."""
    started = time.perf_counter()
    try:
        with deadline(seconds):
            return step()
    except (kinerja.KinerjaError, CodedError):
        return None
    except _Hang:
        findings.append(Finding("hang", getattr(step, "__name__", "step"), f"> {seconds} s"))
        return None
    except RecursionError as error:
        findings.append(Finding("crash", where(error), "RecursionError"))
        return None
    except Exception as error:  # noqa: BLE001 - that is what a fuzzer looks for
        findings.append(Finding("crash", where(error), f"{type(error).__name__}: {str(error)[:300]}"))
        return None
    finally:
        elapsed = time.perf_counter() - started
        if SLOW_SECONDS < elapsed <= seconds:
            findings.append(Finding("slow", getattr(step, "__name__", "step"), f"{elapsed:.1f} s"))


def _rendered(diagnostics: list[kinerja.Diagnostic]) -> None:
    for d in diagnostics:
        for lang in ("id", "en"):
            d.render(lang)
            kinerja.to_json(d.to_dict(lang))


def ruleset_findings(text: str, rnd: random.Random | None = None) -> list[Finding]:
    """Everything that goes wrong when a user runs this ruleset text through kinerja."""
    rnd = rnd or random.Random(0)
    findings: list[Finding] = []
    library = kinerja.Library()  # a fresh one: a long run must not keep 100,000 rulesets

    def check() -> None:
        _rendered(library.check_text(text, "fuzz.kin"))

    formatted: dict[str, str] = {}

    # `kinerja fmt` once, then once more on its output: each timed as the user's one command
    def fmt() -> None:
        try:
            formatted["once"] = format_text(text, "fuzz.kin")
        except kinerja.KinerjaError as error:
            _rendered(error.diagnostics)

    def fmt_again() -> None:
        if "once" in formatted:
            formatted["twice"] = format_text(formatted["once"], "fuzz.kin")

    def same_meaning() -> None:
        once, twice = formatted.get("once"), formatted.get("twice")
        if once is None or twice is None:
            return
        if twice != once:
            findings.append(Finding("fmt", "fmt is not idempotent", _first_difference(once, twice)))
        if fingerprint(kinerja.parse(text, "fuzz.kin")) != fingerprint(kinerja.parse(once, "fuzz.kin")):
            findings.append(Finding("fmt", "fmt changed the fingerprint", _first_difference(text, once)))

    def load() -> kinerja.Ruleset:
        return library.load_text(text, "fuzz.kin")

    guarded(findings, check)
    guarded(findings, fmt)
    guarded(findings, fmt_again)
    guarded(findings, same_meaning)
    ruleset = guarded(findings, load)
    if isinstance(ruleset, kinerja.Ruleset):

        def examples() -> None:
            for outcome in ruleset.run_examples():
                kinerja.to_json(outcome.to_dict())

        def schema() -> None:
            input_schema(ruleset)

        guarded(findings, examples)
        guarded(findings, schema)
        for _ in range(3):
            findings += record_findings(ruleset, record(rnd, inputs_of(ruleset)))
    return findings


def inputs_of(ruleset: kinerja.Ruleset) -> dict[str, Any]:
    """Input name -> the checker's type, what `generate.record` draws from."""
    return {name: ruleset.checked.types[name] for name in ruleset.checked.inputs if name in ruleset.checked.types}


def record_findings(ruleset: kinerja.Ruleset, record: dict[str, Any]) -> list[Finding]:
    """Everything that goes wrong when this record is evaluated by this ruleset, every way."""
    findings: list[Finding] = []
    results: dict[str, Any] = {}

    def traced() -> None:
        try:
            results["traced"] = ruleset.evaluate(record, trace=True)
        except kinerja.KinerjaError as error:
            _rendered(error.diagnostics)
            results["traced"] = type(error)

    def untraced() -> None:
        try:
            results["untraced"] = ruleset.evaluate(record, trace=False)
        except kinerja.KinerjaError as error:
            results["untraced"] = type(error)

    def as_text() -> None:
        texts = {k: v if isinstance(v, (str, list, dict)) else kinerja.decimal_text(v) if isinstance(v, Decimal) else str(v)
                 for k, v in record.items()}  # fmt: skip
        with contextlib.suppress(kinerja.KinerjaError, TypeError):
            ruleset.evaluate(texts, text_values=True)

    def explained() -> None:
        result = results.get("traced")
        if isinstance(result, kinerja.Result):
            for lang in ("id", "en"):
                explain(ruleset, result, lang)
            kinerja.to_json(result.to_dict())

    for step in (traced, untraced, as_text, explained):
        guarded(findings, step)
    a, b = results.get("traced"), results.get("untraced")
    if isinstance(a, kinerja.Result) and isinstance(b, kinerja.Result):
        if a.outputs != b.outputs:
            findings.append(Finding("crash", "traced and untraced outputs differ", f"{a.outputs} != {b.outputs}"))
    elif a is not None and b is not None and (isinstance(a, kinerja.Result) != isinstance(b, kinerja.Result)):
        findings.append(Finding("crash", "traced and untraced disagree on failing", f"{a} / {b}"))
    return findings


def _first_difference(a: str, b: str) -> str:
    at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return f"at {at}: {a[max(0, at - 40) : at + 40]!r} vs {b[max(0, at - 40) : at + 40]!r}"


def batch_findings(ruleset: kinerja.Ruleset, records: list[dict[str, Any]], folder: Path) -> list[Finding]:
    """The records as a CSV through `kinerja.batch` (the column path included): one output row each.

    The drawn columns go in as they are; a header kinerja refuses with a coded usage error (a
    column that appears twice once its spaces are trimmed, e.g. `nilai_skp` and `nilai_skp `)
    is an answer, and the rows then go through once more under one column per trimmed name, so
    that every drawn record still reaches the batch.
    """
    findings: list[Finding] = []
    names = sorted({name for drawn in records for name in drawn if isinstance(name, str) and name})
    target = folder / "out.csv"

    def written(columns: list[str], path: Path) -> Path:
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["no", *columns])
            for number, drawn in enumerate(records):
                writer.writerow([number, *(_cell(drawn.get(name)) for name in columns)])
        return path

    def through(source: Path) -> Callable[[], bool]:
        def run() -> bool:
            report = kinerja.batch(ruleset, source, target, id_column="no")
            if report.rows != len(records):
                findings.append(Finding("crash", "batch lost or added rows", f"{len(records)} rows in, {report.rows} out"))
            return True

        return run

    if guarded(findings, through(written(names, folder / "in.csv")), HANG_SECONDS * 3):
        return findings
    distinct = list({name.strip(): name for name in reversed(names)}.values())[::-1]
    if distinct != names:
        guarded(findings, through(written(distinct, folder / "in-distinct.csv")), HANG_SECONDS * 3)
    return findings


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return kinerja.decimal_text(value) if value.is_finite() else str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return text.encode("utf-8", "replace").decode("utf-8")  # (a lone surrogate cannot be written to a file)
