"""The public release: hand-made tables with their exact suppression pattern, the zero
policy, derived suppression, rounding, settings, and atomic numbered folders. The attack
on the synthetic country's whole release is in test_release_attack.py."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pyarrow.parquet as pq
import pytest

from endvac.errors import ConfigError, UsageError
from endvac.indicators.definitions import load_definitions
from endvac.indicators.results import Note, Result
from endvac.release import ReleaseRules, build_release, load_release, release_rules
from endvac.release.protect import CellKey, Constraint, Pattern, Suppression, protect
from endvac.release.tables import public_row, round_to
from endvac.workspace import Workspace


def cell(name: str) -> CellKey:
    return CellKey("T", "2025", name, "numerator")


def sums_to(total: str, parts: list[str]) -> Constraint:
    return Constraint(f"{total} = sum", ((cell(total), 1), *((cell(p), -1) for p in parts)))


def pattern_of(values: dict[str, int], constraints: list[Constraint], margins: list[str]
               ) -> dict[str, str]:
    found = protect({cell(k): v for k, v in values.items()}, constraints, min_cell=5,
                    protection=5, margins=[cell(m) for m in margins])
    assert not found.unprotected
    return {k.by: s.kind for k, s in found.suppressed.items()}


def test_one_way_table_needs_two_complements() -> None:
    # cells a..d add up to the total. a = 3 is primary. Moving a up by p = 5 costs least
    # through b (cost 8 a unit, against 21, 41 and a margin's 710), so b is suppressed.
    # Then a + b = 10 is known, so b (7) can reach at most 10 < 7 + 5: b must be
    # protected too. Moving b up by 5 takes a down by its whole 3 (free: already
    # suppressed) and 2 more from c (cost 21 a unit, against 41 for d), so c goes too.
    # Now a + b + c = 30: a in [0, 30], b in [0, 30], c in [0, 30]: all protected.
    values = {"a": 3, "b": 7, "c": 20, "d": 40, "": 70}
    found = pattern_of(values, [sums_to("", ["a", "b", "c", "d"])], [""])
    assert found == {"a": "primary", "b": "secondary", "c": "secondary"}


def test_two_by_three_table_with_margins() -> None:
    #          c1  c2  c3 | row
    #   r1      3  20  30 |  53
    #   r2     40  50  60 | 150
    #   col    43  70  90 | 203
    # 11 (= 3) is primary. The cheapest way to move it up by 5 is the rectangle through
    # c2 (12, 21, 22: cost 21 + 41 + 51 a unit) rather than through c3 (31 + 41 + 61).
    # 12 (20) can then rise only as far as 11 can fall (3): moving it up by 5 needs 2
    # more through c3 (13 and 23). With the six inner cells suppressed and the margins
    # published, 21 = 43 - 11 cannot exceed 43 < 40 + 5: column c1's total must go
    # (+2 beyond what 11 gives), and the column totals add up to 203, so the cheapest
    # other column total, c2 (71 a unit x 10 against 91 x 10), goes with it. Then every
    # suppressed cell moves by 5 either way; the row totals, c3 and 203 stay published.
    values = {"11": 3, "12": 20, "13": 30, "21": 40, "22": 50, "23": 60,
              "r1": 53, "r2": 150, "c1": 43, "c2": 70, "c3": 90, "all": 203}
    constraints = [sums_to("r1", ["11", "12", "13"]), sums_to("r2", ["21", "22", "23"]),
                   sums_to("c1", ["11", "21"]), sums_to("c2", ["12", "22"]),
                   sums_to("c3", ["13", "23"]), sums_to("all", ["r1", "r2"]),
                   sums_to("all", ["c1", "c2", "c3"])]
    found = pattern_of(values, constraints, ["r1", "r2", "c1", "c2", "c3", "all"])
    assert found == {"11": "primary", "12": "secondary", "21": "secondary",
                     "22": "secondary", "13": "secondary", "23": "secondary",
                     "c1": "secondary", "c2": "secondary"}


def test_identity_partner_is_suppressed_with_its_twin() -> None:
    # x = y is known (an identity), so suppressing x alone would hide nothing.
    #   x + z + v = t1: 2 + 28 + 30 = 60        y + w + u = t2: 2 + 28 + 30 = 60
    # x and y are primary. Moving x up by 5 moves y up by 5 (the identity): the cheapest
    # partners are z and w (29 a unit each, against 31 for v and u, 610 for a margin).
    # z (28) can then rise only as far as x can fall (2): 3 more come from v (31 a unit
    # against 610 for t1); likewise w needs u. Then x = y = s, z + v = w + u = 60 - s:
    # every suppressed cell moves over [0, 60]. The margins stay published.
    values = {"x": 2, "z": 28, "v": 30, "t1": 60, "y": 2, "w": 28, "u": 30, "t2": 60}
    twins = Constraint("x = y", ((cell("x"), 1), (cell("y"), -1)))
    found = pattern_of(values, [sums_to("t1", ["x", "z", "v"]),
                                sums_to("t2", ["y", "w", "u"]), twins], ["t1", "t2"])
    assert found == {"x": "primary", "y": "primary", "z": "secondary", "w": "secondary",
                     "v": "secondary", "u": "secondary"}


def test_zeros_are_published_and_chosen_last() -> None:
    # 0 is smaller than 9, but a zero is never suppressed as primary and is the most
    # expensive complement: 3 is protected through 9 and then 40, as in the one-way table.
    values = {"a": 3, "zero": 0, "b": 9, "c": 40, "": 52}
    found = pattern_of(values, [sums_to("", ["a", "zero", "b", "c"])], [""])
    assert found == {"a": "primary", "b": "secondary", "c": "secondary"}
    # a table of zeros discloses no one: nothing is suppressed
    zeros = {"a": 0, "b": 0, "": 0}
    assert pattern_of(zeros, [sums_to("", ["a", "b"])], [""]) == {}


def test_share_numerator_cannot_be_pinned_by_its_denominator() -> None:
    # a share 3 of 6: the numerator may be at most the denominator, so with 6 published
    # the numerator could only be 0..6 < 3 + 5; the denominator is suppressed as well,
    # and then the table of denominators (6 + 40 = 46) needs 40 to hide it.
    num, den = CellKey("S", "2025", "", "numerator"), CellKey("S", "2025", "", "denominator")
    other, total = CellKey("S", "2025", "x", "denominator"), CellKey("D", "2025", "", "n")
    constraints = [Constraint("n <= d", ((num, 1), (den, -1)), "le"),
                   Constraint("d + other = total", ((total, 1), (den, -1), (other, -1)))]
    found = protect({num: 3, den: 6, other: 40, total: 46}, constraints, min_cell=5,
                    protection=5, margins=[total])
    assert {k: s.kind for k, s in found.suppressed.items()} == {
        num: "primary", den: "secondary", other: "secondary"}


RATE = Result("JJ2", "2025-01-01/2025-12-31", "per_100000", {"sex": "f"}, numerator=3,
              denominator=50000, value=6.0, ci_low=1.2, ci_high=17.5,
              ci_method="exact Poisson (Garwood)", unknown=0,
              notes=[Note("excluded_adults", 2, detail="persons"),
                     Note("how", detail="children detained at C.")])


def test_a_rate_with_a_suppressed_numerator_is_withheld() -> None:
    jj2 = load_definitions().get("JJ2")
    key = CellKey("JJ2", RATE.period, "sex=f", "numerator")
    pattern = Pattern({key: Suppression("primary", "a count between 1 and 4")})
    row = public_row(RATE, jj2, pattern, None)
    assert (row["numerator"], row["value"], row["ci_low"], row["ci_high"]) == (
        None, None, None, None)
    assert row["denominator"] == 50000  # the population is public
    assert row["numerator_suppressed"] == "primary"
    assert row["value_suppressed"] == "derived"
    assert row["value_reason"] == "computed from a suppressed numerator"
    assert row["notes"] == ["how: children detained at C."]  # counts in notes are dropped
    published = public_row(RATE, jj2, Pattern(), None)
    assert (published["numerator"], published["value"], published["value_suppressed"]) == (
        3, 6.0, None)


def test_the_release_keeps_notes_by_kind_never_by_their_text() -> None:
    jj2 = load_definitions().get("JJ2")
    # one note of every kind; the kept ones carry no count of anyone
    notes = [Note("unknown", 4), Note("below_macr", 1), Note("excluded_adults", 2,
             detail="persons aged 18 or over on the reference date"),
             Note("outside_denominator", 3), Note("police_custody", 1, 5),
             Note("end_reasons", 3, detail="released: 3"), Note("decision_point", detail="x"),
             Note("how", detail="plain words."), Note("value_null", detail="no population"),
             Note("value_withheld", detail="not recorded: arrest"),
             Note("provisional", detail="2026-03-31"),
             Note("annualised", 90, detail="4.055556"),
             Note("policy_as_of", detail="2020-01-01"),
             Note("no_policy", detail="k dated on or before 2025-12-31")]
    # a count-carrying note whose detail imitates a kept note's text is still dropped
    notes.append(Note("end_reasons", 1, detail="how: 1 child"))
    row = public_row(replace(RATE, notes=notes), jj2, Pattern(), None)
    assert row["note_kinds"] == ["how", "value_null", "value_withheld", "provisional",
                                 "annualised", "policy_as_of", "no_policy"]
    assert row["notes"] == [
        "how: plain words.", "value null: no population",
        "value withheld: not recorded: arrest",
        "provisional until 2026-03-31: aftercare may still be recorded",
        "annualised: x 4.055556 (90 days in the period)", "policy fact as of 2020-01-01",
        "no policy fact k dated on or before 2025-12-31"]


def test_a_share_with_a_suppressed_denominator_is_withheld() -> None:
    jj9 = load_definitions().get("JJ9")
    share = replace(RATE, id="JJ9", unit="percent", numerator=12, denominator=40, value=30.0)
    key = CellKey("JJ9", RATE.period, "sex=f", "denominator")
    row = public_row(share, jj9, Pattern({key: Suppression("secondary", "protects …")}), None)
    assert (row["numerator"], row["denominator"], row["value"]) == (12, None, None)
    assert row["value_suppressed"] == "derived"


def test_rounding_rounds_counts_and_recomputes_the_value() -> None:
    assert [round_to(c, 5) for c in (0, 2, 3, 7, 8, 12, 13)] == [0, 0, 5, 5, 10, 10, 15]
    assert [round_to(c, 3) for c in (1, 2, 4, 5)] == [0, 3, 3, 6]
    jj9 = load_definitions().get("JJ9")
    share = replace(RATE, id="JJ9", unit="percent", numerator=12, denominator=41,
                    value=100 * 12 / 41)
    row = public_row(share, jj9, Pattern(), 5)
    # 12 -> 10 and 41 -> 40: the value is 10 / 40, not 12 / 41
    assert (row["numerator"], row["denominator"], row["value"], row["rounding_base"]) == (
        10, 40, 25.0, 5)
    jj2 = load_definitions().get("JJ2")
    rate = public_row(replace(RATE, numerator=13), jj2, Pattern(), 5)
    # 13 -> 15 children per 50,000 = 30 per 100,000; the population is not rounded
    assert (rate["numerator"], rate["denominator"]) == (15, 50000)
    assert rate["value"] == pytest.approx(30.0)


def test_settings_fall_back_to_the_defaults() -> None:
    rules = release_rules(SimpleNamespace())
    assert (rules.min_cell, rules.protection, rules.rounding_base, rules.breakdowns,
            rules.series) == (5, 5, None, ["sex", "age_group", "region"], "quarter")
    given = release_rules(SimpleNamespace(release={"min_cell": 10, "protection_level": 3}))
    assert (given.min_cell, given.protection) == (10, 3)
    assert release_rules(SimpleNamespace(release=ReleaseRules(rounding_base=3))
                         ).rounding_base == 3
    with pytest.raises(ConfigError):
        release_rules(SimpleNamespace(release={"rounding_base": 4}))


def test_releases_are_numbered_and_written_atomically(ws: Workspace,
                                                      monkeypatch: pytest.MonkeyPatch
                                                      ) -> None:
    with pytest.raises(UsageError):
        load_release(ws)
    first = build_release(ws, "2025")
    second = build_release(ws, "2025")
    assert (first.number, second.number) == (1, 2)
    published = ws.root / "published"
    assert sorted(p.name for p in published.iterdir()) == ["release-1", "release-2"]
    meta = json.loads((published / "release-2" / "release.json").read_text("utf-8"))
    assert meta["release"] == 2 and meta["period"] == "2025-01-01/2025-12-31"
    assert set(meta["tables"]) == {"total", "quarter"}  # an empty store: no breakdown cells
    assert load_release(ws).number == 2 and load_release(ws, 1).number == 1
    # a build that fails half-way leaves no release and no temporary folder behind
    calls: list[Path] = []

    def fail_second(table: object, where: Path) -> None:
        calls.append(where)
        raise OSError("disk full")
    monkeypatch.setattr(pq, "write_table", fail_second)
    with pytest.raises(OSError):
        build_release(ws, "2025")
    assert calls
    assert sorted(p.name for p in published.iterdir()) == ["release-1", "release-2"]


def test_docs_name_every_setting_and_relation() -> None:
    from endvac.release.relations import RELATIONS

    text = (Path(__file__).parent.parent / "docs" / "release.md").read_text("utf-8")
    for name in ReleaseRules.model_fields:
        assert f"`{name}`" in text, name
    # each declared relation (left, right, sense, per cell) and the words in docs/release.md
    # that state it, written out here by hand; a new relation needs a line of its own
    documented = {
        (("JJ2", "numerator"), ("JJ8", "denominator"), "eq", True):
            "JJ2.numerator = JJ8.denominator = JJU.denominator, **in every cell**",
        (("JJ2", "numerator"), ("JJU", "denominator"), "eq", True):
            "JJ2.numerator = JJ8.denominator = JJU.denominator, **in every cell**",
        (("JJ6", "denominator"), ("VAC5", "denominator"), "eq", True):
            "JJ6.denominator = VAC5.denominator in every cell",
        (("JJ3", "numerator"), ("JJU", "numerator"), "eq", False):
            "JJ3.numerator = JJU.numerator, **national only**",
        (("JJ7", "denominator"), ("JJ2", "numerator"), "le", False):
            "National inequalities: JJ7.denominator ≤ JJ2.numerator",
        (("JJ2", "numerator"), ("JJ6", "denominator"), "le", False):
            "JJ2.numerator ≤ JJ6.denominator (C lies in P)",
        **{((vac, "numerator"), ("VAC1", "numerator"), "le", False):
           "VAC2, VAC3, VAC4 numerators ≤ VAC1's" for vac in ("VAC2", "VAC3", "VAC4")},
        (("VAC7", "denominator"), ("VAC8", "denominator"), "eq", True):
            "VAC7.denominator = VAC8.denominator (the same cases)",
        (("VAC10", "denominator"), ("VAC11", "denominator"), "eq", True):
            "VAC10.denominator = VAC11.denominator = VAC12.denominator (the same children), "
            "**in every cell**",
        (("VAC10", "denominator"), ("VAC12", "denominator"), "eq", True):
            "VAC10.denominator = VAC11.denominator = VAC12.denominator (the same children), "
            "**in every cell**",
        **{((f"VAC10{t}", field), ("VAC10", field), "le", False):
           "each support type's (VAC10a-e) numerator and denominator ≤ VAC10's"
           for t in "abcde" for field in ("numerator", "denominator")},
    }
    declared = {(rel.left, rel.right, rel.sense, rel.per_cell) for rel in RELATIONS}
    assert declared == set(documented)
    flat = " ".join(text.split())  # a sentence may wrap across lines
    missing = sorted(words for words in documented.values() if words not in flat)
    assert missing == []


def test_small_country_whose_audit_lp_highs_presolve_misjudges(tmp_path: Path) -> None:
    """300 children, seed 5: HiGHS's presolve once called one audit LP infeasible although
    the published figures satisfy every constraint; the build must still protect and write
    the release, and every primary cell stays suppressed."""
    from conftest import synthetic_workspace

    _country, small, _ = synthetic_workspace(tmp_path, 300, 5)
    summary = build_release(small, "2025")
    assert summary.unprotected == 0
    release = load_release(small)
    for rows in release.tables.values():
        for row in rows.to_pylist():
            for field in ("numerator", "denominator"):
                value = row.get(field)
                assert value is None or value == 0 or value >= 5, (row["id"], field, value)
