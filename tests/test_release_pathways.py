"""The pathways in the public release (issue 16, item 4): a hand-made cohort whose flows
and curves are written out here, the suppression checked with an attacker's LP solved in
the test (scipy's linprog, independent of endvac.release.protect), and the release folder
holding ``pathways.json`` beside the indicator tables."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
from scipy.optimize import linprog

from endvac.config import ReleaseRules
from endvac.pathways import report as pathway_report
from endvac.pathways.flows import Pathways
from endvac.pathways.outcomes import Outcome, Outcomes
from endvac.release import build_release, load_release
from endvac.release.pathways import public_pathways
from endvac.report import builtin
from endvac.report.build import build_report
from endvac.workspace import Workspace
from indicator_helpers import TODAY
from pathway_helpers import load_cohort

RULES = ReleaseRules(min_cell=5)  # protection p = min_cell = 5

# A cohort of 20 children first in contact in 2024:
#   contact (20) -> diversion 8, -> charge 9, -> end 3
#   diversion (8) -> charge 2, -> end 6
#   charge (11 = 9 + 2) -> end 11
# A reader knows: flows out of a stage add up to it, flows into a stage (not the first)
# add up to it. Primary: contact>end (3) and diversion>charge (2).
REACHED = {"contact": 20, "diversion": 8, "charge": 11}
FLOWS = {("contact", "diversion"): 8, ("contact", "charge"): 9, ("contact", "end"): 3,
         ("diversion", "charge"): 2, ("diversion", "end"): 6, ("charge", "end"): 11}


def hand_pathways() -> Pathways:
    reached = [{"stage": s, "name": s.title(), "children": n, "share": n / 20}
               for s, n in REACHED.items()]
    flows = [{"from": a, "to": b, "children": n, "share": n / REACHED[a]}
             for (a, b), n in FLOWS.items()]
    return Pathways("2024", 20, date(2025, 12, 31), reached, flows)


def point(days: float, at_risk: int, survival: float) -> dict[str, float]:
    return {"days": days, "survival": survival, "ci_low": survival - 0.1,
            "ci_high": min(1.0, survival + 0.1), "at_risk": at_risk}


# custodial: 12 children; at risk 12 on day 0, 9 on day 40, 5 on day 150, 4 on day 300
# (first set below 5), 2 on day 500
CUSTODIAL = [point(0, 12, 1.0), point(40, 9, 0.9), point(150, 5, 0.7),
             point(300, 4, 0.5), point(500, 2, 0.4)]
# non-custodial: 30 children, never fewer than 20 at risk up to day 800
NON_CUSTODIAL = [point(0, 30, 1.0), point(100, 26, 0.9), point(800, 20, 0.8)]


def hand_outcomes() -> Outcomes:
    rows = [
        # 6 months = 182.6 days: risk sets 12, 9, 5 and 5 still followed: published, but
        # events 5 and censored 2 (2 is small; their sum 7 = 12 - 5 is known): both hidden
        Outcome("custodial", 6, 12, 0.3, 0.1, 0.5, 5, 5, 2),
        # 12 months = 365.25 days: the set of 4 on day 300 withholds the whole row
        Outcome("custodial", 12, 12, 0.5, 0.2, 0.7, 3, 6, 3),
        # 24 months: risk sets 30, 26, 20 and 20 followed; events 10, censored 0: shown
        Outcome("non_custodial", 24, 30, 0.2, 0.1, 0.3, 20, 10, 0),
    ]
    return Outcomes("2024", date(2025, 12, 31), False, rows, {},
                    {"custodial": CUSTODIAL, "non_custodial": NON_CUSTODIAL})


def attacker_bounds(published: dict[tuple[str, str], int | None],
                    reached: dict[str, int | None]) -> dict[tuple[str, str], tuple[float, float]]:
    """Min and max of each hidden flow under the identities, every published count
    fixed and every count non-negative (the attacker's LP, written here)."""
    flows = list(FLOWS)
    stages = list(REACHED)
    names = [("flow", f) for f in flows] + [("stage", s) for s in stages]
    index = {n: i for i, n in enumerate(names)}
    rows, rhs = [], []
    for stage in stages:
        for end in (0, 1):  # flows out of (0) and into (1) the stage
            if end == 1 and stage == "contact":
                continue
            row = np.zeros(len(names))
            for f in flows:
                if f[end] == stage:
                    row[index[("flow", f)]] = 1
            row[index[("stage", stage)]] = -1
            rows.append(row)
            rhs.append(0.0)
    known = {("flow", f): v for f, v in published.items()} | {
        ("stage", s): v for s, v in reached.items()}
    for name, value in known.items():
        if value is not None:
            row = np.zeros(len(names))
            row[index[name]] = 1
            rows.append(row)
            rhs.append(float(value))
    out = {}
    for f, value in published.items():
        if value is not None:
            continue
        c = np.zeros(len(names))
        c[index[("flow", f)]] = 1
        low = linprog(c, A_eq=np.array(rows), b_eq=rhs, bounds=(0, None))
        high = linprog(-c, A_eq=np.array(rows), b_eq=rhs, bounds=(0, None))
        assert low.status == 0 and high.status == 0
        out[f] = (low.fun, -high.fun)
    return out


def test_small_flows_are_suppressed_and_cannot_be_recovered() -> None:
    shown = public_pathways(hand_pathways(), hand_outcomes(), RULES)
    flows = {(f["from"], f["to"]): f for f in shown["flows"]}
    assert flows[("contact", "end")]["suppressed"] == "primary"  # 3 < 5
    assert flows[("diversion", "charge")]["suppressed"] == "primary"  # 2 < 5
    published = {f: flows[f]["children"] for f in FLOWS}
    reached = {r["stage"]: r["children"] for r in shown["reached"]}
    # what is shown is the true count
    for f, value in published.items():
        assert value in (None, FLOWS[f])
        assert (value is None) == (flows[f]["suppressed"] is not None)
        assert flows[f]["share"] == (None if value is None or reached[f[0]] is None
                                     else FLOWS[f] / REACHED[f[0]])
    for s, value in reached.items():
        assert value in (None, REACHED[s])
    # contact's flows out: hiding 3 alone would give it away (20 - 8 - 9), so at least
    # one more flow out of contact (or contact itself) is hidden
    assert sum(published[f] is None for f in FLOWS if f[0] == "contact") >= 2 \
        or reached["contact"] is None
    # the attacker's LP: every hidden flow stays uncertain by p = 5 either way (down to 0)
    bounds = attacker_bounds(published, reached)
    assert set(bounds) == {f for f, v in published.items() if v is None}
    for f, (low, high) in bounds.items():
        assert low <= max(0, FLOWS[f] - 5) + 1e-6 and high >= FLOWS[f] + 5 - 1e-6, f
        assert high - low > 1  # not recovered exactly
    assert shown["suppressed"]["primary"] == 2
    assert shown["suppressed"]["secondary"] == sum(
        f["suppressed"] == "secondary" for f in shown["flows"]) + sum(
        r["suppressed"] == "secondary" for r in shown["reached"])


def test_attacker_lp_recovers_a_flow_hidden_alone() -> None:
    # the LP written above is an attack that works: with only contact>end hidden, the
    # identity contact = 8 + 9 + x gives x = 3 exactly
    published: dict[tuple[str, str], int | None] = dict(FLOWS)
    published[("contact", "end")] = None
    bounds = attacker_bounds(published, dict(REACHED))
    assert bounds[("contact", "end")] == (3.0, 3.0)


def test_curves_stop_where_the_risk_set_falls_below_min_cell() -> None:
    shown = public_pathways(hand_pathways(), hand_outcomes(), RULES)
    assert [p["days"] for p in shown["curves"]["custodial"]] == [0.0, 40.0, 150.0]
    assert [p["at_risk"] for p in shown["curves"]["custodial"]] == [12, 9, 5]
    assert [p["days"] for p in shown["curves"]["non_custodial"]] == [0.0, 100.0, 800.0]
    rows = {(o["group"], o["months"]): o for o in shown["outcomes"]}
    six = rows[("custodial", 6)]
    assert (six["recontact"], six["at_risk"], six["children"]) == (0.3, 5, 12)
    assert (six["events"], six["censored"]) == (None, None)
    twelve = rows[("custodial", 12)]
    assert twelve["recontact"] is None and twelve["at_risk"] is None
    assert twelve["withheld"] == "a risk set below 5"
    two_years = rows[("non_custodial", 24)]
    assert (two_years["recontact"], two_years["events"], two_years["censored"]) == (0.2, 10, 0)
    assert shown["children"] == 20 and shown["cohort"] == "2024"


def test_cohort_size_hidden_with_its_first_stage() -> None:
    small = Pathways("2024", 4, None, [{"stage": "contact", "name": "Contact",
                                        "children": 4, "share": 1.0}],
                     [{"from": "contact", "to": "end", "children": 4, "share": 1.0}])
    shown = public_pathways(small, Outcomes("2024", None, False), RULES)
    assert shown["children"] is None
    assert shown["reached"][0]["children"] is None and shown["reached"][0]["share"] is None
    assert shown["flows"][0]["children"] is None


def test_release_folder_holds_pathways_json(ws: Workspace, tmp_path: Path) -> None:
    load_cohort(ws, tmp_path)
    summary = build_release(ws, "2024", today=TODAY)
    release = load_release(ws)
    meta = json.loads((release.path / "release.json").read_text(encoding="utf-8"))
    assert meta["format"] == 2
    assert meta["pathways"]["file"] == "pathways.json"
    assert meta["pathways"]["cohort"] == meta["period"]
    assert "pathways" not in meta["tables"]  # readers of the Parquet tables see no change
    assert sorted(p.name for p in release.path.glob("*.json")) == ["pathways.json",
                                                                   "release.json"]
    shown = release.pathways()
    assert shown is not None and shown == summary.pathways
    # Without linkage each police record is a child and only police events join its
    # case: A-H, J and L first arrested in 2024 (10), D alone in police custody. So
    # contact 10 -> end 9, -> police_custody 1; police_custody 1 -> end 1.
    # Primary: the three 1s. Then contact = 9 + x would give x away: contact>end is
    # hidden, and it must itself stay uncertain by 5 (up to 14 > 10), so contact goes
    # too, and with it the cohort's size.
    reached = {r["stage"]: (r["children"], r["suppressed"]) for r in shown["reached"]}
    flows = {(f["from"], f["to"]): (f["children"], f["suppressed"]) for f in shown["flows"]}
    assert reached == {"contact": (None, "secondary"), "police_custody": (None, "primary")}
    assert flows == {("contact", "end"): (None, "secondary"),
                     ("contact", "police_custody"): (None, "primary"),
                     ("police_custody", "end"): (None, "primary")}
    assert shown["children"] is None
    assert shown["suppressed"] == {"primary": 3, "secondary": 2}
    assert meta["pathways"]["suppressed"] == {"primary": 3, "secondary": 2}
    # no decision of a police-only child starts a clock: every group has fewer than 5
    # children, every outcome is withheld and every curve is empty
    assert all(o["withheld"] == "a risk set below 5" and o["recontact"] is None
               for o in shown["outcomes"])
    assert all(points == [] for points in shown["curves"].values())


def test_public_report_shows_only_the_published_pathways(ws: Workspace, tmp_path: Path
                                                         ) -> None:
    load_cohort(ws, tmp_path)
    build_release(ws, "2024", today=TODAY)
    out = tmp_path / "public.html"
    build_report(ws, "2024", out, public=True,
                 sections=(*builtin.SECTIONS, *pathway_report.SECTIONS))
    html = out.read_text(encoding="utf-8")
    assert html.count("Pathways and outcomes") >= 1
    assert "Stages reached" in html and "Flows between stages" in html
    # the release hid every count of this cohort (see above): no number of it is shown,
    # and the restricted chapter (stage times, weighted comparison) is not there
    assert "too few to publish their number" in html
    assert "Time between stages" not in html and "Weighted difference" not in html
    assert "withheld: too few children followed" in html
    assert "95% interval" in html and "%%" not in html


def test_release_command_reports_the_pathways(ws: Workspace, tmp_path: Path) -> None:
    from cli_helpers import endvac

    load_cohort(ws, tmp_path)
    result = endvac("release", ws.root, "--period", "2024")
    assert result.exit_code == 0, result.stderr
    # the hand cohort above: 3 flows, 3 primary and 2 secondary suppressions
    assert "pathways.json: 3 flows; suppressed: 3 primary, 2 secondary" in result.stdout
