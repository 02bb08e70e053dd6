"""Templates: one Jinja2 environment; every page gets the user, the nav and the CSRF token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from endvac.web.charts import breakdown_chart, trend_chart
from endvac.web.nav import nav_for
from endvac.web.svg import line_chart

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
TEMPLATES.env.globals.update(breakdown_chart=breakdown_chart, trend_chart=trend_chart,
                             line_chart=line_chart)
UNITS = {"per_100000": "per 100,000", "per_1000": "per 1,000", "per_child": "per child",
         "percent": "%",
         "days": "days", "yes_no": "", "ratio": ""}


def number(value: float | None, unit: str = "") -> str:
    """A figure as people read it: 1,234.5 per 100,000; a dash when there is none."""
    if value is None:
        return "–"
    if unit == "yes_no":
        return "yes" if value else "no"
    text = f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"
    return f"{text} {UNITS.get(unit, unit)}".strip()


TEMPLATES.env.filters["number"] = number


def page(request: Request, name: str, data: dict[str, Any], status: int = 200) -> HTMLResponse:
    """Render a template with the logged-in user (if any) and their nav entries."""
    session = getattr(request.state, "session", None)
    context = {"session": session, "nav": nav_for(session.user.role) if session else [],
               "damaged": _damaged(request) if session and session.user.role == "admin"
               else [], **data}
    return TEMPLATES.TemplateResponse(request, name, context, status_code=status)


def _damaged(request: Request) -> list[str]:
    """What an admin is told: the published snapshots and releases that cannot be read
    (an older good one is served meanwhile)."""
    cache = request.app.state.ctx.published
    return [f"{kind} {number}" for kind in ("snapshot", "release")
            for number in cache.unreadable(kind)]
