"""A change between two periods is significant only when the intervals say so."""

from __future__ import annotations

import pytest

from endvac.charts.palette import BAD, NEUTRAL
from endvac.indicators.change import Verdict, compare_periods
from endvac.report.data import ReportData
from endvac.report.views import headline


def _row(value: float | None, low: float | None, high: float | None) -> dict[str, object]:
    return {"value": value, "ci_low": low, "ci_high": high}


def test_the_reported_plus_22_83_is_no_significant_change() -> None:
    # JJ1 (lower is better) for 8,760 children: 4 arrested before, 6 now.
    # Garwood 95% intervals of the counts: 4 -> [1.090, 10.242], 6 -> [2.202, 13.059];
    # per 100,000 (x 100000/8760 = 11.4155): before 45.66 [12.44, 116.91],
    # now 68.49 [25.14, 149.08]. d = 68.49 - 45.66 = 22.83
    # low  = 22.83 - sqrt((68.49-25.14)^2 + (116.91-45.66)^2) = 22.83 - sqrt(1879.22 + 5076.56)
    #      = 22.83 - 83.40 = -60.57
    # high = 22.83 + sqrt((149.08-68.49)^2 + (45.66-12.44)^2) = 22.83 + sqrt(6494.75 + 1103.57)
    #      = 22.83 + 87.17 = 110.00   -> the interval holds 0: no significant change
    found = compare_periods(_row(68.49, 25.14, 149.08), _row(45.66, 12.44, 116.91),
                            "per_100000", "lower")
    assert found.verdict is Verdict.NO_CHANGE and not found.significant
    assert found.difference == pytest.approx(22.83)
    assert found.low == pytest.approx(-60.57, abs=0.01)
    assert found.high == pytest.approx(110.00, abs=0.01)


def test_a_change_outside_the_intervals_is_significant_in_the_better_direction() -> None:
    # JJ10 (higher is better): before 30.0% [26.0, 34.5], now 50.0% [45.0, 55.0]; d = 20
    # low  = 20 - sqrt(5.0^2 + 4.5^2) = 20 - sqrt(45.25) = 20 - 6.727 = 13.273 > 0
    # high = 20 + sqrt(5.0^2 + 4.0^2) = 20 + sqrt(41) = 20 + 6.403 = 26.403
    now, before = _row(50.0, 45.0, 55.0), _row(30.0, 26.0, 34.5)
    found = compare_periods(now, before, "percent", "higher")
    assert found.verdict is Verdict.BETTER
    assert (found.low, found.high) == (pytest.approx(13.273, abs=0.001),
                                       pytest.approx(26.403, abs=0.001))
    # the same rise of an indicator where lower is better is worse; with no direction, higher
    assert compare_periods(now, before, "percent", "lower").verdict is Verdict.WORSE
    assert compare_periods(now, before, "percent", "none").verdict is Verdict.HIGHER
    # and the fall back: high = -20 + sqrt(4.5^2 + 5.0^2) = -20 + 6.727 = -13.273 < 0
    assert compare_periods(before, now, "per_100000", "none").verdict is Verdict.LOWER
    assert compare_periods(before, now, "per_100000", "lower").verdict is Verdict.BETTER


def test_intervals_that_just_reach_each_other_are_no_significant_change() -> None:
    # before 10 [8, 12], now 13 [11, 15]: d = 3, low = 3 - sqrt(2^2 + 2^2) = 3 - 2.828 = 0.172 > 0
    # (overlapping intervals can still differ significantly), but
    # before 10 [7, 13], now 13 [10, 16]: low = 3 - sqrt(3^2 + 3^2) = 3 - 4.243 = -1.243 < 0
    assert compare_periods(_row(13, 11, 15), _row(10, 8, 12), "percent", "higher"
                           ).verdict is Verdict.BETTER
    assert compare_periods(_row(13, 10, 16), _row(10, 7, 13), "percent", "higher"
                           ).verdict is Verdict.NO_CHANGE


def test_what_cannot_be_compared() -> None:
    full = _row(50.0, 45.0, 55.0)
    no_data = compare_periods(full, _row(None, None, None), "per_100000", "lower")
    assert (no_data.verdict, no_data.reason, no_data.difference) == (
        Verdict.NOT_COMPARABLE, "no data", None)
    assert compare_periods(full, None, "per_100000", "lower").reason == "no data"
    # a median duration has no interval
    assert compare_periods(_row(40.0, None, None), _row(30.0, None, None), "days", "lower"
                           ).reason == "no interval"
    assert compare_periods(_row(1, None, None), _row(0, None, None), "yes_no", "higher"
                           ).verdict is Verdict.NOT_COMPARABLE
    assert compare_periods(_row(2.0, 0.5, float("inf")), full, "per_1000", "lower"
                           ).reason == "no finite interval"


def _data(before: dict[str, object] | None) -> ReportData:
    rows = [{"id": "JJ1", "label": "2025", "breakdown": "", "cell": "",
             **_row(68.49, 25.14, 149.08)}]
    if before is not None:
        rows.append({"id": "JJ1", "label": "2024", "breakdown": "", "cell": "", **before})
    return ReportData(public=False, period="2025", previous="2024", country={},
                      catalogue=[{"id": "JJ1", "kind": "indicators", "unit": "per_100000",
                                  "better": "lower"}],
                      rows=rows, series_rows=[], provenance={})


def test_the_report_headline_reads_the_verdict() -> None:
    # the case above: +22.83 inside the intervals is no significant change, in grey
    found = headline(_data(_row(45.66, 12.44, 116.91)), "JJ1")
    assert found["change"] == pytest.approx(22.83)
    assert (found["verdict"], found["change_word"], found["change_colour"]) == (
        "no_significant_change", "no significant change", NEUTRAL)
    # a previous year with no data: no change, "no data" (never a change against 0)
    empty = headline(_data({"value": None, "ci_low": None, "ci_high": None,
                            "coverage": "no data"}), "JJ1")
    assert (empty["change"], empty["verdict"], empty["change_word"]) == (
        None, "no_data", "no data")
    # significantly worse: red
    worse = headline(_data(_row(20.0, 15.0, 25.0)), "JJ1")  # 68.49 against 20: d = 48.49
    # low = 48.49 - sqrt((68.49-25.14)^2 + (25-20)^2) = 48.49 - sqrt(1879.22 + 25) = 48.49 - 43.64
    assert (worse["verdict"], worse["change_colour"]) == ("significantly_worse", BAD)
