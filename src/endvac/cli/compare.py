"""`endvac compare`: several public releases side by side, with rate ratios."""

from __future__ import annotations

from typing import Annotated

import typer

from endvac.cli.render import OutputFormat, render

COLUMNS = ["id", "table", "period", "breakdown", "cell", "unit", "source", "status", "value",
           "ci_low", "ci_high", "numerator", "denominator", "ratio", "ratio_low",
           "ratio_high", "ratio_note", "ratio_method", "coverage"]


def compare(
        releases: Annotated[list[str], typer.Argument(
            metavar="RELEASE_OR_SDMX...",
            help="Release folders, workspaces (their latest release) or SDMX exports; "
                 "LABEL=PATH names one.")],
        reference: Annotated[str | None, typer.Option(
            help="The label of the reference release (default: the first).")] = None,
        table: Annotated[str | None, typer.Option(
            help="Only total, sex, age_group, region or quarter.")] = None,
        indicator: Annotated[list[str] | None, typer.Option(
            help="Only this indicator (repeat for more).")] = None,
        format: Annotated[OutputFormat, typer.Option(
            "--format", help="table, csv or json.")] = OutputFormat.table,
) -> None:
    """Set several countries' (or regions') public releases side by side: rates and
    shares with their intervals, ratios to the reference with 95% intervals, each
    release's coverage and definitions; a cell suppressed in any release is shown as
    suppressed, never a ratio from it (docs/compare.md).

    Example: endvac compare XKA/published/release-3 sdmx-xkb --reference XKA --table total
    """
    from endvac.compare import compare_paths

    found = compare_paths(releases, reference, table, indicator or ())
    if format is OutputFormat.table:
        for source in found.sources:
            typer.echo(f"{source.label} ({source.name}): {source.kind} "
                       f"{source.release or ''} of {source.period}; {source.definitions}; "
                       f"coverage: {'; '.join(source.coverage) or 'not stated'}")
        for warning in found.warnings:
            typer.echo(f"note: {warning}")
        render([_compact(r) for r in found.records()], format,
               f"ratios against {found.reference}", columns=SHORT)
        return
    render(found.records(), format, columns=COLUMNS)


SHORT = ["id", "period", "cell", "source", "status", "value (95% CI)", "ratio (95% CI)",
         "note"]


def _compact(record: dict[str, object]) -> dict[str, object]:
    """A record as one readable line of the table: figures with their intervals."""
    def figure(value: object, low: object, high: object) -> str:
        if not isinstance(value, float | int):
            return ""
        ends = [f"{v:,.2f}" if isinstance(v, float | int) else "∞" for v in (low, high)]
        return f"{value:,.2f} ({ends[0]} – {ends[1]})" if low is not None else f"{value:,.2f}"
    return {"id": record["id"], "period": record["period"],
            "cell": f"{record['breakdown']}={record['cell']}" if record["breakdown"] else "",
            "source": record["source"], "status": record["status"],
            "value (95% CI)": figure(record["value"], record["ci_low"], record["ci_high"]),
            "ratio (95% CI)": figure(record["ratio"], record["ratio_low"],
                                     record["ratio_high"]),
            "note": record["ratio_note"]}
