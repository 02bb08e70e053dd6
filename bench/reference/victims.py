"""The victims' pathway indicators VAC7-VAC12 of the independent reference (plain
pandas), written from the extension sections of docs/spec/interchange.md and
docs/spec/indicators.md; readings R25-R28 in README.md."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

CASE_STEPS = ("suspect_charged", "suspect_verdict")
SUPPORT_TYPES = {"VAC10a": "medical", "VAC10b": "psychosocial", "VAC10c": "legal",
                 "VAC10d": "shelter", "VAC10e": "compensation"}
Cells = Callable[[pd.DataFrame], Iterable[tuple[dict[str, str], pd.DataFrame]]]


def case_progress(ev: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Each report (R25) with charged, decided and decision (first verdict date): steps of
    the same person sharing (agency, case_id), or carrying the case in origin_case_ref."""
    steps = ev.loc[ev["event_type"].isin(CASE_STEPS),
                   ["pid", "agency", "case_id", "origin_case_ref", "event_type", "date"]]
    steps = steps.reset_index(names="step")
    r = reports.loc[reports["case_id"].notna(), ["pid", "agency", "fid", "case_id"]]
    same = r.merge(steps[steps["case_id"].notna()], on=["pid", "agency", "case_id"])
    other = r.merge(steps[steps["origin_case_ref"].notna()].drop(columns=["agency"]),
                    left_on=["pid", "case_id"], right_on=["pid", "origin_case_ref"],
                    suffixes=("", "_step"))
    both = pd.concat([same[["agency", "fid", "step", "event_type", "date"]],
                      other[["agency", "fid", "step", "event_type", "date"]]])
    both = both.drop_duplicates(["agency", "fid", "step"])
    verdicts = both[both["event_type"] == "suspect_verdict"]
    charged = both.loc[both["event_type"] == "suspect_charged", ["agency", "fid"]]
    out = reports.copy()
    key = list(zip(out["agency"], out["fid"], strict=True))
    out["charged"] = pd.Series(key, index=out.index).isin(
        set(zip(charged["agency"], charged["fid"], strict=True)))
    decision = verdicts.groupby(["agency", "fid"])["date"].min()
    out["decision"] = [decision.get(k, pd.NaT) for k in key]
    out["decision"] = pd.to_datetime(out["decision"])
    out["decided"] = out["decision"].notna()
    return out


def _share(iid: str, frame: pd.DataFrame, cells: Cells, scale: float = 100.0,
           unit: str = "percent") -> list[dict[str, Any]]:
    rows = []
    for by, sub in cells(frame):
        num, den = int(sub["num"].sum()), int(len(sub))
        rows.append({"id": iid, "by": by, "numerator": num, "denominator": den,
                     "value": None if den == 0 else num / den * scale, "unit": unit})
    return rows


def _first(rows: pd.DataFrame) -> pd.DataFrame:
    """Each person's first row (earliest reference date, ties lowest id)."""
    return rows.sort_values(["pid", "ref", "fid"], kind="mergesort").drop_duplicates("pid")


def _after(den: pd.DataFrame, facts: pd.DataFrame) -> pd.Series:
    """Per den row: how many of ``facts`` of its person are dated on or after its ref."""
    m = den[["pid", "fid", "agency", "ref"]].reset_index(names="row").merge(
        facts[["pid", "date"]], on="pid")
    m = m[m["date"] >= m["ref"]]
    return m.groupby("row").size().reindex(den.index, fill_value=0)


def compute_victims(ev: pd.DataFrame, p0: pd.Timestamp, p1: pd.Timestamp,
                    cells: Cells) -> list[dict[str, Any]]:
    """VAC7-VAC12: every cell of every single breakdown (ev: the model's event facts)."""
    reports = ev[(ev["event_type"] == "victim_report") & (ev["role"] == "victim")]
    cases = case_progress(ev, reports)
    cases = cases[cases["is_child"]]
    reported = cases[(cases["date"] >= p0) & (cases["date"] <= p1)]  # R26: one row a case
    rows = _share("VAC7", reported.assign(num=reported["charged"].astype(int)), cells)
    rows += _share("VAC8", reported.assign(num=reported["decided"].astype(int)), cells)
    decided = cases[(cases["decision"] >= p0) & (cases["decision"] <= p1)
                    & (cases["decision"] >= cases["date"])]
    decided = decided.assign(days=(decided["decision"] - decided["date"]).dt.days)
    for by, sub in cells(decided):
        d = sub["days"].astype(float).to_numpy()
        rows.append({"id": "VAC9", "by": by, "numerator": None, "denominator": len(d),
                     "value": float(np.quantile(d, 0.5)) if len(d) else None,
                     "unit": "days"})
    den = reported  # R27: the children with a report in P, each row one report
    support = ev[ev["event_type"] == "victim_support"]
    any_support = _after(den, support) > 0
    rows += _share("VAC10", _first(den).assign(
        num=_first(den)["pid"].isin(den.loc[any_support, "pid"]).astype(int)), cells)
    untyped = _after(den, support[support["measure"].isna()]) > 0
    for iid, kind in SUPPORT_TYPES.items():
        has = _after(den, support[support["measure"] == kind]) > 0
        qualifying = den[has | ~untyped]
        first = _first(qualifying)
        rows += _share(iid, first.assign(
            num=first["pid"].isin(qualifying.loc[has[has | ~untyped], "pid"]).astype(int)),
            cells)
    interviews = ev[(ev["event_type"] == "child_interview") & ev["is_child"]]
    earliest = den.groupby("pid")["ref"].min().rename("since")  # R28
    counted = interviews.merge(earliest, left_on="pid", right_index=True)
    per_child = counted[counted["date"] >= counted["since"]].groupby("pid").size()
    first = _first(den)
    rows += _share("VAC11", first.assign(num=first["pid"].map(per_child).fillna(0)),
                   cells, scale=1.0, unit="per_child")
    twice = _after(den, interviews) >= 2
    rows += _share("VAC12", first.assign(
        num=first["pid"].isin(den.loc[twice, "pid"]).astype(int)), cells)
    return rows
