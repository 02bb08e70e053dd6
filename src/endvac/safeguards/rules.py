"""The safeguard rules (rules.yaml), loaded and validated once."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, field_validator

from endvac.errors import BadInput, UnknownName
from endvac.interchange.spec import EVENT_TYPES

Check = Literal["below_macr", "hours_after_arrest", "reported_by",
                "legal_aid_by_first_appearance", "review_gaps", "charge_window",
                "pretrial_length", "held_with_adults", "family_contact", "death_in_custody",
                "violence_in_custody"]


class SafeguardRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    name: str
    legal_basis: str
    limit: str | None
    severity: Literal["critical", "high", "medium"]
    check: Check
    event: str | None = None
    missing_rule: str | None = None
    reported_by: str | None = None

    @field_validator("event")
    @classmethod
    def _known_event(cls, value: str | None) -> str | None:
        if value is not None and value not in EVENT_TYPES:
            raise ValueError(f"unknown event type {value}")
        return value


class SafeguardRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int
    rules: list[SafeguardRule]


@cache
def load_rules() -> SafeguardRules:
    text = resources.files("endvac.safeguards").joinpath("rules.yaml").read_text("utf-8")
    return SafeguardRules.model_validate(yaml.safe_load(text))


class UnknownRule(UnknownName, BadInput):
    """A rule id that names no safeguard rule: a usage error on the command line (exit
    2), a bad input on the web (400, ``bad_input``)."""


def check_rule(rule: str | None) -> None:
    """Nothing when ``rule`` is empty (every rule) or names a safeguard rule; else an
    :class:`UnknownRule` listing the rules. The value asked for is not repeated in the
    message."""
    valid = [r.id for r in load_rules().rules]
    if rule and rule not in valid:
        raise UnknownRule("the rule asked for is not a safeguard rule",
                          fix=f"use one of {', '.join(valid)} (docs/safeguards.md)")
