"""The declared cost of the secondary suppression: hand-made tables where the cheapest
protecting pattern avoids the total, one where the total must go (and the release says
why), the information loss, and a synthetic country whose headline is published. Every
pattern is attacked here by an LP written from the tables alone (not endvac.release)."""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog

from endvac.release.loss import information_loss, public_loss
from endvac.release.protect import CellKey, Constraint, Pattern, protect

P = 5


def cell(name: str) -> CellKey:
    return CellKey("T", "2025", name, "numerator")


def sums_to(total: str, parts: list[str]) -> Constraint:
    return Constraint(f"{total} = sum", ((cell(total), 1), *((cell(p), -1) for p in parts)))


def suppress(values: dict[str, int], sums: dict[str, list[str]], margins: list[str],
             headline: tuple[str, ...] = (), twins: tuple[tuple[str, str], ...] = ()
             ) -> Pattern:
    constraints = [sums_to(t, parts) for t, parts in sums.items()] + [
        Constraint(f"{a} = {b}", ((cell(a), 1), (cell(b), -1))) for a, b in twins]
    pattern = protect({cell(k): v for k, v in values.items()}, constraints, min_cell=5,
                      protection=P, margins=[cell(m) for m in margins],
                      headline=[cell(h) for h in headline])
    assert not pattern.unprotected
    return pattern


def attack(values: dict[str, int], hidden: set[str], sums: dict[str, list[str]],
           twins: tuple[tuple[str, str], ...] = ()) -> dict[str, tuple[float, float]]:
    """Each hidden cell's range: published cells fixed, hidden ones free and >= 0, every
    sum and twin holding."""
    names = list(values)
    rows = []
    for total, parts in sums.items():
        rows.append({total: 1, **{p: -1 for p in parts}})
    rows += [{a: 1, b: -1} for a, b in twins]
    a_eq = np.array([[row.get(n, 0) for n in names] for row in rows], dtype=float)
    bounds = [(0, None) if n in hidden else (values[n], values[n]) for n in names]
    out = {}
    for name in hidden:
        c = np.array([1.0 if n == name else 0.0 for n in names])
        low = linprog(c, A_eq=a_eq, b_eq=np.zeros(len(rows)), bounds=bounds, method="highs")
        high = linprog(-c, A_eq=a_eq, b_eq=np.zeros(len(rows)), bounds=bounds, method="highs")
        out[name] = (low.fun, float("inf") if high.status == 3 else -high.fun)
    return out


def assert_protected(values: dict[str, int], hidden: set[str], sums: dict[str, list[str]],
                     twins: tuple[tuple[str, str], ...] = ()) -> None:
    for name, (low, high) in attack(values, hidden, sums, twins).items():
        assert low <= max(0, values[name] - P) + 1e-6, (name, low)
        assert high >= values[name] + P - 1e-6, (name, high)


# Table A: a1 + a2 + a3 = TA; table B: b1 + b2 + b3 = TB; a2 = b2 (an identity: the same
# children counted by two indicators).
A_AND_B = {"a1": 3, "a2": 10, "a3": 10, "TA": 23, "b1": 300, "b2": 10, "b3": 400, "TB": 710}
SUMS = {"TA": ["a1", "a2", "a3"], "TB": ["b1", "b2", "b3"]}
TWINS = (("a2", "b2"),)


def test_the_cheapest_protecting_pattern_avoids_the_total() -> None:
    # a1 = 3 is primary. Moving it up by 5 with the totals published: a3 down 5 (cost 11 a
    # unit) is cheapest (a2 would drag b2 and b1 or b3 along) -> a3 secondary.
    # a3 (10) must then rise by 5: a1 falls by its whole 3 (free, suppressed) and 2 more
    # must come from a2, which drags b2 down and b1 up by 2 (11 + 11 + 301 = 323 a
    # unit). Raising TA by 2 would cost only 10 x 24 = 240 a unit (the old weights chose
    # it) but a total is dearer than any inner pattern: a2, b2, b1 go, TA stays.
    # Then a1 + a2 + a3 = 23 and b1 + b2 = 310 with a2 = b2: every hidden cell moves by
    # 5 either way (checked by the attack below).
    pattern = suppress(A_AND_B, SUMS, ["TA", "TB"], twins=TWINS)
    assert {k.by: (s.kind, s.code) for k, s in pattern.suppressed.items()} == {
        "a1": ("primary", "small_count"), "a3": ("secondary", "complement"),
        "a2": ("secondary", "complement"), "b2": ("secondary", "complement"),
        "b1": ("secondary", "complement")}
    assert_protected(A_AND_B, {"a1", "a2", "a3", "b1", "b2"}, SUMS, TWINS)


# The demo's JJ2 by sex: f = 2, m = 24, unknown = 1, national total 27 (a headline cell).
JJ2_SEX = {"f": 2, "m": 24, "u": 1, "T": 27}


def test_a_total_that_must_go_says_why() -> None:
    # f and u are primary. f rises by 5 only if m falls (u can give 1): m is the only
    # complement. But m = 27 - f - u is at most 27 < 24 + 5 with T published: the only
    # protecting pattern for m needs T. With T hidden too, f + m + u = T is all a reader
    # has: every hidden cell moves by 5 either way.
    pattern = suppress(JJ2_SEX, {"T": ["f", "m", "u"]}, ["T"], headline=("T",))
    flags = {k.by: (s.kind, s.code) for k, s in pattern.suppressed.items()}
    assert flags == {"f": ("primary", "small_count"), "u": ("primary", "small_count"),
                     "m": ("secondary", "complement"), "T": ("secondary", "total_needed")}
    # with T published m could rise only 27 - 24 = 3 (f and u fall to 0), not 5
    assert pattern.suppressed[cell("T")].reason == (
        "protects T m numerator: the only protecting pattern for T m numerator needs the "
        "total (T = sum): with every total published it can move only 3 of 5 up")
    assert_protected(JJ2_SEX, {"f", "m", "u", "T"}, {"T": ["f", "m", "u"]})


def test_an_ordinary_total_goes_before_a_headline_cell() -> None:
    # A headline total H = S + w, where S = x + y is an ordinary sub-total.
    #   x = 2 (primary), y = 30, S = 32, w = 40, H = 72.
    # x rises by 5 only if y falls (S published) or S rises: y is the complement. y then
    # rises by 5 only if x falls (2 at most) and 3 more come from S rising, which needs
    # w to fall by 3 (H published) or H to rise by 3. A total must go: the ordinary S
    # (with the inner w), never the headline H while S will do.
    values = {"x": 2, "y": 30, "S": 32, "w": 40, "H": 72}
    sums = {"S": ["x", "y"], "H": ["S", "w"]}
    pattern = suppress(values, sums, ["S", "H"], headline=("H",))
    assert {k.by: (s.kind, s.code) for k, s in pattern.suppressed.items()} == {
        "x": ("primary", "small_count"), "y": ("secondary", "complement"),
        "S": ("secondary", "total_needed"), "w": ("secondary", "complement")}
    assert_protected(values, {"x", "y", "S", "w"}, sums)


def test_information_loss_per_table() -> None:
    # the sex table above: 3 inner cells, 3 hidden (2 primary, 1 secondary) = 100 % of the
    # cells and 27 of 27 counted; the total table: 1 cell, hidden, 100 %.
    pattern = suppress(JJ2_SEX, {"T": ["f", "m", "u"]}, ["T"], headline=("T",))
    cells = {CellKey("JJ2", "2025", "" if k == "T" else f"sex={k}", "numerator"): v
             for k, v in JJ2_SEX.items()}
    renamed = Pattern({CellKey("JJ2", "2025", "" if k.by == "T" else f"sex={k.by}",
                               "numerator"): s for k, s in pattern.suppressed.items()})
    loss = information_loss(cells, renamed, "2025")
    assert loss == {
        "sex": {"cells": 3, "suppressed": 3, "primary": 2, "secondary": 1,
                "cells_share": 100.0, "value_share": 100.0},
        "total": {"cells": 1, "suppressed": 1, "primary": 0, "secondary": 1,
                  "cells_share": 100.0, "value_share": 100.0}}
    assert "value_share" not in public_loss(loss)["sex"]
