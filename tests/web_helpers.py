"""A small synthetic workspace for the web tests: every delivery ingested, a snapshot
published, a public release built, one user of each role."""

from __future__ import annotations

import csv
import io
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from conftest import synthetic_workspace
from endvac.accounts.store import open_accounts
from endvac.accounts.users import add_user
from endvac.ingest.load import ingest
from endvac.publish import publish
from endvac.release import build_release
from endvac.synth import generate
from endvac.workspace import Workspace, init_workspace

PASSWORD = "correct horse battery"
MONITOR_FACILITY = "RH-CEN"
MONITOR_REGION = "SOU3"
USERS = {"ad": "admin", "an": "analyst", "mo": "monitor", "vi": "viewer"}


def web_workspace(root: Path, children: int = 400, seed: int = 11,
                  hold_back: int = 0) -> tuple[Path, Workspace]:
    """The country folder and its workspace, published and released, with four users;
    the last ``hold_back`` deliveries are left for the test to ingest."""
    if hold_back:
        generate(root / "country", children, seed)
        country, ws = root / "country", init_workspace(root / "ws")
        order = (country / "deliveries.txt").read_text(encoding="utf-8").split()
        for name in order[:-hold_back]:
            ingest(ws, country / name)
    else:
        country, ws, _ = synthetic_workspace(root, children, seed)
    publish(ws)
    build_release(ws, "2025")
    with open_accounts(ws) as db:
        for name, role in USERS.items():
            scope = ({"facilities": [MONITOR_FACILITY], "regions": [MONITOR_REGION]}
                     if role == "monitor" else {})
            add_user(db, name, role, PASSWORD, **scope)
    return country, ws


def clear_identifiers(country: Path) -> set[str]:
    """Every name, national id and record id in the clear deliveries of a synthetic country."""
    found: set[str] = set()
    for path in country.glob("*/children.csv"):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:  # the deliberately corrupt delivery is Latin-1
            text = raw.decode("latin-1")
        for row in csv.DictReader(io.StringIO(text, newline="")):
            for column in ("given_name", "family_name", "national_id", "record_id"):
                if row.get(column):
                    found.add(row[column])
    return found


def logged_in(client: TestClient, username: str, password: str = PASSWORD) -> TestClient:
    """Log ``client`` in through the login form (its CSRF cookie and token)."""
    client.get("/login")
    token = client.cookies.get("endvac_login_csrf", path="/login")
    answer = client.post("/login", data={"username": username, "password": password,
                                         "csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return client


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(root: Path, port: int, *options: str) -> Iterator[str]:
    """`endvac serve ROOT --port PORT OPTIONS` as a subprocess (its output in
    ROOT/../serve.log); the base URL once /health answers; stopped at the end."""
    endvac = str(Path(sys.executable).parent / "endvac")
    log = (root.parent / "serve.log").open("w", encoding="utf-8")
    process = subprocess.Popen([endvac, "serve", str(root), "--port", str(port), *options],
                               stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # wait for uvicorn to answer (not a timed assertion)
            try:
                if httpx.get(f"{base}/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("endvac serve did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
