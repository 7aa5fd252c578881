"""Spark: `mapInArrow` with the output schema derived from the ruleset (as `kinerja schema` states it).

    from kinerja.distributed import spark
    scored = spark.evaluate(df, "pp-30-2019", keep=["nip"])
    moves = spark.impact(df, "kmk-300-2022", "kmk-127-2026")   # an ImpactReport
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pyarrow as pa
from kinerja.distributed import portable
from kinerja.library.ruleset import Ruleset
from kinerja.vector.arrow import IMPACT_SCHEMA, arrow_schema, evaluate_arrow, impact_arrow, reduce_impact


def spark_schema(schema: pa.Schema) -> Any:
    """An Arrow schema as a Spark StructType."""
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(schema)


def evaluate(df: Any, ruleset: Ruleset | str, *, keep: Sequence[str] = (), lang: str | None = None) -> Any:
    """A DataFrame of the outputs and `error` (after the `keep` columns), one row per row of `df`."""
    text = portable(ruleset)
    kept = list(keep)
    from pyspark.sql.pandas.types import to_arrow_type

    keep_types = [(name, to_arrow_type(df.schema[name].dataType)) for name in kept]
    schema = arrow_schema(text, keep_types)

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            yield evaluate_arrow(text, batch, keep=kept, lang=lang)

    return df.mapInArrow(run, spark_schema(schema))


def impact(df: Any, old: Ruleset | str, new: Ruleset | str, *, lang: str | None = None) -> Any:
    """Both versions on every row in one pass; the transition counts reduced by Spark; an `ImpactReport`."""
    old_text, new_text = portable(old), portable(new)

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            yield impact_arrow(old_text, new_text, batch, lang)

    counts = df.mapInArrow(run, spark_schema(IMPACT_SCHEMA)).groupBy("from", "to", "changed").sum("rows")
    rows = counts.collect()
    table = pa.table({"from": [r["from"] for r in rows], "to": [r["to"] for r in rows],
                      "changed": [r["changed"] for r in rows], "rows": [int(r["sum(rows)"]) for r in rows]},
                     schema=IMPACT_SCHEMA)  # fmt: skip
    return reduce_impact(old_text, new_text, table)
