"""Joint cell suppression: primary suppression, then an audit-and-repair secondary
suppression over one linear system of cells, margins and identities.

A *cell* is one published count (a numerator or denominator of one result row). A
*constraint* is a homogeneous linear relation among cells that a reader of the
release knows: ``sum(coef * x) = 0`` (a margin, an identity) or ``<= 0`` (a share's
numerator is at most its denominator). Counts are non-negative.

Method (docs/release.md):

1. Primary: every count ``0 < v < min_cell`` is suppressed; zeros are published.
2. Audit: for each suppressed cell, the attacker's LP (published cells fixed,
   suppressed cells free and non-negative, every constraint) gives its bounds
   ``[lo, hi]``; the cell is protected when ``lo <= max(0, v - p)`` and
   ``hi >= v + p``.
3. Repair: when it is not, one more LP finds the cheapest way to move the cell by
   ``p`` (up) or down to ``max(0, v - p)``: a deviation ``y`` with every equality
   still holding, every inequality still holding and ``x + y >= 0``, costing
   ``w_j * |y_j|`` for each published cell ``j`` it moves (suppressed cells are free).
   The published cells it moves are suppressed as ``secondary``; after that the
   deviation is feasible for the attacker, so the cell is protected. The cost is
   lexicographic over tiers (endvac.release.cost): inner cells (by value), zeros,
   totals, headline cells; a dearer tier is opened only when no deviation within the
   cheaper ones exists, and a cell that itself could only be protected through a
   dearer tier counts as that tier.
4. Suppressing more only widens every bound, so a cell once protected stays
   protected; new secondary cells join the queue and are audited in turn.

Constraints fall into independent components (cells linked by constraints), each
solved on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

import numpy as np
from scipy.optimize import linprog

from endvac.disjoint import DisjointSets
from endvac.errors import ReleaseAuditError
from endvac.release.cost import HEADLINE, TOTAL, Costs, cell_tiers

TOLERANCE = 1e-6


class CellKey(NamedTuple):
    """One published count: an indicator's numerator or denominator in one cell."""

    indicator: str
    period: str
    by: str  # "" for the national total, else "sex=f"
    field: str  # "numerator" or "denominator"

    def describe(self) -> str:
        return f"{self.indicator} {self.period} {self.by or 'total'} {self.field}"


@dataclass(frozen=True)
class Constraint:
    """``sum(coef * x) = 0`` (``eq``) or ``<= 0`` (``le``) over the cells of ``terms``."""

    name: str
    terms: tuple[tuple[CellKey, int], ...]
    sense: Literal["eq", "le"] = "eq"


@dataclass(frozen=True)
class Suppression:
    """Why a count is withheld: ``kind`` and a sentence; ``code`` types the reason:
    ``small_count`` (primary), ``complement`` (an inner cell protecting another),
    ``total_needed`` (a total or headline cell no cheaper pattern could replace),
    ``no_deviation`` (the fallback: every neighbour of a cell nothing else protects)."""

    kind: Literal["primary", "secondary", "derived"]
    reason: str
    code: str = ""


@dataclass
class Pattern:
    """Which cells are suppressed and why; how much LP work the audit took."""

    suppressed: dict[CellKey, Suppression] = field(default_factory=dict)
    unprotected: list[CellKey] = field(default_factory=list)
    lps: int = 0


def protect(cells: Mapping[CellKey, int], constraints: Sequence[Constraint], *,
            min_cell: int, protection: int, margins: Iterable[CellKey] = (),
            headline: Iterable[CellKey] = (), by_value: bool = True,
            given: Mapping[CellKey, Suppression] | None = None) -> Pattern:
    """The joint suppression pattern of ``cells`` under ``constraints``; ``margins`` are
    the totals and ``headline`` the cells that cost most; an inner cell costs its value a
    unit (``by_value``) or 1 (endvac.release.cost). ``given`` cells start suppressed
    (e.g. because another output withholds them) and are protected like primary ones."""
    pattern = Pattern()
    for key, value in cells.items():
        if 0 < value < min_cell:
            pattern.suppressed[key] = Suppression(
                "primary", f"a count between 1 and {min_cell - 1} (min_cell {min_cell})",
                "small_count")
    for key, flag in (given or {}).items():
        pattern.suppressed.setdefault(key, flag)
    costs = cell_tiers(cells, margins, headline, by_value)
    for component in components(cells, constraints):
        if any(k in pattern.suppressed for k in component.keys):
            _repair(component, cells, pattern, protection, costs)
    return pattern


@dataclass
class Component:
    keys: list[CellKey]
    constraints: list[Constraint]


def components(cells: Mapping[CellKey, int], constraints: Sequence[Constraint]
               ) -> list[Component]:
    """Cells linked by constraints, each group with its constraints (union-find)."""
    sets = DisjointSets(cells)
    for constraint in constraints:
        first = constraint.terms[0][0]
        for key, _ in constraint.terms[1:]:
            sets.join(first, key)
    groups = {root: Component(keys, []) for root, keys in sets.groups().items()}
    for constraint in constraints:
        groups[sets.find(constraint.terms[0][0])].constraints.append(constraint)
    return list(groups.values())


def _repair(component: Component, cells: Mapping[CellKey, int], pattern: Pattern,
            p: int, costs: Costs[CellKey]) -> None:
    system = _system(component, cells)
    suppressed = set(pattern.suppressed)
    # the cells only a dear tier protects go first: the totals they force are then free
    # for the others (a greedy order, see docs/release.md)
    need = {k: _needed_tier(system, cells, costs, suppressed, k, p)
            for k in component.keys if k in suppressed}
    pattern.lps += 2 * len(need)
    queue = sorted(need, key=lambda k: (-need[k], k))
    position = 0
    while position < len(queue):
        key = queue[position]
        position += 1
        while True:
            low, high = cell_bounds(component, cells, set(pattern.suppressed), key)
            pattern.lps += 2
            value = cells[key]
            if high < value + p - TOLERANCE:
                target = float(p)
            elif low > max(0, value - p) + TOLERANCE:
                target = -float(min(value, p))
            else:
                break
            added, why = _complements(component, system, cells, pattern, key, target, costs,
                                      p)
            if not added:
                pattern.unprotected.append(key)
                break
            for other in added:
                code = "no_deviation" if why.startswith("no ") else (
                    "total_needed" if costs.tiers[other] >= TOTAL else "complement")
                pattern.suppressed[other] = Suppression(
                    "secondary", f"protects {short(key)}"
                    + (f": {why}" if code != "complement" else ""), code)
                queue.append(other)


def cell_bounds(component: Component, cells: Mapping[CellKey, int],
                suppressed: set[CellKey], key: CellKey) -> tuple[float, float]:
    """The attacker's LP bounds of ``key``: published cells fixed, suppressed ones free."""
    free = [k for k in component.keys if k in suppressed]
    index = {k: i for i, k in enumerate(free)}
    rows: dict[str, tuple[list[np.ndarray], list[float]]] = {"eq": ([], []), "le": ([], [])}
    for constraint in component.constraints:
        row = np.zeros(len(free))
        constant = 0.0
        for cell, coef in constraint.terms:
            if cell in index:
                row[index[cell]] += coef
            else:
                constant += coef * cells[cell]
        if row.any():
            rows[constraint.sense][0].append(row)
            rows[constraint.sense][1].append(-constant)
    objective = np.zeros(len(free))
    objective[index[key]] = 1.0
    out = []
    for sign in (1.0, -1.0):
        result = _solve(sign * objective, rows)
        if result.status == 3:  # unbounded: only possible upwards
            out.append(float("inf"))
        elif result.status != 0:
            raise ReleaseAuditError(
                f"release audit LP failed ({result.message})",
                fix="report this release to the maintainers; nothing was published")
        else:
            out.append(sign * float(result.fun))
    return out[0], out[1]


def _solve(objective: np.ndarray, rows: dict[str, tuple[list[np.ndarray], list[float]]]
           ) -> Any:
    """Solve the audit LP. The published figures are a feasible point by construction, so
    an 'infeasible' answer is HiGHS's presolve misjudging a degenerate system (seen on
    small countries with many zero cells): solve again without presolve."""
    result = linprog(objective, **_matrices(rows), bounds=(0, None), method="highs")
    if result.status == 2:
        result = linprog(objective, **_matrices(rows), bounds=(0, None), method="highs",
                         options={"presolve": False})
    return result


def _matrices(rows: dict[str, tuple[list[np.ndarray], list[float]]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for sense, prefix in (("eq", "eq"), ("le", "ub")):
        matrix, rhs = rows[sense]
        if matrix:
            out[f"A_{prefix}"] = np.vstack(matrix)
            out[f"b_{prefix}"] = np.array(rhs)
    return out


def _system(component: Component, cells: Mapping[CellKey, int]) -> _System:
    """The component's constraints over a deviation ``y = y+ - y-`` of its cells."""
    keys = component.keys
    n = len(keys)
    index = {k: i for i, k in enumerate(keys)}
    values = np.array([cells[k] for k in keys], dtype=float)
    rows: dict[str, tuple[list[np.ndarray], list[float]]] = {"eq": ([], []), "le": ([], [])}
    for constraint in component.constraints:
        row = np.zeros(n)
        for cell, coef in constraint.terms:
            row[index[cell]] += coef
        rhs = 0.0 if constraint.sense == "eq" else -float(row @ values)
        rows[constraint.sense][0].append(np.concatenate([row, -row]))
        rows[constraint.sense][1].append(rhs)
    return _System(keys, index, values, _matrices(rows))


@dataclass(frozen=True)
class _System:
    keys: list[CellKey]
    index: dict[CellKey, int]
    values: np.ndarray
    matrices: dict[str, object]

    def bounds(self, movable: Callable[[CellKey], bool]) -> list[tuple[float, float | None]]:
        """y+ unbounded and y- at most the count (x + y >= 0) for the cells that may
        move; zero for the others."""
        n = len(self.keys)
        out: list[tuple[float, float | None]] = [(0.0, None)] * n + [
            (0.0, float(v)) for v in self.values]
        for i, key in enumerate(self.keys):
            if not movable(key):
                out[i] = out[n + i] = (0.0, 0.0)
        return out

    def pin(self, bounds: list[tuple[float, float | None]], key: CellKey, target: float
            ) -> None:
        """Fix the deviation of ``key`` at ``target`` (up if positive, down if not)."""
        i, n = self.index[key], len(self.keys)
        bounds[i] = (target, target) if target > 0 else (0.0, 0.0)
        bounds[n + i] = (-target, -target) if target < 0 else (0.0, 0.0)

    def reach(self, key: CellKey, up: bool, limit: float,
              movable: Callable[[CellKey], bool]) -> float:
        """How far ``key`` can move (up to ``limit``) with only ``movable`` cells moving."""
        bounds = self.bounds(lambda k: k == key or movable(k))
        i, n = self.index[key], len(self.keys)
        objective = np.zeros(2 * n)
        if up:
            bounds[i], bounds[n + i], objective[i] = (0.0, limit), (0.0, 0.0), -1.0
        else:
            bounds[i], bounds[n + i], objective[n + i] = (0.0, 0.0), (0.0, limit), -1.0
        result = linprog(objective, **self.matrices, bounds=bounds, method="highs")
        return float(-result.fun) if result.status == 0 else 0.0


def _needed_tier(system: _System, cells: Mapping[CellKey, int], costs: Costs[CellKey],
                 suppressed: set[CellKey], key: CellKey, p: int) -> int:
    """The lowest tier whose cells (with the suppressed ones) can move ``key`` by ``p`` up
    and down to ``max(0, v - p)``: choosing ``key`` as a complement commits to it."""
    down = float(min(cells[key], p))
    for tier in range(costs.tiers[key] if key not in suppressed else 0, HEADLINE + 1):
        def movable(k: CellKey, tier: int = tier) -> bool:
            return k in suppressed or costs.tier(k) <= tier
        if (system.reach(key, True, p, movable) >= p - TOLERANCE
                and system.reach(key, False, down, movable) >= down - TOLERANCE):
            return tier
    return HEADLINE


def _complements(component: Component, system: _System, cells: Mapping[CellKey, int],
                 pattern: Pattern, key: CellKey, target: float, costs: Costs[CellKey], p: int
                 ) -> tuple[list[CellKey], str]:
    """The published cells moved by the cheapest deviation moving ``key`` by ``target``,
    taken from the lowest tier that can do it, and why a total had to go (or "")."""
    largest = int(system.values.max()) if len(system.keys) else 0
    suppressed = set(pattern.suppressed)
    # a cell's needed tier falls as more cells are suppressed: worked out afresh each time
    costs.needed.clear()
    checked: set[CellKey] = set()
    for stage in range(HEADLINE + 1):
        while True:
            moved = _deviation(system, cells, pattern, key, target, costs, stage, largest)
            if moved is None:
                break
            dearer = [k for k in moved if k not in checked]
            for other in dearer:
                checked.add(other)
                costs.needed[other] = _needed_tier(system, cells, costs, suppressed, other, p)
                pattern.lps += 2
            if all(costs.tier(k) <= stage for k in moved):
                why = "" if stage < TOTAL else _why_total(
                    system, component.constraints, key, target, moved, costs, pattern)
                return moved, why
    return _fallback(component, pattern), "no deviation protects it with the cells published"


def _deviation(system: _System, cells: Mapping[CellKey, int], pattern: Pattern,
               key: CellKey, target: float, costs: Costs[CellKey], stage: int, largest: int
               ) -> list[CellKey] | None:
    """The published cells the cheapest deviation of ``stage`` moves, or None."""
    def movable(k: CellKey) -> bool:
        return k in pattern.suppressed or costs.tier(k) <= stage
    weights = np.array([0.0 if k in pattern.suppressed else
                        costs.weight(k, cells[k], largest) for k in system.keys])
    bounds = system.bounds(movable)
    system.pin(bounds, key, target)
    result = linprog(np.concatenate([weights, weights]), **system.matrices, bounds=bounds,
                     method="highs")
    pattern.lps += 1
    if result.status != 0:
        return None
    n = len(system.keys)
    moved = np.abs(result.x[:n]) + np.abs(result.x[n:])
    return [k for k, amount in zip(system.keys, moved, strict=True)
            if amount > TOLERANCE and k not in pattern.suppressed]


def _why_total(system: _System, constraints: Sequence[Constraint], key: CellKey,
               target: float, moved: list[CellKey], costs: Costs[CellKey], pattern: Pattern
               ) -> str:
    """Why protecting ``key`` needs a total: within which relation, how far it moves with
    every total published, and which cells that could move it would need a total too."""
    def movable(k: CellKey) -> bool:
        flag = pattern.suppressed.get(k)
        return costs.tier(k) < TOTAL or (flag is not None and flag.kind == "primary")
    reach = max(0.0, system.reach(key, target > 0, abs(target), movable))
    pattern.lps += 1
    totals = {k for k in moved if costs.tiers[k] >= TOTAL}
    mine = [c for c in constraints if any(t == key for t, _ in c.terms)]
    within = next((c.name for c in mine if any(t in totals for t, _ in c.terms)), None)
    committed = sorted({t for c in mine for t, _ in c.terms
                        if costs.tiers[t] < TOTAL <= costs.tier(t) and t not in pattern.suppressed})
    way = "up" if target > 0 else "down"
    text = (f"the only protecting pattern for {short(key)} needs the total"
            f"{f' ({within})' if within else ''}: with every total published it can move "
            f"only {reach:g} of {abs(target):g} {way}")
    if committed:
        text += (f", and {', '.join(short(k) for k in committed)}, which could move it, "
                 "would need a total too")
    return text


def short(key: CellKey) -> str:
    """A cell named for a reason: indicator, cell and field (the period is the release's)."""
    return f"{key.indicator} {key.by or 'total'} {key.field}"


def _fallback(component: Component, pattern: Pattern) -> list[CellKey]:
    """No deviation exists with the cells still published: suppress every published
    cell sharing a constraint with a suppressed one."""
    out: list[CellKey] = []
    for constraint in component.constraints:
        cells = [c for c, _ in constraint.terms]
        if any(c in pattern.suppressed for c in cells):
            out += [c for c in cells if c not in pattern.suppressed and c not in out]
    return out
