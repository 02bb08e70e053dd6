"""The strategy page's payload (web) and chapter's (report): the review and its charts."""

from __future__ import annotations

from pydantic import BaseModel

from endvac.appdb import open_app_db
from endvac.strategy.charts import strategy_svgs
from endvac.strategy.codes import load_model_strategies
from endvac.strategy.evidence import Evidence
from endvac.strategy.review import StrategyReview, review_workspace
from endvac.strategy.store import load_strategy
from endvac.workspace import Workspace


class StrategyPage(BaseModel):
    """What the page shows: the review, SVG charts by name, the checklist's source."""

    review: StrategyReview
    charts: dict[str, str]
    checklist_source: str


def has_strategy(workspace: Workspace) -> bool:
    with open_app_db(workspace) as db:
        return load_strategy(db) is not None


def strategy_page(workspace: Workspace, evidence: Evidence | None = None
                  ) -> StrategyPage | None:
    """The page of the workspace's strategy, or None when none was imported (checked
    against ``evidence`` when given, see :func:`review_workspace`)."""
    if not has_strategy(workspace):
        return None
    review = review_workspace(workspace, evidence)
    return StrategyPage(review=review, charts=strategy_svgs(review),
                        checklist_source=load_model_strategies().source)
