"""What a report is built from, in one shape for both kinds: the restricted report reads a
snapshot (docs/publish.md), the public report only a public release (docs/release.md).
Rows are the snapshot's indicator rows; release rows gain ``label``/``start`` and keep
their suppression flags."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from endvac.errors import UsageError
from endvac.indicators.compare import add_ratios
from endvac.indicators.definitions import load_definitions
from endvac.indicators.periods import parse_period
from endvac.indicators.results import Result
from endvac.progress import Progress as Say
from endvac.publish import Quality, Snapshot, load_snapshot, publish, snapshot_numbers
from endvac.publish.build import catalogue
from endvac.publish.shapes import CatalogueEntry
from endvac.publish.store import read_manifest
from endvac.publish.tables import period_label
from endvac.release import Release, build_release, load_release
from endvac.release.store import releases
from endvac.safeguards.rates import rate_definitions
from endvac.workspace import Workspace

Row = dict[str, Any]


@dataclass
class ReportData:
    """Everything the sections read; ``alerts`` and ``quality`` only when restricted."""

    public: bool
    period: str
    previous: str | None
    country: dict[str, Any]
    catalogue: list[CatalogueEntry]
    rows: list[Row]
    series_rows: list[Row]
    provenance: dict[str, Any]
    snapshot: Snapshot | None = None
    quality: Quality | None = None
    min_cell: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def definition(self, indicator_id: str) -> CatalogueEntry:
        for entry in self.catalogue:
            if entry["id"] == indicator_id:
                return entry
        raise KeyError(indicator_id)

    def ids(self, kind: str) -> list[str]:
        """The indicators of a kind (indicators, safeguards, equity) that have rows."""
        present = {r["id"] for r in self.rows}
        return [e["id"] for e in self.catalogue if e["kind"] == kind and e["id"] in present]

    def result(self, indicator_id: str, label: str | None = None, breakdown: str = "",
               cell: str = "") -> Row | None:
        wanted = label or self.period
        for row in self.rows:
            if (row["id"], row["label"], row["breakdown"], row["cell"]) == (
                    indicator_id, wanted, breakdown, cell):
                return row
        return None

    def cells(self, indicator_id: str, breakdown: str, label: str | None = None) -> list[Row]:
        wanted = label or self.period
        return [r for r in self.rows if r["id"] == indicator_id and r["label"] == wanted
                and r["breakdown"] == breakdown]

    def series(self, indicator_id: str) -> list[Row]:
        return sorted((r for r in self.series_rows if r["id"] == indicator_id),
                      key=lambda r: r["start"])


def restricted_data(workspace: Workspace, period: str, say: Say) -> ReportData:
    """From the newest snapshot holding ``period``; published first when none does."""
    snap = _covering_snapshot(workspace, period)
    if snap is None:
        year = int(period)
        say(f"no snapshot holds {period}: publishing {year - 1} and {year}")
        publish(workspace, [year - 1, year], say)
        snap = load_snapshot(workspace)
    years = snap.years
    previous = years[years.index(period) - 1] if years.index(period) > 0 else None
    meta = snap.meta
    return ReportData(
        public=False, period=period, previous=previous, country=meta["country"],
        catalogue=meta["indicators"], rows=[dict(r) for r in snap.results()],
        series_rows=[dict(r) for r in snap.results("series")
                     if r["start"].year <= int(period)],
        provenance={"source": f"snapshot {snap.number}", **{k: meta.get(k) for k in (
            "created", "last_loaded", "definitions_version", "rates_version",
            "config_revision", "profile_sha256", "profile", "counting", "publish",
            "linked", "alert_dates")}},
        snapshot=snap, quality=snap.quality(period))


def _covering_snapshot(workspace: Workspace, period: str) -> Snapshot | None:
    for number in reversed(snapshot_numbers(workspace.root)):
        if period in read_manifest(workspace.root, number)["years"]:
            return load_snapshot(workspace, number)
    return None


def public_data(workspace: Workspace, period: str, say: Say) -> ReportData:
    """Only from public releases: the period's (built when missing) and, when one exists,
    the previous year's for the change."""
    current = _release_of(workspace, period)
    if current is None:
        say(f"no public release of {period}: building it")
        build_release(workspace, period, say)
        current = load_release(workspace)
    earlier = _release_of(workspace, str(int(period) - 1))
    rows = _release_rows(current, workspace)
    if earlier is not None:
        rows += [r for r in _release_rows(earlier, workspace) if r["breakdown"] == ""
                 and r["label"] == str(int(period) - 1)]
    settings = current.meta["settings"]
    return ReportData(
        public=True, period=period, previous=str(int(period) - 1) if earlier else None,
        country=workspace.config.country.model_dump(),
        catalogue=[e for e in catalogue(load_definitions(), rate_definitions())
                   if e["kind"] == "indicators"],
        rows=[r for r in rows if r["label"] in (period, str(int(period) - 1))],
        series_rows=[r for r in rows if r["label"] not in (period, str(int(period) - 1))],
        provenance={"source": f"public release {current.number}",
                    "created": current.meta["created"],
                    "definitions_version": current.meta["definitions_version"],
                    "config_revision": current.meta["config_revision"],
                    "release": {**{k: current.meta[k] for k in ("method", "zero_policy",
                                                                "suppressed")},
                                "headline": current.meta.get("headline", []),
                                "information_loss": current.meta.get("information_loss", {})},
                    "settings": settings},
        min_cell=int(cast(int, settings["min_cell"])),
        extra={"pathways": current.pathways()})


def _release_of(workspace: Workspace, period: str) -> Release | None:
    wanted = str(parse_period(period))
    for number in reversed(releases(workspace.root)):
        found = load_release(workspace, number)
        if found.meta["period"] == wanted:
            return found
    return None


def _release_rows(release: Release, workspace: Workspace) -> list[Row]:
    """Release rows with their label and start, and equity ratios computed from the
    published (protected) counts."""
    rows: list[Row] = []
    for row in release.rows():
        found = parse_period(row["period"])
        rows.append({**row, "label": period_label(found), "start": found.start})
    results = [_counts_of(r) for r in rows]
    for dim, value in workspace.config.publish.equity_reference.items():
        add_ratios(results, dim, value)
    for shown, result in zip(rows, results, strict=True):
        shown.update(ratio=result.ratio, ratio_ci_low=result.ratio_ci_low,
                   ratio_ci_high=result.ratio_ci_high, ratio_reference=result.ratio_reference)
    return rows


def _counts_of(row: Row) -> Result:
    """The published counts of a release row, as a result to compute ratios on."""
    by = {row["breakdown"]: row["cell"]} if row["breakdown"] else {}
    return Result(row["id"], row["period"], row["unit"], by, row["numerator"],
                  row["denominator"])


def check_period(period: str) -> str:
    """A report covers one calendar year: ``2025``."""
    if not (len(period) == 4 and period.isdigit()) or not 1990 <= int(period) <= 2100:
        raise UsageError(f"--period {period} is not a calendar year",
                         fix="write e.g. --period 2025")
    return period


