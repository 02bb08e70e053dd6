"""endvac link on a synthetic country plus a hand-made delivery: counting after linkage,
alerts, stable keys across re-runs and new deliveries, review and decisions."""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path

import pytest

from conftest import load, synthetic_workspace
from endvac.facts.derived import materialise
from endvac.indicators.engine import Request, run_indicators
from endvac.indicators.periods import Period
from endvac.linkage import quality, registry
from endvac.linkage.review import apply_decision_file, export_review, list_links
from endvac.linkage.run import link
from endvac.safeguards.alerts import find_alerts
from endvac.store import db
from endvac.workspace import Workspace

MANIFEST = ("agency,reporting_unit,period_start,period_end,extracted,mode,event_types,"
            "format_version\npolice,,2019-01-01,2019-12-31,2020-01-15,incremental,arrest,1\n")
# H1 and H2: one child recorded twice by the police (a typo in the family name);
# H3: another child. All three arrested in 2019, a year the synthetic country has no data.
CHILDREN = (
    "record_id,agency,given_name,family_name,date_of_birth,sex,national_id,address,region\n"
    "H1,police,Zorvath,Quellinbrook,2004-06-15,m,ZQ-99-1234,7 Ashgrove Lane,NOR1\n"
    "H2,police,Zorvath,Quelinbrook,2004-06-15,m,ZQ-99-1234,7 Ashgrove Lane,NOR1\n"
    "H3,police,Mirelle,Dantoshaw,2005-01-20,f,MD-77-4321,3 Coldwater Rise,SOU2\n")
EVENTS = ("event_id,agency,record_id,case_id,event_type,date,offence_date,role\n"
          "HE1,police,H1,HC1,arrest,2019-03-01T10:00,2019-02-27,offender\n"
          "HE2,police,H2,HC2,arrest,2019-09-12T10:00,2019-09-10,offender\n"
          "HE3,police,H3,HC3,arrest,2019-05-05T10:00,2019-05-01,offender\n")
YEAR_2019 = Period(date(2019, 1, 1), date(2019, 12, 31))


def arrested_2019(ws: Workspace) -> int:
    """JJ1's numerator for 2019 (children arrested), linked when the workspace is."""
    with ws.analytic(read_only=True) as con:
        facts = materialise(con, registry.person_map(ws), today=date(2026, 12, 31))
        results = run_indicators(facts, ws.config.counting, 14, Request(YEAR_2019, ids=("JJ1",)))
    return int(results[0].numerator)


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, int]:
    root = tmp_path_factory.mktemp("linkage")
    _, ws, _ = synthetic_workspace(root, 2000, 11)
    load(ws, root / "police-2019", {"manifest.csv": MANIFEST, "children.csv": CHILDREN,
                                    "events.csv": EVENTS})
    before = arrested_2019(ws)
    link(ws)
    return ws, before


def keys_of(ws: Workspace) -> dict[tuple[str, str], str]:
    return {(r["agency"], r["record_id"]): r["child_key"] for r in list_links(ws)}


def test_distinct_person_counts_fall_by_exactly_the_records_merged(
        linked: tuple[Workspace, int]) -> None:
    ws, before = linked
    keys = keys_of(ws)
    assert keys[("police", "H1")] == keys[("police", "H2")] != keys[("police", "H3")]
    # three records arrested, one merged into another: 3 children before, 2 after
    assert before == 3
    assert arrested_2019(ws) == 2


def test_alerts_are_no_longer_provisional_after_linkage(linked: tuple[Workspace, int]) -> None:
    ws, _ = linked
    report = find_alerts(ws, date(2025, 12, 31))
    assert report.linked and report.banner is None
    # alert rows carry child keys, never agency/record pairs
    assert all(re.fullmatch(r"CK\d{9}", a.child_key) for a in report.alerts)


def test_analysis_zone_receives_only_agency_record_and_key(linked: tuple[Workspace, int]
                                                            ) -> None:
    ws, _ = linked
    table = registry.person_map(ws)
    assert table is not None and table.column_names == ["agency", "record_id", "person"]
    with ws.analytic(read_only=True) as con:
        tables = {r[0] for r in db.rows(con, "list tables", "SELECT table_name FROM "
                                        "information_schema.tables")}
    assert not any("link" in t or "key" in t for t in tables)


def test_quality_summary_for_the_report(linked: tuple[Workspace, int]) -> None:
    ws, _ = linked
    found = quality(ws)
    assert found is not None
    # the synthetic country's 2,000 children and every record its agencies wrote (from the
    # generator's truth), plus H1, H2 (one child) and H3: 3 records of 2 more children
    truth = json.loads((ws.root.parent / "country" / "truth" / "counts.json").read_text(
        encoding="utf-8"))
    records = sum(truth["records_by_agency"].values()) + 3
    # the model is not perfect (a few of the 2,002 children stay split), so the persons
    # are the distinct child keys the links hand out, and merged is every other record
    persons = len(set(keys_of(ws).values()))
    assert (found["records"], found["persons"], found["merged"]) == (
        records, persons, records - persons)
    assert found["threshold"] == 0.9
    assert Path(found["model_path"]).is_file()
    assert {"match_weights.html", "match_weights.json", "m_u_parameters.json"} <= set(
        found["charts"])


def test_relinking_is_reproducible_and_keeps_every_key(linked: tuple[Workspace, int]) -> None:
    ws, _ = linked
    model = (ws.root / "linkage" / "model.json").read_bytes()
    keys = keys_of(ws)
    summary = link(ws)
    assert (ws.root / "linkage" / "model.json").read_bytes() == model
    assert keys_of(ws) == keys
    assert (summary.created, summary.redirected, summary.retired) == (0, 0, 0)
    with registry.registry(ws, read_only=True) as reg:
        assert db.scalar(reg, "t", "SELECT count(*) FROM history WHERE run_id = ?",
                         [summary.run_id]) == 0


COURT_MANIFEST = MANIFEST.replace("police,,", "court,,").replace(",arrest,", ",,")
# K1: the court's record of H3's child; K2: a child no one else knows
COURT_CHILDREN = (
    "record_id,agency,given_name,family_name,date_of_birth,sex,national_id,region\n"
    "K1,court,Mirelle,Dantoshaw,2005-01-20,f,MD-77-4321,SOU2\n"
    "K2,court,Tobrin,Velasquor,2006-08-09,m,TV-55-1111,NOR2\n")


def test_a_new_delivery_attaches_incrementally(linked: tuple[Workspace, int],
                                               tmp_path: Path) -> None:
    ws, _ = linked
    keys = keys_of(ws)
    load(ws, tmp_path / "court-2019", {"manifest.csv": COURT_MANIFEST,
                                       "children.csv": COURT_CHILDREN})
    summary = link(ws, incremental=True)
    after = keys_of(ws)
    assert after[("court", "K1")] == keys[("police", "H3")]
    assert after[("court", "K2")] not in set(keys.values())
    assert {k: v for k, v in after.items() if k in keys} == keys
    assert (summary.records, summary.created, summary.redirected) == (len(keys) + 2, 1, 0)


def test_review_then_decisions_survive_relinking(linked: tuple[Workspace, int],
                                                 tmp_path: Path) -> None:
    ws, _ = linked
    out = tmp_path / "pairs.csv"
    export_review(ws, out, (0.0, 1.0))
    text = out.read_text(encoding="utf-8")
    assert not re.search(r"[0-9a-f]{64}", text)  # no token
    assert "Zorvath" not in text and "Quellinbrook" not in text
    header = text.splitlines()[0].split(",")
    assert header[:6] == ["agency_l", "record_id_l", "agency_r", "record_id_r",
                          "match_probability", "match_weight"]
    assert "given_name" in header and "given_name_weight" in header
    with open(out, encoding="utf-8", newline="") as handle:
        h1_h2 = [r for r in csv.DictReader(handle)
                 if {r["record_id_l"], r["record_id_r"]} == {"H1", "H2"}]
    # same given name and national id; Quellinbrook/Quelinbrook (Dice 24/25 = 0.96)
    # fold to one spelling (qu → k, oo → u, ll → l: "kelinbruk"), the level before the
    # Dice levels; the same full date of birth
    assert len(h1_h2) == 1
    assert (h1_h2[0]["given_name"], h1_h2[0]["family_name"], h1_h2[0]["national_id"],
            h1_h2[0]["dob"]) == ("same token", "same folded spelling", "same token",
                                 "same date")
    keys = keys_of(ws)
    h1 = keys[("police", "H1")]
    decisions = tmp_path / "decisions.csv"
    with open(decisions, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["agency_l", "record_id_l", "agency_r", "record_id_r", "decision"])
        writer.writerow(["police", "H1", "police", "H2", "cannot_link"])
        writer.writerow(["police", "H1", "police", "H3", "must_link"])
    apply_decision_file(ws, decisions)
    after = keys_of(ws)
    # H1 keeps its key (its part holds the first record); H3 joins it, its key redirects;
    # H2 is split off under a brand-new key
    assert after[("police", "H1")] == after[("police", "H3")] == h1
    new_key = after[("police", "H2")]
    assert new_key not in set(keys.values())
    with registry.registry(ws, read_only=True) as reg:
        assert registry.resolve(reg, keys[("police", "H3")]) == h1
    link(ws)  # decisions are applied again
    assert keys_of(ws) == after
