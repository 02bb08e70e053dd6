"""The API's documentation, offline: the OpenAPI JSON and a plain page listing every
operation (FastAPI's Swagger UI would load its script from a CDN, so it is off)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from endvac.web.auth import AnyRole
from endvac.web.render import page

router = APIRouter(prefix="/api", include_in_schema=False)


@router.get("/openapi.json")
def openapi(request: Request, session: AnyRole) -> Response:
    return JSONResponse(request.app.openapi())


def operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Each operation: method, path, summary and its parameters."""
    return [{"method": method.upper(), "path": path, "summary": op.get("summary", ""),
             "description": op.get("description", ""),
             "parameters": [p["name"] + ("" if p.get("required") else "?")
                            for p in op.get("parameters", [])]}
            for path, item in schema.get("paths", {}).items() for method, op in item.items()]


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request, session: AnyRole) -> Response:
    return page(request, "api_docs.html", {"operations": operations(request.app.openapi())})
