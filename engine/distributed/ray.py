"""Ray Data: `map_batches` with a callable class, so each worker compiles the ruleset once.

    from kinerja.distributed import ray as kr
    scored = kr.evaluate(dataset, "pp-30-2019", keep=["nip"])   # a ray.data.Dataset
    report = kr.impact(dataset, "kmk-300-2022", "kmk-127-2026")  # an ImpactReport
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa
from kinerja.distributed import portable
from kinerja.library.ruleset import Ruleset
from kinerja.vector.arrow import compiled, evaluate_arrow, impact_arrow, reduce_impact


class Scorer:
    """The callable Ray runs on each worker: compiled once in `__init__`, then applied batch by batch."""

    def __init__(self, ruleset: str, keep: Sequence[str] = (), lang: str | None = None):
        self.ruleset = ruleset
        self.keep = list(keep)
        self.lang = lang
        compiled(ruleset)  # the worker's one compilation

    def __call__(self, batch: pa.Table) -> pa.Table:
        return pa.Table.from_batches([evaluate_arrow(self.ruleset, batch, keep=self.keep, lang=self.lang)])


class Comparer:
    """Both versions on each batch, reduced to transition counts."""

    def __init__(self, old: str, new: str, lang: str | None = None):
        self.old, self.new, self.lang = old, new, lang
        compiled(old)
        compiled(new)

    def __call__(self, batch: pa.Table) -> pa.Table:
        return pa.Table.from_batches([impact_arrow(self.old, self.new, batch, self.lang)])


def evaluate(dataset: Any, ruleset: Ruleset | str, *, keep: Sequence[str] = (), lang: str | None = None,
             concurrency: int = 2) -> Any:  # fmt: skip
    """A Dataset of the outputs and `error` (after the `keep` columns)."""
    return dataset.map_batches(Scorer, fn_constructor_args=(portable(ruleset), tuple(keep), lang), batch_format="pyarrow",
                               concurrency=concurrency)  # fmt: skip


def impact(dataset: Any, old: Ruleset | str, new: Ruleset | str, *, lang: str | None = None, concurrency: int = 2) -> Any:
    """Both versions on every row in one pass; the counts summed across batches; an `ImpactReport`."""
    old_text, new_text = portable(old), portable(new)
    counts = dataset.map_batches(Comparer, fn_constructor_args=(old_text, new_text, lang), batch_format="pyarrow",
                                 concurrency=concurrency)  # fmt: skip
    batches = [pa.RecordBatch.from_pylist(counts.take_all())] if counts.count() else []
    return reduce_impact(old_text, new_text, batches)
