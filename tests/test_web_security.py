"""Security of the web app, in process: every route × role, CSRF, cookie flags, the
login rate limit (shared by workers), no identifier in any response, the audit trail
and its tamper check, one JSON error shape, offline pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from endvac.accounts import audit_entries, list_users, verify_chain
from endvac.accounts.store import open_accounts, workspace_audit_key
from endvac.errors import ConfigError
from endvac.web import create_app
from endvac.workspace import Workspace
from web_helpers import (
    MONITOR_FACILITY,
    MONITOR_REGION,
    PASSWORD,
    USERS,
    clear_identifiers,
    logged_in,
    web_workspace,
)

ALL = {"admin", "analyst", "monitor", "viewer"}
ALERTS = {"admin", "analyst", "monitor"}
RESTRICTED = {"admin", "analyst"}
ADMIN = {"admin"}

# Every GET route with the roles allowed, written out (not read from the app).
GET_ROUTES: list[tuple[str, set[str]]] = [
    ("/", ALL),
    ("/?period=2025&breakdown=region", ALL),
    ("/indicators", ALL),
    ("/indicators/JJ2", ALL),
    ("/alerts", ALERTS),
    ("/quality", RESTRICTED),
    ("/deliveries", RESTRICTED),
    ("/strategy", RESTRICTED),
    ("/compare", ALL),
    ("/pathways", RESTRICTED),
    ("/admin/users", ADMIN),
    ("/api/docs", ALL),
    ("/api/openapi.json", ALL),
    ("/api/me", ALL),
    ("/api/dashboard?breakdown=age_group", ALL),
    ("/api/indicators", ALL),
    ("/api/indicators/JJ2", ALL),
    ("/api/alerts", ALERTS),
    ("/api/quality", RESTRICTED),
    ("/api/deliveries", RESTRICTED),
    ("/api/strategy", RESTRICTED),
    ("/api/compare", ALL),
    ("/api/pathways", RESTRICTED),
    ("/api/outcomes", RESTRICTED),
    ("/api/exports/indicators.csv", ALL),
    ("/api/exports/alerts.csv", ALERTS),
]
# Routes reachable without login.
PUBLIC = ["/health", "/login", "/static/app.css", "/static/app.js"]
# Every route template of the app and how the table above covers it.
COVERED = {"/", "/indicators", "/indicators/{indicator_id}", "/alerts", "/quality",
           "/deliveries", "/admin/users", "/admin/users/{username}/disable", "/api/docs",
           "/api/openapi.json", "/api/me", "/api/dashboard", "/api/indicators",
           "/api/indicators/{indicator_id}", "/api/alerts", "/api/quality",
           "/api/deliveries", "/api/exports/indicators.csv", "/api/exports/alerts.csv",
           "/health", "/login", "/logout", "/strategy", "/api/strategy", "/compare",
           "/api/compare", "/pathways", "/api/pathways", "/api/outcomes"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Workspace]:
    return web_workspace(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def app(built: tuple[Path, Workspace]) -> FastAPI:
    return create_app(built[1])


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="https://testserver") as found:
        yield found


def _as(app: FastAPI, username: str) -> TestClient:
    return logged_in(TestClient(app, base_url="https://testserver"), username)


def _paths(routes: list[Any]) -> set[str]:
    """Every API route's path, through the routers the app includes."""
    found: set[str] = set()
    for route in routes:
        if isinstance(route, APIRoute):
            found.add(route.path)
        elif hasattr(route, "original_router"):
            found |= _paths(route.original_router.routes)
    return found


def test_every_route_is_in_the_table(app: FastAPI) -> None:
    assert _paths(app.routes) == COVERED


@pytest.mark.parametrize("username", sorted(USERS))
def test_every_route_admits_exactly_its_roles(app: FastAPI, username: str) -> None:
    role = USERS[username]
    client = _as(app, username)
    for path, roles in GET_ROUTES:
        answer = client.get(path, follow_redirects=False)
        expected = 200 if role in roles else 403
        assert answer.status_code == expected, (role, path, answer.text[:200])
        if expected == 403 and path.startswith("/api/"):
            assert answer.json()["error"]["code"] == "forbidden"
    csrf = client.get("/api/me")  # the session's token is in every page's forms
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
    assert csrf.status_code == 200 and token
    added = client.post("/admin/users", data={"username": f"new{username}", "role": "viewer",
                                              "password": PASSWORD, "csrf_token": token[1]},
                        follow_redirects=False)
    assert added.status_code == (303 if role == "admin" else 403)
    disabled = client.post(f"/admin/users/new{username}/disable",
                           data={"csrf_token": token[1]}, follow_redirects=False)
    assert disabled.status_code == (303 if role == "admin" else 403)
    out = client.post("/logout", data={"csrf_token": token[1]}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/api/me").status_code == 401  # the session ended


def test_nothing_without_login(client: TestClient) -> None:
    for path, _ in GET_ROUTES:
        answer = client.get(path, follow_redirects=False)
        if path.startswith("/api/"):
            assert answer.status_code == 401, path
            assert answer.json()["error"]["code"] == "login_required"
        else:
            assert (answer.status_code, answer.headers["location"]) == (303, "/login"), path
    for path in PUBLIC:
        assert client.get(path).status_code == 200, path
    assert client.get("/health").json() == {"status": "ok"}
    assert client.post("/logout", follow_redirects=False).status_code == 303  # to /login


def test_roles_read_their_own_source(app: FastAPI, built: tuple[Path, Workspace]) -> None:
    for username, role in USERS.items():
        source = _as(app, username).get("/api/indicators").json()["freshness"]["source"]
        assert source == ("snapshot" if role in RESTRICTED else "release"), role
    release = built[1].root / "published" / "release-1"
    released = sum(pq.read_table(p).num_rows for p in release.glob("*.parquet")
                   if p.stem != "quarter")
    exported = _as(app, "vi").get("/api/exports/indicators.csv").text.strip().splitlines()
    assert len(exported) == 1 + released  # the public release's rows, no more


def test_monitor_sees_only_assigned_alerts(app: FastAPI, built: tuple[Path, Workspace]
                                           ) -> None:
    snapshot = sorted((built[1].root / "published" / "snapshots").glob("[0-9]*"))[-1]
    rows = pq.read_table(snapshot / "alerts.parquet").to_pylist()
    latest = max(r["as_of"] for r in rows)
    in_scope = [r for r in rows if r["as_of"] == latest and (
        r["facility_id"] == MONITOR_FACILITY or r["region"] == MONITOR_REGION)]
    everyone = [r for r in rows if r["as_of"] == latest]
    assert 0 < len(in_scope) < len(everyone)
    seen = _as(app, "mo").get("/api/alerts").json()
    assert seen["total"] == len(in_scope)
    assert all(a["facility_id"] == MONITOR_FACILITY or a["region"] == MONITOR_REGION
               for a in seen["alerts"])
    analyst = _as(app, "an")
    assert analyst.get("/api/alerts").json()["total"] == len(everyone)
    whole = analyst.get("/api/alerts?limit=10000").json()["alerts"]
    page = analyst.get("/api/alerts?limit=10&offset=5").json()
    assert len(whole) == len(everyone) and page["alerts"] == whole[5:15]
    exported = _as(app, "mo").get("/api/exports/alerts.csv").text.strip().splitlines()
    assert len(exported) == 1 + len(in_scope)


def test_csrf_is_required_on_every_form(app: FastAPI, built: tuple[Path, Workspace],
                                       client: TestClient) -> None:
    admin = _as(app, "ad")
    form = {"username": "eve", "role": "viewer", "password": PASSWORD}
    missing = admin.post("/admin/users", data=form, follow_redirects=False)
    wrong = admin.post("/admin/users", data={**form, "csrf_token": "x" * 43},
                       follow_redirects=False)
    other = re.search(r'name="csrf_token" value="([^"]+)"', _as(app, "an").get("/").text)
    assert other
    foreign = admin.post("/admin/users", data={**form, "csrf_token": other[1]},
                         follow_redirects=False)
    assert [a.status_code for a in (missing, wrong, foreign)] == [403, 403, 403]
    assert "security token" in missing.text
    assert admin.post("/logout", follow_redirects=False).status_code == 403
    assert admin.get("/api/me").status_code == 200  # still logged in
    with open_accounts(built[1]) as db:
        assert "eve" not in [u.username for u in list_users(db)]
    client.get("/login")
    no_token = client.post("/login", data={"username": "ad", "password": PASSWORD},
                           follow_redirects=False)
    assert no_token.status_code == 403


def test_cookie_flags(app: FastAPI, built: tuple[Path, Workspace], client: TestClient) -> None:
    login_form = client.get("/login")
    assert "HttpOnly" in login_form.headers["set-cookie"]
    token = client.cookies.get("endvac_login_csrf", path="/login")
    answer = client.post("/login", data={"username": "vi", "password": PASSWORD,
                                         "csrf_token": token}, follow_redirects=False)
    session_cookie = next(c for c in answer.headers.get_list("set-cookie")
                          if c.startswith("endvac_session="))
    flags = {part.strip().lower() for part in session_cookie.split(";")[1:]}
    assert {"httponly", "secure", "samesite=lax", "path=/"} <= flags
    demo = TestClient(create_app(built[1], insecure_cookies=True, host="127.0.0.1"))
    demo.get("/login")
    plain = demo.post("/login", data={"username": "vi", "password": PASSWORD,
                                      "csrf_token": demo.cookies.get("endvac_login_csrf")},
                      follow_redirects=False)
    assert "secure" not in plain.headers["set-cookie"].lower()
    with pytest.raises(ConfigError, match="insecure cookies refused"):
        create_app(built[1], insecure_cookies=True, host="0.0.0.0")


def test_login_rate_limit_holds_across_workers(built: tuple[Path, Workspace]) -> None:
    first, second = create_app(built[1]), create_app(built[1])  # two workers, one database
    for n in range(5):
        worker = TestClient(first if n % 2 else second, base_url="https://testserver")
        worker.get("/login")
        answer = worker.post("/login", data={
            "username": "an", "password": "not the password",
            "csrf_token": worker.cookies.get("endvac_login_csrf", path="/login")})
        assert answer.status_code == 401
        assert "Wrong username or password" in answer.text
    worker = TestClient(first, base_url="https://testserver")
    worker.get("/login")
    blocked = worker.post("/login", data={
        "username": "an", "password": PASSWORD,
        "csrf_token": worker.cookies.get("endvac_login_csrf", path="/login")})
    assert blocked.status_code == 429
    with open_accounts(built[1]) as db:
        actions = [e.action for e in audit_entries(db) if e.actor == "an"
                   and e.action.startswith("login")]
        assert actions[-6:] == ["login failed"] * 5 + ["login blocked"]
        assert db.scalar("clear usernames", "SELECT count(*) FROM login_attempts "
                         "WHERE username = 'an'") == 0  # kept as a hash
        db.run("let the analyst in again", "DELETE FROM login_attempts")


def test_no_identifier_in_any_response(app: FastAPI, built: tuple[Path, Workspace]) -> None:
    identifiers = clear_identifiers(built[0])
    assert len(identifiers) > 1000
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(identifiers))) + r")\b")
    some_name = sorted(identifiers)[0]
    assert pattern.search(f"<td>{some_name}</td>")  # the scan does find a name when present
    for username, role in USERS.items():
        client = _as(app, username)
        for path, roles in GET_ROUTES:
            if role in roles:
                body = client.get(path).text
                found = pattern.search(body)
                assert found is None, (role, path)


def test_audit_trail_records_and_detects_tampering(app: FastAPI,
                                                   built: tuple[Path, Workspace]) -> None:
    analyst = _as(app, "an")
    analyst.get("/alerts")
    analyst.get("/api/exports/alerts.csv")
    _as(app, "vi").get("/api/alerts")
    with open_accounts(built[1]) as db:
        entries = audit_entries(db)
        assert [(e.actor, e.action, e.target) for e in entries[-5:]] == [
            ("an", "login", "/login"), ("an", "view", "/alerts"),
            ("an", "export", "/api/exports/alerts.csv"), ("vi", "login", "/login"),
            ("vi", "denied", "GET /api/alerts")]
        assert entries[-4].detail.startswith("alerts=") and entries[-3].detail.startswith("rows=")
        assert all(e.detail == "" or re.fullmatch(r"[a-z]+=[\w]+", e.detail) for e in entries)
        key = workspace_audit_key(built[1])
        assert verify_chain(db, key).intact
        target = entries[len(entries) // 2].seq
        db.run("tamper", "UPDATE audit_log SET target = '/somewhere else' WHERE seq = ?",
               [target])
        check = verify_chain(db, key)
        assert (check.intact, check.broken_at) == (False, target)
        db.run("undo", "UPDATE audit_log SET target = ? WHERE seq = ?",
               [entries[len(entries) // 2].target, target])
        assert verify_chain(db, key).intact


def test_one_json_error_shape_and_headers(app: FastAPI) -> None:
    analyst = _as(app, "an")
    cases = {"/api/indicators/NOPE": (404, "not_found"),
             "/api/indicators?period=1999": (400, "bad_input"),
             "/api/dashboard?breakdown=shoe_size": (400, "bad_input"),
             "/api/nowhere": (404, "not_found"),
             "/api/alerts?open=maybe": (422, "invalid_request")}
    for path, (status, code) in cases.items():
        answer = analyst.get(path)
        assert answer.status_code == status, path
        error = answer.json()["error"]
        assert (error["status"], error["code"]) == (status, code)
        assert set(error) == {"status", "code", "message", "fix"}
    page = analyst.get("/indicators/NOPE")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]
    headers = analyst.get("/").headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["cache-control"] == "no-store"
    assert headers["x-content-type-options"] == "nosniff"


def test_pages_load_nothing_from_elsewhere(app: FastAPI) -> None:
    admin = _as(app, "ad")
    for path, _ in GET_ROUTES:
        body = admin.get(path).text
        assert not re.search(r'(src|href)="(https?:)?//', body), path
    docs = admin.get("/api/docs").text
    assert "/api/indicators/{indicator_id}" in docs and "swagger" not in docs.lower()
