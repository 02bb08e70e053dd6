"""User administration in the browser (admin only): list, add, disable; each change
carries the session's CSRF token and is recorded in the audit trail."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from endvac.accounts.users import ROLE_HELP, add_user, disable_user, list_users
from endvac.web.auth import AdminRole, check_csrf, client_ip, context
from endvac.web.render import page

router = APIRouter(prefix="/admin", include_in_schema=False)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request, session: AdminRole) -> Response:
    return page(request, "users.html", {"users": list_users(context(request).db()),
                                        "roles": ROLE_HELP})


@router.post("/users")
def add_user_form(request: Request, session: AdminRole,
                  username: Annotated[str, Form(max_length=64)],
                  role: Annotated[str, Form(max_length=20)],
                  password: Annotated[str, Form(max_length=1000)],
                  facilities: Annotated[str, Form(max_length=2000)] = "",
                  regions: Annotated[str, Form(max_length=2000)] = "",
                  csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    check_csrf(session, csrf_token)
    ctx = context(request)
    user = add_user(ctx.db(), username, role, password, facilities=_split(facilities),
                    regions=_split(regions))
    ctx.audit(actor=session.user.username, action="user add", target=f"user:{user.username}",
              ip=client_ip(request), detail=f"role={user.role}")
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{username}/disable")
def disable_user_form(request: Request, session: AdminRole, username: str,
                      csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    check_csrf(session, csrf_token)
    ctx = context(request)
    user = disable_user(ctx.db(), username)
    ctx.audit(actor=session.user.username, action="user disable",
              target=f"user:{user.username}", ip=client_ip(request))
    return RedirectResponse("/admin/users", status_code=303)
