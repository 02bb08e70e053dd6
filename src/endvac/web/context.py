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
    trusted_proxies: tuple[Network, ...] = ()
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
        proxies = trusted_networks(settings.web_trusted_proxies)
        open_accounts(workspace).close()
        return cls(workspace, not insecure, workspace_audit_key(workspace),
                   PublishedCache(workspace.root), proxies)

    def client_address(self, peer: str, forwarded_for: str | None) -> str:
        """The client's address: the connecting one, unless it is a trusted proxy; then
        the right-most address of X-Forwarded-For that is not a trusted proxy (entries
        left of it were written by the client and may be forged)."""
        if not self.trusted_proxies or not _within(peer, self.trusted_proxies):
            return peer
        hops = [hop.strip() for hop in (forwarded_for or "").split(",") if hop.strip()]
        for hop in reversed(hops):
            if not _within(hop, self.trusted_proxies):
                return hop if _address(hop) is not None else peer
        return peer

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


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(text: str) -> tuple[Network, ...]:
    """The trusted proxies of ENDVAC_WEB_TRUSTED_PROXIES (addresses or networks)."""
    found: list[Network] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            found.append(ipaddress.ip_network(part, strict=False))
        except ValueError as exc:
            raise ConfigError(f"ENDVAC_WEB_TRUSTED_PROXIES: '{part}' is not an address or "
                              "network", fix="give addresses like 10.0.0.5 or 10.0.0.0/24, "
                                             "separated by commas") from exc
    return tuple(found)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _within(host: str, networks: tuple[Network, ...]) -> bool:
    found = _address(host)
    return found is not None and any(found in net for net in networks)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
