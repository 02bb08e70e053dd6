"""The pathways and outcomes of a workspace: derive the facts once, then compute."""

from __future__ import annotations

from datetime import date

from endvac.facts.derived import materialise
from endvac.indicators.periods import Period
from endvac.linkage.registry import person_map
from endvac.pathways.flows import Pathways, cohort_pathways
from endvac.pathways.outcomes import Outcomes, cohort_outcomes
from endvac.workspace import Workspace


def workspace_pathways(workspace: Workspace, period: Period, today: date) -> Pathways:
    """The pathways of the children whose first contact falls in ``period``."""
    with workspace.analytic(read_only=True) as con:
        facts = materialise(con, person_map(workspace), today=today)
        return cohort_pathways(facts, period)


def workspace_outcomes(workspace: Workspace, period: Period, today: date,
                       within: tuple[int, ...] | None = None,
                       bootstrap: int | None = None) -> Outcomes:
    """Re-contact after the decisions whose clock starts in ``period``."""
    with workspace.analytic(read_only=True) as con:
        facts = materialise(con, person_map(workspace), today=today)
        return cohort_outcomes(facts, period, within=within, bootstrap=bootstrap,
                               follow_adults=workspace.config.pathways.follow_adults)
