"""`endvac export ...`: a public release in the forms the world reads."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

export_app = typer.Typer(
    name="export", no_args_is_help=True, add_completion=False, rich_markup_mode=None,
    help="Write a public release in other formats. Example: endvac export sdmx ws --out sdmx")
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
