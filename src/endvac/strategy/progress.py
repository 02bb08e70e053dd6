"""Progress of a strategy, as data: targets on or off track, training coverage against
staff numbers, and the self-assessment of the seven bases aggregated with its spread."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date
from typing import Literal

from pydantic import BaseModel

from endvac.strategy.codes import load_codes
from endvac.strategy.evidence import Evidence
from endvac.strategy.model import AssessmentScore, Participant, Staff, Target, Training

TargetStatus = Literal["on_track", "off_track", "no_baseline", "no_latest_value", "not_yet",
                       "no_direction"]
EPSILON = 1e-9  # floating-point slack when the latest value sits exactly on the line


class TargetProgress(BaseModel):
    """A target with its baseline, latest value, the straight-line value expected at the
    latest value's date, and whether it is on track."""

    id: str
    indicator_id: str
    better: str
    baseline_year: int
    baseline_value: float | None
    baseline_source: str | None
    target_value: float
    target_date: date
    latest_value: float | None
    latest_date: date | None
    latest_source: str | None
    expected: float | None
    status: TargetStatus


def expected_value(baseline: float, baseline_date: date, target: float, target_date: date,
                   on: date) -> float:
    """The straight line from (baseline_date, baseline) to (target_date, target) at ``on``."""
    share = (on - baseline_date).days / (target_date - baseline_date).days
    return baseline + (target - baseline) * share


def _status(better: str, latest: float, expected: float) -> TargetStatus:
    if better == "lower":
        return "on_track" if latest <= expected + EPSILON else "off_track"
    return "on_track" if latest >= expected - EPSILON else "off_track"


def target_progress(target: Target, evidence: Evidence, better: str) -> TargetProgress:
    """Fill the baseline from the evidence when the file leaves it empty; take the newer of
    the file's latest value and the newest computed one (the file's on a tie)."""
    baseline = target.baseline_value
    baseline_source: str | None = "file"
    if baseline is None:
        cell = evidence.national(target.indicator_id, target.baseline_year)
        baseline = cell.value if cell else None
        baseline_source = evidence.source if baseline is not None else None
    latest, latest_date = target.latest_value, target.latest_date
    latest_source: str | None = "file"
    newest = evidence.latest_national(target.indicator_id)
    if newest is not None and (latest_date is None or newest.end > latest_date):
        latest, latest_date, latest_source = newest.value, newest.end, evidence.source
    if latest is None:
        latest_source = None
    base_date = date(target.baseline_year, 12, 31)
    expected: float | None = None
    status: TargetStatus
    if better not in ("lower", "higher"):
        status = "no_direction"
    elif baseline is None:
        status = "no_baseline"
    elif latest is None or latest_date is None:
        status = "no_latest_value"
    elif latest_date <= base_date:
        status = "not_yet"
    else:
        expected = expected_value(baseline, base_date, target.target_value,
                                  target.target_date, latest_date)
        status = _status(better, latest, expected)
    return TargetProgress(id=target.id, indicator_id=target.indicator_id, better=better,
                          baseline_year=target.baseline_year, baseline_value=baseline,
                          baseline_source=baseline_source, target_value=target.target_value,
                          target_date=target.target_date, latest_value=latest,
                          latest_date=latest_date, latest_source=latest_source,
                          expected=expected, status=status)


class Coverage(BaseModel):
    """Distinct staff of a profession trained in a region, against the staff number."""

    profession: str
    region: str
    trained: int
    staff: int | None
    percent: float | None


def training_coverage(trainings: list[Training], participants: list[Participant],
                      staff: list[Staff]) -> list[Coverage]:
    """Per profession and region: distinct participants of trainings held in the region
    (a participant counts once however many trainings), divided by the staff number."""
    region_of = {t.id: t.region for t in trainings}
    trained: dict[tuple[str, str], set[str]] = defaultdict(set)
    for p in participants:
        trained[(p.profession, region_of[p.training])].add(p.participant)
    numbers = {(s.profession, s.region): s.staff for s in staff}
    order = {p: n for n, p in enumerate(load_codes().professions)}
    rows = []
    for key in sorted(set(trained) | set(numbers), key=lambda k: (order[k[0]], k[1])):
        count, total = len(trained.get(key, ())), numbers.get(key)
        rows.append(Coverage(profession=key[0], region=key[1], trained=count, staff=total,
                             percent=100 * count / total if total else None))
    return rows


class BasisScore(BaseModel):
    """The self-assessment of one basis across respondents, with its spread."""

    basis: int
    short: str
    n: int
    mean: float | None
    median: float | None
    min: int | None
    max: int | None
    sd: float | None
    institutions: int
    children_n: int
    children_mean: float | None


def aggregate_bases(scores: list[AssessmentScore]) -> list[BasisScore]:
    """Per basis: n, mean, median, min, max and sample standard deviation (n-1; none below
    two scores) of every respondent's score; children's consultations also apart."""
    rows = []
    for basis in load_codes().bases:
        mine = [s for s in scores if s.basis == basis.id]
        values = [s.score for s in mine]
        children = [s.score for s in mine if s.respondent_type == "children_consultation"]
        rows.append(BasisScore(
            basis=basis.id, short=basis.short, n=len(values),
            mean=statistics.fmean(values) if values else None,
            median=float(statistics.median(values)) if values else None,
            min=min(values, default=None), max=max(values, default=None),
            sd=statistics.stdev(values) if len(values) > 1 else None,
            institutions=len({s.institution for s in mine}), children_n=len(children),
            children_mean=statistics.fmean(children) if children else None))
    return rows
