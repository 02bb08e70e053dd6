"""Pathways of a cohort: stages reached, flows between them, attrition, time between stages.

The cohort is the children whose first contact as a child falls in the period; each is
followed along the case of that contact (its stages joined by the case key).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from endvac.facts.derived import Facts
from endvac.indicators.periods import Period
from endvac.pathways import sql
from endvac.pathways.definitions import PathwayDefinitions, load_pathway_definitions
from endvac.pathways.survival import Quantiles, quantiles
from endvac.store import db

TOTAL = "total"


@dataclass(frozen=True)
class StageTime:
    """Time between two stages for one breakdown cell (``by``: total or a region)."""

    interval: str
    name: str
    by: str
    times: Quantiles

    def to_dict(self) -> dict[str, Any]:
        t = self.times
        return {"interval": self.interval, "name": self.name, "by": self.by, "n": t.n,
                "events": t.events, "censored": t.censored, "median": t.median,
                "median_ci_low": t.median_ci[0], "median_ci_high": t.median_ci[1],
                "q1": t.q1, "q1_ci_low": t.q1_ci[0], "q1_ci_high": t.q1_ci[1],
                "q3": t.q3, "q3_ci_low": t.q3_ci[0], "q3_ci_high": t.q3_ci[1]}


@dataclass(frozen=True)
class Pathways:
    """What happened to a cohort: counts of children (one case each) and times in days."""

    cohort: str
    children: int
    data_end: date | None
    reached: list[dict[str, Any]] = field(default_factory=list)
    flows: list[dict[str, Any]] = field(default_factory=list)
    attrition: list[dict[str, Any]] = field(default_factory=list)
    details: list[dict[str, Any]] = field(default_factory=list)
    times: list[StageTime] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        """Every figure as one flat row (``section``: stage, flow, detail or time)."""
        rows: list[dict[str, Any]] = [{"section": "stage", **a} for a in self.attrition]
        rows += [{"section": "flow", "stage": f["from"], **f} for f in self.flows]
        rows += [{"section": "detail", **d} for d in self.details]
        rows += [{"section": "time", "stage": t.interval, **t.to_dict()} for t in self.times]
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {"cohort": self.cohort, "children": self.children,
                "data_end": None if self.data_end is None else self.data_end.isoformat(),
                "reached": self.reached, "flows": self.flows, "attrition": self.attrition,
                "details": self.details, "stage_times": [t.to_dict() for t in self.times]}


def data_end(facts: Facts) -> date | None:
    """The last day the data cover: the last fact, never after the day read as of."""
    return None if facts.span is None else min(facts.span[1], facts.today)


def prepare(facts: Facts, defs: PathwayDefinitions) -> None:
    """Create ``pathway_facts``, ``pathway_stages`` and ``first_contacts`` once per command."""
    db.run(facts.con, "find the case of each fact", sql.pathway_facts_sql())
    db.run(facts.con, "date the stages of each case", sql.pathway_stages_sql(defs))
    for stage in defs.stages:
        if stage.attach_after:
            db.run(facts.con, f"attach {stage.id} to its case", sql.attached_stage_sql(stage))
    db.run(facts.con, "find each child's first contact", sql.first_contacts_sql(defs))
    db.run(facts.con, "find the offence of each case", sql.case_offences_sql())


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _flows(facts: Facts, defs: PathwayDefinitions, cohort: int
           ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    names = {s.id: s.name for s in defs.stages}
    reached = {stage: n for stage, n in db.rows(facts.con, "count stages reached",
                                                 sql.reached_sql())}
    flow_rows = db.rows(facts.con, "count flows between stages", sql.flows_sql())
    flows = [{"from": a, "to": b, "children": n, "share": _share(n, reached[a])}
             for a, b, n in flow_rows]
    ended = {a: n for a, b, n in flow_rows if b == "end"}
    attrition = [{"stage": s, "name": names[s], "reached": n,
                  "reached_share": _share(n, cohort), "ended": ended.get(s, 0),
                  "ended_share": _share(ended.get(s, 0), n)} for s, n in reached.items()]
    reach = [{"stage": s, "name": names[s], "children": n, "share": _share(n, cohort)}
             for s, n in reached.items()]
    return reach, flows, attrition


def _details(facts: Facts, defs: PathwayDefinitions) -> list[dict[str, Any]]:
    out = []
    for stage in defs.flow_stages:
        if not stage.detail:
            continue
        for row in db.rows(facts.con, f"count {stage.id} by detail", sql.detail_sql(stage)):
            key = ";".join(f"{col}={'unknown' if v is None else v}"
                           for col, v in zip(stage.detail, row, strict=False))
            out.append({"stage": stage.id, "detail": key, "children": row[-1]})
    return out


def _times(facts: Facts, defs: PathwayDefinitions, params: dict[str, Any]) -> list[StageTime]:
    out = []
    for interval in defs.intervals:
        rows = db.rows(facts.con, f"time {interval.id}", sql.interval_sql(interval), params)
        cells: dict[str, tuple[list[float], list[bool]]] = defaultdict(lambda: ([], []))
        for _id, region, days, reached in rows:
            for by in (TOTAL, f"region={region or 'unknown'}"):
                cells[by][0].append(float(days))
                cells[by][1].append(bool(reached))
        for by in [TOTAL, *sorted(b for b in cells if b != TOTAL)]:
            durations, observed = cells[by]
            out.append(StageTime(interval.id, interval.name, by, quantiles(durations, observed)))
    return out


def cohort_pathways(facts: Facts, period: Period,
                    defs: PathwayDefinitions | None = None, *, prepared: bool = False
                    ) -> Pathways:
    """The pathways of the children whose first contact falls in ``period``."""
    defs = defs or load_pathway_definitions()
    if not prepared:
        prepare(facts, defs)
    end = data_end(facts)
    params = {"period_start": period.start, "period_end": period.end, "data_end": end}
    db.run(facts.con, "select the cohort's stages", sql.cohort_stages_sql(defs), params)
    children = int(db.scalar(facts.con, "count the cohort", sql.cohort_size_sql(), params))
    reached, flows, attrition = _flows(facts, defs, children)
    times = _times(facts, defs, params) if end is not None else []
    return Pathways(str(period), children, end, reached, flows, attrition,
                    _details(facts, defs), times)
