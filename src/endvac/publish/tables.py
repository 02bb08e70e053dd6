"""The tables of a snapshot: engine results, series, alerts and data quality as rows of
fixed Parquet schemas. Nothing that identifies a child is kept: alert rows lose the
person, record, fact and case ids and the evidence (fact ids)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, cast

import pyarrow as pa

from endvac.indicators.periods import Period, parse_period
from endvac.indicators.results import Result
from endvac.publish.shapes import DeliveryRow, IndicatorRow, LoadStatusRow, PublishedAlert
from endvac.safeguards.alerts import Alert

INDICATOR_SCHEMA = pa.schema([
    ("id", pa.string()), ("source", pa.string()), ("period", pa.string()),
    ("label", pa.string()), ("start", pa.date32()), ("end", pa.date32()),
    ("breakdown", pa.string()), ("cell", pa.string()), ("unit", pa.string()),
    ("numerator", pa.int64()), ("denominator", pa.int64()),
    ("value", pa.float64()), ("ci_low", pa.float64()), ("ci_high", pa.float64()),
    ("ci_method", pa.string()), ("mean", pa.float64()), ("p90", pa.float64()),
    ("unknown", pa.int64()), ("below_macr", pa.int64()), ("excluded_adults", pa.int64()),
    ("coverage", pa.string()), ("as_of", pa.string()), ("evidence", pa.string()),
    ("ratio", pa.float64()), ("ratio_ci_low", pa.float64()), ("ratio_ci_high", pa.float64()),
    ("ratio_reference", pa.string()), ("ratio_method", pa.string()),
    ("notes", pa.list_(pa.string())), ("note_kinds", pa.list_(pa.string())),
])

ALERT_FIELDS = ("rule", "rule_name", "severity", "status", "ongoing", "agency", "since",
                "elapsed", "unit", "limit_value", "over", "facility_id", "region",
                "legal_basis", "limit_key")
ALERT_SCHEMA = pa.schema([
    ("as_of", pa.date32()), ("rule", pa.string()), ("rule_name", pa.string()),
    ("severity", pa.string()), ("status", pa.string()), ("ongoing", pa.bool_()),
    ("agency", pa.string()), ("since", pa.date32()), ("elapsed", pa.float64()),
    ("unit", pa.string()), ("limit_value", pa.float64()), ("over", pa.float64()),
    ("facility_id", pa.string()), ("region", pa.string()), ("legal_basis", pa.string()),
    ("limit_key", pa.string()),
])


def period_label(period: Period) -> str:
    """``2025`` for a calendar year, ``2025-Q1`` for a calendar quarter, else START/END."""
    start, end = period.start, period.end
    if start == date(start.year, 1, 1) and end == date(start.year, 12, 31):
        return str(start.year)
    if start.day == 1 and start.month in (1, 4, 7, 10) and end.year == start.year:
        quarter_end = date(start.year, start.month + 2, 1)
        if end.month == quarter_end.month and end == _month_end(quarter_end):
            return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return str(period)


def _month_end(first: date) -> date:
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def indicator_row(result: Result, source: str) -> IndicatorRow:
    """One engine result as a snapshot row: the notes' texts, and their kinds alongside."""
    period = parse_period(result.period)
    by = result.by
    row: dict[str, Any] = {name: getattr(result, name, None) for name in INDICATOR_SCHEMA.names}
    row.update(source=source, label=period_label(period), start=period.start, end=period.end,
               breakdown=next(iter(by), ""), cell=str(next(iter(by.values()), "")),
               notes=result.note_texts(), note_kinds=[n.kind for n in result.notes])
    for name in ("numerator", "denominator"):
        if row[name] is not None:
            row[name] = int(row[name])
    return cast(IndicatorRow, row)  # every column of INDICATOR_SCHEMA, filled above


def alert_row(alert: Alert, as_of: date) -> PublishedAlert:
    """One alert without anything that identifies the child or the record."""
    return PublishedAlert(
        as_of=as_of, rule=alert.rule, rule_name=alert.rule_name, severity=alert.severity,
        status=alert.status, ongoing=alert.ongoing, agency=alert.agency, since=alert.since,
        elapsed=alert.elapsed, unit=alert.unit, limit_value=alert.limit_value,
        over=alert.over, facility_id=alert.facility_id, region=alert.region,
        legal_basis=alert.legal_basis, limit_key=alert.limit_key)


def indicator_table(rows: Sequence[IndicatorRow]) -> pa.Table:
    return pa.Table.from_pylist(list(rows), schema=INDICATOR_SCHEMA)


def alert_table(rows: Sequence[PublishedAlert]) -> pa.Table:
    return pa.Table.from_pylist(list(rows), schema=ALERT_SCHEMA)


DELIVERY_SCHEMA = pa.schema([
    ("delivery_id", pa.int64()), ("loaded_at", pa.timestamp("s")), ("source", pa.string()),
    ("agency", pa.string()), ("reporting_unit", pa.string()),
    ("period_start", pa.date32()), ("period_end", pa.date32()), ("extracted", pa.date32()),
    ("mode", pa.string()), ("event_types", pa.string()), ("format_version", pa.string()),
    ("config_revision", pa.int64()), ("rows_in", pa.int64()), ("loaded", pa.int64()),
    ("quarantined", pa.int64()), ("duplicates", pa.int64()), ("warnings", pa.int64()),
    ("removed", pa.int64()),
])
LOAD_STATUS_SCHEMA = pa.schema([
    ("what", pa.string()), ("name", pa.string()), ("rows_in", pa.int64()),
    ("loaded", pa.int64()), ("quarantined", pa.int64()), ("duplicates", pa.int64()),
    ("warnings", pa.int64()),
])


def records_table(rows: Sequence[DeliveryRow] | Sequence[LoadStatusRow],
                  schema: pa.Schema) -> pa.Table:
    """Plain records (deliveries, load status) in a fixed schema, even when empty."""
    return pa.Table.from_pylist([{n: r.get(n) for n in schema.names} for r in rows],
                                schema=schema)
