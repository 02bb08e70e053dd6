"""The declared cost of secondary suppression (docs/release.md, "Cost").

Published cells fall into tiers, cheapest first: inner cells (cost by their value),
zeros, national totals, headline cells (the national counts of the indicators listed in
the ``headline`` setting). A repair moves cells of the lowest tier that can protect the
cell at all (lexicographic, never a big number that rounding could defeat); within a
tier the cost is ``value + 1`` a unit, so small cells go first.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

INNER, ZERO, TOTAL, HEADLINE = range(4)
TIER_NAMES = ("inner cell", "zero", "total", "headline cell")
# within one stage, a zero or a total is still dearer than an inner cell
_TIER_FACTOR = (1.0, 2.0, 10.0, 100.0)
K = TypeVar("K", bound=Hashable)


@dataclass
class Costs(Generic[K]):
    """Each cell's own tier, and the tier a cell really needs once the cells that can
    only be protected through a dearer tier are known (filled in as the repair meets
    them)."""

    tiers: dict[K, int]
    by_value: bool = True
    needed: dict[K, int] = field(default_factory=dict)

    def tier(self, key: K) -> int:
        return max(self.tiers[key], self.needed.get(key, INNER))

    def weight(self, key: K, value: int, largest: int) -> float:
        """Cost a unit of moving a published cell, within its stage."""
        tier = self.tier(key)
        base = largest + 1 if tier == ZERO else (value + 1 if self.by_value else 1)
        return _TIER_FACTOR[tier] * base


def cell_tiers(cells: Mapping[K, int], margins: Iterable[K], headline: Iterable[K],
               by_value: bool = True) -> Costs[K]:
    """The own tier of every cell: headline cells, then totals, zeros, inner cells."""
    totals, tops = set(margins), set(headline)
    tiers: dict[K, int] = {}
    for key, value in cells.items():
        if key in tops:
            tiers[key] = HEADLINE
        elif key in totals:
            tiers[key] = TOTAL
        else:
            tiers[key] = ZERO if value == 0 else INNER
    return Costs(tiers, by_value)
