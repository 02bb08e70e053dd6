"""Two small synthetic countries (two seeds) with a public release each, for the
comparison tests (library, CLI, API and browser)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import yaml

from endvac.accounts.store import open_accounts
from endvac.accounts.users import add_user
from endvac.ingest.load import ingest
from endvac.release import build_release
from endvac.sdmx.export import export_sdmx
from endvac.synth import generate
from endvac.workspace import Workspace, init_workspace, open_workspace

PASSWORD = "correct horse battery"
YEAR = "2025-01-01/2025-12-31"


def country(root: Path, seed: int, code: str) -> Workspace:
    """A synthetic country of 300 children with ``code``, every delivery ingested and the
    2025 release built."""
    generate(root / "country", 300, seed)
    ws = init_workspace(root / "ws", country_code=code, country_name=f"Synthetic {code}")
    order = (root / "country" / "deliveries.txt").read_text(encoding="utf-8").split()
    for name in order:
        ingest(ws, root / "country" / name)
    build_release(ws, "2025")
    return ws


def two_countries(root: Path) -> tuple[Workspace, Workspace, Path]:
    """XKA (seed 5) and XKB (seed 9), and XKB's release exported as SDMX."""
    first, second = country(root / "a", 5, "XKA"), country(root / "b", 9, "XKB")
    export_sdmx(second, root / "b" / "sdmx")
    return first, second, root / "b" / "sdmx"


def configure_compare(ws: Workspace, paths: list[str], viewer: str = "vi") -> Workspace:
    """Name the releases of the /compare page in ``ws``'s config and add a viewer."""
    data = yaml.safe_load(ws.config_path.read_text(encoding="utf-8"))
    data.setdefault("app", {})["compare_releases"] = paths
    ws.config_path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with open_accounts(ws) as db:
        add_user(db, viewer, "viewer", PASSWORD)
    return open_workspace(ws.root)


def published(ws: Workspace, table: str) -> dict[tuple[str, str, str], dict[str, Any]]:
    """The rows of one table of release 1 as stored in its Parquet file (read directly,
    not through the code under test): (id, breakdown, cell) -> row."""
    rows = pq.read_table(ws.root / "published" / "release-1" / f"{table}.parquet").to_pylist()
    return {(r["id"], r["breakdown"], r["cell"]): r for r in rows if r["period"] == YEAR}
