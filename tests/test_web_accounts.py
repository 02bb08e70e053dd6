"""Accounts, sessions, the login rate limit and the audit chain, on SQLite and on a real
PostgreSQL server; the `endvac user` and `endvac audit` commands."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from click.testing import Result
from fastapi.testclient import TestClient

from account_fixtures import clean_accounts_postgres
from cli_helpers import endvac
from endvac.accounts import (
    add_user,
    append_audit,
    audit_entries,
    authenticate,
    disable_user,
    ensure_accounts_schema,
    list_users,
    open_session,
    session_of,
    verify_chain,
)
from endvac.accounts.sessions import LoginLimits, LoginOutcome, log_in
from endvac.accounts.store import workspace_audit_key
from endvac.appdb import AppDB, connect_app_db
from endvac.errors import BadInput, UsageError
from endvac.web import create_app
from endvac.workspace import Workspace, init_workspace, open_workspace
from web_helpers import logged_in

PASSWORD = "correct horse battery"
KEY = b"k" * 32


def test_add_list_disable(db: AppDB) -> None:
    add_user(db, "Ana", "analyst", PASSWORD)
    add_user(db, "mo", "monitor", PASSWORD, facilities=["F2", "F1"], regions=["D1"])
    users = list_users(db)
    assert [(u.username, u.role, u.facilities, u.regions, u.disabled) for u in users] == [
        ("ana", "analyst", [], [], False), ("mo", "monitor", ["F1", "F2"], ["D1"], False)]
    with pytest.raises(UsageError, match="exists"):
        add_user(db, "ana", "viewer", PASSWORD)
    with pytest.raises(UsageError, match="unknown role"):
        add_user(db, "bo", "superuser", PASSWORD)
    with pytest.raises(BadInput, match="shorter than 12"):
        add_user(db, "bo", "viewer", "short")
    with pytest.raises(UsageError, match="needs the facilities or regions"):
        add_user(db, "bo", "monitor", PASSWORD)
    with pytest.raises(UsageError, match="only a monitor"):
        add_user(db, "bo", "viewer", PASSWORD, regions=["D1"])
    with pytest.raises(UsageError, match="a username must be"):
        add_user(db, "a b", "viewer", PASSWORD)
    session = open_session(db, users[0], hours=1)
    assert session_of(db, session.token) is not None
    assert disable_user(db, "ana").disabled
    assert session_of(db, session.token) is None  # disabling ends the sessions
    assert authenticate(db, "ana", PASSWORD) is None
    with pytest.raises(UsageError, match="no user"):
        disable_user(db, "nobody")


def test_argon2_hashes(db: AppDB) -> None:
    add_user(db, "ana", "analyst", PASSWORD)
    stored = db.scalar("read", "SELECT password_hash FROM users WHERE username = 'ana'")
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    found = authenticate(db, "ANA", PASSWORD)
    assert found is not None and found.username == "ana"
    assert authenticate(db, "ana", PASSWORD + "x") is None
    assert authenticate(db, "nobody", PASSWORD) is None


def test_sessions_expire(db: AppDB) -> None:
    user = add_user(db, "ana", "viewer", PASSWORD)
    live = open_session(db, user, hours=1)
    dead = open_session(db, user, hours=1 / 3600 / 10)  # 0.36 s: stored as whole seconds
    assert session_of(db, live.token) is not None
    assert session_of(db, dead.token) is None
    assert session_of(db, "made-up-token") is None
    assert session_of(db, None) is None
    token_hash = db.scalar("read", "SELECT token_hash FROM sessions LIMIT 1")
    assert token_hash not in (live.token, dead.token)  # only the hash is stored


def test_login_rate_limit_per_user_and_address(db: AppDB) -> None:
    add_user(db, "ana", "viewer", PASSWORD)

    def attempt(password: str, ip: str) -> LoginOutcome:
        return log_in(db, "ana", password, ip, hours=1.0,
                      limits=LoginLimits(per_address=5, per_account=20, window_s=900))

    for _ in range(5):
        outcome = attempt("wrong password!", "10.0.0.1")
        assert outcome.session is None and not outcome.blocked
    blocked = attempt(PASSWORD, "10.0.0.1")
    assert blocked.blocked and blocked.session is None  # right password, still refused
    other = attempt(PASSWORD, "10.0.0.2")
    assert other.session is not None
    db.run("age the failures", "UPDATE login_attempts SET at = at - 901")
    again = attempt(PASSWORD, "10.0.0.1")
    assert again.session is not None  # the window has passed


def test_audit_chain_detects_edits_insertions_and_deletions(db: AppDB) -> None:
    for n in range(1, 5):
        assert append_audit(db, KEY, actor="ana", action="view", target=f"/p{n}",
                            ip="10.0.0.1") == n
    check = verify_chain(db, KEY)
    assert check.intact and check.rows == 4 and check.message == "chain intact: 4 rows verified"
    assert [e.target for e in audit_entries(db, limit=2)] == ["/p3", "/p4"]
    assert not verify_chain(db, b"another key").intact

    db.run("tamper", "UPDATE audit_log SET actor = 'bo' WHERE seq = 3")
    check = verify_chain(db, KEY)
    assert (check.intact, check.broken_at) == (False, 3)
    assert check.message.startswith("chain broken at row 3")
    db.run("undo", "UPDATE audit_log SET actor = 'ana' WHERE seq = 3")
    assert verify_chain(db, KEY).intact

    db.run("tamper", "DELETE FROM audit_log WHERE seq = 2")
    assert verify_chain(db, KEY).broken_at == 2


def test_audit_chain_detects_a_removed_tail(db: AppDB) -> None:
    for n in range(3):
        append_audit(db, KEY, actor="ana", action="view", target=f"/p{n}")
    db.run("tamper", "DELETE FROM audit_log WHERE seq = 3")
    check = verify_chain(db, KEY)
    assert (check.intact, check.broken_at) == (False, 3)


def test_concurrent_appends_keep_one_chain(target: str) -> None:
    with connect_app_db(target) as db:
        ensure_accounts_schema(db)

    def writer(name: str) -> None:
        with connect_app_db(target) as own:
            for n in range(15):
                append_audit(own, KEY, actor=name, action="view", target=f"/{n}")

    threads = [threading.Thread(target=writer, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with connect_app_db(target) as db:
        check = verify_chain(db, KEY)
        assert check.intact and check.rows == 60
        assert [e.seq for e in audit_entries(db)] == list(range(1, 61))


def _endvac(*args: str | Path, stdin: str = "") -> Result:
    return endvac(*args, stdin=stdin)


def test_user_and_audit_commands(ws: Workspace) -> None:
    added = _endvac("user", "add", ws.root, "mo", "--role", "monitor", "--facility", "F1",
                    "--password-stdin", stdin=PASSWORD + "\n")
    assert added.exit_code == 0, added.stderr
    assert _endvac("user", "add", ws.root, "bo", "--role", "viewer", "--password-stdin",
                   stdin="short\n").exit_code == 1
    assert _endvac("user", "disable", ws.root, "mo").exit_code == 0
    listed = json.loads(_endvac("user", "list", ws.root, "--format", "json").stdout)
    assert listed == [{"username": "mo", "role": "monitor", "facilities": ["F1"],
                       "regions": [], "disabled": True,
                       "created_at": listed[0]["created_at"],
                       "changed_at": listed[0]["changed_at"]}]
    trail = json.loads(_endvac("audit", ws.root, "--format", "json").stdout)
    assert [(e["seq"], e["actor"], e["action"], e["target"]) for e in trail] == [
        (1, "cli", "user add", "user:mo"), (2, "cli", "user disable", "user:mo")]
    assert PASSWORD not in json.dumps(trail)
    ok = _endvac("audit", ws.root, "--verify")
    assert (ok.exit_code, ok.stdout.strip()) == (0, "chain intact: 2 rows verified")
    with connect_app_db(ws.root / "app" / "endvac.sqlite") as db:
        db.run("tamper", "UPDATE audit_log SET detail = 'role=admin' WHERE seq = 1")
    broken = _endvac("audit", ws.root, "--verify")
    assert broken.exit_code == 1
    assert broken.stdout.startswith("chain broken at row 1")


def test_web_app_on_postgresql(tmp_path: Path, postgres_url: str,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Two app instances (two workers) share sessions and the audit chain on PostgreSQL."""
    clean_accounts_postgres(postgres_url)
    monkeypatch.setenv("ENDVAC_APP_DATABASE_URL", postgres_url)
    ws = open_workspace(init_workspace(tmp_path / "ws").root)
    first, second = create_app(ws), create_app(ws)
    with connect_app_db(postgres_url) as db:
        add_user(db, "ana", "viewer", PASSWORD)
    client = logged_in(TestClient(first, base_url="https://testserver"), "ana")
    assert client.get("/api/me").json()["role"] == "viewer"
    other = TestClient(second, base_url="https://testserver")
    other.cookies = client.cookies
    assert other.get("/api/me").json()["username"] == "ana"  # the session is in the database
    nothing = other.get("/api/indicators")  # no public release yet: one error shape
    assert nothing.status_code == 503
    assert nothing.json()["error"]["code"] == "nothing_published"
    assert not (ws.root / "app" / "endvac.sqlite").exists()
    with connect_app_db(postgres_url) as db:
        assert [(e.actor, e.action) for e in audit_entries(db)] == [("ana", "login")]
        assert verify_chain(db, workspace_audit_key(ws)).intact
