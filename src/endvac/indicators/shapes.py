"""SQL for each indicator shape, built by small pure functions.

Every query reads the derived ``facts`` (and ``stays``) of
:mod:`endvac.facts.derived` and computes all requested breakdowns of one
indicator in one scan with GROUPING SETS. A person is placed in exactly one
cell: the one of their first qualifying fact (earliest reference date, ties by
lowest id), so cells add up to the total.
"""

from __future__ import annotations

from endvac.config import CountingRules
from endvac.indicators.definitions import Indicator
from endvac.store.db import ident

Groupings = tuple[tuple[str, ...], ...]


def age_group_expr(rules: CountingRules, age: str = "age") -> str:
    """The configured age band of ``age`` (validated integers from the config)."""
    parts = [f"WHEN {age} IS NULL THEN 'unknown'"]
    for band in rules.age_groups:
        low, high = (int(x) for x in band.split("-"))
        parts.append(f"WHEN {age} BETWEEN {low} AND {high} THEN '{low}-{high}'")
    return "CASE " + " ".join(parts) + " ELSE 'unknown' END"


def attribute_exprs(rules: CountingRules) -> dict[str, str]:
    """Breakdown attributes of a fact ``f``; unknown is the value 'unknown', never NULL."""
    return {
        "sex": "coalesce(f.sex, 'unknown')",
        "age_group": age_group_expr(rules, "f.age"),
        "region": "coalesce(f.region, 'unknown')",
        "offence_section": "coalesce(substr(f.offence_iccs, 1, 2), 'unknown')",
        "disability": "CASE f.disability WHEN true THEN 'y' WHEN false THEN 'n' "
                      "ELSE 'unknown' END",
        "group": "coalesce(f.\"group\", 'unknown')",
        "nationality": "coalesce(f.nationality, 'unknown')",
    }


def dims_of(groupings: Groupings) -> list[str]:
    """Every breakdown used by any grouping, in a stable order."""
    out: list[str] = []
    for grouping in groupings:
        out += [d for d in grouping if d not in out]
    return out


def grouping_sets(groupings: Groupings) -> str:
    sets = ", ".join("(" + ", ".join(ident(d) for d in g) + ")" for g in groupings)
    return f"GROUPING SETS ({sets})"


def _cells(source: str, where: str, rules: CountingRules, dims: list[str]) -> str:
    """One row per person: the attributes of their first qualifying fact."""
    attrs = attribute_exprs(rules)
    cols = "".join(f", {attrs[d]} AS {ident(d)}" for d in dims)
    return (f"SELECT f.person, f.age{cols} FROM {source} AS f WHERE {where} "
            "QUALIFY row_number() OVER (PARTITION BY f.person "
            "ORDER BY f.ref_date, f.fact_id) = 1")


def _select_dims(dims: list[str]) -> str:
    """The breakdown columns and ``_gid``, the GROUPING() bitmask naming the row's set."""
    grouping = f"grouping({', '.join(ident(d) for d in dims)})" if dims else "0"
    return "".join(f"{ident(d)}, " for d in dims) + f"{grouping} AS _gid, "


def person_rate_sql(ind: Indicator, rules: CountingRules, groupings: Groupings,
                    relation: str = "facts") -> str:
    """Children with a numerator fact, per cell (the population is joined in Python)."""
    dims = dims_of(groupings)
    unknown = ind.unknown or "false"
    return (
        f"WITH counted AS ({_cells(relation, f'f.is_child AND ({ind.numerator})', rules, dims)}), "
        f"unknown_facts AS ({_cells(relation, f'f.is_child AND ({unknown})', rules, dims)}), "
        "parts AS (SELECT 'n' AS part, * FROM counted UNION ALL SELECT 'u', * FROM "
        "unknown_facts WHERE person NOT IN (SELECT person FROM counted)) "
        f"SELECT {_select_dims(dims)}count(*) FILTER (WHERE part = 'n') AS numerator, "
        "NULL AS denominator, count(*) FILTER (WHERE part = 'u') AS unknown, "
        "count(*) FILTER (WHERE part = 'n' AND age < $macr) AS below_macr "
        f"FROM parts GROUP BY {grouping_sets(groupings)}")


def person_share_sql(ind: Indicator, rules: CountingRules, groupings: Groupings,
                     relation: str = "facts") -> str:
    """Children with a denominator fact; those of them with a numerator fact."""
    dims = dims_of(groupings)
    unknown = ind.unknown or "false"
    return (
        f"WITH den AS (SELECT f.* FROM {relation} AS f WHERE f.is_child AND ({ind.denominator})), "
        f"counted AS ({_cells('den', 'true', rules, dims)}), "
        f"num AS (SELECT DISTINCT f.person FROM den AS f WHERE {ind.numerator}), "
        f"unknown_facts AS ({_cells(relation, f'f.is_child AND ({unknown})', rules, dims)}), "
        "parts AS (SELECT 'd' AS part, c.*, num.person IS NOT NULL AS in_numerator "
        "FROM counted AS c LEFT JOIN num USING (person) "
        "UNION ALL SELECT 'u', *, false FROM unknown_facts "
        "WHERE person NOT IN (SELECT person FROM counted)) "
        f"SELECT {_select_dims(dims)}"
        "count(*) FILTER (WHERE part = 'd' AND in_numerator) AS numerator, "
        "count(*) FILTER (WHERE part = 'd') AS denominator, "
        "count(*) FILTER (WHERE part = 'u') AS unknown, "
        "count(*) FILTER (WHERE part = 'd' AND age < $macr) AS below_macr "
        f"FROM parts GROUP BY {grouping_sets(groupings)}")


def event_rate_sql(numerator: str, denominator: str, rules: CountingRules,
                   groupings: Groupings, relation: str = "facts") -> str:
    """Numerator facts (not children) per child with a denominator fact, in that child's
    cell; a numerator fact of a child outside the denominator still counts, in the cell of
    that child's first numerator fact (adding no one to the denominator)."""
    dims = dims_of(groupings)
    num = f"f.is_child AND ({numerator})"
    return (
        f"WITH counted AS ({_cells(relation, f'f.is_child AND ({denominator})', rules, dims)}), "
        f"events AS (SELECT f.person, count(*) AS n FROM {relation} AS f WHERE {num} "
        "GROUP BY f.person), "
        f"others AS ({_cells(relation, num, rules, dims)}), "
        "parts AS (SELECT c.*, 1 AS in_denominator FROM counted AS c UNION ALL "
        "SELECT o.*, 0 FROM others AS o WHERE o.person NOT IN (SELECT person FROM counted)) "
        f"SELECT {_select_dims(dims)}coalesce(sum(e.n), 0) AS numerator, "
        "coalesce(sum(in_denominator), 0) AS denominator, 0 AS unknown, "
        "count(*) FILTER (WHERE in_denominator = 1 AND age < $macr) AS below_macr "
        f"FROM parts AS c LEFT JOIN events AS e USING (person) "
        f"GROUP BY {grouping_sets(groupings)}")


def events_outside_sql(numerator: str, denominator: str, relation: str = "facts") -> str:
    """Numerator facts of children who are not in the denominator (reported in notes)."""
    return (f"SELECT count(*) FROM {relation} AS f WHERE f.is_child AND ({numerator}) "
            f"AND f.person NOT IN ({_children_with(denominator, relation)})")


def stay_duration_sql(rules: CountingRules, groupings: Groupings,
                      relation: str = "stays") -> str:
    """Stays on ``$basis`` ending in the period; each in the cell of its person's first
    such stay (attributes from that stay's first spell)."""
    dims = dims_of(groupings)
    attrs = attribute_exprs(rules)
    cols = "".join(f", {attrs[d]} AS {ident(d)}" for d in dims)
    return (
        f"WITH ended AS (SELECT s.person, s.duration_days, f.ref_date, f.fact_id, f.age{cols} "
        f"FROM {relation} AS s JOIN facts AS f ON f.fact_kind = 'spell' "
        "AND f.person = s.person AND f.fact_id = s.first_spell "
        "WHERE s.basis = $basis AND s.stay_end BETWEEN $period_start AND $period_end "
        "AND f.is_child), "
        f"cells AS (SELECT person, age{''.join(', ' + ident(d) for d in dims)} FROM ended "
        "QUALIFY row_number() OVER (PARTITION BY person ORDER BY ref_date, fact_id) = 1), "
        "counted AS (SELECT c.*, e.duration_days FROM ended AS e JOIN cells AS c "
        "USING (person)) "
        f"SELECT {_select_dims(dims)}NULL AS numerator, count(*) AS denominator, "
        "0 AS unknown, count(*) FILTER (WHERE age < $macr) AS below_macr, "
        "quantile_cont(duration_days, 0.5) AS value, avg(duration_days) AS mean, "
        "quantile_cont(duration_days, 0.9) AS p90 "
        f"FROM counted GROUP BY {grouping_sets(groupings)}")


def stay_notes_sql() -> str:
    """Stays on ``$basis`` ending in the period by how their last spell ended, and adults."""
    return (
        "SELECT coalesce(s.end_reason, 'unknown') AS end_reason, "
        "count(*) FILTER (WHERE f.is_child) AS children, "
        "count(*) FILTER (WHERE NOT f.is_child) AS adults "
        "FROM stays AS s JOIN facts AS f ON f.fact_kind = 'spell' AND f.person = s.person "
        "AND f.fact_id = s.first_spell "
        "WHERE s.basis = $basis AND s.stay_end BETWEEN $period_start AND $period_end "
        "GROUP BY 1 ORDER BY 1")


def place_share_sql(ind: Indicator, groupings: Groupings, relation: str = "facilities") -> str:
    """Places that held a child (any basis) in the period; those meeting the numerator."""
    dims = dims_of(groupings)
    cols = "".join(f", coalesce(pl.region, 'unknown') AS {ident(d)}" for d in dims)
    return (
        f"WITH places AS (SELECT pl.*{cols} FROM {relation} AS pl WHERE EXISTS ("
        "SELECT 1 FROM facts AS f WHERE f.fact_kind = 'spell' AND f.is_child "
        "AND f.facility_id = pl.facility_id AND f.fact_date <= $period_end "
        "AND (f.end_date IS NULL OR f.end_date >= $period_start))) "
        f"SELECT {_select_dims(dims)}"
        f"count(*) FILTER (WHERE ({ind.known}) AND ({ind.numerator})) AS numerator, "
        f"count(*) FILTER (WHERE {ind.known}) AS denominator, "
        f"count(*) FILTER (WHERE NOT ({ind.known})) AS unknown, 0 AS below_macr "
        f"FROM places AS pl GROUP BY {grouping_sets(groupings)}")


def adults_sql(predicate: str, relation: str = "facts") -> str:
    """Persons left out as adults: a qualifying fact, but none as a child (one scan: the
    qualifying facts grouped by person; ``is_child`` is never NULL)."""
    return (f"SELECT count(*) FROM (SELECT f.person FROM {relation} AS f WHERE ({predicate}) "
            "GROUP BY f.person HAVING NOT bool_or(f.is_child))")


def _children_with(predicate: str, relation: str) -> str:
    # A nested scope that names its fact `f` again, so the predicate reads as written.
    return f"SELECT f.person FROM {relation} AS f WHERE f.is_child AND ({predicate})"


def policy_sql() -> str:
    return ("SELECT value, as_of, evidence FROM policy WHERE key = $key AND as_of <= $census "
            "ORDER BY as_of DESC LIMIT 1")


def recorded_event_types_sql() -> str:
    """Event types listed in any manifest, or carried by at least one row (the derived
    facts' ``agency_types``)."""
    return "SELECT DISTINCT event_type FROM agency_types"


def recorded_fields_sql() -> str:
    """Each optional field and whether any current event carries it (derived once with
    the facts)."""
    return "SELECT field, recorded FROM recorded_fields"
