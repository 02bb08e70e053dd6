"""What a reader of the release knows ties its counts together, declared as data:
margins (cells of a breakdown add up to the national total), shares (a numerator
is at most its denominator), cross-indicator identities and the series (quarters
against the year). Every relation is checked on the figures before it is used.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from endvac.indicators.definitions import Indicator
from endvac.indicators.results import Result
from endvac.release.protect import CellKey, Constraint


@dataclass(frozen=True)
class Relation:
    """``left = right`` (eq) or ``left <= right`` (le), each an (indicator, field)."""

    left: tuple[str, str]
    right: tuple[str, str]
    sense: Literal["eq", "le"]
    per_cell: bool
    why: str


# Declared only where the definitions make it hold for every workspace (docs/release.md).
RELATIONS: tuple[Relation, ...] = (
    Relation(("JJ2", "numerator"), ("JJ8", "denominator"), "eq", True,
             "the same predicate (detained at C) and the same cell rule (first such spell)"),
    Relation(("JJ2", "numerator"), ("JJU", "denominator"), "eq", True,
             "the same predicate (detained at C) and the same cell rule (first such spell)"),
    Relation(("JJ6", "denominator"), ("VAC5", "denominator"), "eq", True,
             "the same predicate (detained at any time in P) and the same cell rule"),
    Relation(("JJ3", "numerator"), ("JJU", "numerator"), "eq", False,
             "the same children (pre-sentence at C); JJ3 places a child by the first "
             "pre-sentence spell, JJU by the first spell of any basis, so only totals agree"),
    Relation(("JJ7", "denominator"), ("JJ2", "numerator"), "le", False,
             "children detained at C whose separation is known are among those detained"),
    Relation(("JJ2", "numerator"), ("JJ6", "denominator"), "le", False,
             "detained at C (C in P) implies detained at some time in P"),
    Relation(("VAC2", "numerator"), ("VAC1", "numerator"), "le", False,
             "ICCS 0101 lies in sections 01-04"),
    Relation(("VAC3", "numerator"), ("VAC1", "numerator"), "le", False,
             "ICCS 0301 and 0302 lie in sections 01-04"),
    Relation(("VAC4", "numerator"), ("VAC1", "numerator"), "le", False,
             "ICCS 0204 lies in sections 01-04"),
    # the victims' pathway: VAC7/VAC8 share their cases, VAC10-VAC12 their children
    Relation(("VAC7", "denominator"), ("VAC8", "denominator"), "eq", True,
             "the same predicate (child victims' cases reported in P), each case its cell"),
    Relation(("VAC10", "denominator"), ("VAC11", "denominator"), "eq", True,
             "the same predicate (child victims reported in P) and the same cell rule"),
    Relation(("VAC10", "denominator"), ("VAC12", "denominator"), "eq", True,
             "the same predicate (child victims reported in P) and the same cell rule"),
    *(Relation((f"VAC10{t}", field), ("VAC10", field), "le", False,
               "a child with support of one type has support; a type's children are "
               "VAC10's less those unknown for it")
      for t in "abcde" for field in ("numerator", "denominator")),
)

SHARES = ("person_share", "place_share")


def count_fields(ind: Indicator) -> tuple[str, ...]:
    """The result fields of an indicator that count children, events, stays or places
    (a per-100,000 rate's denominator is a published population, not a count)."""
    return {"person_rate": ("numerator",), "person_share": ("numerator", "denominator"),
            "place_share": ("numerator", "denominator"),
            "event_rate": ("numerator", "denominator"),
            "stay_duration": ("denominator",),
            "median_days": ("denominator",)}.get(ind.shape, ())


def by_text(by: dict[str, str]) -> str:
    return ";".join(f"{k}={v}" for k, v in sorted(by.items()))


def cell_counts(results: Iterable[Result], indicators: dict[str, Indicator]
                ) -> dict[CellKey, int]:
    """Every published count of the results, keyed by (indicator, period, cell, field)."""
    out: dict[CellKey, int] = {}
    for result in results:
        for name in count_fields(indicators[result.id]):
            count = getattr(result, name)
            if count is not None:
                out[CellKey(result.id, result.period, by_text(result.by), name)] = int(count)
    return out


def margins(cells: dict[CellKey, int], breakdowns: Iterable[str]) -> list[Constraint]:
    """National total = sum of the cells, for each breakdown of each (indicator, period,
    field). Cells absent from a breakdown are zero."""
    dims = list(breakdowns)
    parts: dict[tuple[str, str, str, str], list[CellKey]] = {}
    for key in cells:
        dim = key.by.partition("=")[0]
        if dim in dims and ";" not in key.by:
            parts.setdefault((key.indicator, key.period, key.field, dim), []).append(key)
    out = []
    for (ind, period, name, dim), keys in sorted(parts.items()):
        total = CellKey(ind, period, "", name)
        if total in cells:
            out.append(Constraint(f"{ind} {period} {name}: {dim} cells add up to the total",
                                  ((total, 1), *((k, -1) for k in sorted(keys)))))
    return out


def shares(cells: dict[CellKey, int], indicators: dict[str, Indicator]) -> list[Constraint]:
    """numerator <= denominator in every row of a percentage of children or places."""
    out = []
    for key in cells:
        if key.field == "numerator" and indicators[key.indicator].shape in SHARES:
            den = key._replace(field="denominator")
            if den in cells:
                out.append(Constraint(f"{key.indicator} {key.period} {key.by or 'total'}: "
                                      "numerator <= denominator",
                                      ((key, 1), (den, -1)), "le"))
    return out


def series(cells: dict[CellKey, int], indicators: dict[str, Indicator], year: str,
           parts: list[str]) -> list[Constraint]:
    """Quarters against the whole period: events add up (each fact has one date);
    distinct children do not (a child in two quarters counts once in the year), so for
    them each quarter <= the year <= the sum of the quarters."""
    out: list[Constraint] = []
    if len(parts) < 2:
        return out
    for key in [k for k in cells if k.period == year and k.by == ""]:
        quarters = [CellKey(key.indicator, q, "", key.field) for q in parts]
        if not all(q in cells for q in quarters):
            continue
        ind = indicators[key.indicator]
        name = f"{key.indicator} {key.field}: quarters against {year}"
        summed = ((key, 1), *((q, -1) for q in quarters))
        if ind.counts == "event" and key.field == "numerator":
            out.append(Constraint(name + " (events add up)", summed))
            continue
        out.append(Constraint(name + " (year <= sum of quarters)", summed, "le"))
        out += [Constraint(name + f" ({q.period} <= year)", ((q, 1), (key, -1)), "le")
                for q in quarters]
    return out


def identities(cells: dict[CellKey, int], relations: Iterable[Relation] = RELATIONS
               ) -> tuple[list[Constraint], list[str]]:
    """The declared relations as constraints, each checked on the figures; one that does
    not hold is left out and reported."""
    out: list[Constraint] = []
    dropped: list[str] = []
    periods = sorted({k.period for k in cells})
    for rel in relations:
        for period in periods:
            pairs = _pairs(cells, rel, period)
            if not pairs:
                continue
            if any(not _holds(cells, rel.sense, a, b) for a, b in pairs):
                dropped.append(f"{_name(rel)} in {period}: does not hold on these figures")
                continue
            out += [Constraint(f"{_name(rel)} ({a.by or 'total'})",
                               _terms(cells, a, b), rel.sense) for a, b in pairs
                    if _terms(cells, a, b)]
    return out, dropped


def _name(rel: Relation) -> str:
    sign = "=" if rel.sense == "eq" else "<="
    return f"{rel.left[0]}.{rel.left[1]} {sign} {rel.right[0]}.{rel.right[1]}"


def _pairs(cells: dict[CellKey, int], rel: Relation, period: str
           ) -> list[tuple[CellKey, CellKey]]:
    (li, lf), (ri, rf) = rel.left, rel.right
    if CellKey(li, period, "", lf) not in cells or CellKey(ri, period, "", rf) not in cells:
        return []
    bys = [""]
    if rel.per_cell:
        bys += sorted({k.by for k in cells if k.period == period and k.by
                       and (k[:1] + k[3:] in ((li, lf), (ri, rf)))})
    return [(CellKey(li, period, by, lf), CellKey(ri, period, by, rf)) for by in bys]


def _holds(cells: dict[CellKey, int], sense: str, a: CellKey, b: CellKey) -> bool:
    left, right = cells.get(a, 0), cells.get(b, 0)
    return left == right if sense == "eq" else left <= right


def _terms(cells: dict[CellKey, int], a: CellKey, b: CellKey
           ) -> tuple[tuple[CellKey, int], ...]:
    # a cell absent on one side is a zero known to the reader: it drops out of the relation
    return tuple(t for t in ((a, 1), (b, -1)) if t[0] in cells)
