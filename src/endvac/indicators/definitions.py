"""Loading the indicator definitions (definitions.yaml): one place drives the
computation, `endvac indicators --list`, docs/indicators.md and the tests."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from endvac.config import BREAKDOWN_NAMES
from endvac.errors import UnknownName

Shape = Literal["person_rate", "person_share", "event_rate", "stay_duration", "place_share",
                "policy", "median_days"]
Unit = Literal["per_100000", "per_1000", "per_child", "percent", "days", "yes_no"]
BREAKDOWNS = BREAKDOWN_NAMES
PLACE_BREAKDOWNS = ("region",)


class PoliceCustody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    numerator: str
    denominator: str


class Indicator(BaseModel):
    """One indicator: what it counts, how, and where the definition comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    name: str
    better: Literal["higher", "lower", "none"]
    unit: Unit
    shape: Shape
    universe: str | None = None
    counts: Literal["person", "event", "stay", "place", "case"] | None = None
    flow: bool = False
    numerator: str | None = None
    denominator: str | None = None
    unknown: str | None = None
    known: str | None = None
    basis: str | None = None
    days: str | None = None  # median_days: SQL of a unit's duration in days
    key: str | None = None
    police_custody: PoliceCustody | None = None
    needs: list[str] = Field(default_factory=list)
    needs_fields: list[str] = Field(default_factory=list)
    provisional_days: str | None = None
    core: bool
    verified: bool
    source: str
    plain: str

    @model_validator(mode="after")
    def _fields_of_shape(self) -> Indicator:
        required = {"person_rate": ("numerator",), "person_share": ("numerator", "denominator"),
                    "event_rate": ("numerator", "denominator"), "stay_duration": ("basis",),
                    "place_share": ("numerator", "known"), "policy": ("key",),
                    "median_days": ("denominator", "days")}[self.shape]
        if self.shape != "policy":
            required = (*required, "universe", "counts")
        missing = [name for name in required if getattr(self, name) is None]
        if missing:
            raise ValueError(f"{self.id}: shape {self.shape} needs {missing}")
        return self

    @property
    def breakdowns(self) -> tuple[str, ...]:
        if self.shape == "policy":
            return ()
        return PLACE_BREAKDOWNS if self.shape == "place_share" else BREAKDOWNS


class DecisionPoint(BaseModel):
    """Children reaching a point per child at an earlier one (relative rate index)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    name: str
    numerator: str  # indicator whose numerator counts those reaching the point
    denominator: str  # indicator whose numerator (or denominator, for a share) counts the base


class Definitions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int
    breakdowns: list[str]
    indicators: list[Indicator]
    decision_points: list[DecisionPoint] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_ids(self) -> Definitions:
        ids = [i.id for i in self.indicators]
        if len(ids) != len(set(ids)):
            raise ValueError("indicator ids must be unique")
        for point in self.decision_points:
            if point.numerator not in ids or point.denominator not in ids:
                raise ValueError(f"{point.id}: names an unknown indicator")
        return self

    def get(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise UnknownName(f"unknown indicator {indicator_id!r}",
                          fix="use an id from the indicator definitions")


@cache
def load_definitions() -> Definitions:
    """The indicator definitions shipped with endvac."""
    text = resources.files("endvac.indicators").joinpath("definitions.yaml").read_text("utf-8")
    return Definitions.model_validate(yaml.safe_load(text))
