"""Shared fixtures: a fresh workspace and hand-written deliveries."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from endvac.ingest.load import ingest
from endvac.ingest.result import IngestResult
from endvac.store import db
from endvac.workspace import Workspace, init_workspace

pytest_plugins = ["postgres_server", "account_fixtures"]

FACILITIES = "facility_id,type,region\nF1,remand_home,D1\nF2,adult_prison,D2\n"
CHILDREN = ("record_id,agency,given_name,family_name,date_of_birth,sex,region\n"
            "C1,police,Ana,Silva,2010-05-01,f,D1\n"
            "C2,police,Bo,Lee,2011,m,D2\n")


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return init_workspace(tmp_path / "ws")


def write_delivery(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Write each file (name → text or bytes) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in files.items():
        data = body if isinstance(body, bytes) else body.encode("utf-8")
        (folder / name).write_bytes(data)
    return folder


def load(ws: Workspace, folder: Path, files: dict[str, str | bytes],
         mapping: Path | None = None) -> IngestResult:
    return ingest(ws, write_delivery(folder, files), mapping)


Where = set[tuple[int | None, str | None, str]]


def errors(result: IngestResult, file: str | None = None) -> Where:
    """(row, column, rule) of every error finding (optionally of one file)."""
    return {(f.row, f.column, f.rule) for f in result.findings
            if f.severity == "error" and (file is None or f.file == file)}


def warnings(result: IngestResult) -> Where:
    return {(f.row, f.column, f.rule) for f in result.findings if f.severity == "warning"}


def query(ws: Workspace, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    with ws.analytic(read_only=True) as con:
        return db.rows(con, "test query", sql, params)


def synthetic_workspace(root: Path, children: int, seed: int) -> tuple[Path, Workspace,
                                                                         dict[str, IngestResult]]:
    """A synthetic country under ``root``, every delivery ingested in order."""
    from endvac.synth import generate
    generate(root / "country", children, seed)
    ws = init_workspace(root / "ws")
    order = (root / "country" / "deliveries.txt").read_text(encoding="utf-8").split()
    results = {name: ingest(ws, root / "country" / name) for name in order}
    return root / "country", ws, results


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium under Playwright, headless, for the browser tests of a module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        found = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                           args=CHROMIUM_ARGS)
        yield found
        found.close()
