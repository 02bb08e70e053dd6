"""The counts behind the UN-CTS tables: juveniles from the derived facts, adults from
the delivered aggregate counts (``adult_counts``), each as {(measure, row, column): n}."""

from __future__ import annotations

from collections import Counter

import duckdb

from endvac.facts.derived import Facts
from endvac.indicators.periods import Period
from endvac.store import db
from endvac.uncts.definitions import MEASURES, OFFENCES, TOTAL_ROW, Measure, offence_of

Cell = tuple[str, str, str]  # measure, row (total or an offence), column


def juvenile_sql(measure: Measure) -> str:
    """One row per child counted: the sex and offence of their first qualifying fact."""
    return ("SELECT coalesce(f.sex, 'u') AS sex, f.offence_iccs FROM facts AS f "
            f"WHERE f.is_child AND ({measure.predicate}) "
            "QUALIFY row_number() OVER (PARTITION BY f.person ORDER BY f.ref_date, f.fact_id) = 1")


def juvenile_counts(facts: Facts, period: Period) -> Counter[Cell]:
    """Children per measure, row and juvenile column (juvenile_m, _f, _total)."""
    params = {"period_start": period.start, "period_end": period.end, "census": period.end}
    out: Counter[Cell] = Counter()
    for measure in MEASURES:
        for sex, iccs in db.rows(facts.con, f"count {measure.id} for UN-CTS",
                                 juvenile_sql(measure), params):
            rows = [TOTAL_ROW]
            offence = offence_of(iccs) if measure.by_offence else None
            if offence:
                rows.append(offence)
            for row in rows:
                out[(measure.id, row, "juvenile_total")] += 1
                if sex in ("m", "f"):
                    out[(measure.id, row, f"juvenile_{sex}")] += 1
    return out


ADULT_SQL = ("SELECT measure, sex, iccs, \"count\" FROM adult_counts WHERE \"year\" = $year "
             "ORDER BY measure, sex, iccs")


def adult_counts(con: duckdb.DuckDBPyConnection, year: int) -> tuple[dict[Cell, int], int]:
    """The delivered adult counts of ``year`` placed in the tables, and how many rows
    were left out (an ICCS code that is not a UN-CTS offence row's own code)."""
    rows_of = {o.iccs: o.id for o in OFFENCES}
    by_offence = {m.id for m in MEASURES if m.by_offence}
    out: dict[Cell, int] = {}
    left_out = 0
    for measure, sex, iccs, count in db.rows(con, "read adult counts", ADULT_SQL,
                                             {"year": year}):
        row = TOTAL_ROW if iccs is None else rows_of.get(iccs)
        if row is None or (row != TOTAL_ROW and measure not in by_offence):
            left_out += 1
            continue
        out[(measure, row, f"adult_{sex or 'total'}")] = int(count)
    return out, left_out
