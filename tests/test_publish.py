"""Published snapshots: values worked out by hand on a small hand-made workspace, the
series, equity ratios, alerts without identifiers, immutability, the newest snapshot,
publishing at the end of ingest, and reading while another process holds the store."""

from __future__ import annotations

import hashlib
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import write_delivery
from endvac.errors import UsageError, WorkspaceError
from endvac.publish import latest_number, load_snapshot, publish, snapshot_numbers
from endvac.store import db
from endvac.workspace import Workspace, open_workspace
from indicator_helpers import load_all
from test_indicators_jj1 import POLICE

ENDVAC = str(Path(sys.executable).parent / "endvac")
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
    assert meta["linkage"] is None or isinstance(meta["linkage"], dict)


def test_alerts_carry_no_identifier(small: Workspace) -> None:
    from endvac.safeguards.alerts import find_alerts
    publish(small)
    snap = load_snapshot(small)
    assert not IDENTIFYING & set(snap.tables["alerts"].column_names)
    expected = find_alerts(small, date(2025, 12, 31)).alerts
    found = snap.alerts("2025")
    assert sorted((a["rule"], a["status"]) for a in found) == sorted(
        (a["rule"], a["status"]) for a in expected)
    summary = snap.alert_summary("region", "2025")
    assert sum(r["total"] for r in summary) == len(expected)
    # a monitor's scope: alerts in the facilities or the regions assigned
    scoped = snap.alerts("2025", facilities={"F1"}, regions={"D2"})
    assert len(scoped) == sum(1 for a in expected
                              if a["facility_id"] == "F1" or a["region"] == "D2")
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
    subprocess.run([ENDVAC, "init", str(ws)], check=True, capture_output=True)
    registers = write_delivery(tmp_path / "registers", dict(REGISTERS))
    police = write_delivery(tmp_path / "police", dict(POLICE))
    done = subprocess.run([ENDVAC, "ingest", str(ws), str(registers), "--no-publish"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and snapshot_numbers(ws) == []
    done = subprocess.run([ENDVAC, "ingest", str(ws), str(police)], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr
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
    done = subprocess.run([ENDVAC, "publish", str(small.root), "--years", "2024-2025"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "snapshot 1 of 2024, 2025 published" in done.stderr
    bad = subprocess.run([ENDVAC, "publish", str(small.root), "--years", "last"],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "--years 2024,2025" in bad.stderr
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
    from conftest import synthetic_workspace
    from endvac.indicators.engine import Request
    from endvac.indicators.periods import parse_period
    from endvac.indicators.run import compute_indicators
    from endvac.linkage.run import link
    from endvac.report import build_report
    _, ws, _ = synthetic_workspace(tmp_path, 300, 11)
    publish(ws, [2025])
    before = load_snapshot(ws)
    assert (before.meta["linked"], before.meta["linkage"]) == (False, None)
    link(ws)
    publish(ws, [2025])
    after = load_snapshot(ws)
    assert after.meta["linked"] is True
    assert after.meta["linkage"]["persons"] == 300  # the synthetic country's 300 children
    engine = compute_indicators(ws, Request(parse_period("2025"))).results
    for indicator in ("JJ1", "JJ2", "JJ10"):
        stored = next(r for r in engine if r.id == indicator and not r.by)
        row = after.result(indicator, "2025")
        assert row is not None and row["numerator"] == stored.numerator, indicator
    jj1_before, jj1_after = before.result("JJ1", "2025"), after.result("JJ1", "2025")
    assert jj1_before is not None and jj1_after is not None
    assert jj1_after["numerator"] <= jj1_before["numerator"]  # records merged into children
    build_report(ws, "2025", tmp_path / "r.html")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Not linked yet" not in html and "<td>persons</td><td class=\"num\">300</td>" in html
