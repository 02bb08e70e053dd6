"""The accounts tables of a workspace's application database, ready to use."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from endvac.accounts.anchor import ANCHOR
from endvac.accounts.audit import audit_key, sign_legacy_head
from endvac.accounts.schema import ensure_accounts_schema
from endvac.appdb import AppDB, open_app_db

if TYPE_CHECKING:
    from endvac.workspace import Workspace


def open_accounts(workspace: Workspace) -> AppDB:
    """The workspace's application database with the accounts, sessions and audit tables
    (an audit head from before heads were signed is signed once, when its chain is
    intact)."""
    db = open_app_db(workspace)
    ensure_accounts_schema(db)
    sign_legacy_head(db, workspace_audit_key(workspace), workspace_audit_anchor(workspace))
    return db


def workspace_audit_key(workspace: Workspace) -> bytes:
    """The workspace's audit chain key (keys/audit.key, made at first use)."""
    return audit_key(workspace.keys_dir)


def workspace_audit_anchor(workspace: Workspace) -> Path:
    """The workspace's file of signed audit checkpoints (keys/audit.anchor)."""
    return workspace.keys_dir / ANCHOR
