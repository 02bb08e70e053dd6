"""The indicator result object of spec/indicators.md, typed: a :class:`Result` per cell
with typed :class:`Note` s, and the functions that turn a cell's counts into one
(value, interval, notes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NotRequired, TypedDict, cast

from endvac.config import CountingRules
from endvac.indicators.definitions import Indicator
from endvac.indicators.periods import Period
from endvac.indicators.population import Population
from endvac.indicators.stats import poisson_exact, wilson

SCALE = {"per_100000": 100_000, "per_1000": 1_000, "per_child": 1, "percent": 100}
POPULATION_DIMS = ("sex", "region", "group", "disability", "nationality")

NoteKind = Literal["unknown", "below_macr", "value_null", "value_withheld", "annualised",
                   "excluded_adults", "outside_denominator", "police_custody", "end_reasons",
                   "provisional", "how", "policy_as_of", "no_policy", "decision_point",
                   "no_data", "no_interval"]

# The human text of each kind, filled from the note's count, of and detail.
NOTE_TEXT: dict[str, str] = {
    "unknown": "{count} left out because a needed attribute is unknown",
    "below_macr": "{count} below the minimum age of criminal responsibility",
    "value_null": "value null: {detail}",
    "value_withheld": "value withheld: {detail}",
    "annualised": "annualised: x {detail} ({count} days in the period)",
    "excluded_adults": "excluded_adults: {count} {detail}",
    "outside_denominator": "{count} numerator facts of children outside the denominator "
                           "are counted (in the cell of the child's first such fact)",
    "police_custody": "police custody: {count} among {of} children held",
    "end_reasons": "stays by end_reason: {detail}",
    "provisional": "provisional until {detail}: aftercare may still be recorded",
    "how": "how: {detail}",
    "policy_as_of": "policy fact as of {detail}",
    "no_policy": "no policy fact {detail}",
    "decision_point": "{detail}",
    "no_data": "no data: {detail}",
    "no_interval": "no interval: {detail}",
}
# Kinds that carry no count of anyone: the only notes a public release keeps.
COUNTLESS_KINDS: frozenset[str] = frozenset({
    "how", "value_null", "value_withheld", "provisional", "annualised", "policy_as_of",
    "no_policy", "no_data", "no_interval"})
NO_DATA = "no data"


@dataclass(frozen=True)
class Note:
    """A note on a result: what kind it is, the count it carries (if any) and its text."""

    kind: NoteKind
    count: int | None = None
    of: int | None = None
    detail: str = ""

    @property
    def text(self) -> str:
        """The human text, rendered from the kind, the count(s) and the detail."""
        return NOTE_TEXT[self.kind].format(count=self.count, of=self.of, detail=self.detail)


# Fields listed in every result's JSON even when null; the others only when set.
_ALWAYS = ("id", "period", "unit", "by", "numerator", "denominator", "value")
_OPTIONAL = ("ci_low", "ci_high", "ci_method", "unknown", "below_macr", "excluded_adults",
             "coverage", "as_of", "evidence")
# Listed together (a ratio may be null) once a cell has been compared.
_RATIO = ("ratio", "ratio_ci_low", "ratio_ci_high", "ratio_method", "ratio_reference")


class CellCounts(TypedDict, total=False):
    """One cell's counts as a shape query returns them (indicators/shapes.py): the
    engine hands each to :func:`finish_rate`, :func:`finish_share` or
    :func:`finish_stay`."""

    numerator: int  # counts: zero, never null
    denominator: int
    unknown: int | None
    below_macr: int | None
    value: float | None  # stay durations: the median, mean and 90th percentile
    mean: float | None
    p90: float | None
    ordered: list[float] | None  # median_days: the cell's durations in order


class ResultObject(TypedDict):
    """A result as the spec's JSON object (spec/indicators.md): the fields of
    ``_ALWAYS`` always, the others only when set. A TypedDict: the JSON shape is the
    point (``endvac indicators --format json``, the stored indicator runs)."""

    id: str
    period: str
    unit: str
    by: dict[str, str]
    numerator: int | None
    denominator: int | None
    value: float | None
    mean: NotRequired[float | None]
    p90: NotRequired[float | None]
    ci_low: NotRequired[float]
    ci_high: NotRequired[float]
    ci_method: NotRequired[str]
    unknown: NotRequired[int]
    below_macr: NotRequired[int]
    excluded_adults: NotRequired[int]
    coverage: NotRequired[str]
    as_of: NotRequired[str]
    evidence: NotRequired[str]
    ratio: NotRequired[float | None]
    ratio_ci_low: NotRequired[float | None]
    ratio_ci_high: NotRequired[float | None]
    ratio_method: NotRequired[str | None]
    ratio_reference: NotRequired[str | None]
    notes: list[str]


@dataclass
class Result:
    """One cell of one indicator for one period (spec/indicators.md)."""

    id: str
    period: str
    unit: str
    by: dict[str, str] = field(default_factory=dict)
    numerator: int | None = None
    denominator: int | None = None
    value: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    ci_method: str | None = None
    mean: float | None = None
    p90: float | None = None
    spread: bool = False  # a duration: mean and p90 are listed even when null
    unknown: int | None = None
    below_macr: int | None = None
    excluded_adults: int | None = None
    coverage: str | None = None
    as_of: str | None = None
    evidence: str | None = None
    ratio: float | None = None
    ratio_ci_low: float | None = None
    ratio_ci_high: float | None = None
    ratio_method: str | None = None
    ratio_reference: str | None = None
    notes: list[Note] = field(default_factory=list)

    def note_texts(self, kinds: frozenset[str] | None = None) -> list[str]:
        """The notes' texts, only those of ``kinds`` when given."""
        return [n.text for n in self.notes if kinds is None or n.kind in kinds]

    def to_dict(self) -> ResultObject:
        """The spec's JSON object: the fields always listed, the others when set."""
        out: dict[str, Any] = {name: getattr(self, name) for name in _ALWAYS}
        out["by"] = dict(self.by)
        if self.spread:
            out.update(mean=self.mean, p90=self.p90)
        out.update({name: getattr(self, name) for name in _OPTIONAL
                    if getattr(self, name) is not None})
        if self.ratio_reference is not None:
            out.update({name: getattr(self, name) for name in _RATIO})
        out["notes"] = self.note_texts()
        return cast(ResultObject, out)  # the keys set above are ResultObject's


def _counts(result: Result, row: CellCounts) -> None:
    unknown = int(row.get("unknown") or 0)
    below = int(row.get("below_macr") or 0)
    result.unknown = unknown
    result.below_macr = below
    if unknown:
        result.notes.append(Note("unknown", unknown))
    if below:
        result.notes.append(Note("below_macr", below))


def age_band(by: dict[str, str]) -> tuple[int, int] | None:
    group = by.get("age_group")
    if group is None or "-" not in group:
        return None
    low, high = group.split("-")
    return int(low), int(high)


def cell_population(population: Population | None, by: dict[str, str]
                    ) -> tuple[int | None, str | None]:
    """The child population of a breakdown cell, or why there is none."""
    if population is None:
        return None, "no child population for the year of the period's end"
    if "offence_section" in by:
        return None, "populations are not given by offence"
    if by.get("age_group") in ("unknown", "other"):
        return None, f"no population for age group {by['age_group']}"
    cell = {k: v for k, v in by.items() if k in POPULATION_DIMS}
    return population.of_cell(cell, age_band(by))


def finish_rate(result: Result, row: CellCounts, population: Population | None,
                by: dict[str, str], ind: Indicator, period: Period,
                rules: CountingRules) -> None:
    """A rate: per child population (person_rate) or per child counted (event_rate)."""
    _counts(result, row)
    count = int(row["numerator"])
    result.numerator = count
    if ind.shape == "person_rate":
        denominator, reason = cell_population(population, by)
    else:
        denominator = int(row["denominator"])
        reason = None if denominator else "no child in the denominator"
    result.denominator = denominator
    scale = SCALE[ind.unit] * (period.annual_factor if ind.flow else 1.0)
    if not denominator:
        result.value = None
        result.notes.append(Note("value_null", detail=reason or ""))
        return
    low, high = poisson_exact(count)
    result.value = count / denominator * scale
    result.ci_low, result.ci_high = low / denominator * scale, high / denominator * scale
    result.ci_method = "exact Poisson (Garwood)"
    if ind.flow and period.annual_factor != 1.0:
        result.notes.append(Note("annualised", period.days,
                                 detail=f"{period.annual_factor:.6f}"))


def finish_share(result: Result, row: CellCounts) -> None:
    """A percentage of children or places, with its Wilson interval."""
    _counts(result, row)
    hits, trials = int(row["numerator"]), int(row["denominator"])
    result.numerator, result.denominator = hits, trials
    if trials == 0:
        result.value = None
        result.notes.append(Note("value_null", detail="the denominator is zero"))
        return
    low, high = wilson(hits, trials)
    result.value = 100 * hits / trials
    result.ci_low, result.ci_high, result.ci_method = 100 * low, 100 * high, "Wilson score"


def finish_stay(result: Result, row: CellCounts,
                empty: str = "no stay ended in the period") -> None:
    """A median duration of stays (or other units), with mean and p90; ``empty`` says why
    there is no value when no unit is counted."""
    _counts(result, row)
    stays = int(row["denominator"])
    result.numerator, result.denominator, result.spread = None, stays, True
    if stays == 0:
        result.value = result.mean = result.p90 = None
        result.notes.append(Note("value_null", detail=empty))
        return
    value, mean, p90 = row["value"], row["mean"], row["p90"]
    assert value is not None and mean is not None and p90 is not None  # set when stays > 0
    result.value, result.mean, result.p90 = float(value), float(mean), float(p90)
