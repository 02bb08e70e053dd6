"""The comparison page (every role: it shows public releases only) and its JSON twin:
the releases named in the workspace config (`app.compare_releases`) side by side."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from endvac.compare import Comparison, compare_paths
from endvac.compare.table import TABLES
from endvac.web.auth import AnyRole, context
from endvac.web.render import page

router = APIRouter()
NO_RELEASES = ("No releases to compare: list them under app: compare_releases: in the "
               "workspace config (docs/compare.md).")


class CompareAnswer(BaseModel):
    """The releases side by side, or why there are none."""

    comparison: Comparison | None
    tables: list[str]
    message: str | None = None


def compare_view(request: Request, reference: str | None, table: str | None,
                 indicator: str | None) -> CompareAnswer:
    """One library call on the configured releases; a bad filter is a 400."""
    workspace = context(request).workspace
    paths = workspace.config.app.compare_releases
    if not paths:
        return CompareAnswer(comparison=None, tables=list(TABLES), message=NO_RELEASES)
    found = compare_paths(paths, reference or None, table or "total",
                          [indicator] if indicator else (), base=workspace.root)
    return CompareAnswer(comparison=found, tables=list(TABLES))


@router.get("/compare", include_in_schema=False, response_class=HTMLResponse)
def compare_html(request: Request, session: AnyRole, reference: str | None = None,
                 table: str | None = None, indicator: str | None = None) -> HTMLResponse:
    return page(request, "compare.html",
                {"answer": compare_view(request, reference, table, indicator)})


@router.get("/api/compare", tags=["api"])
def compare_json(request: Request, session: AnyRole, reference: str | None = None,
                 table: str | None = None, indicator: str | None = None) -> CompareAnswer:
    """Public releases side by side: rates and shares with 95% intervals, ratios to the
    reference release (docs/compare.md); `?reference=XKA&table=sex&indicator=JJ1`."""
    return compare_view(request, reference, table, indicator)
