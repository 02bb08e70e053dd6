"""What an ingest did: per-file reconciliation and the findings, as data."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from endvac.ingest.delivery import Manifest
from endvac.ingest.findings import Finding


@dataclass
class FileResult:
    """Rows in = new + replaced + unchanged + quarantined + duplicates."""

    file: str
    path: str
    format: str
    rows_in: int = 0
    new: int = 0
    replaced: int = 0
    unchanged: int = 0
    quarantined: int = 0
    duplicates: int = 0
    warnings: int = 0
    removed: int = 0

    @property
    def loaded(self) -> int:
        return self.new + self.replaced + self.unchanged

    @property
    def reconciles(self) -> bool:
        return self.rows_in == self.loaded + self.quarantined + self.duplicates


@dataclass
class IngestResult:
    """The outcome of one `endvac ingest`."""

    source: Path
    delivery_id: int | None = None
    already_loaded_as: int | None = None
    files: list[FileResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    ignored_files: list[str] = field(default_factory=list)
    manifest: Manifest = field(default_factory=Manifest)
    normalisation_version: str | None = None
    dry_run: bool = False  # every check ran; nothing was loaded

    def total(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.files)

    @property
    def quarantined(self) -> int:
        return self.total("quarantined")

    @property
    def exit_code(self) -> int:
        """1 when rows were quarantined, else 0 (warnings included)."""
        return 1 if self.quarantined else 0

    def by_rule(self) -> dict[tuple[str, str], int]:
        """Findings counted by (severity, rule)."""
        counts: dict[tuple[str, str], int] = {}
        for item in self.findings:
            key = (item.severity, item.rule)
            counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items()))
