"""What the public may see of the pathways and outcomes (docs/pathways.md, docs/release.md).

Flow counts are protected like every other table: the stages reached and the flows
between them go through :func:`endvac.release.protect.protect` with the identities a
reader knows (the flows out of a stage, ``end`` included, add up to the children who
reached it; the flows into a stage other than the first add up likewise). A survival
curve is published only as far as every risk set is at least ``min_cell``: the first
point with fewer children at risk ends it, and an outcome at a later horizon is
withheld.
"""

from __future__ import annotations

from typing import Any

from endvac.config import ReleaseRules
from endvac.pathways.flows import Pathways
from endvac.pathways.outcomes import Outcomes
from endvac.release.protect import CellKey, Constraint, protect

REACHED = "PW_reached"
FLOW = "PW_flow"


def _cells(pathways: Pathways) -> dict[CellKey, int]:
    cells = {CellKey(REACHED, pathways.cohort, r["stage"], "numerator"): r["children"]
             for r in pathways.reached}
    cells.update({CellKey(FLOW, pathways.cohort, f"{f['from']}>{f['to']}", "numerator"):
                  f["children"] for f in pathways.flows})
    return cells


def _identities(pathways: Pathways) -> list[Constraint]:
    out = []
    first = pathways.reached[0]["stage"] if pathways.reached else None
    for r in pathways.reached:
        stage = CellKey(REACHED, pathways.cohort, r["stage"], "numerator")
        for side, ends in (("out", "from"), ("in", "to")):
            if side == "in" and r["stage"] == first:
                continue
            terms = [(CellKey(FLOW, pathways.cohort, f"{f['from']}>{f['to']}", "numerator"), 1)
                     for f in pathways.flows if f[ends] == r["stage"]]
            if terms:
                out.append(Constraint(f"{r['stage']} {side}", (*terms, (stage, -1))))
    return out


def public_flows(pathways: Pathways, rules: ReleaseRules) -> dict[str, list[dict[str, Any]]]:
    """The stages reached and the flows, each count ``None`` and ``suppressed`` where
    the joint suppression hides it."""
    cells = _cells(pathways)
    pattern = protect(cells, _identities(pathways), min_cell=rules.min_cell,
                      protection=rules.protection,
                      margins=[k for k in cells if k.indicator == REACHED])

    def shown(key: CellKey) -> dict[str, Any]:
        hidden = key in pattern.suppressed
        return {"children": None if hidden else cells[key],
                "suppressed": pattern.suppressed[key].kind if hidden else None}

    reached = [{"stage": r["stage"], "name": r["name"],
                **shown(CellKey(REACHED, pathways.cohort, r["stage"], "numerator"))}
               for r in pathways.reached]
    flows = [{"from": f["from"], "to": f["to"],
              **shown(CellKey(FLOW, pathways.cohort, f"{f['from']}>{f['to']}", "numerator"))}
             for f in pathways.flows]
    return {"reached": reached, "flows": flows}


def publishable_curve(points: list[dict[str, float]], min_cell: int) -> list[dict[str, float]]:
    """The curve up to (not including) its first point with fewer than ``min_cell`` at
    risk."""
    out = []
    for point in points:
        if point["at_risk"] < min_cell:
            break
        out.append(point)
    return out


def public_outcomes(outcomes: Outcomes, rules: ReleaseRules) -> list[dict[str, Any]]:
    """The outcome rows whose every risk set up to the horizon (the curve's points, and
    the children still followed after it) is at least ``min_cell``; the others with every
    figure withheld. When events or censored is from 1 to min_cell - 1 both are hidden
    (their sum, children - at_risk, is published)."""
    out = []
    for row in outcomes.rows:
        horizon = row.months * 365.25 / 12
        curve = outcomes.curves.get(row.group, [])
        risk_sets = [p["at_risk"] for p in curve if p["days"] <= horizon] + [row.at_risk]
        record = row.to_dict()
        if row.children == 0 or min(risk_sets) < rules.min_cell:
            record.update({k: None for k in ("recontact", "ci_low", "ci_high", "at_risk",
                                             "events", "censored", "children")})
            record["withheld"] = f"a risk set below {rules.min_cell}"
        elif any(0 < record[k] < rules.min_cell for k in ("events", "censored")):
            record.update(events=None, censored=None)  # both: their sum is known
        out.append(record)
    return out
