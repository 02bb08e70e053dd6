"""What every request needs: the workspace, the settings in force, one application
database connection per thread, the audit key."""

from __future__ import annotations

import ipaddress
import threading
from dataclasses import dataclass, field

from endvac.accounts.audit import append_audit
from endvac.accounts.store import open_accounts, workspace_audit_anchor, workspace_audit_key
from endvac.appdb import AppDB
from endvac.errors import ConfigError
from endvac.web.published import PublishedCache
from endvac.workspace import Workspace


@dataclass
class WebContext:
    """Shared by the requests of one worker process."""

    workspace: Workspace
    secure_cookies: bool
    audit_key: bytes
    published: PublishedCache
    _local: threading.local = field(default_factory=threading.local)

    @classmethod
    def open(cls, workspace: Workspace, *, insecure_cookies: bool | None = None,
             host: str | None = None) -> WebContext:
        """Check the settings, create the tables and the audit key when missing."""
        settings = workspace.settings
        insecure = settings.web_insecure_cookies if insecure_cookies is None else insecure_cookies
        listen = host or settings.web_host
        if insecure and not _loopback(listen):
            raise ConfigError(f"insecure cookies refused on {listen}: the session cookie "
                              "would travel in clear over the network",
                              fix="serve over https (behind a TLS proxy) without "
                                  "--insecure-cookies, or listen on 127.0.0.1")
        open_accounts(workspace).close()
        return cls(workspace, not insecure, workspace_audit_key(workspace),
                   PublishedCache(workspace.root))

    def db(self) -> AppDB:
        """This thread's connection to the application database (opened once)."""
        found: AppDB | None = getattr(self._local, "db", None)
        if found is None:
            found = open_accounts(self.workspace)
            self._local.db = found
        return found

    def audit(self, *, actor: str, action: str, target: str, ip: str,
              detail: str = "") -> None:
        append_audit(self.db(), self.audit_key, actor=actor, action=action, target=target,
                     ip=ip, detail=detail, anchor=workspace_audit_anchor(self.workspace))


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
