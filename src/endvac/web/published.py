"""What a role may read, loaded once per worker and kept while it is the newest: the
snapshot (admin, analyst: unsuppressed results, alerts, data quality) or the public
release (monitor, viewer).  Both are read from their files; the analytic store is never
opened, so `ingest`, `link` and `alerts` run while the app serves.

Indicator rows of either are normalised to one shape (:class:`Published`), so a view
is written once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from endvac.errors import EndvacError, UsageError
from endvac.indicators.definitions import load_definitions
from endvac.indicators.periods import parse_period
from endvac.publish import Snapshot, latest_number, load_snapshot
from endvac.publish.store import snapshot_numbers
from endvac.publish.tables import period_label
from endvac.release import Release, load_release
from endvac.release.store import releases

log = logging.getLogger(__name__)
Row = dict[str, Any]
Kind = Literal["snapshot", "release"]
ROW_FIELDS = ("id", "label", "breakdown", "cell", "unit", "numerator", "denominator",
              "value", "ci_low", "ci_high")


@dataclass(frozen=True)
class Published:
    """One snapshot or release as the views read it."""

    kind: Kind
    number: int
    created: str
    last_loaded: str | None
    years: list[str]
    definitions: dict[str, Row]
    results: list[Row]
    series: dict[str, list[Row]]
    snapshot: Snapshot | None = None
    _index: dict[tuple[str, str], list[Row]] = field(default_factory=dict, repr=False)
    memo: dict[tuple[Any, ...], Any] = field(default_factory=dict, repr=False)

    def remember(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """``compute()`` once per key for this snapshot or release (at most 256 kept)."""
        if key not in self.memo:
            if len(self.memo) >= 256:
                self.memo.clear()
            self.memo[key] = compute()
        return self.memo[key]

    def rows(self, label: str, breakdown: str) -> list[Row]:
        """The result rows of one year for one breakdown ('' for national totals)."""
        if not self._index:
            for row in self.results:
                self._index.setdefault((row["label"], row["breakdown"]), []).append(row)
        return self._index.get((label, breakdown), [])

    def rows_of(self, indicator_id: str, label: str) -> list[Row]:
        """Every row of one indicator in one year, all breakdowns."""
        return [r for r in self.results if r["id"] == indicator_id and r["label"] == label]


def _row(row: Mapping[str, Any], label: str, withheld: str | None) -> Row:
    return {**{k: row.get(k) for k in ROW_FIELDS}, "label": label, "withheld": withheld}


def from_snapshot(snap: Snapshot) -> Published:
    defs: dict[str, Row] = {d["id"]: dict(d) for d in snap.definitions()
                            if d["kind"] != "equity"}
    results = [_row(r, r["label"], None) for r in snap.results()]
    series: dict[str, list[Row]] = {}
    for r in sorted(snap.results("series"), key=lambda r: r["start"]):
        if r["breakdown"] == "":
            series.setdefault(r["id"], []).append(_row(r, r["label"], None))
    return Published("snapshot", snap.number, str(snap.meta.get("created")),
                     snap.meta.get("last_loaded"), list(snap.years), defs, results, series,
                     snap)


def from_release(release: Release) -> Published:
    defs = {i.id: {"id": i.id, "name": i.name, "unit": i.unit, "better": i.better,
                   "core": i.core, "plain": i.plain, "source": i.source,
                   "breakdowns": list(i.breakdowns)} for i in load_definitions().indicators}
    year = period_label(parse_period(str(release.meta["period"])))
    results: list[Row] = []
    series: dict[str, list[Row]] = {}
    for name, table in release.tables.items():
        for r in table.to_pylist():
            label = period_label(parse_period(r["period"]))
            row = _row(r, label, r.get("value_suppressed"))
            if name == "quarter":
                series.setdefault(r["id"], []).append(row)
            else:
                results.append(row)
    for rows in series.values():
        rows.sort(key=lambda r: r["label"])
    # A release records when it was built, not when its data was loaded: no last_loaded.
    return Published("release", release.number, str(release.meta.get("created")), None,
                     [year], defs, results, series)


class PublishedCache:
    """The newest snapshot and release, re-read only when a newer one appears.  One that
    cannot be read (a damaged file) is remembered as unreadable and the previous good one
    is served instead (admins see which, :meth:`unreadable`)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._held: dict[Kind, Published] = {}
        self._bad: dict[Kind, set[int]] = {"snapshot": set(), "release": set()}

    def _numbers(self, kind: Kind) -> list[int]:
        return snapshot_numbers(self.root) if kind == "snapshot" else releases(self.root)

    def newest(self, kind: Kind) -> Published:
        number = latest_number(self.root) if kind == "snapshot" else max(
            releases(self.root), default=None)
        if number is None:
            what = "snapshot" if kind == "snapshot" else "public release"
            fix = ("publish one with: endvac publish WORKSPACE" if kind == "snapshot"
                   else "build one with: endvac release WORKSPACE --period 2025")
            raise NothingPublished(f"no {what} has been published yet", fix=fix)
        held = self._held.get(kind)
        if held is not None and held.number == number:
            return held
        with self._lock:
            return self._newest_readable(kind, number)

    def _newest_readable(self, kind: Kind, number: int) -> Published:
        held = self._held.get(kind)
        candidates = sorted({n for n in self._numbers(kind) if n <= number} | {number},
                            reverse=True)
        for candidate in candidates:
            if held is not None and held.number == candidate:
                return held
            if candidate in self._bad[kind]:
                continue
            try:
                loaded = (from_snapshot(load_snapshot(self.root, candidate))
                          if kind == "snapshot" else from_release(load_release(self.root,
                                                                               candidate)))
            except Exception as exc:  # a damaged file fails in many ways (Arrow, JSON, keys)
                log.warning("%s %d cannot be read (%s); serving an older one", kind,
                            candidate, type(exc).__name__)
                self._bad[kind].add(candidate)
                continue
            self._held[kind] = loaded
            return loaded
        raise PublishedUnreadable(f"no {kind} can be read: {kind} "
                                  f"{', '.join(map(str, sorted(self._bad[kind])))} damaged",
                                  fix=f"publish a new {kind} (endvac publish WORKSPACE)"
                                  if kind == "snapshot" else "build a new release")

    def unreadable(self, kind: Kind = "snapshot") -> list[int]:
        """The numbers of damaged snapshots (or releases) newer than the one served."""
        held = self._held.get(kind)
        return sorted(n for n in self._bad[kind] if held is None or n > held.number)


class NothingPublished(UsageError):
    """Nothing of the kind a role reads has been published yet."""


class PublishedUnreadable(EndvacError):
    """Every published snapshot (or release) is damaged."""
