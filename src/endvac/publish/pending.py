"""Catching up after an interrupted ingest or publish (docs/publish.md, "Interrupted
runs"): a delivery that committed but whose snapshot was never written (the ingest was
killed in between) is published by the next ingest, publish or serve start, and
staging folders that a killed publish left behind are removed."""

from __future__ import annotations

from collections.abc import Callable

import pyarrow.parquet as pq

from endvac.ingest import listing
from endvac.numbered import remove_abandoned
from endvac.publish.build import PublishSummary, publish
from endvac.publish.store import SNAPSHOTS, latest_number, read_manifest
from endvac.workspace import Workspace

STAGING_PREFIX = "snapshot"


def published_deliveries(workspace: Workspace) -> set[int]:
    """The delivery ids the newest snapshot covers (none before the first snapshot)."""
    number = latest_number(workspace.root)
    if number is None:
        return set()
    entry = read_manifest(workspace.root, number)["tables"]["deliveries"]
    path = workspace.root / SNAPSHOTS / str(number) / entry["file"]
    ids = pq.read_table(path, columns=["delivery_id"]).column("delivery_id").to_pylist()
    return {int(i) for i in ids}


def unpublished_deliveries(workspace: Workspace) -> list[int]:
    """Committed deliveries that no snapshot covers yet, in order."""
    loaded = {int(d["delivery_id"]) for d in listing.deliveries(workspace)}
    return sorted(loaded - published_deliveries(workspace))


def remove_abandoned_staging(workspace: Workspace) -> list[str]:
    """Remove the ``.snapshot-*`` staging folders of killed publishes; their names."""
    return remove_abandoned(workspace.root / SNAPSHOTS, STAGING_PREFIX)


def catch_up(workspace: Workspace, progress: Callable[[str], None] | None = None
             ) -> PublishSummary | None:
    """Remove abandoned staging folders and publish when a committed delivery has no
    snapshot yet; the new snapshot, or None when everything was published."""
    remove_abandoned_staging(workspace)
    if not unpublished_deliveries(workspace):
        return None
    return publish(workspace, None, progress)
