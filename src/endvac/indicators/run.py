"""`endvac indicators`: compute, add equity ratios, store with what made them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from endvac.facts.derived import Facts, materialise
from endvac.indicators.compare import add_ratios, decision_points
from endvac.indicators.definitions import load_definitions
from endvac.indicators.engine import Request, run_indicators
from endvac.indicators.results import Result
from endvac.linkage.registry import person_map
from endvac.profiles import PROFILE_FILE
from endvac.store import db
from endvac.workspace import Workspace


@dataclass
class IndicatorRun:
    """One stored run: its results and what made them."""

    run_id: int
    definitions_version: int
    config_revision: int
    results: list[Result]


def _json(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


Extra = Callable[[Facts], list[Result]]


def compute_indicators(workspace: Workspace, request: Request,
                       progress: Callable[[str], None] | None = None,
                       extra: Extra | None = None, today: date | None = None) -> IndicatorRun:
    """Compute the request on the workspace and store the results (indicator_results),
    reading the records as of ``today`` (default: the day it runs). ``extra`` adds
    results of other modules (the safeguard rates) computed on the same derived facts;
    the engine never imports them."""
    defs = load_definitions()
    macr = int(workspace.profile().value("macr"))
    say = progress or (lambda _m: None)
    with workspace.analytic() as con:
        say("deriving facts")
        facts = materialise(con, person_map(workspace), today=today or date.today())
        results = run_indicators(facts, workspace.config.counting, macr, request, defs, say)
        if extra is not None:
            results += extra(facts)
        if request.compare_to:
            dim, value = request.compare_to
            add_ratios(results, dim, value)
            results += decision_points(results, defs, dim, value)
        db.run(con, "store indicators", "BEGIN TRANSACTION")
        revision = workspace.config_revision(con)
        run_id = int(db.scalar(con, "store indicators",
                               "SELECT coalesce(max(run_id), 0) + 1 FROM indicator_runs"))
        profile = hashlib.sha256((workspace.root / PROFILE_FILE).read_bytes()).hexdigest()
        db.run(con, "store indicators", "INSERT INTO indicator_runs VALUES (?, ?, ?, ?, ?, ?)",
               [run_id, datetime.now(), defs.version, revision, profile,
                json.dumps(asdict(request), default=_json)])
        rows = [[run_id, r.id, r.period, request.census, json.dumps(r.by),
                 json.dumps(r.to_dict(), default=_json)] for r in results]
        db.run_many(con, "store indicator results",
                    "INSERT INTO indicator_results VALUES (?, ?, ?, ?, ?, ?)", rows)
        db.run(con, "store indicators", "COMMIT")
    return IndicatorRun(run_id, defs.version, revision, results)
