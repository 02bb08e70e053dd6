"""The JSON API: the same view functions as the pages, answered as JSON; CSV exports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from endvac.accounts.sessions import Session
from endvac.accounts.users import User
from endvac.web import restricted, views
from endvac.web.auth import (
    AlertRole,
    AnyRole,
    RestrictedRole,
    client_ip,
    context,
    published_for,
    record_view,
)

router = APIRouter(prefix="/api", tags=["api"])


def _json(model: BaseModel) -> Response:
    """The view as JSON, serialised once by pydantic (the route declares its model for
    the OpenAPI description; FastAPI passes a Response through as it is)."""
    return Response(model.model_dump_json(), media_type="application/json")


@router.get("/me", response_model=User)
def me(session: AnyRole) -> Response:
    """The logged-in user and role."""
    return _json(session.user)


@router.get("/dashboard", response_model=views.DashboardView)
def dashboard(request: Request, session: AnyRole, period: str | None = None,
              breakdown: str | None = None) -> Response:
    """The dashboard's data: core indicators for a year, by one breakdown."""
    return _json(views.dashboard(published_for(request, session, "/api/dashboard"), period,
                                 breakdown))


@router.get("/indicators", response_model=views.IndicatorList)
def indicators(request: Request, session: AnyRole, period: str | None = None) -> Response:
    """Every published indicator's national figure for a year (default: the latest)."""
    return _json(views.indicator_list(published_for(request, session, "/api/indicators"),
                                      period))


@router.get("/indicators/{indicator_id}", response_model=views.IndicatorView)
def indicator(request: Request, session: AnyRole, indicator_id: str,
              period: str | None = None) -> Response:
    """One indicator: definition, value with interval, breakdowns, trend."""
    pub = published_for(request, session, f"/api/indicators/{indicator_id}")
    return _json(views.indicator(pub, indicator_id, period))


@router.get("/alerts", response_model=restricted.AlertsView)
def alerts(request: Request, session: AlertRole, as_of: str | None = None,
           rule: str | None = None, open: bool = False,
           offset: Annotated[int, Query(ge=0)] = 0,
           limit: Annotated[int, Query(ge=1, le=10_000)] = restricted.PAGE) -> Response:
    """Safeguard alerts (a monitor: those of the facilities and regions assigned): all
    counted in `summary` and `total`, `limit` listed from `offset`."""
    view = restricted.alerts(context(request).published.newest("snapshot"), session.user,
                             as_of, rule, open, offset, limit)
    record_view(request, session, "/api/alerts", f"alerts={view.total}")
    return _json(view)


@router.get("/quality", response_model=restricted.QualityView)
def quality(request: Request, session: RestrictedRole) -> Response:
    """Rows loaded and quarantined per file and rule, unknowns, linkage quality."""
    return _json(restricted.quality(published_for(request, session, "/api/quality")))


@router.get("/deliveries", response_model=restricted.DeliveriesView)
def deliveries(request: Request, session: RestrictedRole) -> Response:
    """Every delivery loaded, newest first."""
    return _json(restricted.deliveries(published_for(request, session, "/api/deliveries")))


def _csv(request: Request, session: Session, text: str, rows: int, name: str) -> Response:
    context(request).audit(actor=session.user.username, action="export",
                           target=request.url.path, ip=client_ip(request),
                           detail=f"rows={rows}")
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/exports/indicators.csv", response_class=Response)
def export_indicators(request: Request, session: AnyRole, period: str | None = None) -> Response:
    """Every result row the role may see (snapshot or public release) as CSV; audited."""
    pub = published_for(request, session, "/api/exports/indicators.csv")
    text, rows = restricted.indicators_csv(pub, period)
    return _csv(request, session, text, rows, f"indicators-{pub.kind}-{pub.number}.csv")


@router.get("/exports/alerts.csv", response_class=Response)
def export_alerts(request: Request, session: AlertRole, as_of: str | None = None,
                  rule: str | None = None, open: bool = False) -> Response:
    """The alerts the role may see as CSV; audited."""
    view = restricted.alerts(context(request).published.newest("snapshot"), session.user,
                             as_of, rule, open, limit=None)
    text, rows = restricted.alerts_csv(view)
    return _csv(request, session, text, rows, "alerts.csv")
