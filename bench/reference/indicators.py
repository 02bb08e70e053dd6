"""Independent reference implementation of the endvac indicators (plain pandas).

Written from /work/shared/spec/indicators.md only; it shares no code with the
engine.  Entry point: :func:`compute`.  The readings of ambiguous rules are
listed (numbered) in README.md next to this file; comments cite them as R<n>.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from .population import Population
from .victims import compute_victims

DEFAULT_CONFIG: dict[str, Any] = {
    "detention_bases": ["pre_sentence", "sentenced", "administrative", "other"],
    "child_population_ages": (0, 17),
    "age_groups": ["0-11", "12-13", "14-15", "16-17"],
    "aftercare_window_days": 30,
    "macr": 14,
}

UNKNOWN = "unknown"
DIMENSIONS = ["sex", "age_group", "region", "offence_section", "disability", "group",
              "nationality"]
PROCEDURAL_EVENTS = {"arrest", "charge", "first_appearance", "diversion", "verdict", "sentence"}
RELEASE_REASONS = {"released", "bail", "sentence_completed"}
VICTIM_DEFAULT = {"victim_report", "violence_in_custody", "investigation_opened",
                  "investigation_closed", "suspect_charged", "suspect_verdict",
                  "victim_support", "child_interview"}  # R7 and the victims' pathway
POLICY = {
    "JJ12a": "independent_inspection_system",
    "JJ13a": "complaints_system",
    "JJ14": "specialised_juvenile_justice_system",
    "JJ15": "national_prevention_plan",
}

TABLE_COLUMNS: dict[str, list[str]] = {
    "children": ["record_id", "agency", "date_of_birth", "dob_estimated", "sex", "region",
                 "disability", "nationality", "group"],
    "events": ["event_id", "agency", "record_id", "case_id", "origin_case_ref", "event_type",
               "date", "date_time", "offence_date", "offence_date_time", "age_years", "role",
               "offence_iccs", "cyber", "measure", "authority", "length_days", "facility_id"],
    "detentions": ["spell_id", "agency", "record_id", "case_id", "origin_case_ref",
                   "facility_id", "basis", "start", "start_time", "end", "end_time",
                   "end_reason", "held_with_adults", "offence_iccs", "age_years"],
    "facilities": ["facility_id", "name", "type", "region", "children_wholly_separated",
                   "complaints_mechanism", "capacity"],
    "inspections": ["facility_id", "date", "independent"],
    "population": ["year", "region", "sex", "age", "age_from", "age_to", "group",
                   "disability", "nationality", "population"],
    "regions": ["region", "name", "parent"],
    "policy": ["key", "value", "as_of", "evidence"],
    "deliveries": ["delivery_id", "agency", "period_start", "period_end", "mode",
                   "event_types"],
}


# --------------------------------------------------------------------------- loading
def load_tables(source: str | Path | duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """Read the current-row views (only the interchange columns) into DataFrames."""
    own = not isinstance(source, duckdb.DuckDBPyConnection)
    con = duckdb.connect(str(source), read_only=True) if own else source
    try:
        tables: dict[str, pd.DataFrame] = {}
        for name, cols in TABLE_COLUMNS.items():
            try:
                have = {r[0] for r in con.execute(f'DESCRIBE "{name}"').fetchall()}
            except duckdb.Error:
                tables[name] = pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
                continue
            select = ", ".join(f'"{c}"' if c in have else f'NULL AS "{c}"' for c in cols)
            tables[name] = con.execute(f'SELECT {select} FROM "{name}"').df()
        return tables
    finally:
        if own:
            con.close()


# --------------------------------------------------------------------------- helpers
def _day(df: pd.DataFrame, col: str, time_col: str | None = None) -> pd.Series:
    """A date column truncated to the day (timestamp used when the date is missing)."""
    s = pd.to_datetime(df[col], errors="coerce")
    if time_col is not None:
        s = s.fillna(pd.to_datetime(df[time_col], errors="coerce"))
    return s.dt.normalize().astype("datetime64[ns]")


def _ts(d: date) -> pd.Timestamp:
    return pd.Timestamp(d).normalize()


def parse_dob(s: pd.Series) -> pd.Series:
    """'YYYY-MM-DD' as given, 'YYYY-MM' -> the 15th, 'YYYY' -> 1 July, else NaT."""
    s = s.astype("string").str.strip()
    full = pd.to_datetime(s.where(s.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False)),
                          format="%Y-%m-%d", errors="coerce")
    ym = pd.to_datetime((s + "-15").where(s.str.fullmatch(r"\d{4}-\d{2}").fillna(False)),
                        format="%Y-%m-%d", errors="coerce")
    y = pd.to_datetime((s + "-07-01").where(s.str.fullmatch(r"\d{4}").fillna(False)),
                       format="%Y-%m-%d", errors="coerce")
    return full.fillna(ym).fillna(y).astype("datetime64[ns]")


def whole_years(a: pd.Series, b: pd.Series) -> pd.Series:
    """Whole years from a to b (the age on b of someone born on a); signed; NaN if NaT."""
    def forward(x: pd.Series, y: pd.Series) -> pd.Series:
        years = y.dt.year - x.dt.year
        before = (y.dt.month * 100 + y.dt.day) < (x.dt.month * 100 + x.dt.day)
        return years - before.astype(float)
    fwd = forward(a, b)
    back = -forward(b, a)
    return fwd.where(~(a > b), back).astype(float)


def _label(value: Any) -> str:
    """Breakdown value as a string; unknown -> 'unknown', flags -> 'y'/'n'."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return UNKNOWN
    if isinstance(value, (bool, np.bool_)):
        return "y" if value else "n"
    return str(value)


def _age_bands(groups: Iterable[str]) -> list[tuple[str, int, int]]:
    bands = []
    for g in groups:
        m = re.fullmatch(r"\s*(\d+)\s*-\s*(\d+)\s*", str(g))
        if m:
            bands.append((str(g), int(m.group(1)), int(m.group(2))))
    return bands


def _age_group(age: pd.Series, bands: list[tuple[str, int, int]]) -> pd.Series:
    out = pd.Series(UNKNOWN, index=age.index, dtype="object")
    for name, lo, hi in bands:
        out[(age >= lo) & (age <= hi)] = name
    return out


def _between(s: pd.Series, lo: pd.Timestamp, hi: pd.Timestamp) -> pd.Series:
    return (s >= lo) & (s <= hi)


# --------------------------------------------------------------------------- model
class Model:
    """Facts (events and spells) with reference date, age, child test and cell attributes."""

    def __init__(self, t: dict[str, pd.DataFrame], p_start: date, p_end: date, census: date,
                 cfg: dict[str, Any]) -> None:
        self.cfg = cfg
        self.P0, self.P1, self.C = _ts(p_start), _ts(p_end), _ts(census)
        self.bases = set(cfg["detention_bases"])
        self.bands = _age_bands(cfg["age_groups"])
        self.t = t

        # persons: (agency, record_id)
        ch = t["children"].copy()
        ch["pid"] = ch["agency"].astype(str) + "\x1f" + ch["record_id"].astype(str)
        ch = ch.drop_duplicates("pid")
        ch["dob"] = parse_dob(ch["date_of_birth"])
        for col in ("sex", "region", "group", "nationality", "disability"):
            ch[col] = ch[col].astype("object").map(_label)
        self.children = ch.set_index("pid")

        ev = t["events"].copy()
        ev["fid"] = ev["event_id"].astype(str)
        ev["date"] = _day(ev, "date", "date_time")
        ev["offence_date"] = _day(ev, "offence_date", "offence_date_time")
        ev["role"] = ev["role"].astype("object").where(
            ev["role"].notna(),
            np.where(ev["event_type"].isin(VICTIM_DEFAULT), "victim", "offender"))
        ev["cyber"] = ev["cyber"].astype("boolean")

        sp = t["detentions"].copy()
        sp["fid"] = sp["spell_id"].astype(str)
        sp["start"] = _day(sp, "start", "start_time")
        sp["end"] = _day(sp, "end", "end_time")
        sp["date"] = sp["start"]
        sp["offence_date"] = pd.Series(pd.NaT, index=sp.index, dtype="datetime64[ns]")
        sp["held_with_adults"] = sp["held_with_adults"].astype("boolean")
        sp["duration"] = (sp["end"] - sp["start"]).dt.days

        # reference date (R3): earliest procedural date of the same (agency, case_id)
        proc = pd.concat([
            ev.loc[ev["event_type"].isin(PROCEDURAL_EVENTS) & ev["case_id"].notna(),
                   ["agency", "case_id", "date"]],
            sp.loc[sp["case_id"].notna(), ["agency", "case_id", "date"]],
        ])
        case_min = proc.groupby(["agency", "case_id"])["date"].min().rename("case_min")
        self.events = self._facts(ev, case_min)
        self.spells = self._facts(sp, case_min)
        fac = t["facilities"].copy()
        fac["children_wholly_separated"] = fac["children_wholly_separated"].astype("boolean")
        fac["complaints_mechanism"] = fac["complaints_mechanism"].astype("boolean")
        self.facilities = fac.drop_duplicates("facility_id").set_index("facility_id")

    def _facts(self, df: pd.DataFrame, case_min: pd.Series) -> pd.DataFrame:
        df["pid"] = df["agency"].astype(str) + "\x1f" + df["record_id"].astype(str)
        df = df.merge(case_min, how="left", left_on=["agency", "case_id"], right_index=True)
        df["ref"] = df["offence_date"].fillna(df["case_min"]).fillna(df["date"])
        att = self.children[["dob", "sex", "region", "disability", "group", "nationality"]]
        df = df.merge(att, how="left", left_on="pid", right_index=True)
        for col in ("sex", "region", "disability", "group", "nationality"):
            df[col] = df[col].fillna(UNKNOWN)
        age_dob = whole_years(df["dob"], df["ref"])
        age_fact = (pd.to_numeric(df["age_years"], errors="coerce").astype(float)
                    - whole_years(df["ref"], df["date"]))
        df["age"] = age_dob.where(df["dob"].notna(), age_fact)
        df["is_child"] = df["age"].isna() | (df["age"] < 18)
        df["age_group"] = _age_group(df["age"], self.bands)
        iccs = df["offence_iccs"].astype("string").str.strip()
        df["offence_section"] = iccs.str[:2].where(iccs.str.len() >= 2).astype("object")
        df["offence_section"] = df["offence_section"].fillna(UNKNOWN)
        return df.reset_index(drop=True)

    # ---- detention predicates -------------------------------------------------
    def detained_at(self, sp: pd.DataFrame, c: pd.Timestamp) -> pd.Series:
        return (sp["start"] <= c) & (sp["end"].isna() | (sp["end"] > c))

    def detained_in_p(self, sp: pd.DataFrame) -> pd.Series:
        return (sp["start"] <= self.P1) & (sp["end"].isna() | (sp["end"] >= self.P0))

    def config_spells(self) -> pd.DataFrame:
        return self.spells[self.spells["basis"].isin(self.bases)]

    # ---- stays (R8) ------------------------------------------------------------
    def stays(self) -> pd.DataFrame:
        """Spells with a 'stay' id: chains on one basis of one person sharing
        (agency, case_id), or a `transferred` spell followed (same basis) by one
        starting the same or the next day."""
        sp = self.spells.copy()
        parent = {f: f for f in sp.index}

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        def union(a: int, b: int) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)

        with_case = sp[sp["case_id"].notna()]
        for _, idx in with_case.groupby(["pid", "basis", "case_id"]).groups.items():
            idx = list(idx)
            for other in idx[1:]:
                union(idx[0], other)
        tr = sp[(sp["end_reason"] == "transferred") & sp["end"].notna()]
        if len(tr):
            left = tr[["pid", "basis", "end"]].reset_index().rename(columns={"index": "a"})
            right = sp[["pid", "basis", "start"]].reset_index().rename(columns={"index": "b"})
            m = left.merge(right, on=["pid", "basis"])
            m = m[(m["a"] != m["b"]) & (m["start"] >= m["end"])
                  & (m["start"] <= m["end"] + pd.Timedelta(days=1))]
            for a, b in zip(m["a"], m["b"], strict=True):
                union(int(a), int(b))
        sp["stay"] = [find(i) for i in sp.index]
        g = sp.groupby("stay")
        sp["stay_start"] = g["start"].transform("min")
        sp["stay_open"] = sp["end"].isna().groupby(sp["stay"]).transform("any")
        sp["stay_end"] = g["end"].transform("max").where(~sp["stay_open"])
        sp["stay_days"] = g["duration"].transform("sum")
        # the stay's first spell decides whether it is a child's stay (R9)
        first = sp.sort_values(["stay", "start", "fid"]).drop_duplicates("stay")
        sp["stay_child"] = (sp["stay"].map(first.set_index("stay")["is_child"])
                            .fillna(False).astype(bool))
        return sp


def first_facts(facts: pd.DataFrame) -> pd.DataFrame:
    """Each person's first qualifying fact (earliest reference date, ties lowest id)."""
    f = facts.sort_values(["pid", "ref", "fid"], kind="mergesort")
    return f.drop_duplicates("pid").set_index("pid")


# --------------------------------------------------------------------------- output
class Output:
    def __init__(self, m: Model, pop: Population, cfg: dict[str, Any], factor: float) -> None:
        self.m, self.pop, self.cfg, self.factor = m, pop, cfg, factor
        self.rows: list[dict[str, Any]] = []
        self.a0, self.a1 = (int(x) for x in cfg["child_population_ages"])

    @staticmethod
    def cells(frame: pd.DataFrame) -> Iterable[tuple[dict[str, str], pd.DataFrame]]:
        yield {}, frame
        for dim in DIMENSIONS:
            for value, sub in frame.groupby(dim, sort=True):
                yield {dim: str(value)}, sub

    def population(self, by: dict[str, str]) -> tuple[float | None, str | None]:
        ages = (self.a0, self.a1)
        if not self.pop.has_year:
            return None, f"no population rows for {self.pop.year}"
        if not by:
            v = self.pop.get(None, None, ages)
        else:
            (dim, val), = by.items()
            if val == UNKNOWN:
                return None, f"no population for unknown {dim}"
            if dim == "sex":
                if val not in ("f", "m"):
                    return None, f"sex {val} has no population"
                v = self.pop.get(None, val, ages)
            elif dim == "age_group":
                band = next((b for b in self.m.bands if b[0] == val), None)
                if band is None:
                    return None, "age group has no population"
                lo, hi = max(band[1], self.a0), min(band[2], self.a1)
                v = self.pop.get(None, None, (lo, hi)) if lo <= hi else None
            elif dim == "region":
                v = self.pop.get(val, None, ages)
            elif dim == "offence_section":
                return None, "no population by offence section"
            elif dim == "disability":
                v = self.pop.get(None, None, ages, ("disability", val == "y"))
            else:  # group, nationality
                v = self.pop.get(None, None, ages, (dim, val))
        if v is None:
            return None, "population not available for this cell"
        return v, None

    def not_recorded(self, iid: str, unit: str, reason: str) -> None:
        self.rows.append({"id": iid, "by": {}, "numerator": None, "denominator": None,
                          "value": None, "unit": unit, "coverage": "not_recorded",
                          "reason": reason})

    def pop_rate(self, iid: str, persons: pd.DataFrame, annualise: bool,
                 notes: dict[str, Any]) -> None:
        """persons: one row per counted person (its first numerator fact)."""
        factor = self.factor if annualise else 1.0
        for by, sub in self.cells(persons):
            num = int(len(sub))
            den, reason = self.population(by)
            row = {"id": iid, "by": by, "numerator": num,
                   "denominator": None if den is None else int(den) if den == int(den) else den,
                   "value": None if den in (None, 0) else num / den * 100000 * factor,
                   "unit": "per_100000"}
            if reason:
                row["reason"] = reason
            if not by:
                row.update(notes)
                row["below_macr"] = self.below_macr(persons)
            self.rows.append(row)

    def ratio(self, iid: str, unit: str, frame: pd.DataFrame, notes: dict[str, Any]) -> None:
        """frame: one row per person with columns num, den (+ cell dims)."""
        scale = 100.0 if unit == "percent" else 1000.0
        for by, sub in self.cells(frame):
            num, den = int(sub["num"].sum()), int(sub["den"].sum())
            row = {"id": iid, "by": by, "numerator": num, "denominator": den,
                   "value": None if den == 0 else num / den * scale, "unit": unit}
            if not by:
                row.update(notes)
                row["below_macr"] = self.below_macr(frame[frame["den"] > 0])
            self.rows.append(row)

    def below_macr(self, persons: pd.DataFrame) -> int:
        return int((persons["age"] < int(self.cfg["macr"])).sum())

    def durations(self, iid: str, stays: pd.DataFrame, notes: dict[str, Any]) -> None:
        """stays: one row per stay with its person's cell dims and stay_days."""
        for by, sub in self.cells(stays):
            d = sub["stay_days"].astype(float).to_numpy()
            n = len(d)
            row = {"id": iid, "by": by, "numerator": None, "denominator": n,
                   "value": float(np.quantile(d, 0.5)) if n else None,
                   "mean": float(d.mean()) if n else None,
                   "p90": float(np.quantile(d, 0.9)) if n else None,
                   "unit": "days"}
            if not by:
                row.update(notes)
            self.rows.append(row)


# --------------------------------------------------------------------------- compute
def _recorded(t: dict[str, pd.DataFrame]) -> set[str]:
    """Event types recorded: listed by any delivery manifest, or carried by a row (R13)."""
    types: set[str] = set()
    for v in t["deliveries"]["event_types"].dropna():
        types |= {x.strip().lower() for x in str(v).split() if x.strip()}
    types |= set(t["events"]["event_type"].dropna().astype(str))
    return types


def _persons_frame(first: pd.DataFrame) -> pd.DataFrame:
    return first[DIMENSIONS + ["age"]].copy()


def compute(db_path: str | Path | duckdb.DuckDBPyConnection, period_start: date,
            period_end: date, census_date: date | None = None,
            config: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """All indicators, national total and every single breakdown."""
    cfg = dict(DEFAULT_CONFIG)
    cfg.update(config or {})
    census = census_date or period_end
    return compute_tables(load_tables(db_path), period_start, period_end, census, cfg)


def compute_tables(t: dict[str, pd.DataFrame], period_start: date, period_end: date,
                   census: date, cfg: dict[str, Any]) -> list[dict[str, Any]]:
    m = Model(t, period_start, period_end, census, cfg)
    pop = Population(t["population"], t["regions"], period_end.year)
    days_p = (period_end - period_start).days + 1
    calendar_year = (period_start == date(period_end.year, 1, 1)
                     and period_end == date(period_end.year, 12, 31))
    days_year = 366 if calendar.isleap(period_end.year) else 365
    factor = 1.0 if calendar_year else days_year / days_p
    out = Output(m, pop, cfg, factor)
    recorded = _recorded(t)
    cyber_recorded = bool(t["events"]["cyber"].notna().any())
    P0, P1, C = m.P0, m.P1, m.C
    ev, sp = m.events, m.spells
    ev_in_p = ev[_between(ev["date"], P0, P1)]

    def adults(frame: pd.DataFrame) -> int:
        return int((~frame["is_child"]).sum())

    # ---- JJ1 ---------------------------------------------------------------
    if "arrest" not in recorded:
        out.not_recorded("JJ1", "per_100000", "event type arrest not recorded")
    else:
        cand = ev_in_p[(ev_in_p["event_type"] == "arrest") & (ev_in_p["role"] == "offender")]
        out.pop_rate("JJ1", _persons_frame(first_facts(cand[cand["is_child"]])), True,
                     {"excluded_adults": adults(cand)})

    # ---- JJ2 / JJ3 / JJU / JJ7 / JJ8 (detained at C) ----------------------------
    csp = m.config_spells()
    at_c_all = csp[m.detained_at(csp, C)]
    at_c = at_c_all[at_c_all["is_child"]]
    out.pop_rate("JJ2", _persons_frame(first_facts(at_c)), False,
                 {"excluded_adults": adults(at_c_all)})
    pre_all = at_c_all[at_c_all["basis"] == "pre_sentence"]
    pre = pre_all[pre_all["is_child"]]
    out.pop_rate("JJ3", _persons_frame(first_facts(pre)), False,
                 {"excluded_adults": adults(pre_all)})

    first_c = first_facts(at_c)
    jju = _persons_frame(first_c)
    jju["den"] = 1
    jju["num"] = jju.index.isin(pre["pid"]).astype(int)
    out.ratio("JJU", "percent", jju, {"excluded_adults": adults(at_c_all)})

    # JJ7: separation (R10)
    sep = at_c.copy()
    fac_sep = sep["facility_id"].map(m.facilities["children_wholly_separated"])
    not_sep = sep["held_with_adults"].astype("object")
    fallback = fac_sep.map(lambda v: None if v is None or v is pd.NA else (not bool(v)))
    not_sep = not_sep.where(sep["held_with_adults"].notna(), fallback)
    sep["not_sep"] = not_sep
    per = sep.groupby("pid")["not_sep"].agg(
        lambda s: True if any(v is True for v in s)
        else (False if all(v is False for v in s) else None))
    known_pids = per[per.notna()].index
    known_facts = sep[sep["pid"].isin(known_pids) & sep["not_sep"].notna()]
    jj7 = _persons_frame(first_facts(known_facts))
    jj7["den"] = 1
    jj7["num"] = per.loc[jj7.index].astype(bool).astype(int)
    out.ratio("JJ7", "percent", jj7, {"unknown": int(per.isna().sum()),
                                      "excluded_adults": adults(at_c_all)})

    # JJ8: family visit within [max(C-89, start of the current stay), C] (R11)
    stays = m.stays()
    if "family_visit" not in recorded:
        out.not_recorded("JJ8", "percent", "event type family_visit not recorded")
    else:
        cur = stays.loc[stays["fid"].isin(at_c["fid"])
                        & stays["basis"].isin(m.bases), ["pid", "stay_start"]]
        cur = cur.assign(lo=cur["stay_start"].clip(lower=C - pd.Timedelta(days=89)))
        visits = ev[(ev["event_type"] == "family_visit")][["pid", "date"]]
        j = cur.merge(visits, on="pid")
        ok = set(j.loc[(j["date"] >= j["lo"]) & (j["date"] <= C), "pid"])
        jj8 = _persons_frame(first_c)
        jj8["den"] = 1
        jj8["num"] = jj8.index.isin(list(ok)).astype(int)
        out.ratio("JJ8", "percent", jj8, {"excluded_adults": adults(at_c_all)})

    # ---- JJ4 / JJ5 stays ending in P ------------------------------------------
    for iid, basis in (("JJ4", "pre_sentence"), ("JJ5", "sentenced")):
        s = stays[(stays["basis"] == basis) & stays["basis"].isin(m.bases)
                  & stays["stay_end"].notna() & _between(stays["stay_end"], P0, P1)]
        adult_stays = int(s.loc[~s["stay_child"], "stay"].nunique())
        s = s[s["stay_child"]]
        first = first_facts(s)
        one = s.sort_values(["stay", "start", "fid"]).drop_duplicates("stay")
        per_stay = one[["stay", "pid", "stay_days"]].copy()
        last = s.sort_values(["stay", "end", "start", "fid"]).drop_duplicates("stay", keep="last")
        per_stay["end_reason"] = per_stay["stay"].map(last.set_index("stay")["end_reason"])
        # every stay of a person falls in the cell of the person's first qualifying spell
        per_stay = per_stay.merge(first[DIMENSIONS + ["age"]], left_on="pid", right_index=True)
        split = per_stay["end_reason"].fillna(UNKNOWN).value_counts().to_dict()
        out.durations(iid, per_stay, {"excluded_adults": adult_stays,
                                      "end_reasons": {str(k): int(v) for k, v in split.items()}})

    # ---- JJ6 / VAC5 (children detained at any time in P) ------------------------
    in_p_all = csp[m.detained_in_p(csp)]
    in_p = in_p_all[in_p_all["is_child"]]
    first_p = first_facts(in_p)
    pol = sp[(sp["basis"] == "police_custody") & sp["is_child"]]
    pol_in_p = pol[m.detained_in_p(pol)]

    deaths_all = csp[csp["end"].notna() & _between(csp["end"], P0, P1)
                     & (csp["end_reason"] == "death")]
    deaths = deaths_all[deaths_all["is_child"]]
    jj6 = _persons_frame(first_p)
    jj6["den"] = 1
    jj6["num"] = deaths.groupby("pid").size().reindex(jj6.index, fill_value=0)
    extra = deaths[~deaths["pid"].isin(jj6.index)]  # cannot happen (a death ends in P)
    if len(extra):
        add = _persons_frame(first_facts(extra))
        add["den"] = 0
        add["num"] = extra.groupby("pid").size()
        jj6 = pd.concat([jj6, add])
    pol_deaths = pol[pol["end"].notna() & _between(pol["end"], P0, P1)
                     & (pol["end_reason"] == "death")]
    out.ratio("JJ6", "per_1000", jj6, {
        "excluded_adults": adults(in_p_all),
        "police_custody": {"numerator": int(len(pol_deaths)),
                           "denominator": int(pol_in_p["pid"].nunique())}})

    if "violence_in_custody" not in recorded:
        out.not_recorded("VAC5", "per_1000", "event type violence_in_custody not recorded")
    else:
        vic_all = ev_in_p[ev_in_p["event_type"] == "violence_in_custody"]
        vic = vic_all[vic_all["is_child"]]
        vac5 = _persons_frame(first_p)
        vac5["den"] = 1
        vac5["num"] = vic.groupby("pid").size().reindex(vac5.index, fill_value=0)
        extra = vic[~vic["pid"].isin(vac5.index)]
        if len(extra):  # R15: events of a person not detained in P -> own first event's cell
            add = _persons_frame(first_facts(extra))
            add["den"] = 0
            add["num"] = extra.groupby("pid").size()
            vac5 = pd.concat([vac5, add])
        ftype = vic["facility_id"].map(m.facilities["type"])
        out.ratio("VAC5", "per_1000", vac5, {
            "excluded_adults": adults(vic_all),
            "police_custody": {"numerator": int((ftype == "police_station").sum()),
                               "denominator": int(pol_in_p["pid"].nunique())}})

    # ---- JJ9 / JJ10 ------------------------------------------------------------------
    sent_all = ev_in_p[ev_in_p["event_type"] == "sentence"]
    sent = sent_all[sent_all["is_child"]]
    if "sentence" not in recorded:
        out.not_recorded("JJ9", "percent", "event type sentence not recorded")
    else:
        known = sent[sent["measure"].notna()]
        jj9 = _persons_frame(first_facts(known))
        jj9["den"] = 1
        cust = set(known.loc[known["measure"] == "custodial", "pid"])
        jj9["num"] = jj9.index.isin(list(cust)).astype(int)
        out.ratio("JJ9", "percent", jj9, {"unknown": int(sent["measure"].isna().sum()),
                                          "excluded_adults": adults(sent_all)})
    if "diversion" not in recorded or "sentence" not in recorded:
        out.not_recorded("JJ10", "percent", "event type diversion or sentence not recorded")
    else:
        dv_all = ev_in_p[ev_in_p["event_type"].isin(["diversion", "sentence"])]
        dv = dv_all[dv_all["is_child"]]
        jj10 = _persons_frame(first_facts(dv))
        jj10["den"] = 1
        div = set(dv.loc[dv["event_type"] == "diversion", "pid"])
        jj10["num"] = jj10.index.isin(list(div)).astype(int)
        out.ratio("JJ10", "percent", jj10, {"excluded_adults": adults(dv_all)})

    # ---- JJ11 aftercare ----------------------------------------------------------------
    window = int(cfg["aftercare_window_days"])
    if "aftercare" not in recorded:
        out.not_recorded("JJ11", "percent", "event type aftercare not recorded")
    else:
        rel_all = csp[csp["end"].notna() & _between(csp["end"], P0, P1)
                      & csp["end_reason"].isin(RELEASE_REASONS)]
        rel = rel_all[rel_all["is_child"]]
        last = rel.sort_values(["pid", "end", "fid"]).drop_duplicates("pid", keep="last")
        after = ev[ev["event_type"] == "aftercare"][["pid", "date"]]
        j = last[["pid", "end"]].merge(after, on="pid")
        ok = set(j.loc[(j["date"] >= j["end"])
                       & (j["date"] <= j["end"] + pd.Timedelta(days=window)), "pid"])
        jj11 = _persons_frame(first_facts(rel))
        jj11["den"] = 1
        jj11["num"] = jj11.index.isin(list(ok)).astype(int)
        provisional = period_end + timedelta(days=window) >= date.today()
        out.ratio("JJ11", "percent", jj11, {"excluded_adults": adults(rel_all),
                                            "provisional": bool(provisional)})

    # ---- JJ12b / JJ13b places that held a child in P (any basis) -------------------------
    held = sp[m.detained_in_p(sp) & sp["is_child"]]
    places = pd.DataFrame(index=pd.Index(sorted(held["facility_id"].dropna().unique()),
                                         name="facility_id"))
    places["region"] = [_label(m.facilities["region"].get(f)) if f in m.facilities.index
                        else UNKNOWN for f in places.index]
    insp = t["inspections"].copy()
    insp["date"] = _day(insp, "date")
    insp = insp[insp["independent"].astype("boolean").fillna(False).astype(bool)
                & _between(insp["date"], C - pd.Timedelta(days=364), C)]
    inspected = places.index.isin(insp["facility_id"])
    mech_yes, mech_known, mech_notes = _jj13b(places, m)
    for iid, num_flag, den_flag, notes in (
        ("JJ12b", inspected, np.ones(len(places), bool), {}),  # R12: no inspection = none
        ("JJ13b", mech_yes, mech_known, mech_notes),
    ):
        rows = places.assign(num=num_flag.astype(int), den=den_flag.astype(int))
        rows = rows[rows["den"] > 0]
        for by, sub in [({}, rows)] + [({"region": str(r)}, g)
                                      for r, g in rows.groupby("region", sort=True)]:
            num, den = int(sub["num"].sum()), int(sub["den"].sum())
            row = {"id": iid, "by": by, "numerator": num, "denominator": den,
                   "value": None if den == 0 else 100.0 * num / den, "unit": "percent"}
            if not by:
                row.update(notes)
            out.rows.append(row)

    # ---- VAC1-4, VAC6 -------------------------------------------------------------------
    vr_all = ev_in_p[ev_in_p["event_type"] == "victim_report"]
    vr = vr_all[vr_all["is_child"]]
    iccs = vr["offence_iccs"].astype("string").str.strip()
    victim = vr["role"] == "victim"
    specs = {
        "VAC1": iccs.str[:2].isin(["01", "02", "03", "04"]),
        "VAC2": iccs.str.startswith("0101"),
        "VAC3": iccs.str.startswith("0301") | iccs.str.startswith("0302"),
        "VAC4": iccs.str.startswith("0204"),
    }
    for iid, cond in specs.items():
        if "victim_report" not in recorded:
            out.not_recorded(iid, "per_100000", "event type victim_report not recorded")
            continue
        sel = vr[victim & cond.fillna(False).astype(bool)]
        out.pop_rate(iid, _persons_frame(first_facts(sel)), True, {
            "unknown": int((victim & iccs.isna()).sum()),
            "excluded_adults": adults(vr_all[vr_all["role"] == "victim"])})
    if "victim_report" not in recorded or not cyber_recorded:
        out.not_recorded("VAC6", "per_100000", "victim_report or field cyber not recorded")
    else:
        sel = vr[vr["cyber"].fillna(False).astype(bool)]
        out.pop_rate("VAC6", _persons_frame(first_facts(sel)), True, {
            "unknown": int(vr["cyber"].isna().sum()), "excluded_adults": adults(vr_all)})

    # ---- yes/no policy indicators -----------------------------------------------------------
    pol_t = t["policy"].copy()
    pol_t["as_of"] = _day(pol_t, "as_of")
    for iid, key in POLICY.items():
        rows = pol_t[(pol_t["key"] == key) & (pol_t["as_of"] <= C)].sort_values("as_of")
        row: dict[str, Any] = {"id": iid, "by": {}, "numerator": None, "denominator": None,
                               "value": None, "unit": "yes_no"}
        if len(rows):
            r = rows.iloc[-1]
            row["value"] = None if pd.isna(r["value"]) else (1 if bool(r["value"]) else 0)
            row["as_of"] = r["as_of"].date().isoformat()
            row["evidence"] = None if pd.isna(r["evidence"]) else str(r["evidence"])
        else:
            row["reason"] = f"no policy row for {key} on or before the census date"
        out.rows.append(row)

    out.rows += compute_victims(m.events, P0, P1, out.cells)
    order = ["JJ1", "JJ2", "JJ3", "JJ4", "JJ5", "JJ6", "JJ7", "JJ8", "JJ9", "JJ10", "JJ11",
             "JJ12a", "JJ12b", "JJ13a", "JJ13b", "JJ14", "JJ15", "VAC1", "VAC2", "VAC3",
             "VAC4", "VAC5", "VAC6", "JJU", "VAC7", "VAC8", "VAC9", "VAC10", "VAC10a",
             "VAC10b", "VAC10c", "VAC10d", "VAC10e", "VAC11", "VAC12"]
    rank = {k: i for i, k in enumerate(order)}
    out.rows.sort(key=lambda r: rank[r["id"]])  # stable: cells keep their order
    return out.rows


def _jj13b(places: pd.DataFrame, m: Model) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    mech = pd.Series([m.facilities["complaints_mechanism"].get(f) if f in m.facilities.index
                      else None for f in places.index], index=places.index, dtype="boolean")
    known = mech.notna().to_numpy()
    yes = mech.fillna(False).astype(bool).to_numpy()
    return yes & known, known, {"unknown": int((~known).sum())}
