"""Published snapshots: what the web app and the report read instead of the live store
(docs/publish.md)."""

from endvac.publish.build import PublishSummary, publish
from endvac.publish.snapshot import Quality, Snapshot, load_snapshot
from endvac.publish.store import latest_number, snapshot_numbers

__all__ = ["PublishSummary", "Quality", "Snapshot", "latest_number", "load_snapshot",
           "publish", "snapshot_numbers"]
