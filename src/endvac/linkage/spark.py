"""Scoring and clustering on Splink's Spark backend with the model the DuckDB run saved.

The records (``link_records``, built in the linkage zone as for DuckDB) are handed to a
Spark session as they are, each field's Bloom filter as 32 BIGINT words. The
comparisons' SQL is the saved model's, unchanged: ``bit_count``, ``&`` and
``arrays_overlap`` are Spark SQL's own, so no Python UDF runs. Here Spark runs
in local mode (``local[2]``); on a cluster, give ``ENDVAC_SPARK_MASTER`` (docs/scale.md).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from typing import Any

import pyarrow as pa

from endvac.linkage.guard import RETRAIN, splink_step
from endvac.progress import Progress


def spark_session(scratch: str) -> Any:
    """A local Spark session (or the master named by ENDVAC_SPARK_MASTER); Splink's
    intermediate tables go to ``scratch`` (a folder of this run, deleted after it)."""
    from pyspark.sql import SparkSession

    spill = os.environ.get("ENDVAC_TEMP_DIR") or tempfile.gettempdir()
    # Spark's Python workers must run this interpreter (endvac, the same Python)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (SparkSession.builder.master(os.environ.get("ENDVAC_SPARK_MASTER", "local[2]"))
             .appName("endvac-link")
             .config("spark.sql.shuffle.partitions", "4")
             .config("spark.default.parallelism", "4")
             .config("spark.local.dir", spill)
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.execution.arrow.pyspark.enabled", "true")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    spark.sparkContext.setCheckpointDir(scratch)
    return spark


def spark_records(records: pa.Table) -> Any:
    """The records as pandas for Spark (case numbers as lists)."""
    frame = records.to_pandas()
    frame["case_refs"] = [None if v is None else list(v) for v in frame["case_refs"]]
    return frame


def score_on_spark(records: pa.Table, model: dict[str, Any], floor: float, cut: float,
                   say: Progress) -> tuple[pa.Table, pa.Table]:
    """(scored pairs above ``floor``, clusters at ``cut``) computed by Spark."""
    say("starting Spark")
    scratch = tempfile.mkdtemp(prefix="endvac-spark-",
                               dir=os.environ.get("ENDVAC_TEMP_DIR") or None)
    try:
        return _score(spark_session(scratch), records, model, floor, cut, say)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _score(spark: Any, records: pa.Table, model: dict[str, Any], floor: float, cut: float,
           say: Progress) -> tuple[pa.Table, pa.Table]:
    from splink import Linker, SparkAPI

    from endvac.linkage.model import quiet_splink

    with splink_step("scoring record pairs on Spark", fix=RETRAIN):
        api = SparkAPI(spark_session=spark, register_udfs_automatically=False)
        frame = spark.createDataFrame(spark_records(records), schema=_schema(records))
        linker = Linker(api.register(frame), model)
        quiet_splink()
        say("scoring pairs on Spark")
        predictions = linker.inference.predict(threshold_match_probability=floor)
        say("clustering on Spark")
        clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, cut)
        pairs_frame = predictions.as_pandas_dataframe()
        clusters = clustered.as_pandas_dataframe()[
            ["cluster_id", "unique_id", "agency", "record_id"]]
    kept = ["unique_id_l", "unique_id_r", "agency_l", "record_id_l", "agency_r",
            "record_id_r", "match_probability", "match_weight"]
    kept += [c for c in pairs_frame.columns if c.startswith("mw_")]
    pairs_frame = pairs_frame[kept].sort_values(["unique_id_l", "unique_id_r"])
    return (pa.Table.from_pandas(pairs_frame, preserve_index=False),
            pa.Table.from_pandas(clusters, preserve_index=False))


def _schema(records: pa.Table) -> Any:
    """A Spark schema for the records."""
    from pyspark.sql import types as t

    def spark_type(field: pa.Field) -> Any:
        if pa.types.is_list(field.type):
            return t.ArrayType(t.StringType())
        if pa.types.is_integer(field.type):
            return t.LongType()
        if pa.types.is_boolean(field.type):
            return t.BooleanType()
        return t.StringType()
    return t.StructType([t.StructField(f.name, spark_type(f)) for f in records.schema])
