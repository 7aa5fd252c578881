"""The Arrow function on clusters: Dask on a local cluster (CI), Spark and Ray where installed.

Every adapter must give exactly what `evaluate_arrow` gives on the whole table, row for row,
and impact counts equal to `kinerja.impact`'s.
"""

from __future__ import annotations

import random
import sys
from decimal import Decimal
from typing import Any

import kinerja
import pyarrow as pa
import pytest
from kinerja.vector.arrow import evaluate_arrow

RATINGS = ["Di Bawah Ekspektasi", "Sesuai Ekspektasi", "Di Atas Ekspektasi"]


def _population(rows: int) -> pa.Table:
    rng = random.Random(17)
    return pa.table({
        "nip": [f"1980{i:06d}" for i in range(rows)],
        "nilai_skp": [str(Decimal(rng.randint(0, 12000)).scaleb(-2)) if i % 97 else "abc" for i in range(rows)],
        "nilai_perilaku": [str(Decimal(rng.randint(0, 12000)).scaleb(-2)) for _ in range(rows)],
        "penilaian_360": [rng.choice(["true", "false"]) for _ in range(rows)],
        "inovasi": [rng.choice(["true", "false", ""]) for _ in range(rows)],
        "rating_hasil_kerja": [rng.choice(RATINGS) for _ in range(rows)],
        "rating_perilaku_kerja": [rng.choice(RATINGS) for _ in range(rows)],
    })  # fmt: skip


def _expected(table: pa.Table) -> list[dict[str, Any]]:
    return evaluate_arrow("pp-30-2019", table, keep=["nip"]).to_pylist()


def _impact_expected(table: pa.Table) -> Any:
    rows = [{k: str(v) for k, v in row.items()} for row in table.to_pylist()]
    return kinerja.impact(kinerja.load("kmk-300-2022"), kinerja.load("permenpanrb-6-2022"), rows)


def _normal(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(({k: (None if v != v else v) for k, v in row.items()} for row in rows), key=lambda r: r["nip"])


def test_dask_on_a_local_cluster() -> None:
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    from kinerja.distributed import dask as kd

    table = _population(600)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster):  # fmt: skip
        frame = table.to_pandas(types_mapper=lambda t: __import__("pandas").ArrowDtype(t))
        ddf = dd.from_pandas(frame, npartitions=4)
        scored = kd.evaluate(ddf, "pp-30-2019", keep=["nip"])
        assert list(scored.columns) == ["nip", "nilai_kinerja", "predikat", "error"]
        result = scored.compute()
        report = kd.impact(ddf, "kmk-300-2022", "permenpanrb-6-2022")
    got = pa.Table.from_pandas(result, preserve_index=False).to_pylist()
    assert _normal(got) == _normal(_expected(table))
    expected = _impact_expected(table)
    assert report.rows == 600 and report.transitions == expected.transitions and report.changed == expected.changed


def test_spark_map_in_arrow(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pyspark")
    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)  # workers run this interpreter, where kinerja is installed
    monkeypatch.setenv("PYSPARK_DRIVER_PYTHON", sys.executable)
    from kinerja.distributed import spark as ks
    from pyspark.sql import SparkSession

    table = _population(300)
    session = (SparkSession.builder.master("local[2]").appName("kinerja-test").config("spark.ui.enabled", "false")
               .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1").getOrCreate())  # fmt: skip
    try:
        df = session.createDataFrame(table.to_pandas())
        scored = ks.evaluate(df, "pp-30-2019", keep=["nip"])
        got = [row.asDict() for row in scored.collect()]
        report = ks.impact(df, "kmk-300-2022", "permenpanrb-6-2022")
    finally:
        session.stop()
    assert _normal(got) == _normal(_expected(table))
    expected = _impact_expected(table)
    assert report.rows == 300 and report.transitions == expected.transitions and report.changed == expected.changed


def test_ray_map_batches() -> None:
    ray = pytest.importorskip("ray")
    from kinerja.distributed import ray as kr

    table = _population(300)
    ray.init(num_cpus=2, include_dashboard=False, ignore_reinit_error=True, log_to_driver=False)
    try:
        dataset = ray.data.from_arrow(table)
        got = kr.evaluate(dataset, "pp-30-2019", keep=["nip"]).take_all()
        report = kr.impact(dataset, "kmk-300-2022", "permenpanrb-6-2022")
    finally:
        ray.shutdown()
    assert _normal([dict(r) for r in got]) == _normal(_expected(table))
    expected = _impact_expected(table)
    assert report.rows == 300 and report.transitions == expected.transitions and report.changed == expected.changed
