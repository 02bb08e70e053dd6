"""Record linkage on the synthetic country: endvac link (protected identifiers) against
plain Splink on the same records in the clear, in the same process tree.

    .venv/bin/python bench/linkage.py [--children 100000 1000000] [--seed 1] [--keep]
                                      [--workspace WS --country COUNTRY]
    .venv/bin/python bench/linkage.py --regimes [--people 3000]  (robustness suite)

For each size: build the country (generate + ingest; timed apart), then run, each in a
child process of its own (so peak memory is each run's own):

- ``endvac``: ``endvac.linkage.run.link`` on the workspace — records from the store and
  the linkage zone's encodings, EM training, scoring, clustering, registry, hand-off;
- ``plain``: Splink on the same current records with the identifiers in the clear, read
  from the country's delivery CSVs: the same blocking rules on clear values, the same
  date/sex/region/case comparisons and training, names and addresses compared by
  Jaro-Winkler (Splink's library), national ids exactly.

Each prints seconds, records/s, peak RSS and pairwise precision/recall/F1 against
truth/persons.csv; the table gives the ratio endvac/plain. Goal (issue 5): within 1.5x
of plain Splink, 1M records in under 5 minutes on 2 cores — a target, not a gate.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

from endvac.linkage import comparisons
from endvac.linkage.evaluate import score
from endvac.linkage.model import EM_MAX_PAIRS, PRIOR_RECALL, SEED, U_MAX_PAIRS, quiet_splink
from endvac.linkage.records import read_attributes
from endvac.store import db
from endvac.workspace import open_workspace

sys.path.insert(0, str(Path(__file__).parent))
from country import build  # noqa: E402  (bench/ is not a package)

CLEAR = ("given_name", "family_name", "national_id", "address", "parent_name")


def _evaluate(con: duckdb.DuckDBPyConnection, keys_sql: str, country: Path) -> dict[str, Any]:
    db.run(con, "truth", "CREATE OR REPLACE TABLE truth AS SELECT * FROM read_csv(?, "
           "all_varchar = true)", [str(country / "truth" / "persons.csv")])
    db.run(con, "join", f"CREATE OR REPLACE TABLE linked AS SELECT k.agency, k.record_id, "
           f"CAST(k.child_key AS VARCHAR) AS child_key, t.person FROM ({keys_sql}) AS k "
           "JOIN truth AS t USING (agency, record_id)")
    found = score(con)
    return {k: found[k] for k in ("precision", "recall", "f1", "records")}


def run_endvac(workspace: Path, country: Path) -> dict[str, Any]:
    from endvac.linkage.registry import registry
    from endvac.linkage.run import link

    ws = open_workspace(workspace)
    started = time.perf_counter()
    stages: dict[str, float] = {}

    def note(stage: str) -> None:
        stages[stage] = round(time.perf_counter() - started, 2)
    summary = link(ws, progress=note)
    seconds = time.perf_counter() - started
    with registry(ws, read_only=True) as reg:
        keys = db.run(reg, "keys", "SELECT agency, record_id, child_key FROM assignments"
                      ).to_arrow_table()
    con = duckdb.connect()
    con.register("keys", keys)
    quality = _evaluate(con, "SELECT * FROM keys", country)
    return {"records": summary.records, "seconds": seconds, "stages": stages, **quality}


def _plain_settings(fields: set[str], columns: set[str]) -> dict[str, Any]:
    import splink.comparison_library as cl

    def clear(rule: str) -> str:
        return rule.replace("_token", "")
    settings = comparisons.settings(fields, columns)
    named: list[Any] = []
    for field in ("given_name", "family_name"):
        named.append(cl.JaroWinklerAtThresholds(field, [0.92, 0.8]))
    named.append(cl.ExactMatch("national_id"))
    named += [cl.JaroWinklerAtThresholds(f, [0.9]) for f in ("address", "parent_name")]
    settings["comparisons"] = named + [c for c in settings["comparisons"]
                                       if c["output_column_name"] not in CLEAR]
    settings["blocking_rules_to_generate_predictions"] = [
        clear(r) for r in settings["blocking_rules_to_generate_predictions"]
        if "_fold" not in r]  # plain Splink has no folded spellings
    settings["linker_uid"] = "plain"
    return settings


def _plain_records(con: duckdb.DuckDBPyConnection, workspace: Path, country: Path) -> None:
    attributes, hints = read_attributes(open_workspace(workspace))
    con.register("attributes", attributes)
    con.register("hints", hints)
    files = sorted(str(p) for p in country.glob("*/children.csv"))
    db.run(con, "clear", "CREATE TABLE clear AS SELECT * FROM read_csv(?, all_varchar = true, "
           "union_by_name = true, ignore_errors = true, filename = true) "
           "QUALIFY row_number() OVER (PARTITION BY agency, record_id ORDER BY filename) = 1",
           [files])
    names = ", ".join(f"lower(trim(c.{f})) AS {f}" for f in CLEAR)
    db.run(con, "records", "CREATE TABLE plain_records AS SELECT CAST(row_number() OVER "
           "(ORDER BY a.agency, a.record_id) AS BIGINT) AS unique_id, a.agency, a.record_id, "
           "a.dob, coalesce(CAST(substr(a.dob, 1, 4) AS INTEGER), h.age_birth_year) "
           "AS birth_year, a.sex, a.region, CASE WHEN len(h.case_refs) > 0 THEN h.case_refs "
           f"END AS case_refs, {names} FROM attributes AS a JOIN clear AS c "
           "ON c.agency = a.agency AND c.record_id = a.record_id "
           "LEFT JOIN hints AS h ON h.agency = a.agency AND h.record_id = a.record_id")


def run_plain(workspace: Path, country: Path) -> dict[str, Any]:
    from splink import DuckDBAPI, Linker

    started = time.perf_counter()
    con = duckdb.connect()
    _plain_records(con, workspace, country)
    for sql in comparisons.DUCKDB_MACROS:
        con.execute(sql)
    fields, columns = set(CLEAR), {"sex", "region", "case_refs", "dob"}
    linker = Linker(DuckDBAPI(connection=con).register("plain_records"),
                    _plain_settings(fields, columns))
    quiet_splink()
    rules: list[Any] = [r.replace("_token", "") for r in comparisons.deterministic_rules(fields)
                        if "_fold" not in r]  # plain Splink has no folded spellings
    linker.training.estimate_probability_two_random_records_match(rules, recall=PRIOR_RECALL)
    linker.training.estimate_u_using_random_sampling(max_pairs=U_MAX_PAIRS, seed=SEED,
                                                     num_chunks=1, min_count_per_level=None)
    for rule in comparisons.training_rules(fields):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule.replace("_token", ""), max_pairs=EM_MAX_PAIRS)
    predictions = linker.inference.predict(threshold_match_probability=0.01)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.9)
    seconds = time.perf_counter() - started
    records = int(con.execute("SELECT count(*) FROM plain_records").fetchone()[0])  # type: ignore[index]  # one row
    quality = _evaluate(con, "SELECT agency, record_id, cluster_id AS child_key "
                        f"FROM {clusters.physical_name}", country)
    return {"records": records, "seconds": seconds, **quality}


def phase(name: str, workspace: Path, country: Path) -> dict[str, Any]:
    """Run one phase in a child process; its RESULT line."""
    done = subprocess.run([sys.executable, __file__, "--phase", name, "--workspace",
                           str(workspace), "--country", str(country)],
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "ENDVAC_TESTING": os.environ.get(
                              "ENDVAC_TESTING", "0")})
    if done.returncode != 0:
        print(f"phase {name} failed:\n" + "\n".join(done.stderr.splitlines()[-15:]))
        raise SystemExit(1)
    line = [x for x in done.stdout.splitlines() if x.startswith("PHASE ")][-1]
    return dict(json.loads(line[len("PHASE "):]))


def measure(children: int, seed: int, root: Path, workspace: Path | None,
            country: Path | None) -> dict[str, Any]:
    build_seconds = None
    if workspace is None or country is None:
        ws, build_seconds = build(root, children, seed)
        workspace, country = ws.root, root / "country"
    out: dict[str, Any] = {"children": children, "cores": os.cpu_count(),
                           "build_seconds": build_seconds}
    for name in ("plain", "endvac"):
        out[name] = phase(name, workspace, country)
        out[name]["records_per_second"] = out[name]["records"] / out[name]["seconds"]
    out["ratio"] = out["endvac"]["seconds"] / out["plain"]["seconds"]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--workspace", type=Path, help="reuse this workspace (first size)")
    parser.add_argument("--country", type=Path, help="its synthetic country (for the truth)")
    parser.add_argument("--phase", choices=("endvac", "plain"), help=argparse.SUPPRESS)
    parser.add_argument("--regimes", action="store_true",
                        help="the robustness suite instead (bench/linkage_regimes.py)")
    parser.add_argument("--people", type=int, default=3000, help="people per regime")
    args = parser.parse_args()
    if args.regimes:
        from linkage_regimes import main as regimes

        return regimes(args.people, args.seed)
    if args.phase:
        result = (run_endvac if args.phase == "endvac" else run_plain)(args.workspace,
                                                                       args.country)
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print("PHASE " + json.dumps(result), flush=True)
        return 0
    out = Path(tempfile.mkdtemp(prefix="endvac-bench-linkage-"))
    print(f"{'children':>9} {'records':>9} {'run':>7} {'seconds':>8} {'rec/s':>8} "
          f"{'peak MB':>8} {'precision':>9} {'recall':>7} {'F1':>7}")
    try:
        for index, children in enumerate(args.children):
            reuse = (args.workspace, args.country) if index == 0 else (None, None)
            result = measure(children, args.seed, out / str(children), *reuse)
            for name in ("plain", "endvac"):
                r = result[name]
                print(f"{children:>9} {r['records']:>9} {name:>7} {r['seconds']:>8.1f} "
                      f"{r['records_per_second']:>8.0f} {r['peak_rss_mb']:>8.0f} "
                      f"{r['precision']:>9.4f} {r['recall']:>7.4f} {r['f1']:>7.4f}")
            print(f"endvac / plain Splink time: {result['ratio']:.2f}x")
            print("RESULT " + json.dumps(result), flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
