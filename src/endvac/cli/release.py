"""`endvac release`: build the public release of a period and print what it holds."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from endvac.cli.progress import progress_bar
from endvac.cli.render import OutputFormat, render


def release(
        workspace: Annotated[Path, typer.Argument(help="The workspace folder.")],
        period: Annotated[str, typer.Option(
            help="A year (2025) or START/END (2025-01-01/2025-03-31).")],
        format: Annotated[OutputFormat, typer.Option(
            "--format", help="table, csv or json.")] = OutputFormat.table,
) -> None:
    """Build a numbered public release: every indicator, its breakdowns and series, with
    small counts suppressed jointly so none can be recovered (docs/release.md).

    Example: endvac release ws --period 2025
    """
    from endvac.release import build_release
    from endvac.workspace import open_workspace

    with progress_bar("release", quiet_counted=True) as say:
        summary = build_release(open_workspace(workspace), period, progress=say)
    rows = [{"release": summary.number, "period": summary.period, "table": name,
             "rows": count} for name, count in summary.tables.items()]
    render(rows, format, f"release {summary.number} at {summary.path}")
    if format is OutputFormat.table:
        typer.echo(f"{summary.cells} counts; suppressed: {summary.suppressed['primary']} "
                   f"primary, {summary.suppressed['secondary']} secondary; "
                   f"{summary.suppressed['derived']} values withheld as derived")
