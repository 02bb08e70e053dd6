"""Stays: a person's detention spells on one basis linked into chains.

Two spells of a person on one basis belong to one stay when they share a
(agency, case_id), whatever the gap between them, or when one ends
``transferred`` and the other starts the same or the next day; a stay is a
connected group of such links (union-find). Its id names its first spell.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import duckdb
import pyarrow as pa

from endvac.disjoint import DisjointSets
from endvac.store import db

Spell = tuple[str, str, str, str, str | None, date, date | None, str | None]


def _link_group(spells: list[Spell]) -> list[int]:
    """Root index (within the group) of each spell of one person and basis."""
    links = DisjointSets(range(len(spells)))  # spells are sorted: the root is the first
    first_of_case: dict[tuple[str, str], int] = {}
    starts = [s[5] for s in spells]
    for i, (agency, _, _, _, case_id, _, end, reason) in enumerate(spells):
        if case_id is not None:
            key = (agency, case_id)
            if key in first_of_case:
                links.join(first_of_case[key], i)
            else:
                first_of_case[key] = i
        if reason == "transferred" and end is not None:
            lo = bisect.bisect_left(starts, end)
            hi = bisect.bisect_right(starts, end + timedelta(days=1))
            for j in range(lo, hi):
                if j != i:
                    links.join(i, j)
    return [links.find(i) for i in range(len(spells))]


def _stay_id_sql() -> str:
    # the same text as the f-string of link_stays (a missing basis reads 'None' there)
    return "person || '|' || coalesce(basis, 'None') || '|' || fact_id"


def _counted_spells() -> str:
    """Each spell with the number of spells of its person on its basis."""
    return ("SELECT agency, fact_id, person, basis, case_id, fact_date, end_date, end_reason, "
            "count(*) OVER (PARTITION BY person, basis) AS spells "
            "FROM spell_facts")


def link_stays(con: duckdb.DuckDBPyConnection) -> None:
    """Create the temp table ``stay_members`` (agency, fact_id, stay_id). A person's only
    spell on a basis is a stay of its own (in SQL); the others are linked here."""
    spells: list[Any] = db.rows(con, "read spells for stays", (
        "SELECT agency, fact_id, person, basis, case_id, fact_date, end_date, end_reason "
        f"FROM ({_counted_spells()}) WHERE spells > 1 "
        "ORDER BY person, basis, fact_date, fact_id"))
    groups: dict[tuple[str, str], list[Spell]] = defaultdict(list)
    for spell in spells:
        groups[(spell[2], spell[3])].append(spell)
    agencies, fact_ids, stay_ids = [], [], []
    for (person, basis), group in groups.items():
        roots = _link_group(group)
        for spell, root in zip(group, roots, strict=True):
            agencies.append(spell[0])
            fact_ids.append(spell[1])
            stay_ids.append(f"{person}|{basis}|{group[root][1]}")
    con.register("stay_links", pa.table({"agency": pa.array(agencies, pa.string()),
                                         "fact_id": pa.array(fact_ids, pa.string()),
                                         "stay_id": pa.array(stay_ids, pa.string())}))
    db.run(con, "link spells into stays",
           "CREATE OR REPLACE TEMP TABLE stay_members AS SELECT * FROM stay_links "
           f"UNION ALL SELECT agency, fact_id, {_stay_id_sql()} "
           f"FROM ({_counted_spells()}) WHERE spells = 1")
    con.unregister("stay_links")
