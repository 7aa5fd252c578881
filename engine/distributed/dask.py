"""Dask: `map_partitions` with `meta` (the output schema, known before any partition is read).

    from kinerja.distributed import dask as kd
    scored = kd.evaluate(ddf, "pp-30-2019", keep=["nip"])      # a lazy dask DataFrame
    report = kd.impact(ddf, "kmk-300-2022", "kmk-127-2026")     # an ImpactReport
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa
from kinerja.distributed import portable
from kinerja.library.ruleset import Ruleset
from kinerja.vector.arrow import IMPACT_SCHEMA, arrow_schema, evaluate_arrow, impact_arrow, reduce_impact


def _frame(batch: pa.RecordBatch) -> Any:
    # decimals stay exact (Python Decimal objects), labels stay strings: no float anywhere
    return batch.to_pandas(types_mapper=_types)


def _types(arrow: pa.DataType) -> Any:
    import pandas as pd

    if pa.types.is_string(arrow) or pa.types.is_large_string(arrow):
        return pd.ArrowDtype(arrow)
    if pa.types.is_integer(arrow) or pa.types.is_boolean(arrow) or pa.types.is_decimal(arrow):
        return pd.ArrowDtype(arrow)
    return None


def _partition(frame: Any, text: str, keep: list[str], lang: str | None) -> Any:
    batch = pa.RecordBatch.from_pandas(frame, preserve_index=False)
    return _frame(evaluate_arrow(text, batch, keep=keep, lang=lang))


def evaluate(ddf: Any, ruleset: Ruleset | str, *, keep: Sequence[str] = (), lang: str | None = None) -> Any:
    """A lazy Dask DataFrame of the outputs and `error` (after the `keep` columns), partition by partition."""
    text = portable(ruleset)
    kept = list(keep)
    meta_input = pa.Schema.from_pandas(ddf._meta, preserve_index=False)
    schema = arrow_schema(text, [(name, meta_input.field(name).type) for name in kept])
    meta = _frame(pa.RecordBatch.from_pylist([], schema=schema))
    return ddf.map_partitions(_partition, text, kept, lang, meta=meta)


def _impact_partition(frame: Any, old: str, new: str, lang: str | None) -> Any:
    batch = pa.RecordBatch.from_pandas(frame, preserve_index=False)
    return _frame(impact_arrow(old, new, batch, lang))


def impact(ddf: Any, old: Ruleset | str, new: Ruleset | str, *, lang: str | None = None) -> Any:
    """Both versions on every row in one pass; the transition counts summed by Dask; an `ImpactReport`."""
    old_text, new_text = portable(old), portable(new)
    meta = _frame(pa.RecordBatch.from_pylist([], schema=IMPACT_SCHEMA))
    parts = ddf.map_partitions(_impact_partition, old_text, new_text, lang, meta=meta)
    summed = parts.groupby(["from", "to", "changed"]).rows.sum().compute().reset_index()
    table = pa.table({"from": summed["from"].astype(str).tolist(), "to": summed["to"].astype(str).tolist(),
                      "changed": [bool(x) for x in summed["changed"]], "rows": [int(x) for x in summed["rows"]]},
                     schema=IMPACT_SCHEMA)  # fmt: skip
    return reduce_impact(old_text, new_text, table)
