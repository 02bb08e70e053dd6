"""Disjoint sets (union-find): which items end up connected by a list of links.

Used wherever endvac groups things by links: spells into stays, scored record pairs
into clusters, published cells into the components their constraints tie together.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any, Generic, Protocol, TypeVar


class _Ordered(Hashable, Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


T = TypeVar("T", bound=_Ordered)


class DisjointSets(Generic[T]):
    """Items joined into groups; each group is named by its smallest item."""

    def __init__(self, items: Iterable[T]) -> None:
        self.parent: dict[T, T] = {item: item for item in items}

    def find(self, item: T) -> T:
        """The smallest item of ``item``'s group."""
        parent = self.parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def join(self, a: T, b: T) -> None:
        """Put ``a`` and ``b`` in one group."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            low, high = (ra, rb) if ra < rb else (rb, ra)
            self.parent[high] = low

    def groups(self) -> dict[T, list[T]]:
        """Each group's root and its items, in the order the items were given."""
        out: dict[T, list[T]] = {}
        for item in self.parent:
            out.setdefault(self.find(item), []).append(item)
        return out
