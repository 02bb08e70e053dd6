"""The typed indicator result: a Note's text is rendered from its kind and count, the
count is a typed field (never parsed back out of the text), and a Result serialises to
the spec's JSON object with the same keys as before."""

from __future__ import annotations

from endvac.indicators.results import Note, Result
from endvac.report.views import shown_notes


def test_a_note_renders_its_text_from_kind_and_count() -> None:
    assert Note("unknown", 3).text == "3 left out because a needed attribute is unknown"
    assert Note("below_macr", 1).text == \
        "1 below the minimum age of criminal responsibility"
    assert Note("excluded_adults", 2, detail="stays of persons aged 18 or over").text == \
        "excluded_adults: 2 stays of persons aged 18 or over"
    assert Note("police_custody", 0, 1).text == "police custody: 0 among 1 children held"
    # a 90-day period: 365 / 90 = 4.055556 (six decimals)
    assert Note("annualised", 90, detail="4.055556").text == \
        "annualised: x 4.055556 (90 days in the period)"
    assert Note("value_null", detail="the denominator is zero").text == \
        "value null: the denominator is zero"


def test_a_result_serialises_to_the_spec_object() -> None:
    adults = Note("excluded_adults", 2, detail="persons aged 18 or over on the reference date")
    rate = Result("JJ1", "2025-01-01/2025-12-31", "per_100000", {}, numerator=4,
                  denominator=8000, value=50.0, ci_low=13.6, ci_high=128.0,
                  ci_method="exact Poisson (Garwood)", unknown=0, below_macr=0,
                  excluded_adults=adults.count, notes=[adults])
    assert rate.to_dict() == {
        "id": "JJ1", "period": "2025-01-01/2025-12-31", "unit": "per_100000", "by": {},
        "numerator": 4, "denominator": 8000, "value": 50.0, "ci_low": 13.6,
        "ci_high": 128.0, "ci_method": "exact Poisson (Garwood)", "unknown": 0,
        "below_macr": 0, "excluded_adults": 2,
        "notes": ["excluded_adults: 2 persons aged 18 or over on the reference date"]}
    # a duration with no stay lists mean and p90 as null; a policy lists no unknown
    stay = Result("JJ4", "2025-01-01/2025-12-31", "days", denominator=0, spread=True,
                  unknown=0, below_macr=0)
    assert (stay.to_dict()["mean"], stay.to_dict()["p90"]) == (None, None)
    policy = Result("JJ14", "2025-01-01/2025-12-31", "yes_no", value=1, as_of="2020-01-01")
    assert set(policy.to_dict()) == {"id", "period", "unit", "by", "numerator",
                                     "denominator", "value", "as_of", "notes"}


def test_the_report_leaves_out_notes_by_kind() -> None:
    # the second note imitates a "how:" text but is of another kind: it stays
    row = {"notes": ["how: plain words.", "how: 1 child", "value null: no population"],
           "note_kinds": ["how", "end_reasons", "value_null"]}
    assert shown_notes(row) == ["how: 1 child", "value null: no population"]
    # a row stored before notes had kinds shows every note
    assert shown_notes({"notes": ["how: plain words."]}) == ["how: plain words."]


def test_a_compared_cell_lists_its_ratio_even_when_null() -> None:
    # no child in the reference group: the ratio cannot be computed, yet the cell was
    # compared, so the ratio fields are listed (null) as before
    cell = Result("JJ9", "2025-01-01/2025-12-31", "percent", {"sex": "f"}, 0, 0,
                  ratio_reference="sex=m", ratio_method="ratio of proportions")
    shown = cell.to_dict()
    assert (shown["ratio"], shown["ratio_ci_low"], shown["ratio_ci_high"]) == (None, None, None)
    assert "ratio" not in Result("JJ9", "2025-01-01/2025-12-31", "percent").to_dict()
