"""The HTML pages: each calls the view function its /api twin calls, then renders."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from endvac.web import restricted, views
from endvac.web.auth import (
    AlertRole,
    AnyRole,
    RestrictedRole,
    context,
    published_for,
    record_view,
)
from endvac.web.render import page

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


@router.get("/")
def dashboard_page(request: Request, session: AnyRole, period: str | None = None,
                   breakdown: str | None = None) -> HTMLResponse:
    pub = published_for(request, session, "/")
    return page(request, "dashboard.html",
                {"view": views.dashboard(pub, period, breakdown)})


@router.get("/indicators")
def indicators_page(request: Request, session: AnyRole,
                    period: str | None = None) -> HTMLResponse:
    pub = published_for(request, session, "/indicators")
    return page(request, "indicators.html", {"view": views.indicator_list(pub, period)})


@router.get("/indicators/{indicator_id}")
def indicator_page(request: Request, session: AnyRole, indicator_id: str,
                   period: str | None = None) -> HTMLResponse:
    pub = published_for(request, session, f"/indicators/{indicator_id}")
    return page(request, "indicator.html",
                {"view": views.indicator(pub, indicator_id, period)})


@router.get("/alerts")
def alerts_page(request: Request, session: AlertRole, as_of: str | None = None,
                rule: str | None = None, open: bool = False,
                offset: Annotated[int, Query(ge=0)] = 0) -> HTMLResponse:
    pub = context(request).published.newest("snapshot")
    view = restricted.alerts(pub, session.user, as_of, rule, open, offset)
    record_view(request, session, "/alerts", f"alerts={view.total}")
    return page(request, "alerts.html", {"view": view})


@router.get("/quality")
def quality_page(request: Request, session: RestrictedRole) -> HTMLResponse:
    pub = published_for(request, session, "/quality")
    return page(request, "quality.html", {"view": restricted.quality(pub)})


@router.get("/deliveries")
def deliveries_page(request: Request, session: RestrictedRole) -> HTMLResponse:
    pub = published_for(request, session, "/deliveries")
    return page(request, "deliveries.html", {"view": restricted.deliveries(pub)})
