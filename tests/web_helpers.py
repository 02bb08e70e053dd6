"""A small synthetic workspace for the web tests: every delivery ingested, a snapshot
published, a public release built, one user of each role."""

from __future__ import annotations

import csv
import io
from pathlib import Path

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
