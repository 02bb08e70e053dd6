"""`endvac pathways` and `endvac outcomes`: parse, call the library, render."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from endvac.cli.render import OutputFormat, render
from endvac.errors import UsageError

WorkspaceArg = Annotated[Path, typer.Argument(help="The workspace folder.")]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", help="table, csv or json.")]
CohortOpt = Annotated[str, typer.Option(
    help="The cohort's period: a year (2024) or START/END (2023/2025).")]

STAGE_COLUMNS = ["stage", "name", "reached", "reached_share", "ended", "ended_share"]
FLOW_COLUMNS = ["from", "to", "children", "share"]
TIME_COLUMNS = ["interval", "by", "n", "events", "censored", "median", "median_ci_low",
                "median_ci_high", "q1", "q1_ci_low", "q1_ci_high", "q3", "q3_ci_low",
                "q3_ci_high"]
CSV_COLUMNS = ["section", "stage", "name", "to", "detail", "by", "children", "share",
               "reached", "reached_share", "ended", "ended_share", *TIME_COLUMNS[2:]]
OUTCOME_COLUMNS = ["group", "months", "children", "recontact", "ci_low", "ci_high", "at_risk",
                   "events", "censored", "reference", "adjusted_recontact",
                   "adjusted_reference_recontact", "adjusted_difference", "difference_ci_low",
                   "difference_ci_high"]


def parse_within(text: str) -> tuple[int, ...]:
    try:
        months = tuple(int(part) for part in text.split(","))
    except ValueError as exc:
        raise UsageError(f"--within {text} is not a list of months",
                         fix="e.g. --within 6,12,24") from exc
    if not months or min(months) < 1:
        raise UsageError(f"--within {text}: months must be 1 or more", fix="e.g. --within 6,12")
    return months


def pathways(workspace: WorkspaceArg, cohort: CohortOpt,
             format: FormatOpt = OutputFormat.table) -> None:
    """Where the children first in contact in a period went: stages reached, flows between
    them, attrition and the time between stages (median, quartiles, 95% intervals).

    Example: endvac pathways ws --cohort 2024 --format json
    """
    from endvac.indicators.periods import parse_period
    from endvac.pathways.run import workspace_pathways
    from endvac.workspace import open_workspace

    result = workspace_pathways(open_workspace(workspace), parse_period(cohort), date.today())
    if format is OutputFormat.json:
        json.dump(result.to_dict(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    elif format is OutputFormat.csv:
        render(result.records(), format, None, CSV_COLUMNS)
    else:
        title = f"cohort {result.cohort}: {result.children} children"
        render(result.attrition, format, f"{title}: stages", STAGE_COLUMNS)
        render(result.flows, format, "flows", FLOW_COLUMNS)
        render([t.to_dict() for t in result.times], format, "days between stages",
               TIME_COLUMNS)


def outcomes(workspace: WorkspaceArg, cohort: CohortOpt,
             within: Annotated[str, typer.Option(help="Months after the decision.")] = "6,12,24",
             format: FormatOpt = OutputFormat.table,
             balance: Annotated[bool, typer.Option(
                 help="Show the weighting's balance table instead.")] = False,
             bootstrap: Annotated[int | None, typer.Option(
                 min=0, help="Bootstrap resamples for the weighted difference's interval "
                             "(default: stages.yaml).")] = None,
             ) -> None:
    """Re-contact with the police within 6/12/24 months after a completed or failed
    diversion, a non-custodial sentence or release from custody (Kaplan–Meier), and the
    weighted comparison with the reference group. Observational evidence.

    Example: endvac outcomes ws --cohort 2024 --within 6,12,24 --format json
    """
    from endvac.indicators.periods import parse_period
    from endvac.pathways.run import workspace_outcomes
    from endvac.workspace import open_workspace

    months = parse_within(within)
    result = workspace_outcomes(open_workspace(workspace), parse_period(cohort), date.today(),
                                months, bootstrap)
    if balance:
        render(result.balance(), format, "balance: standardised mean differences")
        return
    render(result.records(), format, f"re-contact after a decision, cohort {result.cohort}",
           OUTCOME_COLUMNS)
    if format is OutputFormat.table:
        typer.echo(result.caveat, err=True)
