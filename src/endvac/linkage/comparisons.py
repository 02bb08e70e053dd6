"""The comparisons and blocking rules of the linkage model, declared as data.

Every comparison condition is SQL over the columns of ``link_records``
(:mod:`endvac.linkage.records`), suffixed ``_l`` and ``_r`` as Splink names them,
that DuckDB and Spark read the same way. A Bloom filter is 32 BIGINT words, so the
bits two filters share are ``Σ bit_count(a_i & b_i)`` in either dialect; DuckDB only
needs ``arrays_overlap`` (Spark's name) defined as a macro over ``list_has_any``.
The Dice coefficient of two
filters ``2 × common / (n_a + n_b)`` is written without a division.
"""

from __future__ import annotations

from typing import Any

DUCKDB_MACROS = ("CREATE OR REPLACE TEMP MACRO arrays_overlap(a, b) AS list_has_any(a, b)",)
WORDS = 32

EM_ITERATIONS = 25
NAME_LEVELS = (0.8, 0.6, 0.5)  # Dice thresholds of the similar-name levels
OTHER_LEVELS = (0.8,)
SIBLING_M = 1e-8  # while training: twins and siblings are not matches
SWAP = {"given_name": "family_name", "family_name": "given_name"}


def _level(sql: str, label: str, *, null: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"sql_condition": sql, "label_for_charts": label}
    if null:
        out["is_null_level"] = True
    return out


def bloom_common(field: str) -> str:
    """Bits two records' filters of ``field`` share: a sum over the 32 words (the first
    term cast to INTEGER, so DuckDB does not add in its TINYINT)."""
    terms = [f"bit_count({field}_w{i:02d}_l & {field}_w{i:02d}_r)" for i in range(WORDS)]
    terms[0] = f"CAST({terms[0]} AS INTEGER)"
    return "(" + " + ".join(terms) + ")"


def _dice(field: str, threshold: float) -> str:
    return f"2 * {bloom_common(field)} >= {threshold} * ({field}_n_l + {field}_n_r)"


def sibling_level() -> dict[str, Any]:
    """Given names different (none of the levels before) under the same family name:
    twins and siblings, not one child. EM does not move its m (near zero while training);
    the model check then sets its weight (endvac.linkage.guard.FIXED_WEIGHTS), so only
    strong other evidence (the same national id and address) links such a pair."""
    level = _level("family_name_token_l = family_name_token_r",
                   "different given name, same family name")
    level.update(m_probability=SIBLING_M, fix_m_probability=True)
    return level


def identifier_comparison(field: str) -> dict[str, Any]:
    """Token equality, then Bloom Dice levels (and, for names, a given/family swap)."""
    levels = [_level(f"{field}_token_l IS NULL OR {field}_token_r IS NULL", "missing",
                     null=True),
              _level(f"{field}_token_l = {field}_token_r", "same token")]
    if field in SWAP:  # the same name spelt another way (Xavier, Chavier)
        levels.append(_level(f"{field}_fold_l = {field}_fold_r", "same folded spelling"))
    thresholds = NAME_LEVELS if field in SWAP else OTHER_LEVELS
    levels += [_level(_dice(field, t), f"Dice >= {t}") for t in thresholds]
    if field in SWAP:
        other = SWAP[field]
        levels.append(_level(f"{field}_token_l = {other}_token_r", "swapped with " + other))
    if field == "given_name":
        levels.append(sibling_level())
    levels.append(_level("ELSE", "different"))
    return {"output_column_name": field, "comparison_description": f"{field} (protected)",
            "comparison_levels": levels}


def dob_comparison() -> dict[str, Any]:
    """Date of birth with tolerance: exact, day/month swapped, one digit mistyped, partial
    agreeing, birth years within one (estimated dates, ages in whole years), else."""
    full = "length(dob_l) = 10 AND length(dob_r) = 10"
    swapped = (f"{full} AND substr(dob_l, 1, 4) = substr(dob_r, 1, 4) "
               "AND substr(dob_l, 6, 2) = substr(dob_r, 9, 2) "
               "AND substr(dob_l, 9, 2) = substr(dob_r, 6, 2)")
    partial = ("(substr(dob_l, 1, length(dob_r)) = dob_r "
               "OR substr(dob_r, 1, length(dob_l)) = dob_l)")
    levels = [_level("birth_year_l IS NULL OR birth_year_r IS NULL", "missing", null=True),
              _level(f"{full} AND dob_l = dob_r", "same date"),
              _level(swapped, "day and month swapped"),
              _level(f"{full} AND levenshtein(dob_l, dob_r) = 1", "one digit differs"),
              _level(partial, "partial date agrees"),
              _level("abs(birth_year_l - birth_year_r) <= 1", "birth years within one"),
              _level("ELSE", "different")]
    return {"output_column_name": "dob", "comparison_description": "date of birth",
            "comparison_levels": levels}


def exact_comparison(column: str, description: str) -> dict[str, Any]:
    return {"output_column_name": column, "comparison_description": description,
            "comparison_levels": [
                _level(f"{column}_l IS NULL OR {column}_r IS NULL", "missing", null=True),
                _level(f"{column}_l = {column}_r", "same"),
                _level("ELSE", "different")]}


def case_comparison() -> dict[str, Any]:
    """Shared case numbers (a later agency's origin_case_ref is the police case_id).
    Records hold at most a few: the overlap test is an EXISTS-free array lookup."""
    return {"output_column_name": "case_refs",
            "comparison_description": "case numbers shared",
            "comparison_levels": [
                _level("case_refs_l IS NULL OR case_refs_r IS NULL", "missing", null=True),
                _level("arrays_overlap(case_refs_l, case_refs_r)", "a case number shared"),
                _level("ELSE", "no case number shared")]}


def blocking_rules(fields: set[str]) -> list[str]:
    """Blocking rules for prediction, on tokens and dates only (high recall)."""
    rules = []
    if {"given_name", "family_name"} <= fields:
        rules += ["l.given_name_token = r.given_name_token "
                  "AND l.family_name_token = r.family_name_token",
                  "l.given_name_token = r.family_name_token "
                  "AND l.family_name_token = r.given_name_token"]
    for field in ("family_name", "given_name", "parent_name", "address"):
        if field in fields:
            rules.append(f"l.{field}_token = r.{field}_token AND l.birth_year = r.birth_year")
    if "family_name" in fields:  # the family name spelt another way (Caxuri, Kachouri)
        rules.append("l.family_name_fold = r.family_name_fold AND l.birth_year = r.birth_year")
    if "national_id" in fields:
        rules.append("l.national_id_token = r.national_id_token")
    rules.append("length(l.dob) = 10 AND l.dob = r.dob AND l.region = r.region "
                 "AND l.sex = r.sex")
    return rules


def deterministic_rules(fields: set[str], dated: bool = True) -> list[str]:
    """Rules that admit almost no false match, to estimate the prior: pairs agreeing on
    any one of them. Several, each looser on one field, so that duplicates differing
    in one field (a typo in a name, a digit of the date) still count."""
    rules = []
    names = {"given_name", "family_name"} <= fields
    if names and dated:
        rules += ["l.given_name_token = r.given_name_token AND "
                  "l.family_name_token = r.family_name_token AND l.dob = r.dob",
                  "l.given_name_token = r.given_name_token AND "
                  "l.family_name_token = r.family_name_token AND l.birth_year = r.birth_year",
                  "l.given_name_token = r.given_name_token AND l.dob = r.dob",
                  "l.family_name_token = r.family_name_token AND l.dob = r.dob",
                  "l.given_name_fold = r.given_name_fold AND "
                  "l.family_name_fold = r.family_name_fold AND l.dob = r.dob"]
    elif names:
        rules.append("l.given_name_token = r.given_name_token AND "
                     "l.family_name_token = r.family_name_token")
    if "national_id" in fields:
        rules.append("l.national_id_token = r.national_id_token AND l.birth_year = r.birth_year"
                     if dated else "l.national_id_token = r.national_id_token")
    return rules


def training_rules(fields: set[str], dated: bool = True) -> list[str]:
    """EM blocking rules: each comparison is estimated under at least one of them."""
    rules = ["l.dob = r.dob"] if dated else []
    if {"given_name", "family_name"} <= fields:
        rules.append("l.given_name_token = r.given_name_token "
                     "AND l.family_name_token = r.family_name_token")
    elif "national_id" in fields:
        rules.append("l.national_id_token = r.national_id_token")
    return rules


def settings(fields: set[str], columns: set[str]) -> dict[str, Any]:
    """The Splink settings of a dedupe over every agency's records."""
    comparisons = [identifier_comparison(f) for f in
                   ("given_name", "family_name", "national_id", "address", "parent_name")
                   if f in fields]
    if "dob" in columns:
        comparisons.append(dob_comparison())
    for column, description in (("sex", "sex"), ("region", "region of residence")):
        if column in columns:
            comparisons.append(exact_comparison(column, description))
    if "case_refs" in columns:
        comparisons.append(case_comparison())
    return {"link_type": "dedupe_only", "unique_id_column_name": "unique_id",
            "comparisons": comparisons,
            "blocking_rules_to_generate_predictions": blocking_rules(fields),
            "retain_intermediate_calculation_columns": True,
            "retain_matching_columns": False,
            "additional_columns_to_retain": ["agency", "record_id"],
            "max_iterations": EM_ITERATIONS, "em_convergence": 0.0001}
