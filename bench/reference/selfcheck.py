"""Tiny hand-made checks of the reference implementation (run as a script, not pytest).

    .venv/bin/python bench/reference/selfcheck.py

Each check builds an in-memory DuckDB holding the workspace views' columns, fills
in a few rows whose right answer is worked out by hand in the comments, and
compares.  Prints one line per check; exits 1 on the first failure.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from reference.indicators import compute  # type: ignore[no-redef]
else:
    from .indicators import compute

SCHEMA = {
    "children": "record_id TEXT, agency TEXT, date_of_birth TEXT, dob_estimated BOOLEAN, "
                "sex TEXT, region TEXT, disability BOOLEAN, nationality TEXT, \"group\" TEXT",
    "events": "event_id TEXT, agency TEXT, record_id TEXT, case_id TEXT, origin_case_ref TEXT, "
              "event_type TEXT, date DATE, date_time TIMESTAMP, offence_date DATE, "
              "offence_date_time TIMESTAMP, age_years BIGINT, role TEXT, offence_iccs TEXT, "
              "cyber BOOLEAN, measure TEXT, authority TEXT, length_days BIGINT, facility_id TEXT",
    "detentions": "spell_id TEXT, agency TEXT, record_id TEXT, case_id TEXT, "
                  "origin_case_ref TEXT, facility_id TEXT, basis TEXT, start DATE, "
                  "start_time TIMESTAMP, \"end\" DATE, end_time TIMESTAMP, end_reason TEXT, "
                  "held_with_adults BOOLEAN, offence_iccs TEXT, age_years BIGINT",
    "facilities": "facility_id TEXT, name TEXT, type TEXT, region TEXT, "
                  "children_wholly_separated BOOLEAN, complaints_mechanism BOOLEAN, "
                  "capacity BIGINT",
    "inspections": "facility_id TEXT, date DATE, independent BOOLEAN",
    "population": "year BIGINT, region TEXT, sex TEXT, age BIGINT, age_from BIGINT, "
                  "age_to BIGINT, \"group\" TEXT, disability BOOLEAN, nationality TEXT, "
                  "population BIGINT",
    "regions": "region TEXT, name TEXT, parent TEXT",
    "policy": "key TEXT, value BOOLEAN, as_of DATE, evidence TEXT",
    "deliveries": "delivery_id INTEGER, agency TEXT, period_start DATE, period_end DATE, "
                  "mode TEXT, event_types TEXT",
}

ALL_TYPES = ("arrest charge first_appearance legal_aid parent_notified diversion "
             "diversion_completed detention_review verdict sentence aftercare family_visit "
             "complaint violence_in_custody victim_report")


def db(**tables: list[dict[str, Any]]) -> duckdb.DuckDBPyConnection:
    """An in-memory database with every view's columns; given rows are inserted."""
    con = duckdb.connect(":memory:")
    for name, cols in SCHEMA.items():
        con.execute(f'CREATE TABLE "{name}" ({cols})')
        names = [c.strip().split(" ")[0].strip('"') for c in cols.split(",")]
        rows = tables.get(name, [])
        if name == "deliveries" and not rows:
            rows = [{"delivery_id": 1, "agency": "police", "event_types": ALL_TYPES}]
        if name == "population" and "population" not in tables:
            rows = [{"year": 2025, "sex": s, "age_from": 0, "age_to": 17, "population": 50000}
                    for s in ("f", "m")]
        for row in rows:
            unknown = set(row) - set(names)
            assert not unknown, f"{name}: unknown columns {unknown}"
            quoted = ", ".join(f'"{c}"' for c in names)
            marks = ", ".join("?" for _ in names)
            con.execute(f'INSERT INTO "{name}" ({quoted}) VALUES ({marks})',
                        [row.get(c) for c in names])
    return con


def child(rid: str, agency: str = "police", dob: str | None = "2010-01-01",
          **kw: Any) -> dict[str, Any]:
    return {"record_id": rid, "agency": agency, "date_of_birth": dob, "sex": "f",
            "region": "A1", **kw}


def ev(eid: str, rid: str, typ: str, d: date, agency: str = "police", **kw: Any) -> dict:
    return {"event_id": eid, "agency": agency, "record_id": rid, "event_type": typ,
            "date": d, **kw}


def spell(sid: str, rid: str, basis: str, start: date, end: date | None = None,
          agency: str = "detention", **kw: Any) -> dict[str, Any]:
    return {"spell_id": sid, "agency": agency, "record_id": rid, "facility_id": "F1",
            "basis": basis, "start": start, "end": end, **kw}


FAC = [{"facility_id": "F1", "type": "remand_home", "region": "A1",
        "children_wholly_separated": True, "complaints_mechanism": True},
       {"facility_id": "F2", "type": "adult_prison", "region": "A2",
        "children_wholly_separated": False, "complaints_mechanism": None},
       {"facility_id": "F3", "type": "remand_home", "region": "A2",
        "children_wholly_separated": None, "complaints_mechanism": False}]

Y0, Y1 = date(2025, 1, 1), date(2025, 12, 31)


def run(con: duckdb.DuckDBPyConnection, p0: date = Y0, p1: date = Y1,
        census: date | None = None, config: dict | None = None) -> dict:
    rows = compute(con, p0, p1, census, config)
    return {(r["id"], tuple(sorted(r["by"].items()))): r for r in rows}


def tot(res: dict, iid: str) -> dict:
    return res[(iid, ())]


FAILED: list[str] = []


def check(name: str, got: Any, want: Any) -> None:
    ok = (abs(got - want) < 1e-9 if isinstance(want, float) and got is not None
          else got == want)
    print(f"{'ok  ' if ok else 'FAIL'} {name}: got {got!r}, want {want!r}")
    if not ok:
        FAILED.append(name)


def main() -> int:
    # 1. Partial dates of birth and the reference date (offence_date).
    #    'YYYY' -> 1 July: born 2007-07-01, offence 2025-06-30 -> 17 (child);
    #    offence 2025-07-01 -> 18 (adult).  'YYYY-MM' -> 15th: born 2007-08-15,
    #    offence 2025-08-14 -> 17 (child).
    con = db(children=[child("a", dob="2007"), child("b", dob="2007"),
                       child("c", dob="2007-08")],
             events=[ev("e1", "a", "arrest", date(2025, 7, 3), offence_date=date(2025, 6, 30)),
                     ev("e2", "b", "arrest", date(2025, 7, 3), offence_date=date(2025, 7, 1)),
                     ev("e3", "c", "arrest", date(2025, 9, 1), offence_date=date(2025, 8, 14))])
    r = run(con)
    check("JJ1 partial dob numerator", tot(r, "JJ1")["numerator"], 2)
    check("JJ1 excluded adults", tot(r, "JJ1")["excluded_adults"], 1)
    check("JJ1 per 100000 of 100000", tot(r, "JJ1")["value"], 2.0)

    # 2. Reference date through the case: the sentence (no offence_date) is given at 18,
    #    the case's arrest was at 17 -> the sentence is a child's fact.  Age from
    #    age_years: no dob, age_years 18 on 2025-05-10, offence 2024-03-01 -> whole
    #    years between = 1 -> 17 -> child.  No dob and no age -> child (age 'unknown').
    con = db(children=[child("a", agency="court", dob="2007-03-01"),
                       child("b", agency="court", dob=None),
                       child("c", agency="court", dob=None)],
             events=[ev("e1", "a", "arrest", date(2025, 2, 1), agency="court", case_id="K1"),
                     ev("e2", "a", "sentence", date(2025, 4, 1), agency="court", case_id="K1",
                        measure="custodial"),
                     ev("e3", "b", "sentence", date(2025, 5, 10), agency="court",
                        offence_date=date(2024, 3, 1), age_years=18, measure="fine"),
                     ev("e4", "c", "sentence", date(2025, 5, 10), agency="court",
                        measure=None)])
    r = run(con)
    check("JJ9 numerator (case reference date)", tot(r, "JJ9")["numerator"], 1)
    check("JJ9 denominator (measure unknown left out)", tot(r, "JJ9")["denominator"], 2)
    check("JJ9 unknown", tot(r, "JJ9")["unknown"], 1)
    check("JJ10 denominator (unknown measure still a sentence)",
          tot(r, "JJ10")["denominator"], 3)
    check("JJ10 age_group unknown cell", r[("JJ10", (("age_group", "unknown"),))]["denominator"],
          1)
    check("JJ10 value", tot(r, "JJ10")["value"], 0.0)

    # 3. Detained at C; separation; family visits; pre-sentence share.
    C = Y1
    con = db(children=[child(x, agency="detention") for x in "abcde"],
             facilities=FAC,
             detentions=[
                 spell("s1", "a", "pre_sentence", date(2025, 10, 1), None, held_with_adults=None),
                 spell("s2", "b", "sentenced", date(2025, 3, 1), date(2025, 12, 31)),  # out at C
                 spell("s3", "c", "sentenced", date(2025, 12, 31), None, facility_id="F2"),
                 spell("s4", "d", "police_custody", date(2025, 12, 30), None),  # not a basis
                 spell("s5", "e", "sentenced", date(2025, 6, 1), None, facility_id="F3"),
             ],
             events=[ev("v1", "a", "family_visit", date(2025, 10, 1), agency="detention"),
                     ev("v2", "e", "family_visit", date(2025, 10, 2), agency="detention")])
    r = run(con, census=C)
    check("JJ2 numerator", tot(r, "JJ2")["numerator"], 3)
    check("JJ3 numerator", tot(r, "JJ3")["numerator"], 1)
    check("JJU value", tot(r, "JJU")["value"], 100 / 3)
    # a: facility F1 separated -> n ; c: F2 not separated -> y ; e: F3 unknown -> left out
    check("JJ7 numerator", tot(r, "JJ7")["numerator"], 1)
    check("JJ7 denominator", tot(r, "JJ7")["denominator"], 2)
    # a: window [max(C-89=2025-10-03, 2025-10-01)=10-03, C] -> visit 10-01 outside
    # e: window [2025-10-03, C] -> visit 10-02 outside; c: no visit
    check("JJ8 numerator", tot(r, "JJ8")["numerator"], 0)
    con2 = db(children=[child("a", agency="detention")], facilities=FAC,
              detentions=[spell("s1", "a", "pre_sentence", date(2025, 12, 1), None)],
              events=[ev("v1", "a", "family_visit", date(2025, 12, 1), agency="detention"),
                      ev("v0", "a", "family_visit", date(2025, 11, 30), agency="detention")])
    check("JJ8 visit on the stay's first day", tot(run(con2), "JJ8")["numerator"], 1)
    con3 = db(children=[child("a", agency="detention")], facilities=FAC,
              detentions=[spell("s1", "a", "pre_sentence", date(2025, 12, 1), None)],
              events=[ev("v0", "a", "family_visit", date(2025, 11, 30), agency="detention")])
    check("JJ8 visit the day before the stay", tot(run(con3), "JJ8")["numerator"], 0)

    # 4. Stays: s1 -> s2 transferred next day (one stay, 10 + 5 days); s3 same case as s4
    #    with a gap (one stay 3 + 4 = 7 days); s5 alone, still open (not ending).
    con = db(children=[child("a", agency="detention"), child("b", agency="detention")],
             facilities=FAC,
             detentions=[
                 spell("s1", "a", "pre_sentence", date(2025, 3, 1), date(2025, 3, 11),
                       end_reason="transferred"),
                 spell("s2", "a", "pre_sentence", date(2025, 3, 12), date(2025, 3, 17),
                       end_reason="bail"),
                 spell("s3", "b", "pre_sentence", date(2025, 4, 1), date(2025, 4, 4),
                       case_id="K", end_reason="bail"),
                 spell("s4", "b", "pre_sentence", date(2025, 6, 1), date(2025, 6, 5),
                       case_id="K", end_reason="sentenced"),
                 spell("s5", "b", "sentenced", date(2025, 6, 5), None, case_id="K"),
             ])
    r = run(con)
    check("JJ4 stays", tot(r, "JJ4")["denominator"], 2)
    check("JJ4 median", tot(r, "JJ4")["value"], 11.0)
    check("JJ4 p90 (linear)", tot(r, "JJ4")["p90"], 7 + 0.9 * 8)
    check("JJ5 no stay ending", tot(r, "JJ5")["denominator"], 0)

    # 5. Aftercare window past P.end; last release per child; coverage.
    con = db(children=[child("a", agency="detention"), child("b", agency="detention")],
             facilities=FAC,
             detentions=[
                 spell("s1", "a", "pre_sentence", date(2025, 2, 1), date(2025, 3, 1),
                       end_reason="bail"),
                 spell("s2", "a", "sentenced", date(2025, 11, 1), date(2025, 12, 20),
                       end_reason="sentence_completed"),
                 spell("s3", "b", "sentenced", date(2025, 1, 1), date(2025, 6, 1),
                       end_reason="released")],
             events=[ev("x1", "a", "aftercare", date(2026, 1, 19), agency="detention"),
                     ev("x2", "b", "aftercare", date(2025, 7, 2), agency="detention")])
    r = run(con)
    check("JJ11 numerator (window past P.end, 31st day excluded)",
          tot(r, "JJ11")["numerator"], 1)
    check("JJ11 denominator", tot(r, "JJ11")["denominator"], 2)
    con = db(children=[child("a", agency="detention")], facilities=FAC,
             detentions=[spell("s3", "a", "sentenced", date(2025, 1, 1), date(2025, 6, 1),
                               end_reason="released")],
             deliveries=[{"delivery_id": 1, "agency": "detention", "event_types": "family_visit"}])
    check("JJ11 not recorded -> None", tot(run(con), "JJ11")["value"], None)

    # 6. Places that held a child in P (any basis) and inspections C-364..C.
    con = db(children=[child(x, agency="detention") for x in "abc"], facilities=FAC,
             detentions=[spell("s1", "a", "police_custody", date(2025, 1, 5), date(2025, 1, 6)),
                         spell("s2", "b", "sentenced", date(2024, 1, 1), None, facility_id="F2"),
                         spell("s3", "c", "sentenced", date(2023, 1, 1), date(2024, 12, 31),
                               facility_id="F3")],
             inspections=[{"facility_id": "F1", "date": date(2025, 1, 1), "independent": True},
                          {"facility_id": "F2", "date": date(2024, 12, 31),
                           "independent": True}])
    r = run(con)
    check("JJ12b places", tot(r, "JJ12b")["denominator"], 2)
    check("JJ12b inspected (C-364 inclusive)", tot(r, "JJ12b")["numerator"], 1)
    check("JJ13b known mechanism only", tot(r, "JJ13b")["denominator"], 1)

    # 7. Population rolled up through regions (national row ignored), sex x, annualising.
    pop = [{"year": 2025, "region": r_, "sex": s, "age_from": 0, "age_to": 17,
            "population": 1000} for r_ in ("A1", "A2") for s in ("f", "m")]
    pop.append({"year": 2025, "region": None, "sex": None, "age_from": 0, "age_to": 17,
                "population": 999999})
    regions = [{"region": "A", "parent": None}, {"region": "A1", "parent": "A"},
               {"region": "A2", "parent": "A"}]
    con = db(children=[child("a"), child("b", sex="x")], population=pop, regions=regions,
             events=[ev("e1", "a", "arrest", date(2025, 3, 1)),
                     ev("e2", "b", "arrest", date(2025, 3, 2))])
    r = run(con, date(2025, 1, 1), date(2025, 6, 30))
    check("population rolled up", tot(r, "JJ1")["denominator"], 4000)
    check("annualised (365/181)", tot(r, "JJ1")["value"], 2 / 4000 * 100000 * 365 / 181)
    check("sex x has no population", r[("JJ1", (("sex", "x"),))]["value"], None)
    check("region A1 population", r[("JJ1", (("region", "A1"),))]["denominator"], 2000)

    # 8. Breakdown by the first qualifying fact: two arrests, the earlier (age 13) decides.
    con = db(children=[child("a", dob="2011-06-01")],
             events=[ev("e2", "a", "arrest", date(2025, 9, 1), offence_iccs="0502"),
                     ev("e1", "a", "arrest", date(2025, 2, 1), offence_iccs="0101")])
    r = run(con)
    check("age_group of the first fact", r[("JJ1", (("age_group", "12-13"),))]["numerator"], 1)
    check("offence section of the first fact",
          r[("JJ1", (("offence_section", "01"),))]["numerator"], 1)
    check("no second cell", ("JJ1", (("age_group", "14-15"),)) in r, False)

    # 9. Policy: latest as_of <= C.
    con = db(policy=[{"key": "national_prevention_plan", "value": False,
                      "as_of": date(2019, 1, 1)},
                     {"key": "national_prevention_plan", "value": True,
                      "as_of": date(2026, 1, 1)}])
    check("JJ15 latest as_of <= C", tot(run(con), "JJ15")["value"], 0)

    # 10. Victims: ICCS prefixes, cyber.
    con = db(children=[child(x, agency="victim_services") for x in "abcd"],
             events=[ev("v1", "a", "victim_report", date(2025, 1, 1), agency="victim_services",
                        offence_iccs="03011", cyber=True),
                     ev("v2", "b", "victim_report", date(2025, 1, 1), agency="victim_services",
                        offence_iccs="0502"),
                     ev("v3", "c", "victim_report", date(2025, 1, 1), agency="victim_services",
                        offence_iccs="0204", role="witness"),
                     ev("v4", "d", "victim_report", date(2025, 1, 1), agency="victim_services",
                        offence_iccs=None, cyber=False)])
    r = run(con)
    check("VAC1 (sections 01-04, role victim)", tot(r, "VAC1")["numerator"], 1)
    check("VAC1 unknown offence", tot(r, "VAC1")["unknown"], 1)
    check("VAC3", tot(r, "VAC3")["numerator"], 1)
    check("VAC4 witness left out", tot(r, "VAC4")["numerator"], 0)
    check("VAC6", tot(r, "VAC6")["numerator"], 1)

    print("FAILED: " + ", ".join(FAILED) if FAILED else "all checks passed")
    return 1 if FAILED else 0


if __name__ == "__main__":
    raise SystemExit(main())
