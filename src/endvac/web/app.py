"""The application factory: routers, error translation, security headers, static files."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from endvac.web import errors
from endvac.web.context import WebContext
from endvac.web.headers import SECURITY_HEADERS
from endvac.web.routes import admin, api, auth, compare, docs, pages, pathways, strategy
from endvac.workspace import Workspace

STATIC = Path(__file__).parent / "static"


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Fewer request threads than anyio's 40: Python threads share one interpreter lock,
    so more threads only queue there (and slow every answer); requests wait their turn
    in the event loop instead."""
    threads = app.state.ctx.workspace.settings.web_threads
    anyio.to_thread.current_default_thread_limiter().total_tokens = threads
    yield


def create_app(workspace: Workspace, *, insecure_cookies: bool | None = None,
               host: str | None = None) -> FastAPI:
    """The web app of a workspace (checks the settings and creates the tables)."""
    app = FastAPI(title="endvac", version="1", docs_url=None, redoc_url=None,
                  openapi_url=None, lifespan=_lifespan,
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
    app.include_router(compare.router)
    app.include_router(pathways.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(SecurityHeaders)
    return app


class SecurityHeaders:
    """Adds the security headers to every answer, and no-store outside /static/, and
    answers an unexpected error in the one error shape (a plain ASGI middleware: no extra
    task or stream per request)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        no_store = not str(scope.get("path", "")).startswith("/static/")
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                headers.update(SECURITY_HEADERS)
                if no_store:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:  # anything unexpected: the one error shape, with headers
            if started:
                raise
            answer = errors.unexpected(Request(scope, receive), exc)
            await answer(scope, receive, send_with_headers)
