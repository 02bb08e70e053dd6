"""Outcomes after a decision: re-contact with the police within 6, 12 and 24 months.

Groups (stages.yaml): a completed or a failed diversion (the clock starts when its
completion or failure is recorded), a non-custodial sentence (at the sentence), a
custodial sentence (at the release that follows it). The cohort is the children whose
clock starts in the period (their first start per group). A re-contact is a later
contact (arrest) of the same child in another case. Follow-up ends at the end of the
data and at the 18th birthday, unless the workspace config says
``pathways.follow_adults: true`` (then linked adult records are followed too).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from endvac.facts.derived import Facts
from endvac.indicators.periods import Period
from endvac.pathways import sql
from endvac.pathways.definitions import PathwayDefinitions, load_pathway_definitions
from endvac.pathways.flows import data_end, prepare
from endvac.pathways.survival import DAYS_PER_MONTH, at_horizons, curve
from endvac.pathways.weighting import CAVEAT, Comparison, compare
from endvac.store import db


@dataclass(frozen=True)
class Outcome:
    """Re-contact by ``months`` after the decision for one group (Kaplan–Meier)."""

    group: str
    months: int
    children: int
    recontact: float | None
    ci_low: float | None
    ci_high: float | None
    at_risk: int
    events: int
    censored: int

    def to_dict(self) -> dict[str, Any]:
        return {"group": self.group, "months": self.months, "children": self.children,
                "recontact": self.recontact, "ci_low": self.ci_low, "ci_high": self.ci_high,
                "at_risk": self.at_risk, "events": self.events, "censored": self.censored}


@dataclass(frozen=True)
class Outcomes:
    """The cohort's outcomes, curves for charts and the weighted comparisons."""

    cohort: str
    data_end: date | None
    follow_adults: bool
    rows: list[Outcome] = field(default_factory=list)
    not_at_risk: dict[str, int] = field(default_factory=dict)
    curves: dict[str, list[dict[str, float]]] = field(default_factory=dict)
    comparisons: list[Comparison] = field(default_factory=list)
    caveat: str = CAVEAT

    def records(self) -> list[dict[str, Any]]:
        """One object per group and horizon; a group compared with the reference also
        carries its weighted re-contact, the reference's, and the weighted difference
        with its 95% interval."""
        adjusted = {(c.group, h["months"]): (c.reference, h) for c in self.comparisons
                    for h in c.horizons}
        out = []
        for row in self.rows:
            record = row.to_dict()
            reference, h = adjusted.get((row.group, row.months), (None, {}))
            record.update({"reference": reference,
                           "adjusted_recontact": h.get("recontact"),
                           "adjusted_reference_recontact": h.get("reference_recontact"),
                           "adjusted_difference": h.get("difference"),
                           "difference_ci_low": h.get("ci_low"),
                           "difference_ci_high": h.get("ci_high")})
            out.append(record)
        return out

    def balance(self) -> list[dict[str, Any]]:
        """The balance table: standardised mean differences before and after weighting."""
        return [{"group": c.group, "reference": c.reference, **b}
                for c in self.comparisons for b in c.balance]


def follow_up(facts: Facts, period: Period, defs: PathwayDefinitions,
              follow_adults: bool) -> list[dict[str, Any]]:
    """Per (group, child): covariates, days followed, re-contacted, at risk."""
    params = {"period_start": period.start, "period_end": period.end,
              "data_end": data_end(facts)}
    db.run(facts.con, "find the decisions of the cohort", sql.decisions_sql(defs), params)
    return db.records(facts.con, "follow the children after the decision",
                      sql.follow_up_sql(defs, follow_adults), params)


def _group_outcomes(group: str, rows: list[dict[str, Any]], months: tuple[int, ...]
                    ) -> list[Outcome]:
    days = [float(r["days"]) for r in rows]
    events = [bool(r["recontacted"]) for r in rows]
    points = at_horizons(days, events, [m * DAYS_PER_MONTH for m in months])
    return [Outcome(group, m, len(rows),
                    None if p.survival is None else 1 - p.survival,
                    None if p.ci_high is None else 1 - p.ci_high,
                    None if p.ci_low is None else 1 - p.ci_low,
                    p.at_risk, p.events, p.censored) for m, p in zip(months, points, strict=True)]


def cohort_outcomes(facts: Facts, period: Period, *, follow_adults: bool = False,
                    within: tuple[int, ...] | None = None,
                    defs: PathwayDefinitions | None = None, prepared: bool = False,
                    adjust: bool = True, bootstrap: int | None = None,
                    with_curves: bool = False) -> Outcomes:
    """Re-contact of the cohort's children after each kind of decision."""
    defs = defs or load_pathway_definitions()
    if not prepared:
        prepare(facts, defs)
    months = within or defs.horizons_months
    rows = follow_up(facts, period, defs, follow_adults) if facts.span else []
    at_risk = [r for r in rows if r["at_risk"]]
    out, curves, not_at_risk = [], {}, {}
    for group in defs.groups:
        mine = [r for r in at_risk if r["grp"] == group.id]
        not_at_risk[group.id] = sum(1 for r in rows if r["grp"] == group.id and not r["at_risk"])
        out += _group_outcomes(group.id, mine, months)
        if with_curves:
            curves[group.id] = curve([float(r["days"]) for r in mine],
                                     [bool(r["recontacted"]) for r in mine])
    comparisons = []
    if adjust:
        horizons = [m * DAYS_PER_MONTH for m in months]
        present = {r["grp"] for r in at_risk}
        for group in defs.groups:
            if group.id == defs.reference_group or not {group.id, defs.reference_group} <= present:
                continue
            comparisons.append(compare(
                at_risk, group.id, defs.reference_group, defs.covariates, horizons, months,
                defs.bootstrap if bootstrap is None else bootstrap))
    return Outcomes(str(period), data_end(facts), follow_adults, out, not_at_risk, curves,
                    comparisons)
