"""The workspace config: country, period defaults and the counting rules.

Counting rules (anything that changes how a number is counted) live only here.
The file is versioned: every batch command records the revision it ran with
(see :func:`endvac.workspace.Workspace.config_revision`), and results carry it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from endvac.errors import ConfigError
from endvac.interchange.spec import BASES
from endvac.yamlfile import load_yaml_model

CONFIG_FILE = "endvac.yaml"
# The breakdowns of spec/indicators.md (the indicator definitions use the same names).
BREAKDOWN_NAMES = ("sex", "age_group", "region", "offence_section", "disability", "group",
                   "nationality")
_BAND = re.compile(r"^(\d{1,2})-(\d{1,2})$")



def known_breakdowns(names: list[str]) -> None:
    """Refuse a name that is not a breakdown (a config validator's check)."""
    unknown = [b for b in names if b not in BREAKDOWN_NAMES]
    if unknown:
        raise ValueError(f"unknown breakdowns {unknown}; use some of {list(BREAKDOWN_NAMES)}")

class Country(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field("XXX", description="ISO 3166-1 alpha-3 code of the country.")
    name: str = Field("Unnamed country", description="Name used in reports.")


class PeriodDefaults(BaseModel):
    model_config = ConfigDict(extra="forbid")
    year: int | None = Field(
        None, ge=1990, le=2100,
        description="Calendar year used when a command is given no --period.")


class CountingRules(BaseModel):
    """The (config) rules of spec/indicators.md."""

    model_config = ConfigDict(extra="forbid")
    detention_bases: list[str] = Field(
        default_factory=lambda: ["pre_sentence", "sentenced", "administrative", "other"],
        description="Spell bases that count as detention.")
    child_population_ages: Annotated[list[int], Field(min_length=2, max_length=2)] = Field(
        default_factory=lambda: [0, 17],
        description="First and last single year of age of the child population.")
    age_groups: list[str] = Field(
        default_factory=lambda: ["0-11", "12-13", "14-15", "16-17"],
        description="Age bands for the age_group breakdown (plus `unknown`).")
    aftercare_window_days: int = Field(
        30, ge=0, le=3650, description="JJ11: days after release in which aftercare counts.")

    @field_validator("detention_bases")
    @classmethod
    def _known_bases(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(BASES))
        if unknown:
            raise ValueError(f"unknown bases {unknown}; use some of {list(BASES)}")
        return value

    @field_validator("age_groups")
    @classmethod
    def _bands(cls, value: list[str]) -> list[str]:
        bounds = []
        for band in value:
            match = _BAND.match(band)
            if not match or int(match[1]) > int(match[2]):
                raise ValueError(f"age group {band!r} is not a band like 12-13")
            bounds.append((int(match[1]), int(match[2])))
        for (_, hi), (lo, _) in zip(bounds, bounds[1:], strict=False):
            if lo <= hi:
                raise ValueError("age groups must be in order and must not overlap")
        return value


class IngestRules(BaseModel):
    model_config = ConfigDict(extra="forbid")
    iccs_code_list: Path | None = Field(
        None, description="A file of valid ICCS codes, one per line; when set, codes are "
                          "checked against it exactly (relative paths: to the workspace).")


class PrivacyRules(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key_file: Path | None = Field(
        None, description="The identity key file, outside every database (default: "
                          "keys/identity.key of the workspace; relative paths: to the workspace).")
    key_env: str | None = Field(
        None, description="An environment variable holding the identity key (base64), "
                          "used instead of a key file.")


class ReleaseRules(BaseModel):
    """Disclosure-control settings of a public release."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    min_cell: int = Field(5, ge=1, description="Counts from 1 to min_cell - 1 are suppressed.")
    protection_level: int | None = Field(
        None, ge=1, description="p: every suppressed count must stay uncertain by at least "
                                "p either way (None: min_cell).")
    rounding_base: Literal[3, 5] | None = Field(
        None, description="Round published counts to a multiple of 3 or 5 (None: no rounding).")
    breakdowns: list[str] = Field(
        default_factory=lambda: ["sex", "age_group", "region"],
        description="The single breakdowns published beside the national totals.")
    series: Literal["quarter"] | None = Field(
        "quarter", description="The series of national totals published for flow and event "
                               "indicators (None: no series).")
    headline: list[str] = Field(
        default_factory=lambda: ["JJ2", "JJ3"],
        description="Indicators whose national counts cost most in the secondary "
                    "suppression: suppressed only when no other pattern protects.")
    cost: Literal["value", "unit"] = Field(
        "value", description="What moving an inner cell costs a unit in the secondary "
                             "suppression: its value (small cells first) or 1 (fewest units).")

    @field_validator("breakdowns")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        known_breakdowns(value)
        if len(set(value)) != len(value):
            raise ValueError("a breakdown is listed twice")
        return value

    @property
    def protection(self) -> int:
        """p, the protection level in force."""
        return self.protection_level or self.min_cell



class AppRules(BaseModel):
    """The web application: its database, and the releases its comparison page shows."""

    model_config = ConfigDict(extra="forbid")
    database_url: str | None = Field(
        None, description="postgresql://user@host:port/db for a PostgreSQL application "
                          "database; empty: SQLite (WAL) at app/endvac.sqlite.")
    compare_releases: list[str] = Field(
        default_factory=list,
        description="Public releases the /compare page sets side by side: release "
                    "folders, workspaces (their latest release) or SDMX exports, relative "
                    "to the workspace or absolute, LABEL=PATH to name one (docs/compare.md).")


class PublishRules(BaseModel):
    """What `endvac publish` puts in a snapshot (docs/publish.md)."""

    model_config = ConfigDict(extra="forbid")
    years: int = Field(
        2, ge=1, le=10,
        description="Calendar years in a snapshot: period.year (or the latest year with "
                    "data) and the years before it.")
    series: Literal["quarter", "year"] = Field(
        "quarter", description="The series of national totals for trend charts.")
    equity_reference: dict[str, str] = Field(
        default_factory=lambda: {"sex": "m"},
        description="The reference group of a breakdown for equity ratios, e.g. sex: m.")
    keep: int = Field(
        10, ge=1, le=1000,
        description="Snapshots kept: older ones are removed when a new one is published.")

    @field_validator("equity_reference")
    @classmethod
    def _known_dims(cls, value: dict[str, str]) -> dict[str, str]:
        known_breakdowns(list(value))
        return value


class ReportRules(BaseModel):
    """Settings of the situation-analysis report (docs/report.md)."""

    model_config = ConfigDict(extra="forbid")
    regions_geojson: Path | None = Field(
        None, description="A GeoJSON FeatureCollection of region boundaries for the report's "
                          "maps (relative paths: to the workspace; none: no map).")
    region_property: str = Field(
        "region", description="The feature property that holds the region code.")


class LinkageRules(BaseModel):
    """Record linkage settings (docs/linkage.md)."""

    model_config = ConfigDict(extra="forbid")
    threshold: float = Field(
        0.9, gt=0, lt=1, description="Match probability at or above which two records are "
                                     "the same child (endvac link --threshold overrides it).")
    review_between: Annotated[list[float], Field(min_length=2, max_length=2)] = Field(
        default_factory=lambda: [0.3, 0.9],
        description="Probabilities between which endvac link-review exports pairs.")


class PathwayRules(BaseModel):
    """Counting rules of the pathways and outcomes after a decision (docs/pathways.md)."""

    model_config = ConfigDict(extra="forbid")
    follow_adults: bool = Field(
        False, description="Follow children past their 18th birthday through linked adult "
                           "records when counting re-contact (default: follow-up ends at 18).")


class WorkspaceConfig(BaseModel):
    """The whole workspace config file."""

    model_config = ConfigDict(extra="forbid")
    format: int = Field(1, description="Version of this config file's layout.")
    language: Literal["en", "pt", "fr", "es", "ar"] | None = Field(
        None, description="Language of the report, the CLI and the web's first guess "
                          "(docs/languages.md); --lang and ENDVAC_LANG override it.")
    country: Country = Field(default_factory=Country)
    period: PeriodDefaults = Field(default_factory=PeriodDefaults)
    counting: CountingRules = Field(default_factory=CountingRules)
    ingest: IngestRules = Field(default_factory=IngestRules)
    privacy: PrivacyRules = Field(default_factory=PrivacyRules)
    release: ReleaseRules = Field(default_factory=ReleaseRules)
    linkage: LinkageRules = Field(default_factory=LinkageRules)
    app: AppRules = Field(default_factory=AppRules)
    publish: PublishRules = Field(default_factory=PublishRules)
    report: ReportRules = Field(default_factory=ReportRules)
    pathways: PathwayRules = Field(default_factory=PathwayRules)


def load_config(path: Path) -> WorkspaceConfig:
    """Read and validate a workspace config file."""
    return load_yaml_model(path, WorkspaceConfig, ConfigError, "workspace config",
                           "docs/workspace.md")


def render_config(config: WorkspaceConfig) -> str:
    """The config as commented YAML, as `endvac init` writes it."""
    body = yaml.safe_dump(config.model_dump(mode="json"), sort_keys=False)
    return ("# endvac workspace config. Counting rules live only here; every result\n"
            "# records the revision of this file it was computed with.\n"
            "# See docs/workspace.md for each setting.\n" + body)
