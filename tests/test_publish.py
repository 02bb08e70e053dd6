"""Published snapshots: values worked out by hand on a small hand-made workspace, the
series, equity ratios, alerts without identifiers, immutability, the newest snapshot,
publishing at the end of ingest, and reading while another process holds the store."""

from __future__ import annotations

import hashlib
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cli_helpers import endvac
from conftest import write_delivery
from endvac.errors import UsageError, WorkspaceError
from endvac.publish import latest_number, load_snapshot, publish, snapshot_numbers
from endvac.store import db
from endvac.workspace import Workspace, open_workspace
from indicator_helpers import load_all
from test_indicators_jj1 import POLICE

IDENTIFYING = {"child_key", "person", "record_id", "fact_id", "case_id", "evidence"}


def with_year(ws: Workspace, year: int) -> Workspace:
    path = ws.config_path
    path.write_text(path.read_text(encoding="utf-8").replace("year: null", f"year: {year}"),
                    encoding="utf-8")
    return open_workspace(ws.root)


@pytest.fixture
def small(ws: Workspace, tmp_path: Path) -> Workspace:
    load_all(ws, tmp_path, {"police": POLICE})
    return with_year(ws, 2025)


def test_snapshot_holds_the_values_worked_out_by_hand(small: Workspace) -> None:
    summary = publish(small)
    snap = load_snapshot(small)
    assert (summary.number, snap.number, snap.years) == (1, 1, ["2024", "2025"])
    jj1 = snap.result("JJ1", "2025")
    assert jj1 is not None
    # A1 (arrested twice: one child), A2, A3, A4 among the 8,000 children of 2025
    assert (jj1["numerator"], jj1["denominator"]) == (4, 8000)
    assert jj1["value"] == pytest.approx(50.0) and jj1["unit"] == "per_100000"
    assert jj1["ci_low"] < 50.0 < jj1["ci_high"]
    female = snap.result("JJ1", "2025", "sex", "f")
    male = snap.result("JJ1", "2025", "sex", "m")
    assert female is not None and male is not None
    assert (female["numerator"], female["denominator"]) == (1, 3800)
    assert (male["numerator"], male["denominator"]) == (2, 4200)
    # equity: the rate ratio of girls to boys, (1/3,800) / (2/4,200)
    assert female["ratio"] == pytest.approx(4200 / 7600)
    assert female["ratio_reference"] == "sex=m"
    # 2024: only A6 (born 2012), arrested 2024-12-31; no population is given for 2024
    y2024 = snap.result("JJ1", "2024")
    assert y2024 is not None
    assert (y2024["numerator"], y2024["value"]) == (1, None)
    assert {"sex", "age_group", "region"} <= set(snap.breakdowns("JJ1", "2025"))


def test_series_by_quarter_of_both_years(small: Workspace) -> None:
    publish(small)
    rows = load_snapshot(small).series("JJ1")
    assert [r["label"] for r in rows] == [f"{y}-Q{q}" for y in (2024, 2025) for q in range(1, 5)]
    # 2024: A6 on 31 December; 2025: A1 | A2 | A1 again, A3, A4 | none
    assert [r["numerator"] for r in rows] == [0, 0, 0, 1, 1, 1, 3, 0]
    assert rows[4]["value"] == pytest.approx(1 / 8000 * 100_000 * 365 / 90)
    yearly = load_snapshot(small).series("JJ1", "sex", "m")
    assert [(r["label"], r["numerator"]) for r in yearly] == [("2025", 2)]


def test_every_definition_is_published_for_each_year(small: Workspace) -> None:
    from endvac.indicators.definitions import load_definitions
    from endvac.safeguards.rates import rate_definitions
    publish(small)
    snap = load_snapshot(small)
    wanted = {i.id for i in load_definitions().indicators} | {
        i.id for i in rate_definitions().indicators}
    for year in ("2024", "2025"):
        assert wanted <= {r["id"] for r in snap.indicators(year)}
    assert {d["id"] for d in snap.definitions()} >= wanted


def test_meta_names_what_made_the_numbers(small: Workspace) -> None:
    publish(small)
    meta = load_snapshot(small).meta
    profile = hashlib.sha256((small.root / "profile.yaml").read_bytes()).hexdigest()
    with small.analytic(read_only=True) as con:
        loaded = db.scalar(con, "t", "SELECT max(loaded_at) FROM deliveries")
        revision = db.scalar(con, "t", "SELECT max(revision) FROM config_revisions")
    assert meta["profile_sha256"] == profile
    assert meta["definitions_version"] == 1
    assert meta["config_revision"] == revision == 2  # init's revision, then period.year
    assert meta["last_loaded"] == loaded.isoformat(timespec="seconds")
    assert meta["deliveries"] == 2 and meta["alert_dates"] == ["2024-12-31", "2025-12-31"]
    # nothing was linked in this workspace: counted by record, no linkage figures
    assert (meta["linked"], meta["linkage"]) == (False, None)


# The alerts of POLICE as of 2025-12-31, worked out by hand: (rule, status, region, since).
# No first appearance and no parent notification is recorded by the police at all, so every
# child's arrest (date only) has both missing, with no evidence, since the next day (24 h):
# A6 (D2, arrested 2024-12-31, at 12 also below the MACR of 14: a breach), A1 (D1, twice:
# 03-01 and 09-01), A2 (D2, 05-01), A3 (D1, 07-01), A4 (D2, 08-01); A5 is an adult.
ARRESTS_BY_HAND = (("D2", "2025-01-01"), ("D1", "2025-03-02"), ("D2", "2025-05-02"),
                   ("D1", "2025-07-02"), ("D2", "2025-08-02"), ("D1", "2025-09-02"))
ALERTS_BY_HAND = sorted([("below_macr", "breach", "D2", "2024-12-31")] + [
    (rule, "no_evidence", region, since) for region, since in ARRESTS_BY_HAND
    for rule in ("first_appearance_missing", "parent_not_notified_in_time")])


def test_alerts_carry_no_identifier(small: Workspace) -> None:
    publish(small)
    snap = load_snapshot(small)
    assert not IDENTIFYING & set(snap.tables["alerts"].column_names)
    found = snap.alerts("2025")
    assert sorted((a["rule"], a["status"], a["region"], a["since"].isoformat())
                  for a in found) == ALERTS_BY_HAND
    # by region: D1 holds A1 twice and A3 (3 of each missing rule), D2 A2, A4, A6 (3 of
    # each) and A6's breach of the MACR; 13 alerts in all
    summary = snap.alert_summary("region", "2025")
    assert sorted((r["rule"], r["region"], r["total"]) for r in summary) == [
        ("below_macr", "D2", 1),
        ("first_appearance_missing", "D1", 3), ("first_appearance_missing", "D2", 3),
        ("parent_not_notified_in_time", "D1", 3), ("parent_not_notified_in_time", "D2", 3)]
    # a monitor's scope: alerts in the facilities or the regions assigned; no police alert
    # has a facility, so F1 adds none and D2 gives its 7
    scoped = snap.alerts("2025", facilities={"F1"}, regions={"D2"})
    assert len(scoped) == 7
    assert snap.alerts("2025", facilities=set(), regions=set()) == []
    # the one breach: A6 (region D2), born 2012-01-01, arrested at 12, below the MACR of 14
    breaches = snap.alerts("2025", status="breach")
    assert [(a["rule"], a["region"]) for a in breaches] == [("below_macr", "D2")]


def test_snapshots_are_immutable_and_the_newest_is_read(small: Workspace) -> None:
    first = publish(small, [2025])
    files = {p.name: p.read_bytes() for p in first.path.iterdir()}
    for path in first.path.iterdir():
        assert not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    (small.root / "published" / "snapshots" / ".snapshot-crashed").mkdir()  # a dead publish
    second = publish(small, [2024, 2025])
    assert (first.number, second.number) == (1, 2)
    assert {p.name: p.read_bytes() for p in first.path.iterdir()} == files
    assert snapshot_numbers(small.root) == [1, 2] and latest_number(small.root) == 2
    assert load_snapshot(small).years == ["2024", "2025"]
    assert load_snapshot(small.root, 1).years == ["2025"]
    with pytest.raises(UsageError, match="no snapshot 7"):
        load_snapshot(small, 7)


def test_no_snapshot_is_a_usage_error(ws: Workspace) -> None:
    with pytest.raises(UsageError, match="endvac publish"):
        load_snapshot(ws)


def test_ingest_publishes_unless_told_not_to(tmp_path: Path) -> None:
    from indicator_helpers import REGISTERS
    ws = tmp_path / "ws"
    assert endvac("init", str(ws)).exit_code == 0
    registers = write_delivery(tmp_path / "registers", dict(REGISTERS))
    police = write_delivery(tmp_path / "police", dict(POLICE))
    done = endvac("ingest", str(ws), str(registers), "--no-publish")
    assert done.exit_code == 0 and snapshot_numbers(ws) == []
    done = endvac("ingest", str(ws), str(police))
    assert done.exit_code == 0, done.stderr
    assert "snapshot 1" in done.stderr and snapshot_numbers(ws) == [1]
    assert load_snapshot(ws).meta["deliveries"] == 2


def test_snapshot_is_read_while_an_ingest_runs(small: Workspace, tmp_path: Path) -> None:
    publish(small)
    # a real ingest in another process, held inside its transaction at its first file
    more = write_delivery(tmp_path / "more", {
        "children.csv": "record_id,agency,date_of_birth,sex,region\nB1,police,2011-02-02,f,D1\n",
        "events.csv": ("event_id,agency,record_id,event_type,date\n"
                       "X1,police,B1,arrest,2025-10-10\n")})
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from pathlib import Path\n"
         "from endvac.ingest.load import ingest; from endvac.workspace import open_workspace\n"
         "def hold(message):\n"
         "    if 'reading ' in message and not hold.done:\n"
         "        hold.done = True; print('holding', flush=True); sys.stdin.readline()\n"
         "hold.done = False\n"
         f"ingest(open_workspace(Path({str(small.root)!r})), Path({str(more)!r}), "
         "progress=hold)\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        # the store is locked by the ingest
        with pytest.raises(WorkspaceError), small.analytic(read_only=True):
            pass
        jj1 = load_snapshot(small).result("JJ1")
        assert jj1 is not None and jj1["numerator"] == 4
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        assert holder.wait(timeout=120) == 0
    publish(small)  # the new delivery's arrest (B1, a girl of 14) is in the newest snapshot
    jj1 = load_snapshot(small).result("JJ1")
    assert jj1 is not None and jj1["numerator"] == 5 and load_snapshot(small).number == 2


def test_publish_and_report_settings_are_documented() -> None:
    from endvac.config import PublishRules, ReportRules
    doc = (Path(__file__).parent.parent / "docs" / "workspace.md").read_text(encoding="utf-8")
    for model in (PublishRules, ReportRules):
        for name in model.model_fields:
            assert f"`{name}`" in doc, name


def test_publish_command(small: Workspace) -> None:
    done = endvac("publish", str(small.root), "--years", "2024-2025")
    assert done.exit_code == 0, done.stderr
    assert "snapshot 1 of 2024, 2025 published" in done.stderr
    bad = endvac("publish", str(small.root), "--years", "last")
    assert bad.exit_code == 2 and "--years 2024,2025" in bad.stderr
    assert snapshot_numbers(small.root) == [1]


def test_only_the_newest_snapshots_are_kept(small: Workspace) -> None:
    path = small.config_path
    path.write_text(path.read_text(encoding="utf-8").replace("keep: 10", "keep: 2"),
                    encoding="utf-8")
    ws = open_workspace(small.root)
    for _ in range(3):
        publish(ws, [2025])
    assert snapshot_numbers(ws.root) == [2, 3]
    assert not (ws.root / "published" / "snapshots" / "1").exists()
    assert load_snapshot(ws).number == 3


def test_snapshot_after_linkage_counts_linked_children(tmp_path: Path) -> None:
    import json

    from conftest import synthetic_workspace
    from endvac.linkage.run import link
    from endvac.report import build_report
    country, ws, _ = synthetic_workspace(tmp_path, 300, 11)
    # what the generator knows of the children it made (not the engine's figures)
    truth = json.loads((country / "truth" / "counts.json").read_text(encoding="utf-8"))
    publish(ws, [2025])
    before = load_snapshot(ws)
    assert (before.meta["linked"], before.meta["linkage"]) == (False, None)
    link(ws)
    publish(ws, [2025])
    after = load_snapshot(ws)
    assert after.meta["linked"] is True
    assert after.meta["linkage"]["persons"] == 300  # the synthetic country's 300 children
    # JJ1: children arrested in 2025; JJ2: children detained on the census date 2025-12-31
    for indicator, known in (("JJ1", truth["arrested_children_by_year"]["2025"]),
                             ("JJ2", truth["detained_at_census"])):
        row = after.result(indicator, "2025")
        assert row is not None and row["numerator"] == known, indicator
    jj1_before, jj1_after = before.result("JJ1", "2025"), after.result("JJ1", "2025")
    assert jj1_before is not None and jj1_after is not None
    assert jj1_after["numerator"] <= jj1_before["numerator"]  # records merged into children
    build_report(ws, "2025", tmp_path / "r.html")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Not linked yet" not in html and "<td>persons</td><td class=\"num\">300</td>" in html
