"""`endvac serve`, `endvac user add|list|disable` and `endvac audit`."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Annotated

import typer

from endvac.cli.render import OutputFormat, render

WorkspaceArg = Annotated[Path, typer.Argument(help="The workspace folder.")]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", help="table, csv or json.")]

user_app = typer.Typer(
    help="Accounts of the web application: add, list, disable.\n\n"
         "Example: endvac user add ws ana --role analyst",
    no_args_is_help=True, rich_markup_mode=None)


def serve(workspace: WorkspaceArg,
          host: Annotated[str | None, typer.Option(help="Address (ENDVAC_WEB_HOST).")] = None,
          port: Annotated[int | None, typer.Option(help="Port (ENDVAC_WEB_PORT).")] = None,
          workers: Annotated[int | None, typer.Option(
              help="Worker processes (ENDVAC_WEB_WORKERS).")] = None,
          insecure_cookies: Annotated[bool, typer.Option(
              help="No Secure flag on the session cookie: plain http on a loopback "
                   "address only (a demo).")] = False,
          ) -> None:
    """Serve the web application and its API (docs/web.md).

    Example: endvac serve ws --port 8000 --workers 2
    """
    from endvac.web.serve import run_server

    run_server(workspace, host=host, port=port, workers=workers,
               insecure_cookies=insecure_cookies or None,
               say=lambda msg: typer.echo(msg, err=True))


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("password: ")
    if first != getpass.getpass("again: "):
        raise typer.BadParameter("the two passwords differ")
    return first


@user_app.command("add")
def user_add(workspace: WorkspaceArg,
             username: Annotated[str, typer.Argument(help="The new user's name.")],
             role: Annotated[str, typer.Option(help="admin, analyst, monitor or viewer.")],
             facility: Annotated[list[str] | None, typer.Option(
                 help="A monitor's facility (repeat for more).")] = None,
             region: Annotated[list[str] | None, typer.Option(
                 help="A monitor's region (repeat for more).")] = None,
             password_stdin: Annotated[bool, typer.Option(
                 help="Read the password from the first line of stdin.")] = False,
             ) -> None:
    """Add a user (the password is asked twice, or read from stdin).

    Example: endvac user add ws mo --role monitor --facility F1 --region D2
    """
    from endvac.accounts.manage import add_user_audited
    from endvac.workspace import open_workspace

    user = add_user_audited(open_workspace(workspace), username, role,
                            _password(password_stdin), facilities=facility, regions=region)
    typer.echo(f"user {user.username} added with role {user.role}")


@user_app.command("list")
def user_list(workspace: WorkspaceArg, format: FormatOpt = OutputFormat.table) -> None:
    """List the users, their roles, assignments and whether they are disabled.

    Example: endvac user list ws --format csv
    """
    from endvac.accounts.manage import users_of
    from endvac.workspace import open_workspace

    render([u.model_dump() for u in users_of(open_workspace(workspace))], format, "users")


@user_app.command("disable")
def user_disable(workspace: WorkspaceArg,
                 username: Annotated[str, typer.Argument(help="The user to disable.")]) -> None:
    """Disable a user and end their sessions.

    Example: endvac user disable ws ana
    """
    from endvac.accounts.manage import disable_user_audited
    from endvac.workspace import open_workspace

    user = disable_user_audited(open_workspace(workspace), username)
    typer.echo(f"user {user.username} disabled")


def audit(workspace: WorkspaceArg, format: FormatOpt = OutputFormat.table,
          verify: Annotated[bool, typer.Option(
              help="Only verify the hash chain (exit 1 when it is broken).")] = False,
          last: Annotated[int | None, typer.Option(help="Only the last N entries.")] = None,
          ) -> None:
    """List the audit trail and verify its hash chain; exit 1 when the chain is broken.

    Example: endvac audit ws --verify
    """
    from endvac.accounts.manage import audit_report
    from endvac.workspace import open_workspace

    entries, check = audit_report(open_workspace(workspace), last=None if verify else last)
    if not verify:
        render([e.model_dump(exclude={"prev_hash"}) for e in entries], format, "audit trail")
    typer.echo(check.message, err=not verify)
    raise typer.Exit(0 if check.intact else 1)
