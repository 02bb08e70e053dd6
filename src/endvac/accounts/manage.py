"""Workspace-level account operations for the CLI: each opens the application database,
does one thing, records it in the audit trail (actor ``cli``) and closes it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from endvac.accounts.audit import AuditEntry, ChainCheck, append_audit, audit_entries, verify_chain
from endvac.accounts.store import open_accounts, workspace_audit_anchor, workspace_audit_key
from endvac.accounts.users import User, add_user, disable_user, list_users

if TYPE_CHECKING:
    from endvac.workspace import Workspace

CLI_ACTOR = "cli"


def add_user_audited(workspace: Workspace, username: str, role: str, password: str, *,
                     facilities: list[str] | None = None,
                     regions: list[str] | None = None) -> User:
    with open_accounts(workspace) as db:
        user = add_user(db, username, role, password, facilities=facilities, regions=regions)
        append_audit(db, workspace_audit_key(workspace), actor=CLI_ACTOR, action="user add",
                     target=f"user:{user.username}", detail=f"role={user.role}",
                     anchor=workspace_audit_anchor(workspace))
    return user


def disable_user_audited(workspace: Workspace, username: str) -> User:
    with open_accounts(workspace) as db:
        user = disable_user(db, username)
        append_audit(db, workspace_audit_key(workspace), actor=CLI_ACTOR,
                     action="user disable", target=f"user:{user.username}",
                     anchor=workspace_audit_anchor(workspace))
    return user


def users_of(workspace: Workspace) -> list[User]:
    with open_accounts(workspace) as db:
        return list_users(db)


def audit_report(workspace: Workspace, last: int | None = None
                 ) -> tuple[list[AuditEntry], ChainCheck]:
    """The trail (the last ``last`` entries) and the verification of the whole chain."""
    with open_accounts(workspace) as db:
        check = verify_chain(db, workspace_audit_key(workspace),
                             workspace_audit_anchor(workspace))
        return audit_entries(db, limit=last), check
