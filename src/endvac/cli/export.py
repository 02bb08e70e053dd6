"""`endvac export ...`: figures written in the forms the world reads (docs/sdmx.md,
docs/uncts.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

export_app = typer.Typer(
    name="export", no_args_is_help=True, add_completion=False, rich_markup_mode=None,
    help="Write figures in the forms the world reads (SDMX, UN-CTS).\n\n"
         "Example: endvac export sdmx ws --out sdmx")
out = Console(width=None if sys.stdout.isatty() else 160)


@export_app.command("sdmx")
def sdmx(workspace: Annotated[Path, typer.Argument(help="The workspace folder.")],
         out_dir: Annotated[Path, typer.Option("--out", help="The folder to write.")],
         release: Annotated[int | None, typer.Option(
             "--release", help="The release number (default: the latest).")] = None,
         ) -> None:
    """Write a public release as SDMX-CSV 2.0 (data.csv) and SDMX-ML 3.0
    structure-specific data (data.xml), with its data structure definition
    (structure.xml); suppressed cells are confidential (CONF_STATUS C) with no value
    (docs/sdmx.md).

    Example: endvac export sdmx ws --release 2 --out sdmx
    """
    from endvac.sdmx.export import export_sdmx
    from endvac.workspace import open_workspace

    done = export_sdmx(open_workspace(workspace), out_dir, release)
    out.print(f"release {done.release}: {done.observations} observations "
              f"({done.confidential} confidential) written to {done.folder}: "
              f"{', '.join(done.files)}", markup=False, highlight=False)


@export_app.command("uncts")
def uncts(
        workspace: Annotated[Path, typer.Argument(help="The workspace folder.")],
        year: Annotated[int, typer.Option(help="The calendar year, e.g. 2025.")],
        out_dir: Annotated[Path, typer.Option(
            "--out", help="Folder to write the CSV and workbook to.")],
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
    paths = write_uncts(tables, out_dir)
    status = Counter(c.status for c in tables.cells)
    out.print(f"wrote {', '.join(str(p) for p in paths)}: {len(tables.cells)} cells, "
              f"{status['published']} published, {status['primary']} primary and "
              f"{status['secondary']} secondary suppressed, {status['not available']} not "
              "available", markup=False, highlight=False)
