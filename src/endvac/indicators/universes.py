"""Universes: the named sets of facts an indicator counts, with their unit of count.

The engine resolves an indicator's ``universe`` here. Other modules (the
safeguards) add their own with :func:`register_universe`; the engine never
imports them. A universe's relation is SQL over the derived tables whose rows
the indicator's predicates read as ``f``.
"""

from __future__ import annotations

from dataclasses import dataclass

from endvac.errors import UnknownName


@dataclass(frozen=True)
class Universe:
    name: str
    relation: str  # a table or a parenthesised SELECT
    unit: str  # person, event, stay or place: what one row stands for
    meaning: str


_UNIVERSES: dict[str, Universe] = {}


def register_universe(universe: Universe) -> None:
    """Make ``universe`` available to indicator definitions by name."""
    _UNIVERSES[universe.name] = universe


def universe(name: str) -> Universe:
    try:
        return _UNIVERSES[name]
    except KeyError:
        raise UnknownName(f"unknown universe {name!r}",
                          fix=f"use one of {sorted(_UNIVERSES)}") from None


def known_universes() -> list[str]:
    return sorted(_UNIVERSES)


for _builtin in (
    Universe("facts", "facts", "event",
             "every event and detention spell, with person, reference date, age, child test"),
    Universe("stays", "stays", "stay", "chains of a person's detention spells on one basis"),
    Universe("places", "facilities", "place", "the facility register"),
):
    register_universe(_builtin)
