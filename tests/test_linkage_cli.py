"""endvac link from the command line: progress on stderr, a snapshot counted with the new
child keys published at its end (issue 7: publish runs at the end of ingest and link)."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import endvac
from conftest import synthetic_workspace
from endvac.publish import load_snapshot, snapshot_numbers


def test_link_command_reports_progress_and_publishes_a_linked_snapshot(tmp_path: Path) -> None:
    _, ws, _ = synthetic_workspace(tmp_path, 300, 3)
    assert snapshot_numbers(ws.root) == []  # the helper ingests without publishing
    done = endvac("link", str(ws.root), "--format", "json")
    assert done.exit_code == 0, done.stderr
    assert "link: " in done.stderr and "training" in done.stderr  # progress, step by step
    assert snapshot_numbers(ws.root) == [1]
    snapshot = load_snapshot(ws.root)
    assert snapshot.meta["linked"] is True
    # --no-publish leaves the snapshots as they are
    again = endvac("link", str(ws.root), "--no-publish")
    assert again.exit_code == 0, again.stderr
    assert snapshot_numbers(ws.root) == [1]
