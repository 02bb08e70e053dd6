"""Who is asking: the session cookie, the role a route allows, the CSRF token of a form,
and recording what restricted data was read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from endvac.accounts.sessions import Session, csrf_matches, session_of
from endvac.accounts.users import ADMIN, ALERTS, ALL, RESTRICTED, Role
from endvac.web.context import WebContext
from endvac.web.errors import CsrfRejected, Forbidden, LoginRequired
from endvac.web.published import Published

SESSION_COOKIE = "endvac_session"
LOGIN_CSRF_COOKIE = "endvac_login_csrf"


def context(request: Request) -> WebContext:
    ctx: WebContext = request.app.state.ctx
    return ctx


def client_ip(request: Request) -> str:
    """The client's address (X-Forwarded-For only from a configured trusted proxy)."""
    peer = request.client.host if request.client else "unknown"
    return context(request).client_address(peer, request.headers.get("x-forwarded-for"))


def current_session(request: Request) -> Session:
    """The caller's live session, or 401."""
    found = session_of(context(request).db(), request.cookies.get(SESSION_COOKIE))
    if found is None:
        raise LoginRequired("log in first", fix="POST /login, or open /login in a browser")
    request.state.session = found
    return found


def allow(*roles: Role) -> Callable[[Request], Session]:
    """A dependency admitting only these roles (403 otherwise, recorded in the audit)."""

    def dependency(request: Request) -> Session:
        session = current_session(request)
        if session.user.role not in roles:
            context(request).audit(actor=session.user.username, action="denied",
                                   target=f"{request.method} {request.url.path}",
                                   ip=client_ip(request), detail=f"role={session.user.role}")
            raise Forbidden(f"the {session.user.role} role may not open this page",
                            fix="ask an administrator for a role that may")
        return session

    return dependency


def check_csrf(session: Session, token: str | None) -> None:
    if not csrf_matches(session, token):
        raise CsrfRejected("the form's security token is missing or wrong",
                           fix="reload the page and submit the form again")


def published_for(request: Request, session: Session, target: str) -> Published:
    """The snapshot for admins and analysts (the read is recorded), the public release
    for monitors and viewers."""
    ctx = context(request)
    if session.user.role in RESTRICTED:
        record_view(request, session, target)
        return ctx.published.newest("snapshot")
    return ctx.published.newest("release")


def record_view(request: Request, session: Session, target: str, detail: str = "") -> None:
    """Record that restricted data was read: who, when, which route (never contents)."""
    context(request).audit(actor=session.user.username, action="view", target=target,
                           ip=client_ip(request), detail=detail)


AnyRole = Annotated[Session, Depends(allow(*ALL))]
AlertRole = Annotated[Session, Depends(allow(*ALERTS))]
RestrictedRole = Annotated[Session, Depends(allow(*RESTRICTED))]
AdminRole = Annotated[Session, Depends(allow(*ADMIN))]
