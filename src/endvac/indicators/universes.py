"""Universes: the named sets of facts an indicator counts, with their unit of count.

The engine resolves an indicator's ``universe`` here, among the built-in ones or
the mapping its caller passes in (the safeguards add their own that way: explicit
data, nothing registers itself); the engine never imports them. A universe's
relation is SQL over the derived tables whose rows the indicator's predicates read
as ``f``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from endvac.errors import UnknownName


@dataclass(frozen=True)
class Universe:
    name: str
    relation: str  # a table or a parenthesised SELECT
    unit: str  # person, event, stay or place: what one row stands for
    meaning: str


BUILTIN: Mapping[str, Universe] = MappingProxyType({u.name: u for u in (
    Universe("facts", "facts", "event",
             "every event and detention spell, with person, reference date, age, child test"),
    Universe("stays", "stays", "stay", "chains of a person's detention spells on one basis"),
    Universe("places", "facilities", "place", "the facility register"),
    Universe("victim_cases", "victim_cases", "case",
             "each victim report (a case) with how far it went: its `person` is the case's "
             "key, `victim` the child (endvac/facts/victims.py)"),
    Universe("victim_reports", "(SELECT * REPLACE (victim AS person) FROM victim_cases)",
             "event", "the same reports, each the child's (`person` is the child), with the "
                      "child's support and interviews from the report's reference date on"),
)})


def universe(name: str, known: Mapping[str, Universe] = BUILTIN) -> Universe:
    """The universe ``name`` among ``known`` (the built-in ones unless a caller adds its own)."""
    try:
        return known[name]
    except KeyError:
        raise UnknownName(f"unknown universe {name!r}",
                          fix=f"use one of {sorted(known)}") from None
