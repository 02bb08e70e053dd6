"""Safeguard rates as indicators: the safeguards register a universe with the
indicator engine (which never imports them) and run their own definitions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import cache
from importlib import resources

import duckdb
import pyarrow as pa
import yaml

from endvac.config import CountingRules
from endvac.errors import UsageError
from endvac.facts.derived import Facts
from endvac.indicators.definitions import Definitions
from endvac.indicators.engine import Request, run_indicators
from endvac.indicators.results import Result
from endvac.indicators.universes import BUILTIN, Universe
from endvac.profiles import Profile
from endvac.safeguards.alerts import Alert, AlertReport, evaluate
from endvac.store import db

APPEARANCE = ("first_appearance_late", "first_appearance_missing")
UNIVERSE = Universe(
    "safeguard_facts",
    "(SELECT f.*, a.appearance_alert, a.legal_aid_alert, "
    "coalesce(p.past_pretrial_limit, false) AS past_pretrial_limit FROM facts AS f "
    "LEFT JOIN alert_by_fact AS a ON a.person = f.person AND a.fact_id = f.fact_id "
    "LEFT JOIN alert_by_person AS p ON p.person = f.person)",
    "event", "the derived facts with the safeguard alerts found as of the census date")


@cache
def rate_definitions() -> Definitions:
    text = resources.files("endvac.safeguards").joinpath("rates.yaml").read_text("utf-8")
    return Definitions.model_validate(yaml.safe_load(text))


def _worst(statuses: list[str]) -> str:
    for status in ("breach", "possible", "no_evidence"):
        if status in statuses:
            return status
    return statuses[0]


def _register_alerts(con: duckdb.DuckDBPyConnection, alerts: list[Alert]) -> None:
    by_fact: dict[tuple[str, str], dict[str, list[str]]] = {}
    past: set[str] = set()
    for alert in alerts:
        key = (alert.child_key, alert.fact_id)
        if alert.rule in APPEARANCE:
            by_fact.setdefault(key, {}).setdefault("appearance", []).append(alert.status)
        elif alert.rule == "no_legal_aid_by_first_appearance":
            by_fact.setdefault(key, {}).setdefault("legal_aid", []).append(alert.status)
        elif alert.rule == "pretrial_too_long" and alert.ongoing:
            past.add(alert.child_key)
    keys = sorted(by_fact)
    con.register("alert_by_fact_input", pa.table({
        "person": [k[0] for k in keys], "fact_id": [k[1] for k in keys],
        "appearance_alert": [_worst(by_fact[k]["appearance"]) if "appearance" in by_fact[k]
                             else None for k in keys],
        "legal_aid_alert": [_worst(by_fact[k]["legal_aid"]) if "legal_aid" in by_fact[k]
                            else None for k in keys]},
        schema=pa.schema([("person", pa.string()), ("fact_id", pa.string()),
                          ("appearance_alert", pa.string()), ("legal_aid_alert", pa.string())])))
    con.register("alert_by_person_input", pa.table({
        "person": pa.array(sorted(past), pa.string()),
        "past_pretrial_limit": pa.array([True] * len(past), pa.bool_())}))
    db.run(con, "register alerts by fact", "CREATE OR REPLACE TEMP TABLE alert_by_fact AS "
           "SELECT * FROM alert_by_fact_input")
    db.run(con, "register alerts by person", "CREATE OR REPLACE TEMP TABLE alert_by_person AS "
           "SELECT * FROM alert_by_person_input")


def safeguard_rates(facts: Facts, profile: Profile, counting: CountingRules,
                    request: Request, alerts: AlertReport | None = None
                    ) -> list[Result]:
    """SG1-SG3 for the request, from the alerts as of its census date (or period end):
    ``alerts`` when given (found in the same ``facts`` as of that date, so they are
    evaluated once), else evaluated here."""
    as_of: date = request.census or request.period.end
    if alerts is None:
        alerts = evaluate(facts, profile, counting, as_of)
    elif alerts.as_of != as_of:
        raise UsageError(f"the safeguard rates as of {as_of} were given alerts as of "
                         f"{alerts.as_of}", fix="evaluate the alerts as of the census date")
    _register_alerts(facts.con, alerts.alerts)
    defs = rate_definitions()
    ids = {i.id for i in defs.indicators}
    if request.ids is not None and not ids & set(request.ids):
        request = replace(request, ids=None)  # --id named only the engine's own indicators
    return run_indicators(facts, counting, int(profile.value("macr")), request, defs,
                          universes={**BUILTIN, UNIVERSE.name: UNIVERSE})
