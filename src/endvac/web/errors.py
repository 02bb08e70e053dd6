"""Errors at the web edge: one JSON shape for the API, an error page for the HTML.

``{"error": {"status": 403, "code": "forbidden", "message": "...", "fix": "..."}}``
"""

from __future__ import annotations

import html
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from endvac.accounts.audit import AuditTampered
from endvac.errors import BadInput, EndvacError, StoreError
from endvac.web.headers import NO_STORE, SECURITY_HEADERS
from endvac.web.published import NothingPublished, PublishedUnreadable
from endvac.web.render import page
from endvac.web.views import NotFound

log = logging.getLogger(__name__)


class WebProblem(Exception):
    """A refusal at the edge: not logged in, wrong role, bad CSRF token, too many tries."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, fix: str | None = None) -> None:
        super().__init__(message)
        self.message, self.fix = message, fix


class LoginRequired(WebProblem):
    status, code = 401, "login_required"


class Forbidden(WebProblem):
    status, code = 403, "forbidden"


class CsrfRejected(WebProblem):
    status, code = 403, "csrf_rejected"


class TooManyAttempts(WebProblem):
    status, code = 429, "too_many_attempts"


def _status(exc: EndvacError) -> tuple[int, str]:
    if isinstance(exc, NotFound):
        return 404, "not_found"
    if isinstance(exc, NothingPublished):
        return 503, "nothing_published"
    if isinstance(exc, PublishedUnreadable):
        return 503, "published_unreadable"
    if isinstance(exc, AuditTampered):
        return 500, "audit_broken"
    if isinstance(exc, StoreError):
        return 500, "store_error"
    return (400, "bad_input") if isinstance(exc, BadInput) else (400, "bad_usage")


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def problem(request: Request, status: int, code: str, message: str,
            fix: str | None) -> Response:
    """The one error shape: JSON under /api, the error page elsewhere; always with the
    security headers, and never a server path (the workspace folder reads WORKSPACE)."""
    message = _scrub(request, message)
    fix = None if fix is None else _scrub(request, fix)
    if is_api(request):
        answer: Response = JSONResponse({"error": {"status": status, "code": code,
                                                   "message": message, "fix": fix}},
                                        status_code=status)
    elif status == 401:
        answer = RedirectResponse("/login", status_code=303)
    else:
        answer = _error_page(request, status, message, fix)
    answer.headers.update({**SECURITY_HEADERS, **NO_STORE})
    return answer


def _error_page(request: Request, status: int, message: str, fix: str | None) -> Response:
    try:
        return page(request, "error.html", {"status": status, "message": message,
                                            "fix": fix}, status=status)
    except Exception:  # the page itself failed: the plain error, still escaped
        text = html.escape(f"{status} {message}")
        return HTMLResponse(f"<!doctype html><title>{text}</title><p>{text}</p>",
                            status_code=status)


def _scrub(request: Request, text: str) -> str:
    """``text`` without the workspace's folder (an absolute server path)."""
    ctx = getattr(request.app.state, "ctx", None)
    if ctx is None:
        return text
    root = ctx.workspace.root
    for form in sorted({str(root.resolve()), str(root.absolute()), str(root)}, key=len,
                       reverse=True):
        if form not in (".", ""):
            text = text.replace(form, "WORKSPACE")
    return text


def unexpected(request: Request, exc: Exception) -> Response:
    """The answer to an error nothing expected: 500 in the one shape; the server log
    gets the route and the error's type only (a message may quote values), the
    traceback only at debug level."""
    log.error("%s %s failed: %s", request.method, request.url.path, type(exc).__name__)
    log.debug("traceback of the failure", exc_info=exc)
    return problem(request, 500, "internal_error", "the server could not answer",
                   "try again; if it persists, an administrator finds the cause in the "
                   "server log")


def install(app: FastAPI) -> None:
    """Translate every error an endpoint can raise into the one shape."""

    @app.exception_handler(WebProblem)
    async def _web(request: Request, exc: WebProblem) -> Response:
        return problem(request, exc.status, exc.code, exc.message, exc.fix)

    @app.exception_handler(EndvacError)
    async def _endvac(request: Request, exc: EndvacError) -> Response:
        status, code = _status(exc)
        message = exc.message if status != 500 else "the application database failed"
        return problem(request, status, code, message, exc.fix)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return problem(request, exc.status_code, code, str(exc.detail), None)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        where = ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors())
        return problem(request, 422, "invalid_request", f"invalid or missing: {where}",
                       "see /api/docs for the parameters")
