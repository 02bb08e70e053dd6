"""The navigation bar as data: each entry names the roles that see it.  A feature adds
its pages by appending a :class:`NavItem` here (and its router in app.py)."""

from __future__ import annotations

from dataclasses import dataclass

from endvac.accounts.users import ADMIN, ALERTS, ALL, RESTRICTED, Role


@dataclass(frozen=True)
class NavItem:
    label: str
    path: str
    roles: tuple[Role, ...]


NAV: list[NavItem] = [
    NavItem("Dashboard", "/", ALL),
    NavItem("Indicators", "/indicators", ALL),
    NavItem("Alerts", "/alerts", ALERTS),
    NavItem("Data quality", "/quality", RESTRICTED),
    NavItem("Deliveries", "/deliveries", RESTRICTED),
    NavItem("Strategy", "/strategy", RESTRICTED),
    NavItem("Pathways", "/pathways", RESTRICTED),
    NavItem("Users", "/admin/users", ADMIN),
    NavItem("API", "/api/docs", ALL),
]


def nav_for(role: str) -> list[NavItem]:
    """The entries a role sees, in order."""
    return [item for item in NAV if role in item.roles]
