"""Reading a snapshot: :func:`load_snapshot` and the :class:`Snapshot` accessors the web
app and the report use (docs/publish.md). A snapshot is read from its Parquet files
only; the analytic store is never opened, so reading never waits for an ingest."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from endvac.publish.shapes import (
    CatalogueEntry,
    DeliveryRow,
    IndicatorRow,
    LoadStatusRow,
    PublishedAlert,
    SnapshotMeta,
    UnknownShare,
)
from endvac.publish.store import read_snapshot
from endvac.safeguards.alerts import AlertCount, count_alerts
from endvac.workspace import Workspace


@dataclass(frozen=True)
class Quality:
    """Data coverage and quality as of the snapshot."""

    deliveries: list[DeliveryRow]
    files: list[LoadStatusRow]
    rules: list[LoadStatusRow]
    unknowns: list[UnknownShare]
    linkage: dict[str, object] | None
    last_loaded: str | None


@dataclass(frozen=True)
class Snapshot:
    """One published snapshot, held in memory (a few MB even at 1M children)."""

    number: int
    path: Path
    meta: SnapshotMeta
    tables: dict[str, pa.Table]
    _rows: dict[str, list[Any]] = field(default_factory=dict, repr=False, compare=False)

    def _table(self, table: str) -> list[Any]:
        """Every row of one table, read from Arrow once (the typed accessors below say
        which shape each table's rows have)."""
        if table not in self._rows:
            self._rows[table] = self.tables[table].to_pylist()
        return self._rows[table]

    def results(self, table: str = "indicators") -> list[IndicatorRow]:
        """Every row of the ``indicators`` (or ``series``) table."""
        rows: list[IndicatorRow] = self._table(table)
        return rows

    def deliveries(self) -> list[DeliveryRow]:
        rows: list[DeliveryRow] = self._table("deliveries")
        return rows

    def load_status(self) -> list[LoadStatusRow]:
        rows: list[LoadStatusRow] = self._table("load_status")
        return rows

    @property
    def years(self) -> list[str]:
        """The period labels published, oldest first (``["2024", "2025"]``)."""
        return list(self.meta["years"])

    @property
    def latest_year(self) -> str | None:
        return self.years[-1] if self.years else None

    def definition(self, indicator_id: str) -> CatalogueEntry:
        """Name, unit, better, plain text, source, core... of one published indicator."""
        for entry in self.meta["indicators"]:
            if entry["id"] == indicator_id:
                return entry.copy()
        raise KeyError(indicator_id)

    def definitions(self, kind: str | None = None) -> list[CatalogueEntry]:
        """Every published indicator (``kind``: indicators, safeguards or equity)."""
        return [e.copy() for e in self.meta["indicators"] if kind is None or e["kind"] == kind]

    def indicators(self, period: str | None = None, breakdown: str | None = "",
                   ids: list[str] | None = None) -> list[IndicatorRow]:
        """Result rows of a year (default: the latest) for one breakdown (``""``: the
        national totals; ``None``: every breakdown), optionally of some indicators only."""
        label = _label(period or self.latest_year or "")
        return [r for r in self.results()
                if r["label"] == label and (breakdown is None or r["breakdown"] == breakdown)
                and (ids is None or r["id"] in ids)]

    def result(self, indicator_id: str, period: str | None = None, breakdown: str = "",
               cell: str = "") -> IndicatorRow | None:
        """One cell: an indicator's national total (or a breakdown's cell) for a year."""
        for row in self.indicators(period, breakdown, [indicator_id]):
            if row["cell"] == cell:
                return row
        return None

    def series(self, indicator_id: str, breakdown: str = "", cell: str = "",
               every: str | None = None) -> list[IndicatorRow]:
        """An indicator over time, oldest first: the national totals of each quarter
        (``every="quarter"``, the default when published), or one cell of each published
        year (``every="year"``; any breakdown)."""
        every = every or (self.meta["series_every"] if not breakdown else "year")
        table = "series" if every != "year" and not breakdown else "indicators"
        rows = [r for r in self.results(table) if r["id"] == indicator_id
                and r["breakdown"] == breakdown and r["cell"] == cell]
        return sorted(rows, key=lambda r: r["start"])

    def breakdowns(self, indicator_id: str, period: str | None = None) -> list[str]:
        """The breakdowns with cells for an indicator in a year."""
        found = {r["breakdown"] for r in self.indicators(period, None, [indicator_id])}
        return sorted(found - {""})

    def alerts(self, as_of: str | date | None = None, *, rule: str | None = None,
               facility: str | None = None, region: str | None = None,
               status: str | None = None, open_only: bool = False,
               facilities: set[str] | None = None, regions: set[str] | None = None
               ) -> list[PublishedAlert]:
        """Alerts as of a year's end (default: the latest), filtered; ``facilities`` and
        ``regions`` keep alerts in either set (a monitor's assignments). Filtered in Arrow
        first: a 1M-children snapshot holds hundreds of thousands of alerts."""
        day = _day(as_of, self.meta["alert_dates"])
        table = self.tables["alerts"]
        if day is None:
            return []
        mask = pc.equal(table["as_of"], pa.scalar(day, pa.date32()))
        for column, wanted in (("rule", rule), ("facility_id", facility), ("region", region),
                               ("status", status)):
            if wanted is not None:
                mask = pc.and_(mask, pc.equal(table[column], wanted))
        if open_only:
            mask = pc.and_(mask, pc.fill_null(table["ongoing"], False))
        if facilities is not None or regions is not None:
            inside = pc.or_kleene(
                pc.is_in(table["facility_id"], value_set=pa.array(sorted(facilities or ()),
                                                                  pa.string())),
                pc.is_in(table["region"], value_set=pa.array(sorted(regions or ()),
                                                             pa.string())))
            mask = pc.and_(mask, pc.fill_null(inside, False))
        rows: list[PublishedAlert] = table.filter(mask).to_pylist()
        return rows

    def alert_summary(self, by: str = "facility_id", as_of: str | date | None = None,
                      alerts: list[PublishedAlert] | None = None) -> list[AlertCount]:
        """Alerts counted by rule and ``by`` (facility_id or region), per status."""
        rows = self.alerts(as_of) if alerts is None else alerts
        return count_alerts(((a["rule"], a["region"] if by == "region" else a["facility_id"],
                              a["status"]) for a in rows), by)

    def quality(self, period: str | None = None) -> Quality:
        """Deliveries, rows loaded and quarantined per file, quarantined rows per rule,
        unknowns per indicator and breakdown (for a year), linkage quality."""
        status = self.load_status()
        return Quality(self.deliveries(), [r for r in status if r["what"] == "file"],
                       [r for r in status if r["what"] != "file"], self.unknowns(period),
                       self.meta.get("linkage"), self.meta.get("last_loaded"))

    def unknowns(self, period: str | None = None) -> list[UnknownShare]:
        """For each indicator and breakdown of a year: counted in the national total, in
        the ``unknown`` cell, and left out because a needed attribute is unknown."""
        rows = self.indicators(period, None)
        totals = {r["id"]: r for r in rows if r["breakdown"] == ""}
        out: list[UnknownShare] = []
        for row in rows:
            total = totals.get(row["id"])
            if row["cell"] != "unknown" or total is None:
                continue
            out.append(UnknownShare(id=row["id"], breakdown=row["breakdown"],
                                    total=total["numerator"], unknown_cell=row["numerator"],
                                    left_out=total["unknown"]))
        return out


def _label(period: str) -> str:
    """``2025`` or the engine's ``2025-01-01/2025-12-31`` for a calendar year: ``2025``."""
    start, _, end = period.partition("/")
    if end and start.endswith("-01-01") and end.endswith("-12-31") and start[:4] == end[:4]:
        return start[:4]
    return period


def _day(as_of: str | date | None, published: list[str]) -> date | None:
    if as_of is None:
        return date.fromisoformat(published[-1]) if published else None
    if isinstance(as_of, date):
        return as_of
    if len(as_of) == 4 and as_of.isdigit():
        return date(int(as_of), 12, 31)
    return date.fromisoformat(as_of)


def load_snapshot(workspace: Workspace | Path, number: int | None = None) -> Snapshot:
    """Snapshot ``number`` of a workspace (default: the newest), read from its folder."""
    root = workspace.root if isinstance(workspace, Workspace) else Path(workspace)
    found, path, meta, tables = read_snapshot(root, number)
    return Snapshot(found, path, meta, tables)
