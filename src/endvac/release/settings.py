"""The release settings: how much a public release protects and what it holds.

They live in the workspace config's ``release:`` section (:class:`ReleaseRules`,
declared with the config); docs/release.md explains each.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from endvac.config import ReleaseRules
from endvac.errors import ConfigError


def release_rules(config: Any) -> ReleaseRules:
    """The ``release`` section of a workspace config, or the defaults when it has none."""
    section = getattr(config, "release", None)
    if section is None:
        return ReleaseRules()
    if isinstance(section, ReleaseRules):
        return section
    data = section.model_dump() if isinstance(section, BaseModel) else section
    try:
        return ReleaseRules.model_validate(data)
    except ValueError as exc:
        raise ConfigError("the release section of endvac.yaml is invalid: "
                          + str(exc).splitlines()[0],
                          fix="see docs/release.md for the release settings") from exc
