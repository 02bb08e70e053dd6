"""The strategy chapter of the situation-analysis report (restricted only): one
:class:`SectionSpec` in :data:`SECTIONS`, which the CLI adds to the report's own
(docs/report.md)."""

from __future__ import annotations

from pathlib import Path

from endvac.report import ReportData, Section, SectionSpec
from endvac.strategy.charts import strategy_svgs
from endvac.strategy.codes import load_model_strategies
from endvac.strategy.evidence import snapshot_evidence
from endvac.strategy.page import StrategyPage
from endvac.strategy.review import review
from endvac.strategy.store import load_strategy
from endvac.workspace import Workspace, open_workspace

TEMPLATES = Path(__file__).parent / "templates"


def _workspace(data: ReportData) -> Workspace | None:
    """The report's workspace: given in ``extra``, else the one holding its snapshot
    (published/snapshots/N inside the workspace)."""
    given = data.extra.get("workspace")
    if isinstance(given, Workspace):
        return given
    if data.snapshot is None:
        return None
    return open_workspace(Path(data.snapshot.path).parents[2])


def strategy_chapter(data: ReportData) -> Section | None:
    """The strategy checked against the report's own snapshot; left out when the
    workspace has no strategy."""
    workspace = _workspace(data)
    if workspace is None or data.snapshot is None:
        return None
    from endvac.appdb import open_app_db

    with open_app_db(workspace) as db:
        strategy = load_strategy(db)
    if strategy is None:
        return None
    checked = review(strategy, snapshot_evidence(data.snapshot),
                     workspace.config.release.min_cell)
    page = StrategyPage(review=checked, charts=strategy_svgs(checked),
                        checklist_source=load_model_strategies().source)
    return Section("strategy", "Prevention strategy", "strategy_chapter.html",
                   {"page": page})


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("strategy", strategy_chapter, order=60, templates=TEMPLATES),
)
