"""The prevention strategy as typed data: one row model per table of a strategy file
(YAML section or Excel sheet) and the whole :class:`Strategy`. Codes are checked
against codes.yaml and model_strategies.yaml; a value outside a list is refused with
the list to choose from."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from endvac.strategy.codes import load_codes, load_model_strategies

Text = Annotated[str, Field(min_length=1)]
Day = date  # a field below is called `date`


def _one_of(value: str, allowed: list[str], what: str) -> str:
    if value not in allowed:
        raise ValueError(f"unknown {what}; use one of {', '.join(allowed)}")
    return value


def _bases(values: list[int]) -> list[int]:
    ids = load_codes().basis_ids
    bad = [v for v in values if v not in ids]
    if bad:
        raise ValueError(f"unknown basis; use numbers {ids[0]}-{ids[-1]} (docs/strategy.md)")
    return values


def _model_strategies(values: list[int]) -> list[int]:
    ids = load_model_strategies().ids
    if any(v not in ids for v in values):
        raise ValueError(f"unknown model strategy; use numbers {ids[0]}-{ids[-1]}")
    return values


def _profession(value: str) -> str:
    return _one_of(value, load_codes().professions, "profession")


Profession = Annotated[str, AfterValidator(_profession)]


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class StrategyInfo(Row):
    """The strategy itself: what it is called, its years, who owns it, whether adopted."""

    title: Text
    period_start: int = Field(ge=1990, le=2100)
    period_end: int = Field(ge=1990, le=2100)
    owner_institution: Text
    adoption_status: str
    adoption_date: date | None = None

    @field_validator("adoption_status")
    @classmethod
    def _status(cls, v: str) -> str:
        return _one_of(v, load_codes().adoption_statuses, "adoption status")

    @model_validator(mode="after")
    def _years(self) -> StrategyInfo:
        if self.period_end < self.period_start:
            raise ValueError("period_end is before period_start; swap the two years")
        return self


class AssessmentScore(Row):
    """One respondent's score of one basis, with the evidence for it."""

    respondent: Text
    institution: Text
    respondent_type: str
    basis: int
    score: int
    evidence: str | None = None
    assessed_on: date | None = None

    @field_validator("respondent_type")
    @classmethod
    def _type(cls, v: str) -> str:
        return _one_of(v, load_codes().respondent_types, "respondent type")

    @field_validator("basis")
    @classmethod
    def _basis(cls, v: int) -> int:
        return _bases([v])[0]

    @field_validator("score")
    @classmethod
    def _score(cls, v: int) -> int:
        codes = load_codes()
        if not codes.score_min <= v <= codes.score_max:
            raise ValueError(f"score out of range; use {codes.score_min}-{codes.score_max}")
        return v


class ChecklistItem(Row):
    """Where the country stands on one UN Model Strategy."""

    model_strategy: int
    status: str
    note: str | None = None

    @field_validator("model_strategy")
    @classmethod
    def _known(cls, v: int) -> int:
        return _model_strategies([v])[0]

    @field_validator("status")
    @classmethod
    def _status(cls, v: str) -> str:
        return _one_of(v, load_codes().checklist_statuses, "checklist status")


class Action(Row):
    """One action of the roadmap: what, which bases and model strategies, who, where,
    for which children, when, with what money, how far."""

    id: Text
    objective: Text
    action_type: str
    bases: list[int] = Field(default_factory=list)
    model_strategies: list[int] = Field(default_factory=list)
    lead_agency: Text
    partners: list[str] = Field(default_factory=list)
    regions: list[str] = Field(min_length=1)
    age_min: int = Field(0, ge=0, le=17)
    age_max: int = Field(17, ge=0, le=17)
    sex: str = "any"
    role: str = "any"
    start: date
    end: date | None = None
    budget: float | None = Field(None, ge=0)
    status: str
    progress: int | None = Field(None, ge=0, le=100)

    @field_validator("bases")
    @classmethod
    def _known_bases(cls, v: list[int]) -> list[int]:
        return _bases(v)

    @field_validator("model_strategies")
    @classmethod
    def _known_strategies(cls, v: list[int]) -> list[int]:
        return _model_strategies(v)

    @field_validator("action_type", "sex", "role", "status")
    @classmethod
    def _coded(cls, v: str, info: ValidationInfo) -> str:
        name = info.field_name or ""
        codes = load_codes()
        lists = {"action_type": codes.action_types, "sex": codes.sexes, "role": codes.roles,
                 "status": codes.action_statuses}
        return _one_of(v, lists[name], name.replace("_", " "))

    @model_validator(mode="after")
    def _ranges(self) -> Action:
        if self.age_max < self.age_min:
            raise ValueError("age_max is below age_min; swap the two ages")
        if self.end is not None and self.end < self.start:
            raise ValueError("end is before start; swap the two dates")
        return self


class Target(Row):
    """A target on one indicator: from a baseline year's value to a value by a date."""

    id: Text
    indicator_id: Text
    baseline_year: int = Field(ge=1990, le=2100)
    baseline_value: float | None = None
    target_value: float
    target_date: date
    latest_value: float | None = None
    latest_date: date | None = None

    @model_validator(mode="after")
    def _dates(self) -> Target:
        if self.target_date <= date(self.baseline_year, 12, 31):
            raise ValueError("target_date is not after the end of the baseline year")
        if (self.latest_value is None) != (self.latest_date is None):
            raise ValueError("give latest_value and latest_date together, or neither")
        return self


class Training(Row):
    """One training: title, date, region and the professions it was for."""

    id: Text
    title: Text
    date: Day
    region: Text
    professions: list[Profession] = Field(min_length=1)


class Participant(Row):
    """One participant of a training: a staff code (never a name), profession, sex and
    test scores (percent)."""

    training: Text
    participant: Text
    profession: Profession
    sex: str
    pre_score: float | None = Field(None, ge=0, le=100)
    post_score: float | None = Field(None, ge=0, le=100)

    @field_validator("sex")
    @classmethod
    def _sex(cls, v: str) -> str:
        return _one_of(v, ["f", "m"], "sex")


class Staff(Row):
    """How many staff of a profession work in a region (given by the user)."""

    profession: Profession
    region: Text
    staff: int = Field(ge=0)


class Strategy(BaseModel):
    """A whole national prevention strategy."""

    model_config = ConfigDict(extra="forbid")
    strategy: StrategyInfo
    assessments: list[AssessmentScore] = Field(default_factory=list)
    checklist: list[ChecklistItem] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    trainings: list[Training] = Field(default_factory=list)
    participants: list[Participant] = Field(default_factory=list)
    staff: list[Staff] = Field(default_factory=list)


# The tables of a strategy file, in order: YAML section / Excel sheet / SQL table name,
# and the row model. `strategy` holds exactly one row.
TABLES: dict[str, type[Row]] = {
    "strategy": StrategyInfo, "assessments": AssessmentScore, "checklist": ChecklistItem,
    "actions": Action, "targets": Target, "trainings": Training,
    "participants": Participant, "staff": Staff,
}
