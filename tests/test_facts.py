"""The derived facts' handle (issue 15): what ``materialise`` returns, the person map it
is given is used, and "today" is an argument, worked out by hand."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from endvac.errors import UsageError
from endvac.facts.derived import TABLES, Facts, materialise
from endvac.indicators.engine import Request, run_indicators
from endvac.indicators.periods import parse_period
from endvac.indicators.results import Result
from endvac.safeguards.alerts import evaluate
from endvac.safeguards.rates import safeguard_rates
from endvac.workspace import Workspace
from indicator_helpers import load_all
from test_indicators_detention import DETENTION

SRC = Path(__file__).resolve().parents[1] / "src" / "endvac"

# one girl recorded twice by the police (P1, P2), arrested once under each record
TWICE = {
    "children.csv": ("record_id,agency,date_of_birth,sex,region\n"
                     "P1,police,2010-06-15,f,D1\n"
                     "P2,police,2010-06-15,f,D1\n"),
    "events.csv": ("event_id,agency,record_id,case_id,event_type,date,offence_date,age_years\n"
                   "E1,police,P1,,arrest,2025-03-01,,\n"
                   "E2,police,P2,,arrest,2025-04-01,,\n"),
}
SAME_CHILD = pa.table({"agency": ["police", "police"], "record_id": ["P1", "P2"],
                       "person": ["X", "X"]})


@pytest.fixture
def twice(ws: Workspace, tmp_path: Path) -> Workspace:
    load_all(ws, tmp_path, {"police": TWICE})
    return ws


def _jj1(facts: Facts, ws: Workspace) -> tuple[int, int]:
    results = run_indicators(facts, ws.config.counting, 14,
                             Request(parse_period("2025"), ids=("JJ1",)))
    return int(results[0].numerator), int(results[0].denominator)


def test_a_person_map_given_is_used(twice: Workspace) -> None:
    with twice.analytic(read_only=True) as con:
        unlinked = materialise(con, today=date(2026, 1, 1))
        # unlinked, each record is a child: P1 and P2 are two children arrested in 2025,
        # among the 8,000 children of the population register
        assert (unlinked.linked, unlinked.person_map) == (False, None)
        assert _jj1(unlinked, twice) == (2, 8000)
        linked = materialise(con, SAME_CHILD, today=date(2026, 1, 1))
        # linked, P1 and P2 are one child X: arrested twice, counted once
        assert linked.linked and linked.person_map is SAME_CHILD
        assert _jj1(linked, twice) == (1, 8000)


def test_the_handle_names_its_tables_day_and_span(twice: Workspace) -> None:
    with twice.analytic(read_only=True) as con:
        facts = materialise(con, today=date(2026, 1, 1))
        names = {r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall()}
    assert set(TABLES) <= names  # every table it names exists on its connection
    assert facts.today == date(2026, 1, 1)
    # the first fact is E1 (2025-03-01), the last E2 (2025-04-01)
    assert facts.span == (date(2025, 3, 1), date(2025, 4, 1))


def _jj11(ws: Workspace, today: date) -> Result:
    with ws.analytic(read_only=True) as con:
        facts = materialise(con, today=today)
        return run_indicators(facts, ws.config.counting, 14,
                              Request(parse_period("2025"), ids=("JJ11",)))[0]


def test_today_is_an_argument_not_the_clock(ws: Workspace, tmp_path: Path) -> None:
    load_all(ws, tmp_path, {"detention": DETENTION})
    # aftercare counts for 30 days after a release: a release on 2025-12-31 may still get
    # aftercare until 2025-12-31 + 30 days = 2026-01-30, so JJ11 of 2025 is provisional
    # while the records are read as of that day or earlier, and final the day after
    note = "provisional until 2026-01-30: aftercare may still be recorded"
    on_the_day, day_after = _jj11(ws, date(2026, 1, 30)), _jj11(ws, date(2026, 1, 31))
    assert note in on_the_day.note_texts()
    assert note not in day_after.note_texts()
    # releases D2 (aftercare 44 days later: too late) and D3 (20 days later: counts)
    for result in (on_the_day, day_after):
        assert (result.numerator, result.denominator) == (1, 2)


def test_rates_refuse_alerts_of_another_day(ws: Workspace, tmp_path: Path) -> None:
    load_all(ws, tmp_path, {"detention": DETENTION})
    with ws.analytic(read_only=True) as con:
        facts = materialise(con, today=date(2026, 1, 31))
        alerts = evaluate(facts, ws.profile(), ws.config.counting, date(2025, 6, 30))
        with pytest.raises(UsageError, match="alerts as of 2025-06-30"):
            safeguard_rates(facts, ws.profile(), ws.config.counting,
                            Request(parse_period("2025")), alerts)


def test_no_function_takes_a_derive_flag() -> None:
    flagged = [f"{path.name}:{node.lineno}" for path in SRC.rglob("*.py")
               for node in ast.walk(ast.parse(path.read_text("utf-8")))
               if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
               and any(a.arg == "derive" for a in (*node.args.args, *node.args.kwonlyargs))]
    assert flagged == []
