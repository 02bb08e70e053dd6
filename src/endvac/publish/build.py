"""`endvac publish`: compute the snapshot the web app and the report read, and write it
as a new numbered, immutable folder (docs/publish.md). The analytic store is opened
read-only: publishing never writes to it (except to record a config revision it has
not seen yet)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import cast

import pyarrow as pa

from endvac import linkage
from endvac.indicators.definitions import Definitions, load_definitions
from endvac.ingest import listing
from endvac.linkage import registry
from endvac.names import store_names
from endvac.pathways.publish import pathway_table
from endvac.profiles import PROFILE_FILE, Profile
from endvac.publish.compute import Content, choose_years, compute
from endvac.publish.shapes import CatalogueEntry, DeliveryRow, LoadStatusRow, SnapshotMeta
from endvac.publish.store import prune, write_snapshot
from endvac.publish.tables import (
    DELIVERY_SCHEMA,
    LOAD_STATUS_SCHEMA,
    alert_table,
    indicator_table,
    records_table,
)
from endvac.safeguards.rates import rate_definitions
from endvac.store import db
from endvac.workspace import Workspace

FORMAT = 1


@dataclass(frozen=True)
class PublishSummary:
    """What a publish wrote."""

    number: int
    path: Path
    years: list[int]
    tables: dict[str, int]
    seconds: float


def publish(workspace: Workspace, years: list[int] | None = None,
            progress: Callable[[str], None] | None = None,
            today: date | None = None) -> PublishSummary:
    """Compute and write the next snapshot of ``workspace`` for ``years`` (default: the
    config's ``publish.years`` years ending with ``period.year`` or the latest data),
    reading the records as of ``today`` (default: the day it runs)."""
    today = today or date.today()
    started = time.perf_counter()
    say = progress or (lambda _m: None)
    revision = _config_revision(workspace)
    say("reading the load history")
    # the store's records, of the columns listing.py selects (DELIVERY_SCHEMA's and
    # LOAD_STATUS_SCHEMA's)
    deliveries = cast(list[DeliveryRow], listing.deliveries(workspace))
    load_status = cast(list[LoadStatusRow], listing.status(workspace))
    profile = workspace.profile()
    persons = linked_persons(workspace)
    with workspace.analytic(read_only=True) as con:
        chosen = choose_years(con, workspace.config, years)
        content = compute(con, workspace.config, profile, chosen, say, persons, today)
        places = store_names(con)
    tables = {
        "indicators": indicator_table(content.indicators),
        "series": indicator_table(content.series),
        "alerts": alert_table(content.alerts),
        "deliveries": records_table(deliveries, DELIVERY_SCHEMA),
        "load_status": records_table(load_status, LOAD_STATUS_SCHEMA),
        "pathways": pathway_table(content.pathways),
    }
    meta = _meta(workspace, profile, revision, chosen, content, deliveries)
    meta["place_names"] = places
    say("writing the snapshot")
    number, path, _ = write_snapshot(workspace.root, meta, tables)
    prune(workspace.root, workspace.config.publish.keep)
    return PublishSummary(number, path, chosen, {n: t.num_rows for n, t in tables.items()},
                          time.perf_counter() - started)


def _config_revision(workspace: Workspace) -> int:
    """The config's revision, looked up read-only; recorded first if it is new."""
    digest = hashlib.sha256(workspace.config_path.read_bytes()).hexdigest()
    with workspace.analytic(read_only=True) as con:
        found = db.scalar(con, "config revision", "SELECT revision FROM config_revisions "
                          "WHERE sha256 = ? ORDER BY revision DESC LIMIT 1", [digest])
    if found is not None:
        return int(found)
    with workspace.analytic() as con:
        return workspace.config_revision(con)


def linked_persons(workspace: Workspace) -> pa.Table | None:
    """The linkage's person map (agency, record_id, person), or None before linkage:
    each record is then a child of its own."""
    return registry.person_map(workspace)


def linkage_quality(workspace: Workspace) -> dict[str, object] | None:
    """The linkage's quality figures, or None while no linkage has run."""
    found = linkage.quality(workspace)
    return dict(found) if found else None


def catalogue(defs: Definitions, rates: Definitions) -> list[CatalogueEntry]:
    """Every published indicator id with what a reader needs to present it."""
    out: list[CatalogueEntry] = [
        {"id": i.id, "name": i.name, "unit": i.unit, "better": i.better, "core": i.core,
            "shape": i.shape, "flow": i.flow, "plain": i.plain, "source": i.source,
            "kind": kind, "breakdowns": list(i.breakdowns)}
           for kind, d in (("indicators", defs), ("safeguards", rates)) for i in d.indicators]
    out += [{"id": p.id, "name": p.name, "unit": "ratio", "better": "none", "core": False,
             "shape": "decision_point", "flow": False, "source": "relative rate index",
             "plain": f"{p.name}: children reaching the later decision point per child at "
                      "the earlier one, in each group against the reference group.",
             "kind": "equity", "breakdowns": []} for p in defs.decision_points]
    return out


def _meta(workspace: Workspace, profile: Profile, revision: int, years: list[int],
          content: Content, deliveries: list[DeliveryRow]) -> SnapshotMeta:
    defs = load_definitions()
    loaded = [at for d in deliveries if (at := d["loaded_at"]) is not None]
    last = max(loaded) if loaded else None
    config = workspace.config
    return {
        "format": FORMAT, "created": datetime.now().isoformat(timespec="seconds"),
        "country": config.country.model_dump(),
        "years": [str(y) for y in years], "series_every": config.publish.series,
        "alert_dates": [d.isoformat() for d in content.alert_dates],
        "last_loaded": last.isoformat(timespec="seconds") if isinstance(last, datetime)
        else None,
        "deliveries": len(deliveries),
        "definitions_version": defs.version, "rates_version": rate_definitions().version,
        "config_revision": revision,
        "profile_sha256": hashlib.sha256((workspace.root / PROFILE_FILE).read_bytes()
                                         ).hexdigest(),
        "profile": {key: {"value": limit.value, "national": limit.national,
                          "source": limit.source, "meaning": limit.meaning}
                    for key, limit in profile.limits.items()},
        "counting": config.counting.model_dump(mode="json"),
        "publish": config.publish.model_dump(mode="json"),
        "linked": content.linked, "linkage": linkage_quality(workspace),
        "indicators": catalogue(defs, rate_definitions()),
    }
