"""A release's published rows as SDMX observations (pure Python, no SDMX library): one
observation for each row's value and one for each of its counts (numerator, denominator)
that is published or suppressed. A suppressed figure is an observation with CONF_STATUS
C and no OBS_VALUE: never a zero."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from endvac.sdmx.codes import (
    BREAKDOWN_DIMENSION,
    COUNT_UNIT,
    DENOMINATOR,
    DIMENSIONS,
    NUMERATOR,
    TOTAL,
    UNITS,
    cell_code,
    time_period,
)

PROVISIONAL_KIND = "provisional"


@dataclass(frozen=True)
class Observations:
    """The observations of a release, the codes each dimension uses, and the rows left
    out (a breakdown with no SDMX dimension, or a unit with no SDMX code)."""

    rows: list[dict[str, Any]]
    codes: dict[str, set[str]] = field(default_factory=dict)
    left_out: int = 0


def observations(release_rows: Iterable[Mapping[str, Any]], ref_area: str) -> Observations:
    """Every published row of a release as observations of ``ref_area``."""
    found: list[dict[str, Any]] = []
    left_out = 0
    for row in release_rows:
        if (row.get("breakdown") and row["breakdown"] not in BREAKDOWN_DIMENSION) \
                or row.get("unit") not in UNITS:
            left_out += 1
            continue
        found += row_observations(row, ref_area)
    codes: dict[str, set[str]] = {d: set() for d in DIMENSIONS}
    for obs in found:
        for dim in DIMENSIONS:
            codes[dim].add(obs[dim])
    return Observations(found, codes, left_out)


def row_observations(row: Mapping[str, Any], ref_area: str) -> list[dict[str, Any]]:
    """The value of one published row and its counts, as observations."""
    key = _key(row, ref_area)
    provisional = PROVISIONAL_KIND in (row.get("note_kinds") or [])
    coverage = row.get("coverage") or None
    value = {**key, "INDICATOR": row["id"], "UNIT_MEASURE": UNITS[row["unit"]][0],
             **_status(row["value"], row.get("value_suppressed"), provisional),
             "CI_LOWER": None if row.get("value_suppressed") else row.get("ci_low"),
             "CI_UPPER": None if row.get("value_suppressed") else row.get("ci_high"),
             "COVERAGE": coverage}
    out = [value]
    for name, suffix in (("numerator", NUMERATOR), ("denominator", DENOMINATOR)):
        count, flag = row.get(name), row.get(f"{name}_suppressed")
        if count is None and not flag:
            continue
        out.append({**key, "INDICATOR": row["id"] + suffix, "UNIT_MEASURE": COUNT_UNIT,
                    **_status(count, flag, provisional), "CI_LOWER": None, "CI_UPPER": None,
                    "COVERAGE": coverage})
    return out


def _key(row: Mapping[str, Any], ref_area: str) -> dict[str, Any]:
    key: dict[str, Any] = {"REF_AREA": ref_area, "TIME_PERIOD": time_period(row["period"]),
                           **{dim: TOTAL for dim in BREAKDOWN_DIMENSION.values()}}
    if row["breakdown"]:
        key[BREAKDOWN_DIMENSION[row["breakdown"]]] = cell_code(row["breakdown"], row["cell"])
    return key


def _status(value: float | int | None, suppressed: str | None,
            provisional: bool) -> dict[str, Any]:
    """OBS_VALUE, OBS_STATUS and CONF_STATUS of a figure: a suppressed one is
    confidential (C) and has no value."""
    if suppressed:
        return {"OBS_VALUE": None, "OBS_STATUS": "P" if provisional else "A",
                "CONF_STATUS": "C"}
    status = "O" if value is None else "P" if provisional else "A"
    return {"OBS_VALUE": None if value is None else float(value), "OBS_STATUS": status,
            "CONF_STATUS": "F"}
