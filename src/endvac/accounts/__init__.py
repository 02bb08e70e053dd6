"""Accounts of the web application: users and roles, sessions, the login rate limit and
the hash-chained audit trail, all in the application database (endvac.appdb).

The web routes and the CLI call these functions; none of them knows about HTTP.
"""

from endvac.accounts.audit import AuditEntry, ChainCheck, append_audit, audit_entries, verify_chain
from endvac.accounts.schema import ensure_accounts_schema
from endvac.accounts.sessions import Session, end_session, open_session, session_of
from endvac.accounts.users import (
    ROLES,
    Role,
    User,
    add_user,
    authenticate,
    disable_user,
    list_users,
)

__all__ = ["ROLES", "AuditEntry", "ChainCheck", "Role", "Session", "User", "add_user",
           "append_audit", "audit_entries", "authenticate", "disable_user",
           "end_session", "ensure_accounts_schema", "list_users", "open_session",
           "session_of", "verify_chain"]
