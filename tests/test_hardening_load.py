"""Issue 14, items 3 and 8 under real load: `endvac serve` (uvicorn, two workers, on
127.0.0.1) answers 50 concurrent clients whose every request appends to the audit trail
while `endvac user add` runs — the writer waits its turn instead of failing "database is
locked"; and 30 concurrent wrong passwords with rotating X-Forwarded-For headers get no
more password checks than the limit."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from endvac.accounts.store import open_accounts
from endvac.accounts.users import add_user
from endvac.workspace import Workspace, init_workspace
from web_helpers import free_port, running_server

ENDVAC = str(Path(sys.executable).parent / "endvac")
PASSWORD = "correct horse battery"
CLIENTS, REQUESTS = 50, 20


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, str]]:
    ws = init_workspace(tmp_path_factory.mktemp("load") / "ws")
    with open_accounts(ws) as db:
        add_user(db, "an", "analyst", PASSWORD)
        add_user(db, "vi", "viewer", PASSWORD)
    with running_server(ws.root, free_port(), "--host", "127.0.0.1", "--workers", "2",
                        "--insecure-cookies") as base:
        yield ws, base


def _login(client: httpx.Client, username: str, password: str,
           headers: dict[str, str] | None = None) -> httpx.Response:
    client.get("/login")
    token = client.cookies.get("endvac_login_csrf", path="/login")
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token}, headers=headers or {})


def _audit(ws: Workspace, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ENDVAC, "audit", str(ws.root), *flags], capture_output=True,
                          text=True, timeout=120)


def test_user_add_waits_while_50_clients_are_served(served: tuple[Workspace, str]) -> None:
    ws, base = served
    with httpx.Client(base_url=base) as first:
        assert _login(first, "an", PASSWORD).status_code == 303
        cookie = first.cookies.get("endvac_session")
    statuses: list[int] = []
    go = threading.Barrier(CLIENTS + 1)

    def client() -> None:
        with httpx.Client(base_url=base, cookies={"endvac_session": cookie or ""},
                          timeout=120) as own:
            go.wait()
            for _ in range(REQUESTS):  # each answer appends a 'view' to the audit trail
                statuses.append(own.get("/api/strategy").status_code)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    go.wait()
    added = [subprocess.run([ENDVAC, "user", "add", str(ws.root), name, "--role", "viewer",
                             "--password-stdin"], input=PASSWORD + "\n", capture_output=True,
                            text=True, timeout=300) for name in ("u1", "u2", "u3")]
    for t in threads:
        t.join()
    assert [(a.returncode, a.stderr) for a in added] == [(0, "")] * 3
    assert statuses == [200] * (CLIENTS * REQUESTS)
    check = _audit(ws, "--verify")
    # 1 login + 50 × 20 views + 3 user adds = 1,004 rows, one unbroken chain
    assert (check.returncode, check.stdout.strip()) == (0, "chain intact: 1004 rows verified")


def test_rotating_forwarded_for_neither_bypasses_the_limit_nor_forges_the_address(
        served: tuple[Workspace, str]) -> None:
    """30 concurrent wrong passwords for 'vi', each with another X-Forwarded-For: the
    header is ignored (no trusted proxy), all count against 127.0.0.1, so exactly 5 reach
    a password check (401) and 25 are refused (429); the trail records 127.0.0.1 only."""
    ws, base = served
    codes: list[int] = []
    go = threading.Barrier(30)

    def guess(n: int) -> None:
        with httpx.Client(base_url=base, timeout=120) as own:
            own.get("/login")
            token = own.cookies.get("endvac_login_csrf", path="/login")
            go.wait()
            codes.append(own.post("/login", data={"username": "vi",
                                                  "password": "wrong password!",
                                                  "csrf_token": token},
                                  headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [401] * 5 + [429] * 25
    trail = json.loads(_audit(ws, "--format", "json").stdout)
    tries = [e for e in trail if e["action"] in ("login failed", "login blocked")]
    assert len(tries) == 30 and {e["ip"] for e in tries} == {"127.0.0.1"}
