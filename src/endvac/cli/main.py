"""`endvac` commands. Each parses its input, calls the library, renders the result."""

from __future__ import annotations

import logging
import sys
import traceback
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from endvac.cli.ingest_summary import print_ingest
from endvac.cli.labels import LabelsOpt
from endvac.cli.language import cli_language
from endvac.cli.progress import progress_bar
from endvac.cli.render import OutputFormat, render
from endvac.errors import EndvacError
from endvac.i18n import _, use_language

app = typer.Typer(help="endvac: evidence to end violence against children, from agency "
                       "records, with every child's identity protected.",
                  no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                  pretty_exceptions_enable=False)
err = Console(stderr=True, width=None if sys.stderr.isatty() else 160)
out = Console(width=None if sys.stdout.isatty() else 160)
_state = {"debug": False}

WorkspaceArg = Annotated[Path, typer.Argument(help="The workspace folder.")]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", help="table, csv or json.")]


@app.callback()
def _options(debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
             lang: Annotated[str | None, typer.Option(
                 "--lang", help="Language of the messages: en, pt, fr, es or ar (default: "
                                "ENDVAC_LANG, the workspace's language, en).")] = None,
             ) -> None:
    _state["debug"] = debug
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING)


@app.command()
def init(workspace: WorkspaceArg,
         country: Annotated[str | None, typer.Option(help="ISO alpha-3 code.")] = None,
         name: Annotated[str | None, typer.Option(help="Country name for reports.")] = None,
         profile: Annotated[Path | None, typer.Option(
             help="The country profile of legal limits (default: international).")] = None,
         ) -> None:
    """Create a workspace: config, country profile, analytic store, keys.

    Example: endvac init ws --country XKA --name "Republic of Examplia"
    """
    from endvac.workspace import init_workspace

    created = init_workspace(workspace, country_code=country, country_name=name,
                             profile_path=profile)
    out.print(_("workspace created at %(root)s; edit %(config)s for the counting rules")
              % {"root": created.root, "config": created.config_path.name})


@app.command()
def ingest(workspace: WorkspaceArg,
           delivery: Annotated[Path, typer.Argument(help="The delivery folder.")],
           mapping: Annotated[Path | None, typer.Option(help="A mapping file (YAML).")] = None,
           publish: Annotated[bool, typer.Option(
               help="Publish a snapshot for the web app afterwards (docs/publish.md).")
           ] = True,
           dry_run: Annotated[bool, typer.Option(
               "--dry-run", help="Run every check and print what would load; change nothing.")
           ] = False,
           ) -> None:
    """Load a delivery; quarantine what is wrong (exit 1 when rows were quarantined);
    then publish a snapshot unless --no-publish.

    Example: endvac ingest ws deliveries/police-2025 --mapping police.yaml --dry-run
    """
    from endvac.cli.report import publish_workspace
    from endvac.ingest.load import ingest as run_ingest
    from endvac.publish.pending import unpublished_deliveries
    from endvac.workspace import open_workspace

    ws = open_workspace(workspace)
    with progress_bar("ingest") as say:
        result = run_ingest(ws, delivery, mapping, progress=say, dry_run=dry_run)
    print_ingest(result, out)
    # a delivery an earlier run committed but was killed before publishing
    publish = publish and not dry_run  # a dry run changes nothing, not even the snapshots
    missing = unpublished_deliveries(ws) if publish and result.delivery_id is None else []
    if missing:
        err.print(_("delivery %(numbers)s has no snapshot yet (an earlier run was "
                    "interrupted): publishing it now")
                  % {"numbers": ", ".join(map(str, missing))}, highlight=False)
    if publish and (result.delivery_id is not None or missing):
        publish_workspace(workspace, None)
    raise typer.Exit(result.exit_code)


@app.command()
def withdraw(workspace: WorkspaceArg,
             delivery: Annotated[int, typer.Argument(help="The delivery's number.")],
             reason: Annotated[str | None, typer.Option(help="Why, kept with it.")] = None,
             publish: Annotated[bool, typer.Option(
                 help="Publish a snapshot for the web app afterwards.")] = True,
             ) -> None:
    """Withdraw a delivery loaded by mistake: its rows leave the current figures (rows it
    replaced come back as they were); the history keeps it.

    Example: endvac withdraw ws 7 --reason "sent the 2024 extract by mistake"
    """
    from endvac.cli.report import publish_workspace
    from endvac.ingest.withdraw import withdraw_delivery
    from endvac.workspace import open_workspace

    done = withdraw_delivery(open_workspace(workspace), delivery, reason)
    out.print(_("delivery %(number)s withdrawn (recorded as delivery %(by)s); rows "
                "restored to an earlier version: %(restored)s; rows removed: %(removed)s")
              % {"number": done.delivery_id, "by": done.withdrawn_by,
                 "restored": done.restored or _("none"), "removed": done.removed or _("none")},
              highlight=False)
    if publish:
        publish_workspace(workspace, None)


@app.command()
def encode(delivery: Annotated[Path, typer.Argument(help="The clear delivery folder.")],
           out: Annotated[Path, typer.Argument(help="Where to write the encoded delivery.")],
           key_file: Annotated[Path, typer.Option(help="The data unit's identity key.")],
           mapping: Annotated[Path | None, typer.Option(help="A mapping file (YAML).")] = None,
           ) -> None:
    """Encode a delivery's identifiers at the agency, so names never leave it.

    Example: endvac encode police-2025 police-2025-encoded --key-file identity.key
    """
    from endvac.ingest.agency_encoding import encode_delivery

    summary = encode_delivery(delivery, out, key_file, mapping)
    err.print(_("encoded %(records)s child records; wrote %(files)s to %(out)s")
              % {"records": summary.records_encoded, "files": ", ".join(summary.files),
                 "out": summary.out}, highlight=False)
    if summary.rows_with_problems:
        err.print(_("%(rows)s rows could not be read cleanly and were written as parsed: "
                    "endvac ingest will report them") % {"rows": summary.rows_with_problems},
                  highlight=False)


@app.command()
def deliveries(workspace: WorkspaceArg, format: FormatOpt = OutputFormat.table,
               labels: LabelsOpt = False) -> None:
    """List loaded deliveries with manifest and counts.

    Example: endvac deliveries ws --format json
    """
    from endvac.cli.labels import DELIVERY_KINDS
    from endvac.ingest.listing import deliveries as list_deliveries
    from endvac.workspace import open_workspace

    render(list_deliveries(open_workspace(workspace)), format, "deliveries",
           kinds=DELIVERY_KINDS, labels=labels)


@app.command()
def status(workspace: WorkspaceArg, format: FormatOpt = OutputFormat.table) -> None:
    """Rows loaded and quarantined per file, and quarantined rows per rule.

    Example: endvac status ws --format csv
    """
    from endvac.ingest.listing import status as load_status
    from endvac.workspace import open_workspace

    render(load_status(open_workspace(workspace)), format, "what the workspace holds")


@app.command()
def quarantine(workspace: WorkspaceArg, format: FormatOpt = OutputFormat.table,
               delivery: Annotated[int | None, typer.Option(help="Only this delivery.")] = None,
               file: Annotated[str | None, typer.Option(help="Only this file, e.g. events."
                                                        )] = None,
               rule: Annotated[str | None, typer.Option(help="Only this rule code.")] = None,
               limit: Annotated[int | None, typer.Option(help="At most this many.")] = None,
               labels: LabelsOpt = False) -> None:
    """List quarantined rows: file, row, column, rule and message.

    Example: endvac quarantine ws --rule bad_date --format csv
    """
    from endvac.cli.labels import FINDING_KINDS
    from endvac.ingest.listing import quarantined
    from endvac.workspace import open_workspace

    render(quarantined(open_workspace(workspace), delivery=delivery, file=file, rule=rule,
                       limit=limit), format, "quarantined rows", kinds=FINDING_KINDS,
           labels=labels)


@app.command()
def indicators(
        workspace: WorkspaceArg, format: FormatOpt = OutputFormat.table,
        period: Annotated[str | None, typer.Option(
            help="A year (2025) or START/END (2025-01-01/2025-03-31, 2021/2025).")] = None,
        census_date: Annotated[str | None, typer.Option(
            help="Census date C (default: the end of each period).")] = None,
        by: Annotated[list[str] | None, typer.Option(
            help="Breakdowns, crossed within one option (sex,region); repeat for more.")] = None,
        id: Annotated[str | None, typer.Option(help="Only these indicators: JJ2,JJ3.")] = None,
        every: Annotated[str | None, typer.Option(
            help="A series: year, quarter or month.")] = None,
        compare_to: Annotated[str | None, typer.Option(
            help="Reference group for equity ratios, e.g. sex=m.")] = None,
        list_: Annotated[bool, typer.Option("--list", help="List the definitions.")] = False,
        safeguards: Annotated[bool, typer.Option(
            help="Add the safeguard rates (SG1-SG3) from the alerts at the census date.")
        ] = False,
        labels: LabelsOpt = False,
) -> None:
    """Compute the indicators, with breakdowns, intervals and equity ratios.

    Example: endvac indicators ws --period 2025 --by sex --by region --compare-to sex=m
    """
    from endvac.cli.indicators import (
        command_names,
        render_definitions,
        render_results,
        safeguard_extra,
        safeguard_ids,
    )
    from endvac.indicators.request import build_request
    from endvac.indicators.run import compute_indicators
    from endvac.workspace import open_workspace

    if list_:
        render_definitions(format)
        return
    ws = open_workspace(workspace)
    request = build_request(ws.config, period, census_date, by, id, every, compare_to,
                            safeguard_ids() if safeguards else frozenset())
    with progress_bar("indicators", quiet_counted=True) as say:
        run = compute_indicators(ws, request, progress=say,
                                 extra=safeguard_extra(ws, request) if safeguards else None,
                                 today=date.today())
    render_results(run.results, format,
                   command_names(ws) if labels or format is OutputFormat.table else None,
                   labels)


@app.command()
def alerts(
        workspace: WorkspaceArg, format: FormatOpt = OutputFormat.table,
        as_of: Annotated[str | None, typer.Option(
            help="The date the alerts are for (default: today).")] = None,
        rule: Annotated[str | None, typer.Option(help="Only this rule.")] = None,
        open_: Annotated[bool, typer.Option("--open", help="Only ongoing breaches.")] = False,
        facility: Annotated[str | None, typer.Option(help="Only this facility.")] = None,
        region: Annotated[str | None, typer.Option(help="Only this region.")] = None,
        summary: Annotated[str | None, typer.Option(
            help="Count alerts by rule and facility_id or region instead.")] = None,
        labels: LabelsOpt = False,
) -> None:
    """Every child whose safeguards are breached, against the country profile (exit 0).

    Example: endvac alerts ws --as-of 2025-12-31 --rule pretrial_too_long --open
    """
    from dataclasses import asdict

    from endvac.cli.alerts import ALERT_COLUMNS, parse_as_of
    from endvac.cli.labels import ALERT_KINDS, command_names
    from endvac.safeguards.alerts import find_alerts, summarise
    from endvac.safeguards.rules import check_rule
    from endvac.workspace import open_workspace

    check_rule(rule)
    if summary not in (None, "facility_id", "region"):
        raise typer.BadParameter("--summary takes facility_id or region")
    ws = open_workspace(workspace)
    report = find_alerts(ws, parse_as_of(as_of), rule=rule, open_only=open_,
                         facility=facility, region=region)
    if report.banner:
        err.print(f"note: {report.banner}", style="yellow", highlight=False)
    names = command_names(ws) if labels or format is OutputFormat.table else None
    title = f"alerts as of {report.as_of}"
    if summary:
        render([dict(c) for c in summarise(report, summary)], format, title,
               kinds=ALERT_KINDS, names=names, labels=labels)
    else:
        render([asdict(a) for a in report.alerts], format, title, ALERT_COLUMNS,
               kinds=ALERT_KINDS, names=names, labels=labels)


@app.command()
def purge(workspace: WorkspaceArg,
          before: Annotated[str, typer.Option(help="Remove record-level data older than this "
                                                   "date (YYYY-MM-DD).")]) -> None:
    """Remove record-level data older than a date from both zones (aggregates stay).

    Example: endvac purge ws --before 2019-01-01
    """
    from endvac.cli.alerts import parse_as_of
    from endvac.ingest.retention import purge as run_purge
    from endvac.workspace import open_workspace

    done = run_purge(open_workspace(workspace), parse_as_of(before))
    out.print(f"purged before {done.before}: {done.events} events, {done.spells} spells, "
              f"{done.children} child records, {done.quarantined} quarantined rows, "
              f"{done.findings} findings, {done.encodings} encodings; recorded in `purges`")


@app.command()
def profile(workspace: WorkspaceArg, format: FormatOpt = OutputFormat.table) -> None:
    """Show the country profile: each legal limit, national or international default.

    Example: endvac profile ws --format csv
    """
    from endvac.profiles import profile_rows
    from endvac.workspace import open_workspace

    render(profile_rows(open_workspace(workspace).profile()), format, "country profile")


@app.command()
def synth(out_dir: Annotated[Path, typer.Argument(metavar="OUT", help="Folder to write.")],
          children: Annotated[int, typer.Option(min=1, help="Children to simulate.")] = 2000,
          seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
          effects: Annotated[bool, typer.Option(
              help="Plant the pathway effects (docs/pathways.md) and their truth.")] = False,
          ) -> None:
    """Write a synthetic country's deliveries and its ground truth.

    Example: endvac synth synthetic --children 2000 --seed 7
    """
    from endvac.synth import generate

    summary = generate(out_dir, children, seed, effects=effects)
    out.print(f"wrote {len(summary.deliveries)} deliveries for {children} children to "
              f"{out_dir}; ingest them in the order of {out_dir / 'deliveries.txt'}")


def _register_more() -> None:
    from endvac.cli.export import export_app
    from endvac.cli.mapping import mapping_app
    from endvac.cli.strategy import strategy_app

    app.add_typer(strategy_app)
    app.add_typer(mapping_app)
    app.add_typer(export_app)
    from endvac.cli.release import release
    from endvac.cli.report import publish_command, report_command

    app.command()(release)
    from endvac.cli.compare import compare

    app.command()(compare)
    from endvac.cli.linkage import link, link_decisions, link_evaluate, link_review, links

    app.command()(link)
    app.command()(links)
    app.command("link-review")(link_review)
    app.command("link-decisions")(link_decisions)
    app.command("link-evaluate")(link_evaluate)
    from endvac.cli.web import audit, serve, user_app

    app.command()(serve)
    app.add_typer(user_app, name="user")
    app.command()(audit)
    app.command("publish")(publish_command)
    app.command("report")(report_command)
    from endvac.cli.pathways import outcomes, pathways

    app.command()(pathways)
    app.command()(outcomes)


_register_more()


def main() -> None:
    """Console entry point: errors become one line and an exit code."""
    try:
        use_language(cli_language(sys.argv[1:]))
        app()
    except EndvacError as exc:
        if _state["debug"]:
            traceback.print_exc()
        err.print(error_line(exc), markup=False, highlight=False, soft_wrap=True)  # one line
        sys.exit(exc.exit_code)


def error_line(exc: EndvacError) -> str:
    """The one line an error prints: ``endvac: message — fix`` in the command's language
    (the message and fix of the library stay English)."""
    if exc.fix is None:
        return _("endvac: %(message)s") % {"message": exc.message}
    return _("endvac: %(message)s — %(fix)s") % {"message": exc.message, "fix": exc.fix}
