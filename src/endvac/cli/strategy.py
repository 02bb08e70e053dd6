"""`endvac strategy ...`: import, export, show and check the national prevention strategy."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from endvac.cli.labels import LabelsOpt
from endvac.cli.render import OutputFormat, render

strategy_app = typer.Typer(
    name="strategy", no_args_is_help=True, add_completion=False, rich_markup_mode=None,
    help="The national prevention strategy: the seven bases, the roadmap of actions, "
         "targets on the indicators, trainings, and coordination checks. "
         "Example: endvac strategy import ws strategy.yaml")
out = Console(width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True)

WorkspaceArg = Annotated[Path, typer.Argument(help="The workspace folder.")]
FileArg = Annotated[Path, typer.Argument(help="A strategy file: .yaml, .yml or .xlsx.")]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", help="table, csv or json.")]


@strategy_app.command("import")
def import_(workspace: WorkspaceArg, file: FileArg) -> None:
    """Replace the workspace's strategy with a YAML or Excel file (exit 1 and nothing
    loaded when the file has problems; each is listed with sheet, row and column).

    Example: endvac strategy import ws strategy.xlsx
    """
    from endvac.strategy.files import import_strategy
    from endvac.workspace import open_workspace

    result = import_strategy(open_workspace(workspace), file)
    for finding in result.findings:
        err.print(finding.describe(), markup=False, highlight=False)
    if result.findings:
        err.print(f"{len(result.findings)} problems in {result.file}; nothing was loaded",
                  markup=False, highlight=False)
        raise typer.Exit(1)
    out.print(f"strategy imported from {result.file}: " + ", ".join(
        f"{n} {name}" for name, n in result.loaded.items()), highlight=False)


@strategy_app.command("export")
def export(workspace: WorkspaceArg, file: FileArg) -> None:
    """Write the workspace's strategy to a YAML or Excel file (README sheet included).

    Example: endvac strategy export ws strategy.xlsx
    """
    from endvac.strategy.files import export_strategy
    from endvac.workspace import open_workspace

    export_strategy(open_workspace(workspace), file)
    out.print(f"strategy written to {file}", highlight=False)


@strategy_app.command("show")
def show(workspace: WorkspaceArg, format: FormatOpt = OutputFormat.table,
         part: Annotated[str, typer.Option(
             help="overview, strategy, bases, assessments, checklist, actions, targets, "
                  "trainings or staff.")] = "overview",
         labels: LabelsOpt = False) -> None:
    """Show the stored strategy, one part at a time.

    Example: endvac strategy show ws --part bases --format csv
    """
    from endvac.cli.labels import STRATEGY_KINDS
    from endvac.strategy.files import stored_strategy
    from endvac.strategy.show import show_rows
    from endvac.workspace import open_workspace

    render(show_rows(stored_strategy(open_workspace(workspace)), part), format,
           f"strategy: {part}", kinds=STRATEGY_KINDS.get(part), labels=labels)


@strategy_app.command("check")
def check(workspace: WorkspaceArg, format: FormatOpt = OutputFormat.table) -> None:
    """Coordination checks: possible duplication, gaps in the worst quartile, targets on or
    off track, training coverage (exit 0 when it ran).

    Example: endvac strategy check ws --format csv
    """
    from endvac.strategy.review import review_workspace
    from endvac.workspace import open_workspace

    result = review_workspace(open_workspace(workspace))
    err.print(f"indicator values: {result.evidence_source}, year {result.evidence_year}",
              markup=False, highlight=False)
    render(result.finding_rows(), format, "strategy checks",
           ["check", "item", "flag", "detail"])
