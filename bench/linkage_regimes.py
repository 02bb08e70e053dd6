"""The linkage robustness suite: every synthetic regime (endvac.synth.regimes) and every
FEBRL data set, through endvac's ingest, encoding and ``endvac link``, beside plain
Splink on the same records in the clear (standard comparisons: Jaro-Winkler names and
address, Levenshtein date of birth, exact sex, region and national id; the same blocking
rules; a prior from the same looser deterministic rules; EM on the same rules).

    .venv/bin/python bench/linkage.py --regimes [--people 3000] [--seed 1]

Prints one line a regime: records, then precision/recall/F1 of endvac and of plain
Splink, and a RESULT line (JSON) each.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

from endvac.ingest.load import ingest
from endvac.linkage import comparisons
from endvac.linkage.evaluate import evaluate_links, score
from endvac.linkage.model import EM_MAX_PAIRS, PRIOR_RECALL, SEED, U_MAX_PAIRS, quiet_splink
from endvac.linkage.run import link
from endvac.store import db
from endvac.synth.regimes import FEBRL, REGIMES, fix_identity_key, write_febrl, write_regime
from endvac.workspace import init_workspace

CLEAR = ("given_name", "family_name", "national_id", "address")
OPTIONAL = ("date_of_birth", "sex", "region")


def suite(folder: Path, people: int, seed: int) -> list[tuple[str, list[Path], Path]]:
    """(name, deliveries, truth) of every regime and FEBRL set, written under ``folder``."""
    out: list[tuple[str, list[Path], Path]] = []
    for name in REGIMES:
        delivery, truth = write_regime(folder, name, people, seed)
        out.append((name, [delivery], truth))
    for dataset in FEBRL:
        deliveries, truth = write_febrl(folder, dataset)
        out.append(("febrl-" + dataset, deliveries, truth))
    return out


def run_endvac(root: Path, deliveries: list[Path], truth: Path) -> dict[str, Any]:
    ws = init_workspace(root)
    fix_identity_key(ws.keys_dir)  # the tests' key: the same figures as their floors
    for delivery in deliveries:
        ingest(ws, delivery)
    started = time.perf_counter()
    link(ws)
    seconds = time.perf_counter() - started
    return {**evaluate_links(ws, truth), "seconds": seconds}


def _clear_records(con: duckdb.DuckDBPyConnection, deliveries: list[Path]) -> set[str]:
    """Table ``clear_records`` from the deliveries' CSVs; the columns present."""
    files = [str(d / "children.csv") for d in deliveries]
    db.run(con, "read clear", "CREATE TABLE raw AS SELECT * FROM read_csv(?, all_varchar = "
           "true, union_by_name = true)", [files])
    present = {r[0] for r in db.rows(con, "columns", "DESCRIBE raw")}
    select = [f"nullif(lower(trim({c})), '') AS {c}" if c in present else f"NULL AS {c}"
              for c in CLEAR + ("sex", "region")]
    dob = "nullif(date_of_birth, '')" if "date_of_birth" in present else "NULL"
    db.run(con, "clear records", "CREATE TABLE clear_records AS SELECT CAST(row_number() "
           "OVER (ORDER BY agency, record_id) AS BIGINT) AS unique_id, agency, record_id, "
           f"{dob} AS dob, CAST(substr({dob}, 1, 4) AS INTEGER) AS birth_year, "
           + ", ".join(select) + " FROM raw")
    return {c for c in CLEAR + OPTIONAL if c in present}


def _plain_settings(fields: set[str], columns: set[str]) -> dict[str, Any]:
    import splink.comparison_library as cl

    named: list[Any] = [cl.JaroWinklerAtThresholds(f, [0.92, 0.8]) for f in
                        ("given_name", "family_name") if f in fields]
    if "national_id" in fields:
        named.append(cl.ExactMatch("national_id"))
    if "address" in fields:
        named.append(cl.JaroWinklerAtThresholds("address", [0.9]))
    if "date_of_birth" in columns:
        named.append(cl.LevenshteinAtThresholds("dob", [1, 2]))
    named += [cl.ExactMatch(c) for c in ("sex", "region") if c in columns]
    return {"link_type": "dedupe_only", "unique_id_column_name": "unique_id",
            "comparisons": named, "linker_uid": "plain",
            "blocking_rules_to_generate_predictions": [
                r.replace("_token", "") for r in comparisons.blocking_rules(fields)
                if "_fold" not in r],  # plain Splink has no folded spellings
            "additional_columns_to_retain": ["agency", "record_id"],
            "max_iterations": 25, "em_convergence": 0.0001}


def run_plain(deliveries: list[Path], truth: Path) -> dict[str, Any]:
    """Plain Splink on the clear records; its figures, or its error's name."""
    from splink import DuckDBAPI, Linker

    started = time.perf_counter()
    con = duckdb.connect()
    present = _clear_records(con, deliveries)
    fields = present & set(CLEAR)
    dated = "date_of_birth" in present
    try:
        linker = Linker(DuckDBAPI(connection=con).register("clear_records"),
                        _plain_settings(fields, present))
        quiet_splink()
        linker.training.estimate_probability_two_random_records_match(
            [r.replace("_token", "") for r in comparisons.deterministic_rules(fields, dated)
             if "_fold" not in r],
            recall=PRIOR_RECALL)
        linker.training.estimate_u_using_random_sampling(max_pairs=U_MAX_PAIRS, seed=SEED)
        for rule in comparisons.training_rules(fields, dated):
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule.replace("_token", ""), max_pairs=EM_MAX_PAIRS)
        predictions = linker.inference.predict(threshold_match_probability=0.01)
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.9)
    except Exception as exc:  # a bench reports what plain Splink does, failures included
        return {"error": type(exc).__name__ + ": " + str(exc).splitlines()[0][:120]}
    seconds = time.perf_counter() - started
    db.run(con, "truth", "CREATE TABLE truth AS SELECT * FROM read_csv(?, all_varchar = true)",
           [str(truth)])
    db.run(con, "join", "CREATE TABLE linked AS SELECT c.agency, c.record_id, CAST(c.cluster_id "
           f"AS VARCHAR) AS child_key, t.person FROM {clusters.physical_name} AS c "
           "JOIN truth AS t USING (agency, record_id)")
    return {**score(con), "seconds": seconds}


def _figures(found: dict[str, Any]) -> str:
    if "error" in found:
        return f"{'failed':>29}"
    return f"{found['precision']:>9.4f} {found['recall']:>9.4f} {found['f1']:>9.4f}"


def main(people: int, seed: int) -> int:
    root = Path(tempfile.mkdtemp(prefix="endvac-bench-regimes-"))
    print(f"{'regime':>16} {'records':>8} | endvac {'precision':>9} {'recall':>9} {'F1':>9}"
          f" | plain {'precision':>9} {'recall':>9} {'F1':>9}")
    for name, deliveries, truth in suite(root / "data", people, seed):
        ours = run_endvac(root / ("ws-" + name), deliveries, truth)
        plain = run_plain(deliveries, truth)
        print(f"{name:>16} {ours['records']:>8} | endvac {_figures(ours)} | plain "
              f"{_figures(plain)}", flush=True)
        print("RESULT " + json.dumps({"regime": name, "endvac": ours, "plain": plain}),
              flush=True)
    return 0
