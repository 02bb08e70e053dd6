"""The pathway definitions (stages.yaml): stages, stage times and outcome groups as data.

One file drives the SQL (:mod:`endvac.pathways.sql`), the commands and docs/pathways.md.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from endvac.errors import ConfigError

COVARIATES = ("age", "sex", "offence_section", "prior_contacts", "region")


class Stage(BaseModel):
    """One stage of a case: the events or detention spells that mark it."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    id: str
    name: str
    events: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()
    spells: tuple[str, ...] = ()
    end_reasons: tuple[str, ...] = ()
    on: Literal["start", "end"] = "start"
    detail: tuple[str, ...] = ()
    attach_after: str | None = None
    within_days: int = Field(180, ge=0)
    flow: bool = True

    @model_validator(mode="after")
    def _one_source(self) -> Stage:
        if bool(self.events) == bool(self.spells):
            raise ValueError(f"stage {self.id}: give either events or spells")
        return self


class Interval(BaseModel):
    """The time from one stage to the first later of others."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    id: str
    name: str
    from_: str = Field(alias="from")
    to: tuple[str, ...]


class Group(BaseModel):
    """An outcome group: whose clock starts at which stage."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    clock: str
    after: str | None = None


class PathwayDefinitions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int
    stages: tuple[Stage, ...]
    intervals: tuple[Interval, ...]
    groups: tuple[Group, ...]
    recontact: str
    reference_group: str
    covariates: tuple[str, ...]
    bootstrap: int = Field(200, ge=0)
    publish_bootstrap: int = Field(0, ge=0)
    horizons_months: tuple[int, ...]

    @model_validator(mode="after")
    def _known_names(self) -> PathwayDefinitions:
        stages = {s.id for s in self.stages}
        named = [self.recontact, *(s.attach_after for s in self.stages if s.attach_after),
                 *(i.from_ for i in self.intervals),
                 *(t for i in self.intervals for t in i.to),
                 *(g.clock for g in self.groups), *(g.after for g in self.groups if g.after)]
        unknown = sorted(set(named) - stages)
        if unknown:
            raise ValueError(f"unknown stages: {', '.join(unknown)}")
        if self.reference_group not in {g.id for g in self.groups}:
            raise ValueError(f"reference_group {self.reference_group} is not a group")
        if set(self.covariates) - set(COVARIATES):
            raise ValueError(f"covariates are some of {', '.join(COVARIATES)}")
        return self

    def stage(self, stage_id: str) -> Stage:
        return next(s for s in self.stages if s.id == stage_id)

    @property
    def flow_stages(self) -> tuple[Stage, ...]:
        return tuple(s for s in self.stages if s.flow)


@cache
def load_pathway_definitions() -> PathwayDefinitions:
    """The packaged stages.yaml, validated."""
    text = resources.files("endvac.pathways").joinpath("stages.yaml").read_text("utf-8")
    try:
        return PathwayDefinitions.model_validate(yaml.safe_load(text))
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ConfigError(f"pathway definitions: {'.'.join(map(str, first['loc']))}: "
                          f"{first['msg']}", fix="correct stages.yaml (docs/pathways.md)"
                          ) from exc
