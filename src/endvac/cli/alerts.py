"""Command-line helpers for `endvac alerts`."""

from __future__ import annotations

from datetime import date

from endvac.errors import UsageError
from endvac.safeguards.rules import load_rules

ALERT_COLUMNS = ["rule", "status", "child_key", "agency", "record_id", "since", "elapsed",
                 "unit", "limit_value", "over", "ongoing", "facility_id", "region", "case_id",
                 "evidence", "severity"]


def parse_as_of(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"--as-of {text} is not YYYY-MM-DD", fix="e.g. --as-of 2025-12-31") \
            from exc


def check_rule(rule: str | None) -> None:
    if rule is not None and rule not in {r.id for r in load_rules().rules}:
        raise UsageError(f"--rule {rule} is not a safeguard rule",
                         fix="see docs/safeguards.md for the rule ids")
