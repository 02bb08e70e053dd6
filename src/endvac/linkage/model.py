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
import os
from pathlib import Path
from typing import Any

import duckdb

from endvac.errors import BadInput
from endvac.interchange.spec import IDENTIFIER_FIELDS
from endvac.linkage import comparisons, guard
from endvac.progress import Progress
from endvac.store import db

SEED = 20261129
U_MAX_PAIRS = 1e6
EM_MAX_PAIRS = 5e5
PRIOR_RECALL = 0.7
SIGNIFICANT = 8
MIN_U_RECORDS = 150  # fewer records: too few random pairs, default u probabilities
MIN_PRIOR_PAIRS = 10  # fewer pairs on the deterministic rules: the prior is the default
RETRY_ITERATIONS = 4  # EM again, stopped early, after a collapse
MIN_EM_PAIRS = 50  # fewer pairs in an EM block: its m probabilities stay defaults
FEW_EXACT_SHARE = 0.5  # warn when fewer prior pairs than this agree on name and full date
OPTIONAL = {"sex": "sex", "region": "region", "case_refs": "case_refs", "dob": "birth_year"}


def usable_columns(con: duckdb.DuckDBPyConnection) -> tuple[set[str], set[str]]:
    """(identifier fields, other columns: sex, region, case_refs, dob) that hold a value
    on at least two records."""
    counts = db.records(con, "count linkage columns", "SELECT " + ", ".join(
        [f"count({db.ident(f + '_token')}) AS {db.ident(f)}" for f in IDENTIFIER_FIELDS]
        + [f"count({c}) AS {name}" for name, c in OPTIONAL.items()]) +
        " FROM link_records")[0]
    fields = {f for f in IDENTIFIER_FIELDS if counts[f] >= 2}
    columns = {c for c in OPTIONAL if counts[c] >= 2}
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


def pairs_sql(rules: list[str]) -> str:
    """Distinct record pairs (a < b) agreeing on any of ``rules``, tagged by the first
    rule that finds them (``rule``: its index)."""
    parts = [f"SELECT {i} AS rule, l.unique_id AS a, r.unique_id AS b FROM link_records AS l "
             f"JOIN link_records AS r ON l.unique_id < r.unique_id AND {rule}"
             for i, rule in enumerate(rules)]
    return ("SELECT min(rule) AS rule, a, b FROM (" + " UNION ALL ".join(parts) +
            ") GROUP BY a, b")


def rule_counts(con: duckdb.DuckDBPyConnection, rules: list[str]) -> list[int]:
    """Pairs each rule finds that no earlier rule found."""
    if not rules:
        return []
    if len(rules) == 1:  # its pairs are distinct already: count the join, keep none
        return [int(db.scalar(con, "count pairs agreeing on a training rule",
                              "SELECT count(*) FROM link_records AS l JOIN link_records AS r "
                              f"ON l.unique_id < r.unique_id AND {rules[0]}"))]
    found = dict(db.rows(con, "count pairs agreeing on the training rules",
                         f"SELECT rule, count(*) FROM ({pairs_sql(rules)}) GROUP BY rule"))
    return [int(found.get(i, 0)) for i in range(len(rules))]


def estimate_prior(con: duckdb.DuckDBPyConnection, fields: set[str], dated: bool,
                   records: int) -> tuple[float, dict[str, Any]]:
    """(prior, what it was estimated from): the pairs agreeing on any deterministic rule
    divided by PRIOR_RECALL and by all pairs of records."""
    rules = comparisons.deterministic_rules(fields, dated)
    counts = rule_counts(con, rules)
    total = max(1, records * (records - 1) // 2)
    prior = sum(counts) / PRIOR_RECALL / total
    return prior, {"rules": {rule_name(r): n for r, n in zip(rules, counts, strict=True)},
                   "pairs": sum(counts)}


def _build(api: Any, settings: dict[str, Any]) -> Any:
    from splink import Linker

    quiet_splink()
    linker = Linker(api.register("link_records"), settings)
    quiet_splink()  # and the loggers its construction made
    return linker


def _em(linker: Any, api: Any, con: duckdb.DuckDBPyConnection, fields: set[str],
        dated: bool, say: Progress, notes: dict[str, Any]) -> Any:
    """EM over each training rule with enough pairs. A round that collapses (Splink
    refuses an m probability that ran below 1e-300) is undone and tried again with
    ``RETRY_ITERATIONS`` iterations; if that collapses too, its levels keep their
    defaults. Each outcome is noted."""
    for rule in comparisons.training_rules(fields, dated):
        name, pairs = rule_name(rule), rule_counts(con, [rule])[0]
        if pairs < MIN_EM_PAIRS:
            notes["em"][name] = f"skipped: {pairs} pairs (fewer than {MIN_EM_PAIRS})"
            continue
        say("training: EM on pairs blocked by " + name)
        before = linker.misc.save_model_to_json()
        for iterations in (comparisons.EM_ITERATIONS, RETRY_ITERATIONS):
            try:
                linker = _build(api, {**before, "max_iterations": iterations})
                linker.training.estimate_parameters_using_expectation_maximisation(
                    rule, max_pairs=EM_MAX_PAIRS)
                notes["em"][name] = f"trained on {pairs} pairs, {iterations} iterations at most"
                break
            except Exception as exc:  # Splink raises plain ValueErrors when EM collapses
                notes["em"][name] = f"failed ({type(exc).__name__}); undone"
        else:
            notes["warnings"].append(f"EM on pairs agreeing on {name} collapsed and was "
                                     "undone: those levels keep their defaults")
            linker = _build(api, before)
    return linker


def train(con: duckdb.DuckDBPyConnection, progress: Progress
          ) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    """(linker, model dict, training notes) trained on ``link_records`` of ``con``; the
    model has passed :func:`endvac.linkage.guard.check_model`."""
    from splink import DuckDBAPI

    quiet_splink()
    fields, columns = usable_columns(con)
    if not fields:
        raise BadInput("no record carries an identifier to link on",
                       fix="ingest children.csv deliveries with names or national ids")
    records = int(db.scalar(con, "count records to link", "SELECT count(*) FROM link_records"))
    dated = "dob" in columns
    prepare(con)
    api = DuckDBAPI(connection=con)
    progress("training: prior from deterministic rules")
    prior, prior_notes = estimate_prior(con, fields, dated, records)
    notes: dict[str, Any] = {"records": records, "estimated_prior": prior,
                             "prior_rules": prior_notes["rules"], "em": {}, "warnings": []}
    settings = comparisons.settings(fields, columns)
    settings.update(linker_uid="endvac", probability_two_random_records_match=prior_in(
        prior, records))
    with guard.splink_step("training the linkage model"):
        linker = _build(api, settings)
        default_u = records < MIN_U_RECORDS
        if not default_u:
            progress("training: u probabilities from random pairs (seeded)")
            linker.training.estimate_u_using_random_sampling(
                max_pairs=U_MAX_PAIRS, seed=SEED, num_chunks=1, min_count_per_level=None)
        linker = _em(linker, api, con, fields, dated, progress, notes)
        trained = linker.misc.save_model_to_json()
        trained["probability_two_random_records_match"] = (
            prior if prior_notes["pairs"] >= MIN_PRIOR_PAIRS else None)
        model, corrected = guard.check_model(trained, records, default_u=default_u)
        model = rounded(model)
        notes["warnings"] += _data_warnings(records, default_u, prior_notes, dated) + corrected
        # score with the saved (rounded) parameters, exactly as a later run or Spark would
        return _build(api, model), model, notes


def prior_in(prior: float, records: int) -> float:
    """The prior Splink is given while training: the estimate, or the default when the
    estimate is outside its plausible bounds (zero, one, …); the guard reports it."""
    low, default, high = guard.prior_bounds(records)
    return prior if low <= prior <= high else default


def _data_warnings(records: int, default_u: bool, prior: dict[str, Any],
                   dated: bool) -> list[str]:
    out = []
    if default_u:
        out.append(f"only {records} records: too few random pairs to learn how often "
                   "records agree by chance; default u probabilities were used")
    if not dated:
        out.append("no record has a date of birth: linking on identifiers alone")
    if prior["pairs"] < MIN_PRIOR_PAIRS:
        out.append(f"only {prior['pairs']} pairs of records agree on name and date of birth "
                   "(or national id and birth year): too few to estimate the prior")
    first, exact = next(iter(prior["rules"].items()), ("", 0))
    if dated and "given_name" in first and exact < FEW_EXACT_SHARE * prior["pairs"]:
        out.append(f"few records agree exactly on name and date of birth: the model was "
                   f"trained from {prior['pairs']} pairs agreeing on looser rules, "
                   f"{exact} of them on name and full date")
    return out


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


def rule_name(rule: str) -> str:
    return " and ".join(part.split("=")[0].strip().removeprefix("l.").removesuffix("_token")
                        for part in rule.split(" AND "))


def save_model(model: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_suffix(".tmp")
    staged.write_text(json.dumps(model, indent=1, sort_keys=True), encoding="utf-8")
    os.chmod(staged, 0o600)
    staged.replace(path)


def load_model(path: Path) -> dict[str, Any]:
    """The saved model: a Splink settings object whose comparisons each have a name and
    levels (what endvac reads of it); anything else is refused in one line."""
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadInput(f"cannot read the linkage model {path}", fix=guard.RETRAIN) from exc
    if not _is_model(found):
        raise guard.LinkageFailed(f"the linkage model {path} is not a Splink model of "
                                  "comparisons with their levels", fix=guard.RETRAIN)
    return dict(found)


def _is_model(found: Any) -> bool:
    comparisons = found.get("comparisons") if isinstance(found, dict) else None
    return isinstance(comparisons, list) and all(
        isinstance(c, dict) and isinstance(c.get("output_column_name"), str)
        and isinstance(c.get("comparison_levels"), list)
        and all(isinstance(level, dict) for level in c["comparison_levels"])
        for c in comparisons)
