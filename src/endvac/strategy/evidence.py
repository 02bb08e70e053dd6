"""The indicator values the strategy is checked against, from one adapter.

Preferably the newest published snapshot (docs/publish.md); without one, the
indicators are computed on a read-only connection to the analytic store (national
totals and the sex, age_group and region breakdowns of the years needed)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from endvac.errors import UsageError
from endvac.workspace import Workspace

if TYPE_CHECKING:
    from endvac.publish import Snapshot

GAP_BREAKDOWNS = ("region", "sex", "age_group")


@dataclass(frozen=True)
class Cell:
    """One published value: an indicator's national total (breakdown "") or one cell."""

    indicator_id: str
    year: int
    breakdown: str
    cell: str
    value: float | None
    denominator: int | None

    @property
    def end(self) -> date:
        return date(self.year, 12, 31)


@dataclass(frozen=True)
class Evidence:
    """Indicator values by calendar year, and where they come from."""

    cells: tuple[Cell, ...]
    source: str

    def national(self, indicator_id: str, year: int) -> Cell | None:
        return next((c for c in self.cells if c.indicator_id == indicator_id
                     and c.year == year and c.breakdown == ""), None)

    def latest_national(self, indicator_id: str) -> Cell | None:
        found = [c for c in self.cells if c.indicator_id == indicator_id
                 and c.breakdown == "" and c.value is not None]
        return max(found, key=lambda c: c.year) if found else None

    @property
    def latest_year(self) -> int | None:
        return max((c.year for c in self.cells), default=None)


def better_directions() -> dict[str, str]:
    """Each indicator's `better` (higher, lower or none): definitions and safeguard rates."""
    from endvac.indicators.definitions import load_definitions
    from endvac.safeguards.rates import rate_definitions

    return {i.id: i.better for defs in (load_definitions(), rate_definitions())
            for i in defs.indicators}


def load_evidence(workspace: Workspace, years: set[int],
                  today: date | None = None) -> Evidence:
    """The values of the newest snapshot, or computed for ``years`` and the latest year
    (the records read as of ``today``, default: the day it runs)."""
    from endvac.publish import load_snapshot

    try:
        snap = load_snapshot(workspace)
    except UsageError:
        return _computed(workspace, years, today or date.today())
    return snapshot_evidence(snap)


def snapshot_evidence(snap: Snapshot) -> Evidence:
    """The yearly values of a published snapshot (equity ratios and quarters left out)."""
    cells = tuple(_cell(r) for r in snap.results()
                  if r["source"] != "equity" and str(r["label"]).isdigit())
    return Evidence(cells, f"published snapshot {snap.number}")


def _cell(row: Mapping[str, Any]) -> Cell:
    value, denominator = row.get("value"), row.get("denominator")
    return Cell(str(row["id"]), int(row["label"]), str(row.get("breakdown") or ""),
                str(row.get("cell") or ""), None if value is None else float(value),
                None if denominator is None else int(denominator))


def _computed(workspace: Workspace, years: set[int], today: date) -> Evidence:
    from endvac.facts.derived import materialise
    from endvac.indicators.engine import Request, run_indicators
    from endvac.indicators.periods import parse_period
    from endvac.linkage.registry import person_map
    from endvac.publish.compute import latest_year

    macr = int(workspace.profile().value("macr"))
    groupings = ((), *((b,) for b in GAP_BREAKDOWNS))
    cells: list[Cell] = []
    with workspace.analytic(read_only=True) as con:
        latest = workspace.config.period.year or latest_year(con)
        wanted = sorted(years | ({latest} if latest else set()))
        facts = materialise(con, person_map(workspace), today=today)
        for year in wanted:
            request = Request(parse_period(str(year)), groupings=groupings)
            for r in run_indicators(facts, workspace.config.counting, macr, request):
                by = r.by
                cells.append(_cell({"id": r.id, "label": str(year), "value": r.value,
                                    "denominator": r.denominator,
                                    "breakdown": next(iter(by), ""),
                                    "cell": next(iter(by.values()), ""), "source": "indicators"}))
    return Evidence(tuple(cells), "computed from the analytic store (no snapshot published)")
