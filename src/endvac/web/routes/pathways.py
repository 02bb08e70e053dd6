"""The pathways page for analysts (admin, analyst) and its /api twins: the newest
snapshot's pathways and outcomes of a year (docs/pathways.md). Restricted: the
snapshot's figures are not protected; the public ones go through release/pathways.py."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from endvac.accounts.sessions import Session
from endvac.charts.pathways import recontact_curves, sankey_svg
from endvac.charts.render import to_svg
from endvac.pathways.definitions import load_pathway_definitions
from endvac.pathways.publish import snapshot_payload
from endvac.web.auth import RESTRICTED, allow, context, record_view
from endvac.web.render import page

router = APIRouter()
Restricted = Annotated[Session, Depends(allow(*RESTRICTED))]
NONE_YET = ("no pathways published yet: endvac publish WORKSPACE computes them "
            "(or endvac pathways WORKSPACE --cohort YEAR)")


def _payload(request: Request, kind: str, year: str | None) -> tuple[str | None, Any]:
    snapshot = context(request).published.newest("snapshot").snapshot
    if snapshot is None:
        return None, None
    return snapshot_payload(snapshot.tables, kind, year)


@router.get("/api/pathways", tags=["api"])
def pathways_json(request: Request, session: Restricted, year: str | None = None
                  ) -> dict[str, Any]:
    """Stages reached, flows, attrition and stage times of a year's cohort (default: the
    latest published), as `endvac pathways --format json` gives them."""
    record_view(request, session, "/api/pathways")
    found, payload = _payload(request, "pathways", year)
    return {"year": found, "pathways": payload, "message": None if payload else NONE_YET}


@router.get("/api/outcomes", tags=["api"])
def outcomes_json(request: Request, session: Restricted, year: str | None = None
                  ) -> dict[str, Any]:
    """Re-contact after a decision by group and horizon (the objects of `endvac outcomes
    --format json`), the balance table and the caveat."""
    record_view(request, session, "/api/outcomes")
    found, payload = _payload(request, "outcomes", year)
    return {"year": found, "outcomes": payload, "message": None if payload else NONE_YET}


def charts(pathways: dict[str, Any], outcomes: dict[str, Any] | None) -> dict[str, Markup]:
    """The flow chart and the re-contact curves, drawn on the server (no script)."""
    stages = [(s.id, s.name) for s in load_pathway_definitions().flow_stages]
    reached = {r["stage"]: r["children"] for r in pathways["reached"]}
    out = {"sankey": Markup(sankey_svg(stages, reached, pathways["flows"]))}
    curves = (outcomes or {}).get("curves") or {}
    if any(curves.values()):
        out["curves"] = Markup(to_svg(recontact_curves(curves)))
    return out


@router.get("/pathways", include_in_schema=False, response_class=HTMLResponse)
def pathways_html(request: Request, session: Restricted, year: str | None = None
                  ) -> HTMLResponse:
    record_view(request, session, "/pathways")
    found, pathways = _payload(request, "pathways", year)
    _, outcomes = _payload(request, "outcomes", found)
    return page(request, "pathways.html", {
        "year": found, "pathways": pathways, "outcomes": outcomes, "message": NONE_YET,
        "charts": charts(pathways, outcomes) if pathways else {}})
