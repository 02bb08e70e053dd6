"""Country profiles: the national legal limits, as data (spec/standards.md)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict

from endvac.errors import ConfigError
from endvac.yamlfile import load_yaml_model

PROFILE_FILE = "profile.yaml"


class Limit(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: Any
    meaning: str
    source: str
    national: bool = False


class Profile(BaseModel):
    """A country profile: each limit with its value, meaning and source."""

    model_config = ConfigDict(extra="forbid")
    country: str
    limits: dict[str, Limit]

    def value(self, key: str) -> Any:
        return self.limits[key].value


def international_text() -> str:
    """The shipped international defaults, as YAML text."""
    return resources.files("endvac.profiles").joinpath("international.yaml").read_text("utf-8")


def load_profile(path: Path) -> Profile:
    """Read and validate a country profile; every international key must be present."""
    profile = load_yaml_model(path, Profile, ConfigError, "country profile",
                              "docs/workspace.md and the shipped international.yaml")
    defaults = Profile.model_validate(yaml.safe_load(international_text()))
    missing = sorted(set(defaults.limits) - set(profile.limits))
    if missing:
        raise ConfigError(f"{path}: limits {missing} are missing",
                          fix="keep every limit; use the international default where the "
                              "law is silent")
    return profile


def profile_rows(profile: Profile) -> list[dict[str, Any]]:
    """Each limit: its value, whether it is national or the international default, source."""
    defaults = Profile.model_validate(yaml.safe_load(international_text()))
    rows = []
    for key, limit in profile.limits.items():
        default = defaults.limits[key].value if key in defaults.limits else None
        national = limit.national or limit.value != default
        rows.append({"key": key, "value": limit.value, "status": "national" if national
                     else "international default", "international_default": default,
                     "meaning": limit.meaning, "source": limit.source})
    return rows
