"""Thin adapters that run kinerja's Arrow function unchanged on a cluster: Spark, Dask, Ray Data.

Each adapter only hands batches to `kinerja.vector.arrow.evaluate_arrow` (or `impact_arrow`)
and tells the cluster the output schema before any data is read. The ruleset travels as its
text (`portable`), so a worker needs kinerja installed and nothing else; each worker
compiles a ruleset once (the Arrow function's per-process cache).

One machine is enough for one ruleset over the national workforce (4.3 M rows is a few
minutes of `kinerja batch`); a cluster pays off when many reforms × many years × the whole
workforce are scored at once, or when the data already lives in one.
"""

from __future__ import annotations

from kinerja.library.ruleset import Ruleset


def portable(ruleset: Ruleset | str) -> str:
    """What a worker needs to compile the same ruleset: its text (a reference or text stays as given)."""
    if isinstance(ruleset, Ruleset):
        return ruleset.module.source_text
    return ruleset
