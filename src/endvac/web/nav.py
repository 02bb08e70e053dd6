"""The navigation bar as data: each entry names the roles that see it.  A feature adds
its pages by appending a :class:`NavItem` here (and its router in app.py)."""

from __future__ import annotations

from dataclasses import dataclass

from endvac.accounts.users import ADMIN, ALERTS, ALL, RESTRICTED, Role
from endvac.i18n import N_


@dataclass(frozen=True)
class NavItem:
    label: str  # English, marked for translation (the page shows it translated)
    path: str
    roles: tuple[Role, ...]


NAV: list[NavItem] = [
    NavItem(N_("Dashboard"), "/", ALL),
    NavItem(N_("Indicators"), "/indicators", ALL),
    NavItem(N_("Alerts"), "/alerts", ALERTS),
    NavItem(N_("Data quality"), "/quality", RESTRICTED),
    NavItem(N_("Deliveries"), "/deliveries", RESTRICTED),
    NavItem(N_("Strategy"), "/strategy", RESTRICTED),
    NavItem(N_("Pathways"), "/pathways", RESTRICTED),
    NavItem(N_("Compare"), "/compare", ALL),
    NavItem(N_("Users"), "/admin/users", ADMIN),
    NavItem(N_("API"), "/api/docs", ALL),
]


def nav_for(role: str) -> list[NavItem]:
    """The entries a role sees, in order."""
    return [item for item in NAV if role in item.roles]
