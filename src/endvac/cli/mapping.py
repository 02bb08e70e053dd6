"""`endvac mapping draft`: a mapping to complete, drafted from an agency's files."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from endvac.errors import UsageError
from endvac.interchange.mapping import TO_COMPLETE

mapping_app = typer.Typer(
    name="mapping", no_args_is_help=True, add_completion=False, rich_markup_mode=None,
    help="Mapping files that bring an agency's own layout onto the interchange format "
         "(docs/mapping.md). Example: endvac mapping draft ocorrencias.csv --out police.yaml")


@mapping_app.command("draft")
def draft(files: Annotated[list[Path], typer.Argument(help="The agency's files (.csv, .xlsx).")],
          out: Annotated[Path | None, typer.Option(
              help="Write the draft here (a new file) instead of printing it.")] = None,
          ) -> None:
    """Draft a mapping from an agency's files: columns matched by name (English,
    Portuguese, French, Spanish), code labels listed to map, date formats guessed.

    Example: endvac mapping draft ocorrencias.csv registo.xlsx --out police.yaml
    """
    from endvac.ingest.draft import draft_mapping

    made = draft_mapping(files)
    text = made.text()
    if out is None:
        sys.stdout.write(text)
        return
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise UsageError(f"{out} exists", fix="give a new file name") from exc
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    matched = sum(p.target is not None for p in made.proposals)
    typer.echo(f"wrote {out}: {matched} of {len(made.proposals)} columns matched; "
               f"{made.to_complete()} values marked {TO_COMPLETE!r} to complete",
               err=True)
