"""Views of restricted data, read from the snapshot only: alerts (a monitor sees those
of the facilities and regions assigned), data quality and delivery history; and the
CSV exports of what a role may see."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from endvac.accounts.users import User
from endvac.errors import BadInput
from endvac.publish import Snapshot
from endvac.publish.shapes import PublishedAlert
from endvac.publish.tables import ALERT_FIELDS
from endvac.safeguards.alerts import AlertCount
from endvac.safeguards.rules import check_rule
from endvac.tabular import csv_text
from endvac.web.published import ROW_FIELDS, Published
from endvac.web.views import Freshness, freshness

Row = dict[str, Any]


class AlertsView(BaseModel):
    freshness: Freshness
    as_of: str | None
    dates: list[str]
    scope: str
    rule: str | None
    open_only: bool
    total: int
    offset: int
    summary: list[Row]
    alerts: list[Row]


class QualityView(BaseModel):
    freshness: Freshness
    files: list[Row]
    rules: list[Row]
    unknowns: list[Row]
    linkage: dict[str, Any] | None


class DeliveriesView(BaseModel):
    freshness: Freshness
    deliveries: list[Row]


PAGE = 500


def _snapshot(pub: Published) -> Snapshot:
    if pub.snapshot is None:
        raise BadInput("alerts and data quality are read from a snapshot",
                       fix="publish one with: endvac publish WORKSPACE")
    return pub.snapshot


def scope_of(user: User) -> tuple[set[str] | None, set[str] | None, str]:
    """The facilities and regions a monitor is assigned (None, None for everyone else)."""
    if user.role != "monitor":
        return None, None, "all facilities and regions"
    label = ", ".join([f"facility {f}" for f in user.facilities]
                      + [f"region {r}" for r in user.regions])
    return set(user.facilities), set(user.regions), label


def alerts(pub: Published, user: User, as_of: str | None = None, rule: str | None = None,
           open_only: bool = False, offset: int = 0, limit: int | None = PAGE) -> AlertsView:
    """The alerts as of a published date, for the user's scope: all counted in the
    summary, ``limit`` of them listed from ``offset`` (None: all, for an export)."""
    snap = _snapshot(pub)
    check_rule(rule)
    dates = list(snap.meta.get("alert_dates", []))
    if as_of and as_of not in dates:
        raise BadInput(f"no alerts published as of '{as_of}'",
                       fix=f"choose one of {', '.join(dates) or 'none'}")
    facilities, regions, label = scope_of(user)

    def select() -> tuple[list[PublishedAlert], list[AlertCount]]:
        chosen = snap.alerts(as_of or None, rule=rule or None, open_only=open_only,
                             facilities=facilities, regions=regions) if dates else []
        return chosen, snap.alert_summary(alerts=chosen)

    found, summary = pub.remember(("alerts", as_of, rule, open_only,
                                   frozenset(facilities or ()), frozenset(regions or ()),
                                   facilities is None), select)
    page = found[offset:] if limit is None else found[offset:offset + limit]
    rows = [{k: _plain(a.get(k)) for k in ALERT_FIELDS} for a in page]
    return AlertsView(freshness=freshness(pub), as_of=as_of or (dates[-1] if dates else None),
                      dates=dates, scope=label, rule=rule or None, open_only=open_only,
                      total=len(found), offset=offset,
                      summary=[dict(c) for c in summary], alerts=rows)


def quality(pub: Published) -> QualityView:
    """Rows loaded and quarantined per file and rule, unknowns, linkage quality."""
    q = _snapshot(pub).quality()
    return QualityView(freshness=freshness(pub), files=_plain_rows(q.files),
                       rules=_plain_rows(q.rules), unknowns=_plain_rows(q.unknowns),
                       linkage=q.linkage)


def deliveries(pub: Published) -> DeliveriesView:
    """Every delivery loaded, newest first."""
    rows = _plain_rows(_snapshot(pub).quality().deliveries)
    return DeliveriesView(freshness=freshness(pub),
                          deliveries=sorted(rows, key=lambda r: -int(r["delivery_id"])))


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def _plain_rows(rows: Sequence[Mapping[str, Any]]) -> list[Row]:
    return [{k: _plain(v) for k, v in r.items()} for r in rows]


def indicators_csv(pub: Published, period: str | None = None) -> tuple[str, int]:
    """Every published result row (of a year, or all) as CSV; the text and row count."""
    labels = sorted({str(r["label"]) for r in pub.results})
    if period and period not in labels:
        raise BadInput("the period asked for is not published",
                       fix=f"use one of {', '.join(labels) or 'none'}")
    rows = [r for r in pub.results if period in (None, "", r["label"])]
    return _csv(rows, [*ROW_FIELDS, "withheld"]), len(rows)


def alerts_csv(view: AlertsView) -> tuple[str, int]:
    return _csv(view.alerts, list(ALERT_FIELDS)), len(view.alerts)


def _csv(rows: list[Row], columns: list[str]) -> str:
    return csv_text(columns, ([r.get(c) for c in columns] for r in rows))
