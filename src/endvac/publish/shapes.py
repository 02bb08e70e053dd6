"""The shapes a snapshot is made of: one TypedDict per Parquet table (a row as
``pyarrow.Table.to_pylist`` gives it back, the keys those of its schema in
publish/tables.py) and its manifest (snapshot.json).

TypedDicts, not dataclasses, on purpose: these rows *are* a file format: they go to
Parquet as they are (``from_pylist``), come back from it as they are, and the web answers
them as JSON and CSV with the same keys. A 1M-children snapshot holds hundreds of
thousands of alert rows, read without building an object for each. The keys and value
types are still checked by mypy; tests/test_typed_boundaries.py checks that each
TypedDict has exactly its schema's columns."""

from __future__ import annotations

from datetime import date, datetime
from typing import NotRequired, TypedDict


class IndicatorRow(TypedDict):
    """One result (a national total, a breakdown's cell or a quarter) of the snapshot's
    ``indicators`` and ``series`` tables."""

    id: str
    source: str  # indicators, safeguards or equity
    period: str
    label: str  # 2025, 2025-Q1 or START/END
    start: date
    end: date
    breakdown: str  # "" for the national total
    cell: str
    unit: str | None
    numerator: int | None
    denominator: int | None
    value: float | None
    ci_low: float | None
    ci_high: float | None
    ci_method: str | None
    mean: float | None
    p90: float | None
    unknown: int | None
    below_macr: int | None
    excluded_adults: int | None
    coverage: str | None
    as_of: str | None
    evidence: str | None
    ratio: float | None
    ratio_ci_low: float | None
    ratio_ci_high: float | None
    ratio_reference: str | None
    ratio_method: str | None
    notes: list[str]
    note_kinds: list[str]


class PublishedAlert(TypedDict):
    """One alert of the snapshot's ``alerts`` table: nothing that identifies the child,
    the record, the facts or the case."""

    as_of: date
    rule: str
    rule_name: str
    severity: str
    status: str
    ongoing: bool | None
    agency: str
    since: date | None
    elapsed: float | None
    unit: str | None
    limit_value: float | None
    over: float | None
    facility_id: str | None
    region: str | None
    legal_basis: str
    limit_key: str | None


class DeliveryRow(TypedDict):
    """One delivery loaded (the ``deliveries`` table)."""

    delivery_id: int
    loaded_at: datetime | None
    source: str | None
    agency: str | None
    reporting_unit: str | None
    period_start: date | None
    period_end: date | None
    extracted: date | None
    mode: str | None
    event_types: str | None
    format_version: str | None
    config_revision: int | None
    rows_in: int | None
    loaded: int | None
    quarantined: int | None
    duplicates: int | None
    warnings: int | None
    removed: int | None


class LoadStatusRow(TypedDict):
    """Rows loaded and quarantined per file (``what``: file) or per rule (the
    ``load_status`` table)."""

    what: str
    name: str
    rows_in: int | None
    loaded: int | None
    quarantined: int | None
    duplicates: int | None
    warnings: int | None


class UnknownShare(TypedDict):
    """For one indicator and breakdown: counted in the national total, in the
    ``unknown`` cell, and left out because a needed attribute is unknown."""

    id: str
    breakdown: str
    total: int | None
    unknown_cell: int | None
    left_out: int | None


class CatalogueEntry(TypedDict):
    """What a reader needs to present one published indicator (snapshot.json
    ``indicators``)."""

    id: str
    name: str
    unit: str
    better: str
    core: bool
    shape: str
    flow: bool
    plain: str
    source: str
    kind: str  # indicators, safeguards or equity
    breakdowns: list[str]


class TableEntry(TypedDict):
    """One table of a snapshot or release manifest: its file and row count."""

    file: str
    rows: int


class SnapshotMeta(TypedDict):
    """snapshot.json. The nested config and profile objects are as their models dump
    them, and ``linkage`` the linkage's quality figures (linkage.quality), shown by name."""

    format: int
    created: str
    country: dict[str, object]
    years: list[str]
    series_every: str
    alert_dates: list[str]
    last_loaded: str | None
    deliveries: int
    definitions_version: int
    rates_version: int
    config_revision: int
    profile_sha256: str
    profile: dict[str, dict[str, object]]
    counting: dict[str, object]
    publish: dict[str, object]
    linked: bool
    linkage: dict[str, object] | None
    indicators: list[CatalogueEntry]
    snapshot: NotRequired[int]  # set when written
    place_names: NotRequired[dict[str, dict[str, str]]]  # region/facility code → name
    tables: NotRequired[dict[str, TableEntry]]
