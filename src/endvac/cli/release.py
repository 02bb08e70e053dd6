"""`endvac release`: build the public release of a period and print what it holds."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from endvac.cli.progress import progress_bar
from endvac.cli.render import OutputFormat, render

if TYPE_CHECKING:
    from endvac.release import ReleaseSummary


def release(
        workspace: Annotated[Path, typer.Argument(help="The workspace folder.")],
        period: Annotated[str, typer.Option(
            help="A year (2025) or START/END (2025-01-01/2025-03-31).")],
        format: Annotated[OutputFormat, typer.Option(
            "--format", help="table, csv or json.")] = OutputFormat.table,
) -> None:
    """Build a numbered public release: every indicator, its breakdowns and series, with
    small counts suppressed jointly so none can be recovered (docs/release.md). Prints
    each table's information loss and whether each headline cell is published.

    Example: endvac release ws --period 2025
    """
    from endvac.release import build_release
    from endvac.workspace import open_workspace

    with progress_bar("release", quiet_counted=True) as say:
        summary = build_release(open_workspace(workspace), period, progress=say)
    render(release_rows(summary), format, f"release {summary.number} at {summary.path}")
    if format is OutputFormat.table:
        typer.echo(f"{summary.cells} counts; suppressed: {summary.suppressed['primary']} "
                   f"primary, {summary.suppressed['secondary']} secondary; "
                   f"{summary.suppressed['derived']} values withheld as derived")
        if summary.pathways is not None:
            hidden = summary.pathways["suppressed"]
            typer.echo(f"pathways.json: {len(summary.pathways['flows'])} flows; suppressed: "
                       f"{hidden['primary']} primary, {hidden['secondary']} secondary")


def release_rows(summary: ReleaseSummary) -> list[dict[str, Any]]:
    """One row per table (its rows and information loss), then one per headline cell
    (published or, when not, why)."""
    base = {"release": summary.number, "period": summary.period}
    out: list[dict[str, Any]] = []
    for name, count in summary.tables.items():
        loss = summary.loss.get(name)
        out.append({**base, "table": name, "rows": count,
                    "cells": loss["cells"] if loss else 0,
                    "suppressed": loss["suppressed"] if loss else 0,
                    "cells_pct": loss["cells_share"] if loss else 0.0,
                    "value_pct": loss.get("value_share", 0.0) if loss else 0.0,
                    "headline": None})
    for cell in summary.headline:
        out.append({**base, "table": f"headline {cell['id']} {cell['field']}",
                    "headline": "published" if cell["published"] else
                    f"{cell['suppressed']} ({cell['code']}): {cell['reason']}"})
    return out
