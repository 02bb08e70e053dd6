"""The public report: built only from the public release (the analytic store is never
opened), no count below the release's min_cell, no record-level chapter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from endvac.release import build_release, load_release
from endvac.release.store import releases
from endvac.report import build_report
from endvac.workspace import Workspace, open_workspace
from indicator_helpers import load_all
from report_helpers import counts, parse, shown, values
from test_indicators_jj1 import POLICE

DETENTION = {
    "children.csv": ("record_id,agency,date_of_birth,sex,region\n"
                     + "".join(f"D{i},detention,2010-01-01,{'fm'[i % 2]},D{1 + i % 2}\n"
                               for i in range(12))),
    "detentions.csv": ("spell_id,agency,record_id,facility_id,basis,start,end\n"
                   + "".join(f"S{i},detention,D{i},F1,pre_sentence,2025-0{1 + i % 9}-01,\n"
                             for i in range(12))),
}


@pytest.fixture
def small(ws: Workspace, tmp_path: Path) -> Workspace:
    load_all(ws, tmp_path, {"police": POLICE, "detention": DETENTION})
    return open_workspace(ws.root)


def test_public_report_has_no_small_count_and_no_record_level_part(small: Workspace,
                                                                    tmp_path: Path) -> None:
    out = tmp_path / "public.html"
    summary = build_report(small, "2025", out, public=True)
    assert releases(small.root) == [1]  # built because none existed
    found = parse(out)
    min_cell = load_release(small).meta["settings"]["min_cell"]
    assert min_cell == 5
    shown_counts = [c for c in counts(found) if c not in ("suppressed", "–")]
    assert shown_counts, "the report shows counts"
    assert all(int(c.replace(",", "")) == 0 or int(c.replace(",", "")) >= min_cell
               for c in shown_counts), sorted(set(shown_counts))
    assert "suppressed" in counts(found)  # 4 arrests of children, 1 girl: suppressed
    names = [s["id"] for s in found.sections]
    assert [n for n in names if n in ("summary", "indicators", "safeguards", "equity",
                                      "quality", "methodology")] == [
        "summary", "indicators", "quality", "methodology"]
    assert not any(s.get("data-record-level") for s in found.sections)
    html = out.read_text(encoding="utf-8")
    for word in ("Alerts by", "Deliveries", "Quarantined rows", "RESTRICTED"):
        assert word not in html
    assert summary.public and summary.source == "public release 1"


def test_public_values_are_the_release_values(small: Workspace, tmp_path: Path) -> None:
    build_release(small, "2025")
    out = tmp_path / "public.html"
    build_report(small, "2025", out, public=True)
    found = parse(out)
    release = load_release(small)
    for row in release.rows("total"):
        texts = values(found, row["id"])
        if row["value_suppressed"]:
            assert texts == {"suppressed"}, row["id"]
        elif row["value"] is not None:
            assert texts == {shown(row["value"], row["unit"])}, row["id"]
    # JJ3: 12 children held before sentence on 31 December among 8,000: 150.0
    assert values(found, "JJ3") == {"150.0"}
    # 12 children detained, 6 girls and 6 boys, 6 in each region: the headline stands
    html = out.read_text(encoding="utf-8")
    assert "Headline figures: JJ2 published; JJ3 published." in html
    assert "Counts withheld by table: " in html


def test_public_report_never_opens_the_store(small: Workspace, tmp_path: Path) -> None:
    build_release(small, "2025")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from pathlib import Path; from endvac.workspace import open_workspace\n"
         f"ws = open_workspace(Path({str(small.root)!r}))\n"
         "with ws.analytic() as con:\n"
         "    print('holding', flush=True); sys.stdin.readline()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        build_report(small, "2025", tmp_path / "public.html", public=True)
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=60)
    assert (tmp_path / "public.html").is_file()
