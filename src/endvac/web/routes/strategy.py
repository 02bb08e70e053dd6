"""The strategy page (admin, analyst) and its JSON twin: one library call each."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from endvac.accounts.sessions import Session
from endvac.strategy.page import has_strategy, strategy_page
from endvac.strategy.review import StrategyReview, review_workspace
from endvac.web.auth import RESTRICTED, allow, context, record_view
from endvac.web.render import page

router = APIRouter()
Restricted = Annotated[Session, Depends(allow(*RESTRICTED))]
NO_STRATEGY = "No strategy has been imported: endvac strategy import WORKSPACE strategy.yaml"


class StrategyAnswer(BaseModel):
    """The strategy with its checks (participant codes left out), or why there is none."""

    review: StrategyReview | None
    message: str | None = None


@router.get("/strategy", include_in_schema=False, response_class=HTMLResponse)
def strategy_html(request: Request, session: Restricted) -> HTMLResponse:
    record_view(request, session, "/strategy")
    view = strategy_page(context(request).workspace)
    return page(request, "strategy.html", {"strategy": view, "no_strategy": NO_STRATEGY})


@router.get("/api/strategy", tags=["api"])
def strategy_json(request: Request, session: Restricted) -> StrategyAnswer:
    """The national prevention strategy with its coordination checks (docs/strategy.md)."""
    record_view(request, session, "/api/strategy")
    workspace = context(request).workspace
    if not has_strategy(workspace):
        return StrategyAnswer(review=None, message=NO_STRATEGY)
    review = review_workspace(workspace)
    review.strategy.participants = []
    return StrategyAnswer(review=review)
