"""Run ``endvac`` commands in this process, as the console entry point runs them.

Click's CliRunner (and Typer's) invokes the command tree directly, so an
``EndvacError`` would surface as ``result.exception``; the real entry point
(:func:`endvac.cli.main.main`) turns it into one line on stderr and its exit code.
:data:`ENTRY` wraps that entry point, so a test sees what a user sees — without
starting a Python process.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from click.testing import CliRunner, Result

from endvac.cli.main import main


class _Entry(click.Command):
    """The ``endvac`` console script as a click command CliRunner can invoke."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        argv = kwargs.get("args", args[0] if args else ())
        saved = sys.argv
        sys.argv = ["endvac", *argv]
        try:
            main()
        finally:
            sys.argv = saved


ENTRY = _Entry("endvac")


def endvac(*args: str | Path, stdin: str | None = None) -> Result:
    """``endvac ARGS`` in process (``stdin`` typed in): exit code, stdout and stderr apart."""
    return CliRunner().invoke(ENTRY, [str(a) for a in args], input=stdin)
