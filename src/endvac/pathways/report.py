"""The "Pathways and outcomes" chapter of the restricted report (docs/pathways.md): the
report period's cohort, its flow chart and stage times, re-contact curves after each
decision and the weighted comparison. Registered through the report's section hook like
the strategy chapter (restricted only: it reads the workspace's records, not a release;
the public figures go through endvac.release.pathways)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from endvac.charts.pathways import recontact_curves, sankey_svg
from endvac.charts.render import to_svg
from endvac.facts.derived import materialise
from endvac.indicators.periods import parse_period
from endvac.linkage.registry import person_map
from endvac.pathways.definitions import PathwayDefinitions, load_pathway_definitions
from endvac.pathways.flows import Pathways, cohort_pathways, prepare
from endvac.pathways.outcomes import Outcomes, cohort_outcomes
from endvac.report import ReportData, Section, SectionSpec
from endvac.workspace import Workspace, open_workspace

TEMPLATES = Path(__file__).parent / "templates"


def _workspace(data: ReportData) -> Workspace | None:
    given = data.extra.get("workspace")
    if isinstance(given, Workspace):
        return given
    if data.snapshot is None:
        return None
    return open_workspace(Path(data.snapshot.path).parents[2])  # published/snapshots/N


def chapter_data(pathways: Pathways, outcomes: Outcomes, defs: PathwayDefinitions
                 ) -> dict[str, Any]:
    """What the template reads: the charts as SVG, the tables, the caveat."""
    stages = [(s.id, s.name) for s in defs.flow_stages]
    reached = {r["stage"]: r["children"] for r in pathways.reached}
    balance = [{"group": c.group, "reference": c.reference,
                "before": max((abs(b["smd_before"]) for b in c.balance
                               if b["smd_before"] is not None), default=None),
                "after": max((abs(b["smd_after"]) for b in c.balance
                              if b["smd_after"] is not None), default=None)}
               for c in outcomes.comparisons]
    return {"pathways": pathways, "outcomes": outcomes.records(), "balance": balance,
            "caveat": outcomes.caveat, "not_at_risk": outcomes.not_at_risk,
            "sankey": sankey_svg(stages, reached, pathways.flows,
                                 f"Pathways of the children first in contact in {pathways.cohort}"),
            "curves": to_svg(recontact_curves(outcomes.curves)) if outcomes.curves else None,
            "times": [t.to_dict() for t in pathways.times if t.by == "total"]}


def pathways_chapter(data: ReportData) -> Section | None:
    """The report period's cohort; left out without a workspace or records."""
    workspace = _workspace(data)
    if workspace is None:
        return None
    defs, period = load_pathway_definitions(), parse_period(data.period)
    with workspace.analytic(read_only=True) as con:
        facts = materialise(con, person_map(workspace), today=date.today())
        if facts.span is None:
            return None
        prepare(facts, defs)
        pathways = cohort_pathways(facts, period, defs, prepared=True)
        outcomes = cohort_outcomes(facts, period, defs=defs, prepared=True, with_curves=True,
                                   follow_adults=workspace.config.pathways.follow_adults)
    return Section("pathways", "Pathways and outcomes", "pathways_chapter.html",
                   chapter_data(pathways, outcomes, defs))


def public_pathways_chapter(data: ReportData) -> Section | None:
    """The public report's pathways: only what the release published (``pathways.json``,
    put in ``data.extra`` by the public report's data); left out when it holds none."""
    published = data.extra.get("pathways") if data.public else None
    if not published:
        return None
    names = {s.id: s.name for s in load_pathway_definitions().flow_stages}
    curves = {group: [{**point} for point in points]
              for group, points in published["curves"].items() if points}
    return Section("public_pathways", "Pathways and outcomes", "public_pathways.html",
                   {"pathways": published, "names": names,
                    "curves": to_svg(recontact_curves(curves)) if curves else None})


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("pathways", pathways_chapter, order=55, templates=TEMPLATES),
    SectionSpec("public_pathways", public_pathways_chapter, order=55, public=True,
                templates=TEMPLATES),
)
