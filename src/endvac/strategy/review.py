"""Everything the strategy page, the report chapter and `endvac strategy check` show,
as one payload: the strategy, its bases, roadmap, targets, flags and training coverage."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from endvac.strategy.checks import Duplicate, Gap, duplicates, gaps
from endvac.strategy.codes import load_model_strategies
from endvac.strategy.evidence import Evidence, better_directions, load_evidence
from endvac.strategy.files import stored_strategy
from endvac.strategy.model import Strategy
from endvac.strategy.progress import (
    BasisScore,
    Coverage,
    TargetProgress,
    aggregate_bases,
    target_progress,
    training_coverage,
)
from endvac.workspace import Workspace


class ChecklistRow(BaseModel):
    model_strategy: int
    numeral: str
    part: int
    short: str
    verified: bool
    status: str | None
    note: str | None
    actions: list[str]


class StrategyReview(BaseModel):
    """The strategy with what the checks found (one payload for CLI, web and report)."""

    strategy: Strategy
    evidence_source: str
    evidence_year: int | None
    min_cell: int
    bases: list[BasisScore]
    checklist: list[ChecklistRow]
    targets: list[TargetProgress]
    duplicates: list[Duplicate]
    gaps: list[Gap]
    coverage: list[Coverage]

    def finding_rows(self) -> list[dict[str, Any]]:
        """One row per finding, for `endvac strategy check`."""
        rows = [{"check": "duplication", "item": f"{d.action_a} + {d.action_b}",
                 "flag": "possible duplication",
                 "detail": f"{d.action_type} by {d.lead_agency_a} and {d.lead_agency_b}; "
                           f"regions {', '.join(d.regions)}; ages {d.ages}; from "
                           f"{d.overlap_start} to {d.overlap_end or 'open end'}"}
                for d in self.duplicates]
        rows += [{"check": "gap", "item": f"{g.indicator_id} {g.breakdown}={g.cell}",
                  "flag": "gap: no action reaches it",
                  "detail": f"{g.year} value {g.value:.4g} (worst quartile, threshold "
                            f"{g.threshold:.4g}, {g.better} is better; denominator "
                            f"{g.denominator})"} for g in self.gaps]
        rows += [{"check": "target", "item": f"{t.id} ({t.indicator_id})",
                  "flag": t.status.replace("_", " "),
                  "detail": _target_detail(t)} for t in self.targets]
        rows += [{"check": "training coverage", "item": f"{c.profession} {c.region}",
                  "flag": "no staff number" if c.staff is None else f"{c.percent:.1f}%",
                  "detail": f"{c.trained} distinct trained / {c.staff} staff"}
                 for c in self.coverage]
        return rows


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.4g}"


def _target_detail(t: TargetProgress) -> str:
    return (f"baseline {t.baseline_year} {_number(t.baseline_value)}, latest "
            f"{_number(t.latest_value)} ({t.latest_date or '-'}), expected on the line "
            f"{_number(t.expected)}, target {_number(t.target_value)} by {t.target_date}")


def checklist_rows(strategy: Strategy) -> list[ChecklistRow]:
    """Every UN Model Strategy with the country's status and the actions serving it."""
    given = {c.model_strategy: c for c in strategy.checklist}
    rows = []
    for ms in load_model_strategies().strategies:
        item = given.get(ms.id)
        rows.append(ChecklistRow(
            model_strategy=ms.id, numeral=ms.numeral, part=ms.part, short=ms.short,
            verified=ms.verified, status=item.status if item else None,
            note=item.note if item else None,
            actions=[a.id for a in strategy.actions if ms.id in a.model_strategies]))
    return rows


def review(strategy: Strategy, evidence: Evidence, min_cell: int) -> StrategyReview:
    """Run every check of ``strategy`` against ``evidence``."""
    better = better_directions()
    year = evidence.latest_year
    return StrategyReview(
        strategy=strategy, evidence_source=evidence.source, evidence_year=year,
        min_cell=min_cell, bases=aggregate_bases(strategy.assessments),
        checklist=checklist_rows(strategy),
        targets=[target_progress(t, evidence, better.get(t.indicator_id, "none"))
                 for t in strategy.targets],
        duplicates=duplicates(strategy.actions),
        gaps=gaps(strategy.actions, list(evidence.cells), better, min_cell, year)
        if year else [],
        coverage=training_coverage(strategy.trainings, strategy.participants,
                                   strategy.staff))


def review_workspace(workspace: Workspace, evidence: Evidence | None = None
                     ) -> StrategyReview:
    """The workspace's strategy checked against its newest indicator values (or the
    ``evidence`` given: the web passes a published snapshot's, never the store's)."""
    strategy = stored_strategy(workspace)
    if evidence is None:
        evidence = load_evidence(workspace, {t.baseline_year for t in strategy.targets})
    return review(strategy, evidence, workspace.config.release.min_cell)
