"""Rendering indicator results and definitions for the command line."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from endvac.cli.labels import RESULT_KINDS, command_names, with_names
from endvac.cli.render import OutputFormat, render

if TYPE_CHECKING:
    from endvac.names import Names
from endvac.facts.derived import Facts
from endvac.indicators.definitions import load_definitions
from endvac.indicators.engine import Request
from endvac.indicators.results import Result
from endvac.indicators.run import Extra
from endvac.workspace import Workspace

COLUMNS = ["id", "period", "by", "numerator", "denominator", "value", "unit", "ci_low",
           "ci_high", "mean", "p90", "unknown", "excluded_adults", "below_macr", "coverage"]
RATIO_COLUMNS = ["ratio", "ratio_ci_low", "ratio_ci_high", "ratio_reference"]


def _by(by: dict[str, str]) -> str:
    return ";".join(f"{k}={v}" for k, v in by.items()) or "total"


def _round(value: Any) -> Any:
    return round(value, 2) if isinstance(value, float) else value


def render_results(results: list[Result], fmt: OutputFormat, names: Names | None = None,
                   labels: bool = False) -> None:
    """JSON: the spec's objects, values unrounded (with ``labels``, ``id_name`` and
    ``by_name`` added); table and CSV: one line per cell (a table names its codes)."""
    if fmt is OutputFormat.json:
        import json
        import sys
        found: list[dict[str, Any]] = [dict(r.to_dict()) for r in results]
        if labels:
            texts = [{"id": r.id, "by": _by(r.by)} for r in results]
            named, _ = with_names(texts, ["id", "by"], names or command_names(),
                                  RESULT_KINDS, replace=False)
            found = [{**f, "id_name": n["id_name"], "by_name": n["by_name"]}
                     for f, n in zip(found, named, strict=True)]
        json.dump(found, sys.stdout, ensure_ascii=False, indent=1, default=str)
        sys.stdout.write("\n")
        return
    columns = COLUMNS + (RATIO_COLUMNS if any(r.ratio is not None for r in results) else [])
    flat = []
    for r in results:
        row = {**r.to_dict(), "by": _by(r.by), "notes": " | ".join(r.note_texts())}
        if fmt is OutputFormat.table:
            row = {k: _round(v) for k, v in row.items()}
        flat.append(row)
    render(flat, fmt, "indicators", columns + ["notes"] if fmt is OutputFormat.csv else columns,
           kinds=RESULT_KINDS, names=names, labels=labels)


def render_definitions(fmt: OutputFormat) -> None:
    defs = load_definitions()
    rows = [{"id": i.id, "name": i.name, "unit": i.unit, "better": i.better, "shape": i.shape,
             "universe": i.universe, "counts": i.counts, "core": i.core,
             "verified": i.verified, "breakdowns": ",".join(i.breakdowns), "source": i.source}
            for i in defs.indicators]
    render(rows, fmt, f"indicator definitions, version {defs.version}")


def safeguard_ids() -> frozenset[str]:
    """The ids of the safeguard rates that `--safeguards` adds."""
    from endvac.safeguards.rates import rate_definitions

    return frozenset(i.id for i in rate_definitions().indicators)


def safeguard_extra(ws: Workspace, request: Request) -> Extra:
    """The safeguard rates, computed on the indicator run's derived facts."""
    from endvac.safeguards.rates import safeguard_rates

    def extra(facts: Facts) -> list[Result]:
        return safeguard_rates(facts, ws.profile(), ws.config.counting, request)
    return extra
