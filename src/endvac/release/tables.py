"""The public rows of a release: engine results with the suppression pattern applied,
values derived from suppressed counts withheld, optional rounding, and only the notes
that carry no count."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NotRequired, TypedDict, cast

import pyarrow as pa

from endvac.indicators.definitions import Indicator
from endvac.indicators.periods import parse_period
from endvac.indicators.results import COUNTLESS_KINDS, SCALE, Result
from endvac.indicators.stats import poisson_exact, wilson
from endvac.release.protect import CellKey, Pattern
from endvac.release.relations import by_text, count_fields

# Only notes of a kind that carries no count of anyone are published; the others (adults
# left out, police custody, splits by end reason, unknowns, below MACR) are counts the
# release does not protect.
PUBLIC_NOTE_KINDS = COUNTLESS_KINDS
DERIVED_FIELDS = ("value", "ci_low", "ci_high", "mean", "p90")
COUNT_FIELDS = ("numerator", "denominator")

SCHEMA = pa.schema([
    ("id", pa.string()), ("period", pa.string()), ("breakdown", pa.string()),
    ("cell", pa.string()), ("unit", pa.string()),
    ("numerator", pa.int64()), ("denominator", pa.int64()),
    ("denominator_is_population", pa.bool_()),
    ("value", pa.float64()), ("ci_low", pa.float64()), ("ci_high", pa.float64()),
    ("ci_method", pa.string()), ("mean", pa.float64()), ("p90", pa.float64()),
    ("coverage", pa.string()), ("as_of", pa.string()), ("evidence", pa.string()),
    ("notes", pa.list_(pa.string())), ("note_kinds", pa.list_(pa.string())),
    ("numerator_suppressed", pa.string()), ("numerator_reason", pa.string()),
    ("denominator_suppressed", pa.string()), ("denominator_reason", pa.string()),
    ("value_suppressed", pa.string()), ("value_reason", pa.string()),
    ("rounding_base", pa.int64()),
])


class PublicRow(TypedDict):
    """One published row of a release table (:data:`SCHEMA`), as stored in its Parquet
    file. A TypedDict, not a dataclass: the row is the file format (written with
    ``from_pylist``, read back with ``to_pylist``, answered by the web as JSON and CSV
    with these keys); tests/test_typed_boundaries.py checks the keys against SCHEMA."""

    id: str
    period: str
    breakdown: str
    cell: str
    unit: str | None
    numerator: int | None
    denominator: int | None
    denominator_is_population: bool
    value: float | None
    ci_low: float | None
    ci_high: float | None
    ci_method: str | None
    mean: float | None
    p90: float | None
    coverage: str | None
    as_of: str | None
    evidence: str | None
    notes: list[str]
    note_kinds: list[str]
    numerator_suppressed: str | None  # primary, secondary or None
    numerator_reason: str | None
    denominator_suppressed: str | None
    denominator_reason: str | None
    value_suppressed: str | None  # derived: computed from a suppressed count
    value_reason: str | None
    rounding_base: int | None


class PublishedResult(TypedDict):
    """A published row in the spec's result shape (spec/results: a JSON object; the
    fields beyond id, period, by, numerator, denominator and value only when set)."""

    id: str
    period: str
    by: dict[str, str]
    numerator: int | None
    denominator: int | None
    value: float | None
    unit: NotRequired[str]
    notes: NotRequired[list[str]]
    ci_low: NotRequired[float]
    ci_high: NotRequired[float]
    ci_method: NotRequired[str]
    mean: NotRequired[float]
    p90: NotRequired[float]
    coverage: NotRequired[str]
    as_of: NotRequired[str]
    evidence: NotRequired[str]
    suppressed: NotRequired[dict[str, str]]
    suppression_reasons: NotRequired[dict[str, str]]
    rounding_base: NotRequired[int]


def table_of(result: Result, period: str) -> str:
    """The release table a result belongs to: total, a breakdown, or the series."""
    if result.period != period:
        return "quarter"
    return next(iter(result.by), "total")


def public_row(result: Result, ind: Indicator, pattern: Pattern,
               rounding: int | None) -> PublicRow:
    """One result as a published row (of :data:`SCHEMA`)."""
    by = result.by
    out: dict[str, Any] = {name: None for name in SCHEMA.names}
    out.update({k: getattr(result, k) for k in (
        "id", "period", "unit", "numerator", "denominator", "value", "ci_low", "ci_high",
        "ci_method", "mean", "p90", "coverage", "as_of", "evidence")})
    out["breakdown"] = next(iter(by), "")
    out["cell"] = next(iter(by.values()), "")
    out["denominator_is_population"] = ind.shape == "person_rate"
    published = [n for n in result.notes if n.kind in PUBLIC_NOTE_KINDS]
    out["notes"] = [n.text for n in published]
    out["note_kinds"] = [n.kind for n in published]
    withheld = []
    for name in count_fields(ind):
        flag = pattern.suppressed.get(CellKey(result.id, result.period, by_text(by), name))
        if flag is not None:
            out[name] = None
            out[f"{name}_suppressed"], out[f"{name}_reason"] = flag.kind, flag.reason
            withheld.append(name)
    if withheld:
        for name in DERIVED_FIELDS:
            out[name] = None
        out["value_suppressed"] = "derived"
        out["value_reason"] = f"computed from a suppressed {' and '.join(withheld)}"
    elif rounding and count_fields(ind):
        _round(out, ind, rounding)
    return cast(PublicRow, out)  # every column of SCHEMA, filled above


def round_to(count: int, base: int) -> int:
    """Conventional rounding to the nearest multiple of ``base`` (halves up)."""
    return (2 * count + base) // (2 * base) * base


def _round(out: dict[str, Any], ind: Indicator, base: int) -> None:
    """Round the counts and recompute the value and interval from the rounded counts,
    so that neither gives the unrounded count away."""
    out["rounding_base"] = base
    for name in count_fields(ind):
        if out[name] is not None:
            out[name] = round_to(int(out[name]), base)
    if ind.shape in ("stay_duration", "median_days") or out["value"] is None:
        return
    hits, trials = int(out["numerator"]), out["denominator"]
    if not trials:
        out.update(value=None, ci_low=None, ci_high=None)
        return
    if ind.shape in ("person_rate", "event_rate"):
        period = parse_period(out["period"])
        scale = SCALE[ind.unit] * (period.annual_factor if ind.flow else 1.0)
        low, high = poisson_exact(hits)
        out.update(value=hits / trials * scale, ci_low=low / trials * scale,
                   ci_high=high / trials * scale)
    else:
        low, high = wilson(hits, trials)
        out.update(value=100 * hits / trials, ci_low=100 * low, ci_high=100 * high)


def derived_count(rows: Sequence[PublicRow]) -> int:
    return sum(1 for r in rows if r["value_suppressed"] == "derived")


def to_arrow(rows: Sequence[PublicRow]) -> pa.Table:
    return pa.Table.from_pylist(list(rows), schema=SCHEMA)


def to_result(row: PublicRow) -> PublishedResult:
    """A published row in the spec's result shape, with ``suppressed`` (field -> primary,
    secondary or derived) and ``suppression_reasons``."""
    stored: Mapping[str, Any] = row  # read by column name below
    out: dict[str, Any] = {"id": row["id"], "period": row["period"],
                           "by": {row["breakdown"]: row["cell"]} if row["breakdown"] else {}}
    for name in ("numerator", "denominator", "value", "unit", "notes", "ci_low", "ci_high",
                 "ci_method", "mean", "p90", "coverage", "as_of", "evidence"):
        if stored.get(name) is not None or name in ("numerator", "denominator", "value"):
            out[name] = stored.get(name)
    flags = {n: stored[f"{n}_suppressed"] for n in ("numerator", "denominator", "value")
             if stored.get(f"{n}_suppressed")}
    if flags:
        out["suppressed"] = flags
        out["suppression_reasons"] = {n: stored[f"{n}_reason"] for n in flags}
    if row["rounding_base"]:
        out["rounding_base"] = row["rounding_base"]
    return cast(PublishedResult, out)  # the keys set above are PublishedResult's
