"""The strategy page (admin, analyst) and its JSON twin: one library call each."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from endvac.accounts.sessions import Session
from endvac.strategy.evidence import Evidence, snapshot_evidence
from endvac.strategy.page import has_strategy, strategy_page
from endvac.strategy.review import StrategyReview, review_workspace
from endvac.web.auth import RESTRICTED, allow, context, record_view
from endvac.web.published import NothingPublished
from endvac.web.render import page

router = APIRouter()
Restricted = Annotated[Session, Depends(allow(*RESTRICTED))]
NO_STRATEGY = "No strategy has been imported: endvac strategy import WORKSPACE strategy.yaml"
NO_SNAPSHOT = "no snapshot published yet (endvac publish WORKSPACE): no indicator values"


class StrategyAnswer(BaseModel):
    """The strategy with its checks (participant codes left out), or why there is none."""

    review: StrategyReview | None
    message: str | None = None


def published_evidence(request: Request) -> Evidence:
    """The indicator values of the newest readable snapshot, or none: the web never
    opens the analytic store (an ingest holds it)."""
    try:
        snapshot = context(request).published.newest("snapshot").snapshot
    except NothingPublished:
        snapshot = None
    if snapshot is None:
        return Evidence((), NO_SNAPSHOT)
    return snapshot_evidence(snapshot)


@router.get("/strategy", include_in_schema=False, response_class=HTMLResponse)
def strategy_html(request: Request, session: Restricted) -> HTMLResponse:
    record_view(request, session, "/strategy")
    view = strategy_page(context(request).workspace, published_evidence(request))
    return page(request, "strategy.html", {"strategy": view, "no_strategy": NO_STRATEGY})


@router.get("/api/strategy", tags=["api"])
def strategy_json(request: Request, session: Restricted) -> StrategyAnswer:
    """The national prevention strategy with its coordination checks (docs/strategy.md)."""
    record_view(request, session, "/api/strategy")
    workspace = context(request).workspace
    if not has_strategy(workspace):
        return StrategyAnswer(review=None, message=NO_STRATEGY)
    review = review_workspace(workspace, published_evidence(request))
    review.strategy.participants = []
    return StrategyAnswer(review=review)
