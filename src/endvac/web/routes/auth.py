"""Health check, login and logout."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from endvac.accounts.sessions import LoginLimits, Session, end_session, log_in
from endvac.web.auth import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    check_csrf,
    client_ip,
    context,
    current_session,
)
from endvac.web.errors import CsrfRejected, TooManyAttempts
from endvac.web.render import page

router = APIRouter()


@router.get("/health", include_in_schema=False)
def health() -> dict[str, str]:
    """Up or not; nothing else (no login needed)."""
    return {"status": "ok"}


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_form(request: Request, next: str | None = None) -> Response:
    token = secrets.token_urlsafe(32)
    response = page(request, "login.html", {"csrf": token, "next": _safe_next(next)})
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                        secure=context(request).secure_cookies, path="/login")
    return response


@router.post("/login", include_in_schema=False)
def login(request: Request, username: Annotated[str, Form(max_length=200)],
          password: Annotated[str, Form(max_length=1000)],
          csrf_token: Annotated[str, Form(max_length=200)] = "",
          next: Annotated[str, Form(max_length=500)] = "/") -> Response:
    """Check the password (rate-limited per username and address); set the session."""
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or not hmac.compare_digest(cookie, csrf_token):
        raise CsrfRejected("the login form's security token is missing or wrong",
                           fix="open /login again and submit the form from there")
    ctx, ip = context(request), client_ip(request)
    settings = ctx.workspace.settings
    limits = LoginLimits(per_address=settings.web_login_max_failures,
                         per_account=settings.web_login_account_max_failures,
                         window_s=settings.web_login_window_minutes * 60)
    outcome = log_in(ctx.db(), username, password, ip, limits=limits,
                     hours=settings.web_session_hours)
    actor = username.strip().lower()[:64] if outcome.known_user else "(unknown user)"
    if outcome.blocked:
        ctx.audit(actor=actor, action="login blocked", target="/login", ip=ip)
        raise TooManyAttempts("too many failed logins for this account",
                              fix=f"wait {settings.web_login_window_minutes} minutes")
    if outcome.session is None:
        ctx.audit(actor=actor, action="login failed", target="/login", ip=ip)
        return page(request, "login.html", {"csrf": cookie, "next": _safe_next(next),
                                            "failed": True}, status=401)
    ctx.audit(actor=outcome.session.user.username, action="login", target="/login", ip=ip)
    done = RedirectResponse(_safe_next(next), status_code=303)
    done.set_cookie(SESSION_COOKIE, outcome.session.token, httponly=True, samesite="lax",
                        secure=ctx.secure_cookies, path="/",
                        max_age=int(settings.web_session_hours * 3600))
    done.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return done


@router.post("/logout", include_in_schema=False)
def logout(request: Request, session: Annotated[Session, Depends(current_session)],
           csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    check_csrf(session, csrf_token)
    ctx = context(request)
    end_session(ctx.db(), session.token)
    ctx.audit(actor=session.user.username, action="logout", target="/logout",
              ip=client_ip(request))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
