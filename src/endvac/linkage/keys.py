"""Stable child keys: which key each new cluster of records takes.

A pure function of the previous assignment and the new clusters, so its rules can be
tested by hand:

- each previous key is *claimed* by the new cluster holding most of its records (ties:
  the cluster whose first record sorts first);
- a cluster that claims keys takes the oldest of them; the others (a merge) redirect to
  it; a cluster that claims none (new records, or the smaller part of a split) gets a
  new key;
- a key whose records are all gone is retired; no key is ever reused.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

Record = tuple[str, str]  # (agency, record_id)


def key_name(number: int) -> str:
    return f"CK{number:09d}"


def key_number(key: str) -> int:
    return int(key[2:])


@dataclass
class KeyChanges:
    """What a re-linking did to the keys."""

    assignment: dict[Record, str]
    created: list[str] = field(default_factory=list)
    redirects: list[tuple[str, str]] = field(default_factory=list)  # (from, to)
    retired: list[str] = field(default_factory=list)
    next_number: int = 1


def assign_keys(clusters: list[list[Record]], previous: dict[Record, str],
                next_number: int) -> KeyChanges:
    """Keys for ``clusters`` given the ``previous`` record → key assignment."""
    ordered = sorted((sorted(c) for c in clusters if c), key=lambda c: c[0])
    holders: dict[str, Counter[int]] = defaultdict(Counter)
    for index, cluster in enumerate(ordered):
        for record in cluster:
            if record in previous:
                holders[previous[record]][index] += 1
    claims: dict[int, list[str]] = defaultdict(list)
    for key, counts in holders.items():
        best = max(counts.items(), key=lambda item: (item[1], -item[0]))[0]
        claims[best].append(key)
    changes = KeyChanges({}, next_number=next_number)
    for index, cluster in enumerate(ordered):
        claimed = sorted(claims.get(index, []), key=key_number)
        if claimed:
            chosen = claimed[0]
            changes.redirects += [(other, chosen) for other in claimed[1:]]
        else:
            chosen = key_name(changes.next_number)
            changes.next_number += 1
            changes.created.append(chosen)
        for record in cluster:
            changes.assignment[record] = chosen
    changes.retired = sorted(set(previous.values()) - set(holders))
    return changes
