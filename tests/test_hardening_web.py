"""Issue 14, items 7, 8 and 12 and the web's refusals, in process: a damaged snapshot
falls back to the previous good one (admins told which); every error carries the
security headers and the JSON shape, never a server path; the strategy page never opens
the analytic store; X-Forwarded-For only from a configured proxy; an unknown filter value
is a 400 listing the valid ones; the last admin cannot disable themself."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from endvac.accounts import audit_entries
from endvac.accounts.store import open_accounts
from endvac.accounts.users import add_user, get_user
from endvac.errors import ConfigError
from endvac.publish import publish
from endvac.publish.store import SNAPSHOTS
from endvac.strategy.files import import_strategy
from endvac.web import create_app
from endvac.web.headers import SECURITY_HEADERS
from endvac.workspace import Workspace, init_workspace, open_workspace
from web_helpers import PASSWORD, logged_in, web_workspace

HTTPS = "https://testserver"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Workspace]:
    return web_workspace(tmp_path_factory.mktemp("hardening"))


@pytest.fixture(scope="module")
def app(built: tuple[Path, Workspace]) -> FastAPI:
    return create_app(built[1])


def _as(app: FastAPI, username: str) -> TestClient:
    return logged_in(TestClient(app, base_url=HTTPS), username)


def _has_security_headers(answer: httpx.Response) -> bool:
    return all(answer.headers.get(name) == value for name, value in SECURITY_HEADERS.items())


def _damage(snapshot: Path) -> None:
    """Overwrite every Parquet file of a snapshot folder with bytes that are not Parquet."""
    for table in snapshot.glob("*.parquet"):
        os.chmod(table, 0o600)
        table.write_bytes(b"not parquet " * 50)


def test_a_damaged_snapshot_falls_back_to_the_previous_good_one(
        built: tuple[Path, Workspace], tmp_path: Path) -> None:
    copy = open_workspace(Path(shutil.copytree(built[1].root, tmp_path / "ws")))
    publish(copy)  # snapshot 2
    _damage(copy.root / SNAPSHOTS / "2")
    app = create_app(copy)
    analyst, admin = _as(app, "an"), _as(app, "ad")
    answer = analyst.get("/api/indicators")
    assert answer.status_code == 200 and answer.json()["freshness"]["number"] == 1
    assert "Cannot be read (damaged): snapshot 2." in admin.get("/").text
    assert "damaged" not in analyst.get("/").text  # only an admin is told
    _damage(copy.root / SNAPSHOTS / "1")
    nothing = _as(create_app(copy), "an")
    api, html = nothing.get("/api/indicators"), nothing.get("/")
    assert api.status_code == 503
    assert api.json()["error"]["code"] == "published_unreadable"
    assert set(api.json()["error"]) == {"status", "code", "message", "fix"}
    assert html.status_code == 503 and "text/html" in html.headers["content-type"]
    assert _has_security_headers(api) and _has_security_headers(html)


def test_an_unexpected_error_has_the_shape_and_headers(built: tuple[Path, Workspace]) -> None:
    app = create_app(built[1])

    def fails() -> None:
        raise RuntimeError("a value like C1 that must not show")

    app.add_api_route("/api/fails", fails)
    app.add_api_route("/fails", fails)
    client = TestClient(app, base_url=HTTPS)  # nothing escapes to the server either
    api, page = client.get("/api/fails"), client.get("/fails")
    assert api.status_code == 500
    assert api.json() == {"error": {"status": 500, "code": "internal_error",
                                    "message": "the server could not answer",
                                    "fix": api.json()["error"]["fix"]}}
    assert page.status_code == 500 and "text/html" in page.headers["content-type"]
    for answer in (api, page):
        assert _has_security_headers(answer) and answer.headers["cache-control"] == "no-store"
        assert "C1" not in answer.text


def test_strategy_never_opens_the_analytic_store(built: tuple[Path, Workspace],
                                                 tmp_path: Path) -> None:
    """No snapshot, a strategy imported, and an analytic store that is not a database at
    all (as good as one held by an ingest): the strategy answers from the app database."""
    ws = init_workspace(tmp_path / "ws")
    with open_accounts(ws) as db:
        add_user(db, "an", "analyst", PASSWORD)
        add_user(db, "vi", "viewer", PASSWORD)
    assert import_strategy(ws, built[0] / "strategy.yaml").findings == []
    garbage = b"not a duckdb file " * 100
    ws.analytic_path.write_bytes(garbage)
    app = create_app(ws)
    analyst = _as(app, "an")
    page, api = analyst.get("/strategy"), analyst.get("/api/strategy")
    assert page.status_code == 200 and "no snapshot published yet" in page.text
    assert api.status_code == 200
    assert api.json()["review"]["evidence_source"].startswith("no snapshot published yet")
    assert ws.analytic_path.read_bytes() == garbage
    viewer = _as(app, "vi").get("/api/indicators")  # nothing released: 503, no path
    assert viewer.status_code == 503
    for answer in (page, api, viewer):
        assert str(tmp_path) not in answer.text


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(
        built: tuple[Path, Workspace]) -> None:
    ws = built[1]
    behind = dataclasses.replace(ws, settings=ws.settings.model_copy(
        update={"web_trusted_proxies": "10.0.0.9, 10.1.0.0/16"}))
    app = create_app(behind)
    form = {"username": "nobody", "password": "wrong password!"}
    for peer, forwarded in (("10.0.0.9", "198.51.100.7, 203.0.113.5, 10.1.2.3"),
                            ("192.0.2.1", "203.0.113.99")):
        client = TestClient(app, base_url=HTTPS, client=(peer, 5000))
        client.get("/login")
        token = client.cookies.get("endvac_login_csrf", path="/login")
        answer = client.post("/login", data={**form, "csrf_token": token},
                             headers={"X-Forwarded-For": forwarded})
        assert answer.status_code == 401
    with open_accounts(ws) as db:
        last = audit_entries(db, limit=2)
    # via the proxy: the right-most hop that is not a trusted proxy (10.1.2.3 is one);
    # from elsewhere: the connecting address, the header ignored
    assert [(e.action, e.ip) for e in last] == [("login failed", "203.0.113.5"),
                                                ("login failed", "192.0.2.1")]
    with pytest.raises(ConfigError, match="not an address or network"):
        create_app(dataclasses.replace(ws, settings=ws.settings.model_copy(
            update={"web_trusted_proxies": "proxy.example"})))


def test_an_unknown_filter_value_is_a_400_listing_the_valid_ones(app: FastAPI) -> None:
    analyst = _as(app, "an")
    for path in ("/api/alerts?rule=no_such_rule", "/api/exports/alerts.csv?rule=x"):
        answer = analyst.get(path)
        assert answer.status_code == 400, path
        error = answer.json()["error"]
        assert error["code"] == "bad_input"
        assert "below_macr" in error["fix"] and "held_with_adults" in error["fix"]
    assert analyst.get("/alerts?rule=no_such_rule").status_code == 400
    export = analyst.get("/api/exports/indicators.csv?period=1999")  # was an empty 200
    assert export.status_code == 400 and "2025" in export.json()["error"]["fix"]
    one = analyst.get("/api/alerts?rule=held_with_adults&limit=10000").json()
    assert {a["rule"] for a in one["alerts"]} <= {"held_with_adults"}


def test_the_last_admin_cannot_disable_themself(app: FastAPI,
                                                built: tuple[Path, Workspace]) -> None:
    admin = _as(app, "ad")
    token = re.search(r'name="csrf_token" value="([^"]+)"', admin.get("/").text)
    assert token
    refused = admin.post("/admin/users/ad/disable", data={"csrf_token": token[1]},
                         follow_redirects=False)
    assert refused.status_code == 400 and "last administrator" in refused.text
    with open_accounts(built[1]) as db:
        found = get_user(db, "ad")
        assert found is not None and not found.disabled
