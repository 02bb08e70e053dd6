"""A period no record falls in has no figure ("no data"), never a zero."""

from __future__ import annotations

from pathlib import Path

from endvac.workspace import Workspace
from indicator_helpers import compute, load_all, one

POLICE = {
    "children.csv": "record_id,agency,date_of_birth,sex,region\nA1,police,2010-06-15,f,D1\n",
    "events.csv": ("event_id,agency,record_id,case_id,event_type,date,offence_date,age_years\n"
                   "E1,police,A1,,arrest,2025-03-01,,\n"
                   "E2,police,A1,,charge,2025-04-01,,\n"),
}


def test_a_year_before_the_first_record_or_in_the_future_is_no_data_not_zero(ws: Workspace,
                                                             tmp_path: Path) -> None:
    load_all(ws, tmp_path, {"police": POLICE})
    before = one(compute(ws, period="2024"), "JJ1", period="2024-01-01/2024-12-31")
    assert (before.value, before.numerator, before.ci_low) == (None, None, None)
    assert before.coverage == "no data"
    assert before.note_texts() == ["no data: the records begin on 2025-03-01"]
    # a year after today (2026-12-31 in the tests) too; a policy fact is still read for it
    future = compute(ws, period="2027")
    assert one(future, "JJ1", period="2027-01-01/2027-12-31").coverage == "no data"
    assert one(future, "JJ14", period="2027-01-01/2027-12-31").value == 0  # repealed 2026
    # after the first record, a quarter without arrests is a real zero (the delivery may
    # cover it: only a manifest can say, and coverage of event types is the engine's)
    quarters = compute(ws, period="2025", every="quarter")
    assert one(quarters, "JJ1", period="2025-10-01/2025-12-31").numerator == 0
    # 1 arrest in 2025 of 8,000 children: 12.5 per 100,000
    assert one(compute(ws, period="2025"), "JJ1").value == 12.5
