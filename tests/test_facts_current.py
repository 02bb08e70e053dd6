"""The facts' read of the current rows (``current_columns_sql``, issue 15): the latest
version of each key, minus rows a later delivery withdrew — the same rows as the
views, worked out by hand on a store with versions and withdrawals."""

from __future__ import annotations

import duckdb

from endvac.facts.views import current_columns_sql
from endvac.interchange.spec import file_spec
from endvac.workspace import ensure_schema


def _store() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    ensure_schema(con)
    # (event_id, event_type, _delivery, _row)
    for event_id, kind, delivery, row in (
            ("e1", "arrest", 1, 1), ("e1", "charge", 2, 5),    # replaced in delivery 2
            ("e2", "arrest", 1, 2),                            # one version
            ("e3", "arrest", 1, 3),                            # withdrawn by delivery 2
            ("e4", "arrest", 3, 1),                            # withdrawn by 2, sent again in 3
            ("e5", "arrest", 2, 3), ("e5", "verdict", 2, 7)):  # twice in one delivery
        con.execute("INSERT INTO f_events (event_id, agency, record_id, event_type, _delivery, "
                    "_row, _hash) VALUES (?, 'police', 'r1', ?, ?, ?, 'h')",
                    [event_id, kind, delivery, row])
    for event_id in ("e3", "e4"):
        con.execute("INSERT INTO removals VALUES (2, 'events', 'police', ?, 'withdrawal', NULL)",
                    [event_id])
    return con


def test_current_rows_are_the_latest_versions_not_withdrawn() -> None:
    con = _store()
    sql = current_columns_sql(file_spec("events"), ("event_id", "event_type"))
    found = sorted(con.execute(f"SELECT event_id, event_type, _delivery FROM ({sql})").fetchall())
    # e1: delivery 2's version; e2: its only one; e3: withdrawn after delivery 1 (gone);
    # e4: withdrawn by 2 but sent by 3 after it (kept); e5: the later row of delivery 2
    assert found == [("e1", "charge", 2), ("e2", "arrest", 1), ("e4", "arrest", 3),
                     ("e5", "verdict", 2)]


def test_current_rows_equal_the_view() -> None:
    con = _store()
    sql = current_columns_sql(file_spec("events"), ("event_id", "event_type"))
    ours = con.execute(f"SELECT event_id, event_type FROM ({sql}) ORDER BY 1").fetchall()
    view = con.execute("SELECT event_id, event_type FROM events ORDER BY 1").fetchall()
    assert ours == view == [("e1", "charge"), ("e2", "arrest"), ("e4", "arrest"),
                            ("e5", "verdict")]
