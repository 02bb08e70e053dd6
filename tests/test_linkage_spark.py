"""The Spark engine, with the model the DuckDB run trained and saved, gives exactly the
DuckDB run's clusters (and so the same child keys) on a small synthetic country."""

from __future__ import annotations

from pathlib import Path

from conftest import synthetic_workspace
from endvac.linkage.review import list_links
from endvac.linkage.run import link


def test_spark_clusters_are_identical_to_duckdb(tmp_path: Path) -> None:
    _, ws, _ = synthetic_workspace(tmp_path, 200, 2)
    on_duckdb = link(ws)
    duckdb_links = list_links(ws)
    on_spark = link(ws, engine="spark")
    spark_links = list_links(ws)
    assert on_spark.records == on_duckdb.records > 400
    assert on_spark.persons == on_duckdb.persons < on_duckdb.records
    # the same clusters keep every key: nothing created, redirected or retired
    assert (on_spark.created, on_spark.redirected, on_spark.retired) == (0, 0, 0)
    assert [(r["agency"], r["record_id"], r["child_key"], r["cluster_size"])
            for r in spark_links] == [(r["agency"], r["record_id"], r["child_key"],
                                       r["cluster_size"]) for r in duckdb_links]
    for spark_row, duckdb_row in zip(spark_links, duckdb_links, strict=True):
        if duckdb_row["match_probability"] is None:
            assert spark_row["match_probability"] is None
        else:
            assert abs(spark_row["match_probability"] - duckdb_row["match_probability"]) < 1e-9
