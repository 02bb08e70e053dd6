"""The application factory: routers, error translation, security headers, static files."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from endvac.web import errors
from endvac.web.context import WebContext
from endvac.web.routes import admin, api, auth, docs, pages, strategy
from endvac.workspace import Workspace

STATIC = Path(__file__).parent / "static"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                               "style-src 'self'; script-src 'self'; object-src 'none'; "
                               "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def create_app(workspace: Workspace, *, insecure_cookies: bool | None = None,
               host: str | None = None) -> FastAPI:
    """The web app of a workspace (checks the settings and creates the tables)."""
    app = FastAPI(title="endvac", version="1", docs_url=None, redoc_url=None,
                  openapi_url=None,
                  description="Indicators, alerts and data quality of an endvac workspace. "
                              "Log in first (POST /login); the session cookie authorises "
                              "every call. Errors: {\"error\": {status, code, message, fix}}.")
    app.state.ctx = WebContext.open(workspace, insecure_cookies=insecure_cookies, host=host)
    errors.install(app)
    app.include_router(auth.router)
    app.include_router(pages.router)
    app.include_router(admin.router)
    app.include_router(docs.router)
    app.include_router(api.router)
    app.include_router(strategy.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.middleware("http")
    async def _headers(request: Request,
                       call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        if not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        return response

    return app
