"""`endvac link`, `links`, `link-review`, `link-decisions`, `link-evaluate`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from endvac.cli.progress import progress_bar
from endvac.cli.render import OutputFormat, render
from endvac.cli.report import publish_workspace

if TYPE_CHECKING:
    from endvac.workspace import Workspace

WorkspaceArg = Annotated[Path, typer.Argument(help="The workspace folder.")]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", help="table, csv or json.")]


class Engine(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


PublishOpt = Annotated[bool, typer.Option(
    "--publish/--no-publish",
    help="Publish a snapshot for the web app afterwards (docs/publish.md).")]


def link(workspace: WorkspaceArg,
         engine: Annotated[Engine, typer.Option(help="duckdb (default) or spark.")
                           ] = Engine.duckdb,
         threshold: Annotated[float | None, typer.Option(
             help="Match probability to link at (default: config linkage.threshold).")
                              ] = None,
         incremental: Annotated[bool, typer.Option(
             help="Score only records not linked yet, with the saved model.")] = False,
         format: FormatOpt = OutputFormat.table, publish: PublishOpt = True) -> None:
    """Link every child record within and across agencies into persons (child keys),
    on protected identifiers only, with Splink (docs/linkage.md); then publish a
    snapshot counted with the new keys unless --no-publish.

    Example: endvac link ws --threshold 0.9
    """
    from dataclasses import asdict

    from endvac.linkage.run import link as run_link
    from endvac.linkage.run import link_diagnostics
    from endvac.workspace import open_workspace

    with progress_bar("link") as say:
        summary = run_link(open_workspace(workspace), engine=engine.value,
                           threshold=threshold, incremental=incremental, progress=say)
    row = asdict(summary)
    found = link_diagnostics(open_workspace(workspace)) if summary.prior is not None else None
    if found and format is OutputFormat.json:
        row["diagnostics"] = found
    render([row], format, "linkage run")
    if found and format is OutputFormat.table:
        render(found["levels"], format, "match weight of every level (log2 m/u)")
    for warning in (found or {}).get("warnings", []):
        typer.echo("warning: " + warning, err=True)
    if publish:
        publish_workspace(workspace, None)


def links(workspace: WorkspaceArg, format: FormatOpt = OutputFormat.table) -> None:
    """Every record's child key, cluster size and the match probability that put it there.

    Example: endvac links ws --format csv
    """
    from endvac.linkage.review import list_links
    from endvac.workspace import open_workspace

    ws = open_workspace(workspace)
    _require_finished_run(ws)
    render(list_links(ws), format, "child keys",
           columns=["agency", "record_id", "child_key", "cluster_size", "match_probability"])


def _require_finished_run(ws: Workspace) -> None:
    """Refuse when no linkage run finished (e.g. `endvac link` was interrupted); warn when
    the newest run did not finish."""
    from endvac.errors import UsageError
    from endvac.linkage import registry
    from endvac.store import db

    if not registry.has_run(ws):
        return  # list_links says the records are not linked yet
    with registry.registry(ws, read_only=True) as reg:
        runs = db.rows(reg, "read linkage runs", "SELECT run_id, seconds IS NOT NULL "
                       "FROM runs ORDER BY run_id")
    if not any(done for _, done in runs):
        raise UsageError(f"{ws.root}: no linkage run finished (an endvac link was "
                         "interrupted)", fix=f"run endvac link {ws.root} again")
    if not runs[-1][1]:
        typer.echo(f"linkage run {runs[-1][0]} did not finish: the keys may be incomplete; "
                   f"run endvac link {ws.root} again", err=True)


def link_review(workspace: WorkspaceArg,
                out: Annotated[Path, typer.Option(help="The CSV file of pairs to write.")],
                between: Annotated[tuple[float, float] | None, typer.Option(
                    help="Lowest and highest probability (default: config "
                         "linkage.review_between).")] = None) -> None:
    """Export uncertain pairs with their comparison evidence (levels and match weights,
    never identifiers) for clerical review; fill in `decision` and apply the file with
    endvac link-decisions.

    Example: endvac link-review ws --out pairs.csv --between 0.3 0.9
    """
    from endvac.linkage.review import export_review
    from endvac.workspace import open_workspace

    count = export_review(open_workspace(workspace), out, between)
    typer.echo(f"{count} pairs written to {out}")


def link_decisions(workspace: WorkspaceArg,
                   file: Annotated[Path, typer.Argument(
                       help="CSV: agency_l, record_id_l, agency_r, record_id_r, decision "
                            "(must_link, cannot_link or empty).")],
                   publish: PublishOpt = True) -> None:
    """Record must-link / cannot-link decisions and apply them to the child keys; they
    are applied again at every endvac link. Then publish a snapshot unless --no-publish.

    Example: endvac link-decisions ws reviewed.csv
    """
    from endvac.linkage.review import apply_decision_file
    from endvac.workspace import open_workspace

    with progress_bar("link-decisions") as say:
        result = apply_decision_file(open_workspace(workspace), file, progress=say)
    typer.echo(f"{result['recorded']} decisions recorded; {result['persons']} persons "
               f"from {result['records']} records")
    if publish:
        publish_workspace(workspace, None)


def link_evaluate(workspace: WorkspaceArg,
                  truth: Annotated[Path, typer.Argument(
                      help="CSV with agency, record_id, person (the true person).")],
                  format: FormatOpt = OutputFormat.table) -> None:
    """Pairwise precision, recall and F1 and cluster metrics of the current child keys
    against a truth file.

    Example: endvac link-evaluate ws truth/persons.csv --format json
    """
    from endvac.linkage.evaluate import evaluate_links
    from endvac.workspace import open_workspace

    metrics = evaluate_links(open_workspace(workspace), truth)
    render([{"metric": k, "value": v} for k, v in metrics.items()], format, "linkage quality")
