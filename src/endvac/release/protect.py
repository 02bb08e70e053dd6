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
   deviation is feasible for the attacker, so the cell is protected. Costs prefer
   small cells (``w = v + 1``), then margins (``10 (v + 1)``), zeros last.
4. Suppressing more only widens every bound, so a cell once protected stays
   protected; new secondary cells join the queue and are audited in turn.

Constraints fall into independent components (cells linked by constraints), each
solved on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

import numpy as np
from scipy.optimize import linprog

from endvac.disjoint import DisjointSets
from endvac.errors import ReleaseAuditError

TOLERANCE = 1e-6
MARGIN_WEIGHT = 10.0


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
    kind: Literal["primary", "secondary", "derived"]
    reason: str


@dataclass
class Pattern:
    """Which cells are suppressed and why; how much LP work the audit took."""

    suppressed: dict[CellKey, Suppression] = field(default_factory=dict)
    unprotected: list[CellKey] = field(default_factory=list)
    lps: int = 0


def protect(cells: Mapping[CellKey, int], constraints: Sequence[Constraint], *,
            min_cell: int, protection: int, margins: Iterable[CellKey] = ()) -> Pattern:
    """The joint suppression pattern of ``cells`` under ``constraints``."""
    pattern = Pattern()
    for key, value in cells.items():
        if 0 < value < min_cell:
            pattern.suppressed[key] = Suppression(
                "primary", f"a count between 1 and {min_cell - 1} (min_cell {min_cell})")
    margin_set = set(margins)
    for component in components(cells, constraints):
        if any(k in pattern.suppressed for k in component.keys):
            _repair(component, cells, pattern, protection, margin_set)
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
            p: int, margins: set[CellKey]) -> None:
    queue = [k for k in component.keys if k in pattern.suppressed]
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
            added = _complements(component, cells, pattern, key, target, margins)
            pattern.lps += 1
            if not added:
                pattern.unprotected.append(key)
                break
            for other in added:
                pattern.suppressed[other] = Suppression(
                    "secondary", f"protects {key.describe()}")
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


def weight(value: int, *, suppressed: bool, margin: bool, largest: int) -> float:
    """Cost per unit of moving a cell: free if suppressed, small cells first, then
    margins, zeros last."""
    if suppressed:
        return 0.0
    if value == 0:
        return MARGIN_WEIGHT * (largest + 1) * 2
    return (MARGIN_WEIGHT if margin else 1.0) * (value + 1)


def _complements(component: Component, cells: Mapping[CellKey, int], pattern: Pattern,
                 key: CellKey, target: float, margins: set[CellKey]) -> list[CellKey]:
    """The published cells the cheapest deviation moving ``key`` by ``target`` moves."""
    keys = component.keys
    n = len(keys)
    index = {k: i for i, k in enumerate(keys)}
    values = np.array([cells[k] for k in keys], dtype=float)
    largest = int(values.max()) if n else 0
    costs = np.array([weight(cells[k], suppressed=k in pattern.suppressed,
                             margin=k in margins, largest=largest) for k in keys])
    rows: dict[str, tuple[list[np.ndarray], list[float]]] = {"eq": ([], []), "le": ([], [])}
    for constraint in component.constraints:
        row = np.zeros(n)
        for cell, coef in constraint.terms:
            row[index[cell]] += coef
        # variables: y+ (n) then y- (n); y = y+ - y-
        rhs = 0.0 if constraint.sense == "eq" else -float(row @ values)
        rows[constraint.sense][0].append(np.concatenate([row, -row]))
        rows[constraint.sense][1].append(rhs)
    bounds = [(0.0, None)] * n + [(0.0, float(v)) for v in values]
    i = index[key]
    bounds[i] = (target, target) if target > 0 else (0.0, 0.0)
    bounds[n + i] = (-target, -target) if target < 0 else (0.0, 0.0)
    result = linprog(np.concatenate([costs, costs]), **_matrices(rows), bounds=bounds,
                     method="highs")
    if result.status != 0:
        return _fallback(component, pattern)
    moved = np.abs(result.x[:n]) + np.abs(result.x[n:])
    return [k for k, amount in zip(keys, moved, strict=True)
            if amount > TOLERANCE and k not in pattern.suppressed]


def _fallback(component: Component, pattern: Pattern) -> list[CellKey]:
    """No deviation exists with the cells still published: suppress every published
    cell sharing a constraint with a suppressed one."""
    out: list[CellKey] = []
    for constraint in component.constraints:
        cells = [c for c, _ in constraint.terms]
        if any(c in pattern.suppressed for c in cells):
            out += [c for c in cells if c not in pattern.suppressed and c not in out]
    return out
