"""The strategy's code lists and the UN Model Strategies checklist, loaded from the
YAML files beside this module: one place drives validation, docs and tests."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict


class Basis(BaseModel):
    """One of the seven bases of a comprehensive prevention strategy."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: int
    key: str
    short: str
    text: str


class Codes(BaseModel):
    """codes.yaml: every code list a strategy file is checked against."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int
    bases: list[Basis]
    score_min: int
    score_max: int
    score_labels: dict[int, str]
    adoption_statuses: list[str]
    respondent_types: list[str]
    checklist_statuses: list[str]
    action_types: list[str]
    action_statuses: list[str]
    sexes: list[str]
    roles: list[str]
    professions: list[str]
    national_region: str

    @property
    def basis_ids(self) -> list[int]:
        return [b.id for b in self.bases]

    def basis(self, basis_id: int) -> Basis:
        return next(b for b in self.bases if b.id == basis_id)


class ModelStrategy(BaseModel):
    """One UN Model Strategy, with whether its wording was checked against the source."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: int
    numeral: str
    part: int
    verified: bool
    short: str
    text: str


class ModelStrategies(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int
    source: str
    parts: dict[int, str]
    strategies: list[ModelStrategy]

    @property
    def ids(self) -> list[int]:
        return [s.id for s in self.strategies]


def _read(name: str) -> object:
    return yaml.safe_load(resources.files("endvac.strategy").joinpath(name).read_text("utf-8"))


@cache
def load_codes() -> Codes:
    """The code lists shipped with endvac (codes.yaml)."""
    return Codes.model_validate(_read("codes.yaml"))


@cache
def load_model_strategies() -> ModelStrategies:
    """The 17 UN Model Strategies (model_strategies.yaml)."""
    return ModelStrategies.model_validate(_read("model_strategies.yaml"))
