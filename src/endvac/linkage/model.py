"""Training the linkage model with Splink on DuckDB (EM), saving and loading it.

Reproducible: u probabilities come from Splink's deterministic, seeded hash sampling,
the prior from deterministic rules, the m probabilities from EM over fixed blocking
rules on records in a fixed order; probabilities are rounded to 8 significant digits
(DuckDB's parallel sums vary in the last bits), and the model JSON (parameters only,
never data) is written in the linkage zone, ``linkage/model.json``.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import duckdb

from endvac.errors import BadInput
from endvac.interchange.spec import IDENTIFIER_FIELDS
from endvac.linkage import comparisons
from endvac.progress import Progress
from endvac.store import db

SEED = 20261129
U_MAX_PAIRS = 1e6
EM_MAX_PAIRS = 5e5
PRIOR_RECALL = 0.7
SIGNIFICANT = 8


def usable_columns(con: duckdb.DuckDBPyConnection) -> tuple[set[str], set[str]]:
    """(identifier fields, other columns) that hold a value on at least two records."""
    counts = db.records(con, "count linkage columns", "SELECT " + ", ".join(
        [f"count({db.ident(f + '_token')}) AS {db.ident(f)}" for f in IDENTIFIER_FIELDS]
        + [f"count({c}) AS {c}" for c in ("sex", "region", "case_refs")]) +
        " FROM link_records")[0]
    fields = {f for f in IDENTIFIER_FIELDS if counts[f] >= 2}
    columns = {c for c in ("sex", "region", "case_refs") if counts[c] >= 2}
    return fields, columns


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Define the macros the comparisons use on a DuckDB connection."""
    for sql in comparisons.DUCKDB_MACROS:
        db.run(con, "define linkage functions", sql)


def quiet_splink() -> None:
    """Splink logs at INFO by default; endvac reports its own progress (and the run summary)."""
    for name in ["splink", *logging.root.manager.loggerDict]:
        if name.startswith("splink"):
            logging.getLogger(name).setLevel(logging.ERROR)


def train(con: duckdb.DuckDBPyConnection, progress: Progress) -> tuple[Any, dict[str, Any]]:
    """(linker, model dict) trained on ``link_records`` of ``con``."""
    from splink import DuckDBAPI, Linker

    quiet_splink()
    fields, columns = usable_columns(con)
    if not fields:
        raise BadInput("no record carries an identifier to link on",
                       fix="ingest children.csv deliveries with names or national ids")
    prepare(con)
    api = DuckDBAPI(connection=con)
    settings = comparisons.settings(fields, columns)
    settings["linker_uid"] = "endvac"
    linker = Linker(api.register("link_records"), settings)
    quiet_splink()
    progress("training: prior from deterministic rules")
    rules: list[Any] = list(comparisons.deterministic_rules(fields))
    linker.training.estimate_probability_two_random_records_match(rules, recall=PRIOR_RECALL)
    progress("training: u probabilities from random pairs (seeded)")
    linker.training.estimate_u_using_random_sampling(max_pairs=U_MAX_PAIRS, seed=SEED,
                                                     num_chunks=1, min_count_per_level=None)
    for rule in comparisons.training_rules(fields):
        progress("training: EM on pairs blocked by " + _rule_name(rule))
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, max_pairs=EM_MAX_PAIRS)
    model = rounded(linker.misc.save_model_to_json())
    # score with the saved (rounded) parameters, exactly as a later run or Spark would
    linker = Linker(api.register("link_records"), model)
    quiet_splink()
    return linker, model


def rounded(model: dict[str, Any], digits: int = SIGNIFICANT) -> dict[str, Any]:
    """The model with every probability to ``digits`` significant digits: DuckDB's
    parallel sums differ in the last bits from run to run, the saved model must not."""
    def fix(value: Any) -> Any:
        if isinstance(value, float) and value:
            return float(f"{value:.{digits}g}")
        if isinstance(value, dict):
            return {k: fix(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fix(v) for v in value]
        return value
    return dict(fix(model))


def _rule_name(rule: str) -> str:
    return " and ".join(part.split("=")[0].strip().removeprefix("l.")
                        for part in rule.split(" AND "))


def save_model(model: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_suffix(".tmp")
    staged.write_text(json.dumps(model, indent=1, sort_keys=True), encoding="utf-8")
    staged.replace(path)


def load_model(path: Path) -> dict[str, Any]:
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise BadInput(f"cannot read the linkage model {path}",
                       fix="train it again with endvac link (DuckDB engine)") from exc
