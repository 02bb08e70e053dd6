"""The ``median_days`` shape: the median duration in days of the units of a universe
(e.g. victims' cases from report to decision), with its distribution-free interval.

Kept apart from :mod:`endvac.indicators.shapes`: the SQL picks the units meeting the
indicator's ``denominator`` (each in the cell of its own first qualifying row, as the
other shapes place a person), measures each by the indicator's ``days`` expression, and
lists the ordered durations of each cell so :func:`finish_median` can place the
interval on the order statistics. Units meeting ``unknown`` instead (a duration that
cannot be measured) are counted apart."""

from __future__ import annotations

from endvac.config import CountingRules
from endvac.indicators.definitions import Indicator
from endvac.indicators.results import CellCounts, Note, Result, finish_stay
from endvac.indicators.shapes import Groupings, _cells, _select_dims, dims_of, grouping_sets
from endvac.indicators.stats import median_interval


def median_days_sql(ind: Indicator, rules: CountingRules, groupings: Groupings,
                    relation: str) -> str:
    """Units meeting the denominator, their days; units meeting ``unknown`` counted apart."""
    dims = dims_of(groupings)
    unknown = ind.unknown or "false"
    return (
        f"WITH measured AS (SELECT f.*, ({ind.days}) AS days FROM {relation} AS f "
        f"WHERE f.is_child AND ({ind.denominator})), "
        f"counted AS ({_cells('measured', 'true', rules, dims)}), "
        f"unknown_units AS ({_cells(relation, f'f.is_child AND ({unknown})', rules, dims)}), "
        "parts AS (SELECT 'd' AS part, c.*, m.days FROM counted AS c "
        "JOIN measured AS m USING (person) "
        "UNION ALL SELECT 'u', *, NULL FROM unknown_units "
        "WHERE person NOT IN (SELECT person FROM counted)) "
        f"SELECT {_select_dims(dims)}NULL AS numerator, "
        "count(*) FILTER (WHERE part = 'd') AS denominator, "
        "count(*) FILTER (WHERE part = 'u') AS unknown, "
        "count(*) FILTER (WHERE part = 'd' AND age < $macr) AS below_macr, "
        "quantile_cont(days, 0.5) FILTER (WHERE part = 'd') AS value, "
        "avg(days) FILTER (WHERE part = 'd') AS mean, "
        "quantile_cont(days, 0.9) FILTER (WHERE part = 'd') AS p90, "
        "list(days ORDER BY days) FILTER (WHERE part = 'd') AS ordered "
        f"FROM parts GROUP BY {grouping_sets(groupings)}")


def finish_median(result: Result, row: CellCounts) -> None:
    """A median of days with mean, p90 and the order-statistic interval."""
    finish_stay(result, row, empty="no unit in the denominator")
    if result.value is None:
        return
    interval = median_interval(row.get("ordered") or [])
    if interval is None:
        result.notes.append(Note("no_interval", detail="a median of fewer than 6 values "
                                                       "has no 95% interval"))
        return
    result.ci_low, result.ci_high = interval
    result.ci_method = "order statistics (exact binomial), coverage >= 95%"
