"""`endvac export ...`: figures written in the forms the world reads (docs/uncts.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

export_app = typer.Typer(name="export", no_args_is_help=True,
                         help="Export figures in international formats (UN-CTS).\n\n"
                              "Example: endvac export uncts ws --year 2025 --out uncts")


@export_app.command("uncts")
def uncts(
        workspace: Annotated[Path, typer.Argument(help="The workspace folder.")],
        year: Annotated[int, typer.Option(help="The calendar year, e.g. 2025.")],
        out: Annotated[Path, typer.Option(help="Folder to write the CSV and workbook to.")],
) -> None:
    """Fill the juvenile parts of the UN Crime Trends Survey for a year from the data
    (adult columns and totals from adult_counts.csv), protected by the release's
    disclosure rule; writes uncts-YEAR.csv and uncts-YEAR.xlsx (docs/uncts.md).

    Example: endvac export uncts ws --year 2025 --out uncts
    """
    from collections import Counter

    from endvac.uncts import build_uncts, write_uncts
    from endvac.workspace import open_workspace

    tables = build_uncts(open_workspace(workspace), year)
    paths = write_uncts(tables, out)
    status = Counter(c.status for c in tables.cells)
    typer.echo(f"wrote {', '.join(str(p) for p in paths)}: {len(tables.cells)} cells, "
               f"{status['published']} published, {status['primary']} primary and "
               f"{status['secondary']} secondary suppressed, {status['not available']} not "
               "available")
