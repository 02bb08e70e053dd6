"""Clerical decisions applied to clusters: must-link joins, cannot-link cuts.

A must-link pair joins its two clusters (an edge of probability 1). A cannot-link pair
in one cluster cuts the weakest path between the two records, again and again until
they are apart: the path whose weakest edge is strongest (the widest path) is found and
its weakest edge removed; the cluster then splits along what is left. Decisions are kept
in the registry and applied after every linking, so they survive re-linking.
"""

from __future__ import annotations

import heapq
from collections import defaultdict

from endvac.disjoint import DisjointSets

Edge = tuple[int, int, float]  # (unique_id, unique_id, match probability)


def components(nodes: set[int], edges: list[Edge]) -> list[set[int]]:
    """Connected components of ``nodes`` under ``edges`` (union-find)."""
    sets = DisjointSets(nodes)
    for a, b, _ in edges:
        sets.join(a, b)
    return [set(group) for group in sets.groups().values()]


def widest_path(edges: dict[tuple[int, int], float], a: int, b: int) -> list[tuple[int, int]]:
    """The path from ``a`` to ``b`` whose weakest edge is strongest ([] when apart)."""
    near: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for (x, y), p in edges.items():
        near[x].append((y, p))
        near[y].append((x, p))
    best = {a: float("inf")}
    came: dict[int, int] = {}
    queue = [(-best[a], a)]
    while queue:
        width, node = heapq.heappop(queue)
        if node == b:
            break
        for other, p in near[node]:
            w = min(-width, p)
            if w > best.get(other, -1.0):
                best[other], came[other] = w, node
                heapq.heappush(queue, (-w, other))
    if b not in came:
        return []
    path, node = [], b
    while node != a:
        path.append((min(node, came[node]), max(node, came[node])))
        node = came[node]
    return path


def cut(edges: list[Edge], a: int, b: int) -> list[Edge]:
    """``edges`` without those removed to part ``a`` from ``b``."""
    kept = {(min(x, y), max(x, y)): p for x, y, p in edges}
    kept.pop((min(a, b), max(a, b)), None)
    while path := widest_path(kept, a, b):
        weakest = min(path, key=lambda e: (kept[e], e))
        del kept[weakest]
    return [(x, y, p) for (x, y), p in kept.items()]


def apply_decisions(nodes: set[int], edges: list[Edge], must: list[tuple[int, int]],
                    cannot: list[tuple[int, int]]) -> list[set[int]]:
    """Clusters of ``nodes`` from ``edges`` (above the threshold) and the decisions."""
    edges = list(edges) + [(a, b, 1.0) for a, b in must]
    for a, b in cannot:
        edges = cut(edges, a, b)
    return components(nodes, edges)
