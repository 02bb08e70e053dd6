"""Issue 14, item 6 and `links`: an ingest killed after its load committed and before
its snapshot is published by the next ingest, publish or serve start; staging folders
that a killed publish left behind are removed; `endvac links` after an interrupted
linkage says that no linkage run finished."""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from typer.testing import CliRunner

from cli_helpers import endvac
from conftest import CHILDREN, FACILITIES, write_delivery
from endvac.cli.main import app
from endvac.ingest.load import ingest
from endvac.numbered import WRITING
from endvac.publish import latest_number
from endvac.publish.pending import catch_up, published_deliveries, unpublished_deliveries
from endvac.publish.store import SNAPSHOTS
from endvac.web.serve import _catch_up
from endvac.workspace import Workspace, open_workspace


def _committed_without_snapshot(ws: Workspace, tmp_path: Path) -> Path:
    """What a kill between the load's commit and its snapshot leaves: delivery 1 loaded,
    no snapshot (the library ingest does not publish; the CLI publishes afterwards)."""
    folder = write_delivery(tmp_path / "d", {"facilities.csv": FACILITIES,
                                             "children.csv": CHILDREN})
    assert ingest(ws, folder).delivery_id == 1
    assert latest_number(ws.root) is None
    return folder


def test_next_ingest_publishes_the_missing_snapshot(ws: Workspace, tmp_path: Path) -> None:
    folder = _committed_without_snapshot(ws, tmp_path)
    assert unpublished_deliveries(ws) == [1]
    run = CliRunner().invoke(app, ["ingest", str(ws.root), str(folder)])
    assert run.exit_code == 0, run.output
    assert "already loaded as delivery 1" in run.output
    assert "delivery 1 has no snapshot yet" in run.output
    assert latest_number(ws.root) == 1
    assert published_deliveries(open_workspace(ws.root)) == {1}
    assert unpublished_deliveries(ws) == []
    # and a further re-run publishes nothing more
    again = CliRunner().invoke(app, ["ingest", str(ws.root), str(folder)])
    assert again.exit_code == 0 and latest_number(ws.root) == 1


def test_serve_start_publishes_the_missing_snapshot(ws: Workspace, tmp_path: Path) -> None:
    _committed_without_snapshot(ws, tmp_path)
    said: list[str] = []
    _catch_up(ws, said.append)
    assert latest_number(ws.root) == 1
    assert said and "published snapshot 1" in said[0]
    assert catch_up(ws) is None  # nothing left to publish


def _staging(ws: Workspace, name: str, lock_file: bool, age_seconds: int) -> Path:
    path = ws.root / SNAPSHOTS / name
    path.mkdir(parents=True)
    (path / "alerts.parquet").write_bytes(b"half written")
    if lock_file:
        (path / WRITING).write_bytes(b"")
    old = time.time() - age_seconds
    os.utime(path, (old, old))
    return path


def test_publish_removes_abandoned_staging_folders(ws: Workspace, tmp_path: Path) -> None:
    _committed_without_snapshot(ws, tmp_path)
    killed = _staging(ws, ".snapshot-killed", lock_file=True, age_seconds=0)
    stale = _staging(ws, ".snapshot-stale", lock_file=False, age_seconds=3600)
    young = _staging(ws, ".snapshot-young", lock_file=False, age_seconds=0)
    live = _staging(ws, ".snapshot-live", lock_file=True, age_seconds=3600)
    held = os.open(live / WRITING, os.O_RDWR)
    fcntl.flock(held, fcntl.LOCK_EX)  # a publish still writing holds its lock
    try:
        run = CliRunner().invoke(app, ["publish", str(ws.root)])
    finally:
        os.close(held)
    assert run.exit_code == 0, run.output
    # killed: lock file, nobody holds it; stale: no lock file for an hour (> 600 s grace)
    assert not killed.exists() and not stale.exists()
    # young: no lock file yet, within the grace; live: its writer holds the lock
    assert young.exists() and live.exists()
    assert latest_number(ws.root) == 1


def test_links_after_an_interrupted_link_says_no_run_finished(ws: Workspace) -> None:
    from endvac.linkage import registry

    # what a kill during `endvac link` leaves: the registry with a run started, not finished
    with registry.registry(ws) as reg:
        registry.start_run(reg, "link")
    done = endvac("links", str(ws.root))
    assert done.exit_code == 2, done.stdout + done.stderr
    assert "no linkage run finished" in done.stderr
    assert "Traceback" not in done.stderr
