"""The workspace's strategy in the application database (component `strategy`).

One SQL table per strategy table, the same columns; lists stored as JSON text and dates
as ISO text so the SQL stays portable between SQLite and PostgreSQL. Saving replaces the
whole strategy in one transaction."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from endvac.appdb import AppDB, Migration
from endvac.strategy.fields import Kind, column_kind, columns
from endvac.strategy.model import TABLES, Row, Strategy

PREFIX = "strategy_"
TXT, INT, DBL = "TEXT", "INTEGER", "DOUBLE PRECISION"
_DDL: dict[str, list[tuple[str, str]]] = {
    "strategy": [("title", TXT), ("period_start", INT), ("period_end", INT),
                 ("owner_institution", TXT), ("adoption_status", TXT), ("adoption_date", TXT)],
    "assessments": [("respondent", TXT), ("institution", TXT), ("respondent_type", TXT),
                    ("basis", INT), ("score", INT), ("evidence", TXT), ("assessed_on", TXT)],
    "checklist": [("model_strategy", INT), ("status", TXT), ("note", TXT)],
    "actions": [("id", TXT), ("objective", TXT), ("action_type", TXT), ("bases", TXT),
                ("model_strategies", TXT), ("lead_agency", TXT), ("partners", TXT),
                ("regions", TXT),
                ("age_min", INT), ("age_max", INT), ("sex", TXT), ("role", TXT), ("start", TXT),
                ("end", TXT), ("budget", DBL), ("status", TXT), ("progress", INT)],
    "targets": [("id", TXT), ("indicator_id", TXT), ("baseline_year", INT), ("baseline_value", DBL),
                ("target_value", DBL), ("target_date", TXT), ("latest_value", DBL),
                ("latest_date", TXT)],
    "trainings": [("id", TXT), ("title", TXT), ("date", TXT), ("region", TXT),
                  ("professions", TXT)],
    "participants": [("training", TXT), ("participant", TXT), ("profession", TXT), ("sex", TXT),
                     ("pre_score", DBL), ("post_score", DBL)],
    "staff": [("profession", TXT), ("region", TXT), ("staff", INT)],
}


def _q(name: str) -> str:
    return f'"{name}"'


def _create(name: str) -> str:
    body = ", ".join(f"{_q(c)} {t}" for c, t in _DDL[name])
    return f"CREATE TABLE {PREFIX}{name} (seq INTEGER NOT NULL, {body})"


MIGRATIONS = [Migration("strategy", 1, "strategy tables",
                        tuple(_create(name) for name in _DDL))]


def _encode(kind: Kind, value: Any) -> Any:
    if value is None:
        return None
    if kind in ("list_text", "list_int"):
        return json.dumps(value, ensure_ascii=False)
    if kind == "date":
        return value.isoformat()
    return value


def _decode(kind: Kind, value: Any) -> Any:
    if value is None:
        return None
    if kind in ("list_text", "list_int"):
        return json.loads(value)
    if kind == "date":
        return date.fromisoformat(value)
    return value


def _rows(strategy: Strategy, name: str) -> list[Row]:
    value = getattr(strategy, name)
    return [value] if name == "strategy" else list(value)


def save_strategy(db: AppDB, strategy: Strategy) -> None:
    """Replace the stored strategy with ``strategy``, all or nothing."""
    db.migrate(MIGRATIONS)
    with db.transaction():
        for name, model in TABLES.items():
            names = columns(model)
            db.run("replace the strategy", f"DELETE FROM {PREFIX}{name}")
            sql = (f"INSERT INTO {PREFIX}{name} (seq, {', '.join(_q(c) for c in names)}) "
                   f"VALUES ({', '.join('?' * (len(names) + 1))})")
            db.run_many("store the strategy", sql, [
                [seq, *(_encode(column_kind(model, c), getattr(row, c)) for c in names)]
                for seq, row in enumerate(_rows(strategy, name))])


def load_strategy(db: AppDB) -> Strategy | None:
    """The stored strategy, or None when none was imported."""
    db.migrate(MIGRATIONS)
    body: dict[str, Any] = {}
    for name, model in TABLES.items():
        names = columns(model)
        found = db.records("read the strategy",
                           f"SELECT {', '.join(_q(c) for c in names)} FROM {PREFIX}{name} "
                           "ORDER BY seq")
        body[name] = [{c: _decode(column_kind(model, c), r[c]) for c in names if
                       r[c] is not None} for r in found]
    if not body["strategy"]:
        return None
    body["strategy"] = body["strategy"][0]
    return Strategy.model_validate(body)
