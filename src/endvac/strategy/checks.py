"""Coordination checks of a strategy, as data: possible duplication between actors, and
gaps — regions or groups among the worst quartile of an indicator that no action reaches.

Pure functions over the strategy and the indicator cells; docs/strategy.md explains each
rule and tests/test_strategy_checks.py works examples out by hand."""

from __future__ import annotations

import math
from datetime import date
from itertools import combinations

from pydantic import BaseModel

from endvac.strategy.codes import load_codes
from endvac.strategy.evidence import GAP_BREAKDOWNS, Cell
from endvac.strategy.model import Action

FAR_FUTURE = date(9999, 12, 31)
NOT_A_GROUP = ("", "unknown", "other")


class Duplicate(BaseModel):
    """Two actions of different lead agencies that may do the same thing."""

    action_a: str
    action_b: str
    lead_agency_a: str
    lead_agency_b: str
    action_type: str
    regions: list[str]
    ages: str
    overlap_start: date
    overlap_end: date | None


class Gap(BaseModel):
    """A region or group in an indicator's worst quartile that no action reaches."""

    indicator_id: str
    year: int
    breakdown: str
    cell: str
    value: float
    denominator: int
    threshold: float
    better: str


def active(actions: list[Action]) -> list[Action]:
    """The actions that count for coordination: every one not cancelled."""
    return [a for a in actions if a.status != "cancelled"]


def _regions_overlap(a: Action, b: Action) -> list[str] | None:
    national = load_codes().national_region
    if national in a.regions:
        return list(b.regions)
    if national in b.regions:
        return list(a.regions)
    shared = [r for r in a.regions if r in b.regions]
    return shared or None


def _compatible(x: str, y: str) -> bool:
    return x == y or "any" in (x, y)


def duplicates(actions: list[Action]) -> list[Duplicate]:
    """Pairs of actions with different lead agencies, the same action_type, overlapping
    regions, target groups (ages intersect, sex and role equal or `any`) and dates."""
    found: list[Duplicate] = []
    for a, b in combinations(active(actions), 2):
        if a.lead_agency.casefold() == b.lead_agency.casefold():
            continue
        if a.action_type != b.action_type:
            continue
        regions = _regions_overlap(a, b)
        low, high = max(a.age_min, b.age_min), min(a.age_max, b.age_max)
        start = max(a.start, b.start)
        end = min(a.end or FAR_FUTURE, b.end or FAR_FUTURE)
        if regions is None or low > high or start > end:
            continue
        if not (_compatible(a.sex, b.sex) and _compatible(a.role, b.role)):
            continue
        found.append(Duplicate(action_a=a.id, action_b=b.id, lead_agency_a=a.lead_agency,
                               lead_agency_b=b.lead_agency, action_type=a.action_type,
                               regions=regions, ages=f"{low}-{high}", overlap_start=start,
                               overlap_end=None if end == FAR_FUTURE else end))
    return found


def percentile(values: list[float], q: float) -> float:
    """The q-th quantile (0-1) with linear interpolation between the sorted values:
    position (n-1)*q (numpy's default, Hyndman and Fan type 7)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


def worst_quartile(cells: list[Cell], better: str) -> tuple[float, list[Cell]] | None:
    """The threshold and the cells at or beyond it in the bad direction: at or above
    the 75th percentile when lower is better, at or below the 25th when higher is. A cell
    equal to the best value is never among the worst (equal cells have no worst quartile)."""
    values = [c.value for c in cells if c.value is not None]
    if len(values) < 2 or better not in ("lower", "higher"):
        return None
    if better == "lower":
        threshold, best = percentile(values, 0.75), min(values)
        return threshold, [c for c in cells if c.value is not None
                           and c.value >= threshold and c.value > best]
    threshold, best = percentile(values, 0.25), max(values)
    return threshold, [c for c in cells if c.value is not None
                       and c.value <= threshold and c.value < best]


def reaches(action: Action, breakdown: str, cell: str) -> bool:
    """Whether an action reaches a region, a sex or an age group (`14-15`)."""
    if breakdown == "region":
        return cell in action.regions or load_codes().national_region in action.regions
    if breakdown == "sex":
        return action.sex in (cell, "any")
    if breakdown == "age_group" and "-" in cell:
        low, high = (int(p) for p in cell.split("-", 1))
        return low <= action.age_max and action.age_min <= high
    return False


def gaps(actions: list[Action], cells: list[Cell], better: dict[str, str], min_cell: int,
         year: int) -> list[Gap]:
    """Cells of ``year`` in an indicator's worst quartile (cells with a denominator of at
    least ``min_cell``, by region, sex and age group separately) that no action reaches."""
    doing = active(actions)
    found: list[Gap] = []
    groups: dict[tuple[str, str], list[Cell]] = {}
    for c in cells:
        if (c.year == year and c.breakdown in GAP_BREAKDOWNS and c.cell not in NOT_A_GROUP
                and c.value is not None and (c.denominator or 0) >= min_cell):
            groups.setdefault((c.indicator_id, c.breakdown), []).append(c)
    for (indicator_id, breakdown), members in sorted(groups.items()):
        direction = better.get(indicator_id, "none")
        worst = worst_quartile(members, direction)
        if worst is None:
            continue
        threshold, bad = worst
        for c in sorted(bad, key=lambda c: c.cell):
            if not any(reaches(a, breakdown, c.cell) for a in doing):
                found.append(Gap(indicator_id=indicator_id, year=year, breakdown=breakdown,
                                 cell=c.cell, value=c.value or 0.0,
                                 denominator=c.denominator or 0, threshold=threshold,
                                 better=direction))
    return found
