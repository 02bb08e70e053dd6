"""Constants reach SQL through one quoting helper (store/db.py), never through '{x}'."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

import endvac
from endvac.store import db

SRC = Path(endvac.__file__).parent
FILES = ("facts/derived.py", "facts/views.py", "safeguards/checks.py", "ingest/load.py",
         "ingest/checks.py")


def test_a_literal_doubles_its_quotes_and_reads_back() -> None:
    assert db.literal("o'brien") == "'o''brien'"  # one quote becomes two, then wrapped
    con = duckdb.connect()
    quoted = db.literal("a'b''c")
    assert db.scalar(con, "read literal", f"SELECT {quoted}") == "a'b''c"
    assert db.literal_list(["x", "y'"]) == "['x', 'y''']"


def test_no_constant_is_formatted_into_sql_by_hand() -> None:
    # a quote, then a replacement field: f"... = '{x}'"
    by_hand = re.compile(r"'\{[^{]")
    found = {name: by_hand.findall((SRC / name).read_text()) for name in FILES}
    assert found == dict.fromkeys(FILES, [])


def test_no_rollback_bypasses_the_chokepoint() -> None:
    bypass = [p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py")
              if 'con.execute("ROLLBACK")' in p.read_text()]
    assert bypass == []


def test_the_app_database_runs_every_statement_through_its_chokepoint() -> None:
    # the raw connection executes only inside AppDB.run, run_many and records: three
    # cursor calls, no connection-level execute (BEGIN/COMMIT/ROLLBACK/PRAGMA included)
    text = (SRC / "appdb" / "db.py").read_text()
    assert re.findall(r"\bcur\.execute(?:many)?\(", text) == [
        "cur.execute(", "cur.executemany(", "cur.execute("]
    assert re.findall(r"raw\.execute\(", text) == []
