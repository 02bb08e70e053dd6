"""Command-line helpers for `endvac alerts`."""

from __future__ import annotations

from datetime import date

from endvac.errors import UsageError

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

