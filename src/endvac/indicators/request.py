"""Turning command-line words into an indicator request, with clear usage errors."""

from __future__ import annotations

from datetime import date

from endvac.config import WorkspaceConfig
from endvac.errors import UsageError
from endvac.indicators.compare import parse_reference
from endvac.indicators.definitions import BREAKDOWNS, load_definitions
from endvac.indicators.engine import Request
from endvac.indicators.periods import parse_period


def build_request(config: WorkspaceConfig, period: str | None, census: str | None,
                  by: list[str] | None, ids: str | None, every: str | None,
                  compare_to: str | None, extra_ids: frozenset[str] = frozenset()) -> Request:
    """A validated request; the period defaults to the config's `period.year`;
    ``extra_ids`` are indicator ids other modules add (the safeguard rates)."""
    if period is None:
        if config.period.year is None:
            raise UsageError("no --period given and no period.year in endvac.yaml",
                             fix="add --period 2025")
        period = str(config.period.year)
    groupings: list[tuple[str, ...]] = [()]
    for option in by or []:
        dims = tuple(d.strip() for d in option.split(",") if d.strip())
        unknown = [d for d in dims if d not in BREAKDOWNS]
        if unknown:
            raise UsageError(f"--by {option}: unknown breakdown {unknown[0]}",
                             fix=f"use some of {', '.join(BREAKDOWNS)}")
        groupings.append(dims)
    wanted = None
    if ids:
        wanted = tuple(i.strip() for i in ids.split(",") if i.strip())
        known = {i.id for i in load_definitions().indicators} | set(extra_ids)
        bad = [i for i in wanted if i not in known]
        if bad:
            raise UsageError(f"--id: unknown indicator {bad[0]}",
                             fix="see endvac indicators WORKSPACE --list")
    reference = parse_reference(compare_to) if compare_to else None
    if reference and not any(reference[0] in g for g in groupings):
        groupings.append((reference[0],))
    try:
        census_date = date.fromisoformat(census) if census else None
    except ValueError as exc:
        raise UsageError(f"--census-date {census} is not YYYY-MM-DD", fix="e.g. 2025-12-31") \
            from exc
    return Request(parse_period(period), census_date, tuple(dict.fromkeys(groupings)), wanted,
                   every, reference)
