"""The web application: server-rendered pages and a JSON API over the published
snapshot and the public release, behind login, roles, CSRF and an audit trail
(docs/web.md, docs/security.md)."""

from endvac.web.app import create_app

__all__ = ["create_app"]
