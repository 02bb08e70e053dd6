"""What the public may see of the pathways and outcomes (docs/pathways.md, docs/release.md).

Flow counts are protected like every other table: the stages reached and the flows
between them go through :func:`endvac.release.protect.protect` with the identities a
reader knows (the flows out of a stage, ``end`` included, add up to the children who
reached it; the flows into a stage other than the first add up likewise). A survival
curve is published only as far as every risk set is at least ``min_cell``: the first
point with fewer children at risk ends it, and an outcome at a later horizon is
withheld. :func:`public_pathways` gathers both into the release's ``pathways.json``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TypedDict

from endvac.config import ReleaseRules
from endvac.pathways.flows import Pathways
from endvac.pathways.outcomes import Outcome, Outcomes
from endvac.release.protect import CellKey, Constraint, Pattern, protect
from endvac.release.tables import round_to

REACHED = "PW_reached"
FLOW = "PW_flow"
PATHWAYS_FILE = "pathways.json"


class PublicStage(TypedDict):
    """A stage and the children of the cohort who reached it (``None`` when suppressed;
    ``suppressed``: primary or secondary)."""

    stage: str
    name: str
    children: int | None
    share: float | None  # of the cohort; None when either count is hidden
    suppressed: str | None


class PublicFlow(TypedDict):
    """Children moving from one stage to the next one reached (``end``: none yet)."""

    to: str
    children: int | None
    share: float | None  # of the children reaching ``from``; None when either is hidden
    suppressed: str | None


# ``from`` is a keyword: the functional form declares it
PublicFlowFrom = TypedDict("PublicFlowFrom", {"from": str})


class PublicFlowRow(PublicFlow, PublicFlowFrom):
    """One published flow: ``from``, ``to``, ``children``, ``share``, ``suppressed``."""


class CurvePoint(TypedDict):
    """A step of a Kaplan–Meier curve: survival (no re-contact), its band, at risk."""

    days: float
    survival: float
    ci_low: float
    ci_high: float
    at_risk: int


class PublicOutcome(TypedDict):
    """Re-contact by ``months`` for one group; every figure ``None`` when ``withheld``."""

    group: str
    months: int
    children: int | None
    recontact: float | None
    ci_low: float | None
    ci_high: float | None
    at_risk: int | None
    events: int | None
    censored: int | None
    withheld: str | None


class PublicFlows(TypedDict):
    reached: list[PublicStage]
    flows: list[PublicFlowRow]


class PublicPathways(TypedDict):
    """``pathways.json`` of a release: the protected pathways and outcomes of a cohort."""

    cohort: str
    children: int | None
    reached: list[PublicStage]
    flows: list[PublicFlowRow]
    outcomes: list[PublicOutcome]
    curves: dict[str, list[CurvePoint]]
    suppressed: dict[str, int]  # primary, secondary
    min_cell: int
    method: str


METHOD = ("stages reached and flows between them: primary suppression of counts "
          "1..min_cell-1 and secondary suppression audited by linear programming over "
          "'flows out of a stage (end included) = children reaching it' and 'flows into "
          "a stage = children reaching it'; survival curves cut before the first risk "
          "set below min_cell, outcomes withheld past it (docs/release.md)")


def _stage_key(cohort: str, stage: str) -> CellKey:
    return CellKey(REACHED, cohort, stage, "numerator")


def _flow_key(cohort: str, source: str, target: str) -> CellKey:
    return CellKey(FLOW, cohort, f"{source}>{target}", "numerator")


def flow_cells(pathways: Pathways) -> dict[CellKey, int]:
    """The counts the release protects: children reaching each stage, and each flow."""
    cells = {_stage_key(pathways.cohort, r["stage"]): int(r["children"])
             for r in pathways.reached}
    cells.update({_flow_key(pathways.cohort, f["from"], f["to"]): int(f["children"])
                  for f in pathways.flows})
    return cells


def flow_identities(pathways: Pathways) -> list[Constraint]:
    """What a reader knows of the flow counts: per stage, the flows out (and, but for the
    first stage, the flows in) add up to the children reaching it."""
    out = []
    first = pathways.reached[0]["stage"] if pathways.reached else None
    for r in pathways.reached:
        stage = _stage_key(pathways.cohort, r["stage"])
        for side, ends in (("out", "from"), ("in", "to")):
            if side == "in" and r["stage"] == first:
                continue
            terms = [(_flow_key(pathways.cohort, f["from"], f["to"]), 1)
                     for f in pathways.flows if f[ends] == r["stage"]]
            if terms:
                out.append(Constraint(f"{r['stage']} {side}", (*terms, (stage, -1))))
    return out


def flow_pattern(pathways: Pathways, rules: ReleaseRules) -> Pattern:
    """The joint suppression of the flow counts (the stages reached are the margins)."""
    cells = flow_cells(pathways)
    if not cells:
        return Pattern()
    return protect(cells, flow_identities(pathways), min_cell=rules.min_cell,
                   protection=rules.protection,
                   margins=[k for k in cells if k.indicator == REACHED])


def _share(part: int | None, whole: int | None) -> float | None:
    return part / whole if part is not None and whole else None


def public_cohort(pathways: Pathways, rules: ReleaseRules, pattern: Pattern) -> int | None:
    """The cohort's size as published: every cohort child reaches the first stage, so it
    is hidden with that stage's count (and when it is below ``min_cell``)."""
    first = pathways.reached[0]["stage"] if pathways.reached else None
    if (0 < pathways.children < rules.min_cell
            or (first and _stage_key(pathways.cohort, first) in pattern.suppressed)):
        return None
    return round_to(pathways.children, rules.rounding_base) if rules.rounding_base \
        else pathways.children


def public_flows(pathways: Pathways, rules: ReleaseRules,
                 pattern: Pattern | None = None) -> PublicFlows:
    """The stages reached and the flows, each count ``None`` and ``suppressed`` where
    the joint suppression hides it (rounded when the release rounds)."""
    cells = flow_cells(pathways)
    pattern = pattern or flow_pattern(pathways, rules)
    children = public_cohort(pathways, rules, pattern)

    def shown(key: CellKey) -> tuple[int | None, str | None]:
        if key in pattern.suppressed:
            return None, pattern.suppressed[key].kind
        base = rules.rounding_base
        return (round_to(cells[key], base) if base else cells[key]), None

    cohort = pathways.cohort
    reached_counts = {r["stage"]: shown(_stage_key(cohort, r["stage"]))
                      for r in pathways.reached}
    reached: list[PublicStage] = [
        {"stage": r["stage"], "name": r["name"], "children": reached_counts[r["stage"]][0],
         "share": _share(reached_counts[r["stage"]][0], children),
         "suppressed": reached_counts[r["stage"]][1]} for r in pathways.reached]
    flows: list[PublicFlowRow] = []
    for f in pathways.flows:
        children, kind = shown(_flow_key(cohort, f["from"], f["to"]))
        whole = reached_counts.get(f["from"], (None, None))[0]
        flows.append({"from": f["from"], "to": f["to"], "children": children,
                      "share": _share(children, whole), "suppressed": kind})
    return {"reached": reached, "flows": flows}


def publishable_curve(points: Sequence[Mapping[str, float]], min_cell: int
                      ) -> list[CurvePoint]:
    """The curve up to (not including) its first point with fewer than ``min_cell`` at
    risk."""
    out: list[CurvePoint] = []
    for point in points:
        if point["at_risk"] < min_cell:
            break
        out.append({"days": float(point["days"]), "survival": float(point["survival"]),
                    "ci_low": float(point["ci_low"]), "ci_high": float(point["ci_high"]),
                    "at_risk": int(point["at_risk"])})
    return out


def _public_outcome(row: Outcome, risk_sets: list[int], min_cell: int) -> PublicOutcome:
    record: PublicOutcome = {
        "group": row.group, "months": row.months, "children": row.children,
        "recontact": row.recontact, "ci_low": row.ci_low, "ci_high": row.ci_high,
        "at_risk": row.at_risk, "events": row.events, "censored": row.censored,
        "withheld": None}
    if row.children == 0 or min(risk_sets) < min_cell:
        return {"group": row.group, "months": row.months, "children": None,
                "recontact": None, "ci_low": None, "ci_high": None, "at_risk": None,
                "events": None, "censored": None,
                "withheld": f"a risk set below {min_cell}"}
    if 0 < row.events < min_cell or 0 < row.censored < min_cell:
        record["events"] = record["censored"] = None  # both: their sum is known
    return record


def public_outcomes(outcomes: Outcomes, rules: ReleaseRules) -> list[PublicOutcome]:
    """The outcome rows whose every risk set up to the horizon (the curve's points, and
    the children still followed after it) is at least ``min_cell``; the others with every
    figure withheld. When events or censored is from 1 to min_cell - 1 both are hidden
    (their sum, children - at_risk, is published)."""
    out = []
    for row in outcomes.rows:
        horizon = row.months * 365.25 / 12
        curve = outcomes.curves.get(row.group, [])
        risk_sets = [int(p["at_risk"]) for p in curve if p["days"] <= horizon]
        out.append(_public_outcome(row, [*risk_sets, row.at_risk], rules.min_cell))
    return out


def public_pathways(pathways: Pathways, outcomes: Outcomes,
                    rules: ReleaseRules) -> PublicPathways:
    """The release's ``pathways.json``: protected flows, outcomes and cut curves."""
    pattern = flow_pattern(pathways, rules)
    flows = public_flows(pathways, rules, pattern)
    kinds = Counter(s.kind for s in pattern.suppressed.values())
    return {"cohort": pathways.cohort,
            "children": public_cohort(pathways, rules, pattern),
            "reached": flows["reached"], "flows": flows["flows"],
            "outcomes": public_outcomes(outcomes, rules),
            "curves": {group: publishable_curve(points, rules.min_cell)
                       for group, points in outcomes.curves.items()},
            "suppressed": {"primary": kinds["primary"], "secondary": kinds["secondary"]},
            "min_cell": rules.min_cell, "method": METHOD}
