"""Progress of long commands on stderr: a bar on a terminal, one line a step otherwise."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from endvac.i18n import N_, _
from endvac.progress import Progress as Callback
from endvac.progress import parse_counted

# the labels of the commands' progress (translated when shown)
LABELS = (N_("ingest"), N_("publish"), N_("report"), N_("release"), N_("link"),
          N_("link-decisions"), N_("indicators"))


@contextmanager
def progress_bar(label: str, *, quiet_counted: bool = False) -> Iterator[Callback]:
    """A callback for the library's progress messages (:mod:`endvac.progress`).

    On a terminal: a bar that fills with counted steps (``[3/12] ...``) and pulses
    between them, the elapsed time and the current step. Without a terminal: one
    line a plain step, each with the seconds since the start; counted steps only
    when ``quiet_counted`` is false."""
    err = Console(stderr=True)
    started = time.perf_counter()
    shown = _(label)
    if not sys.stderr.isatty():
        def line(message: str) -> None:
            step = parse_counted(message)
            if step is not None and quiet_counted:
                return
            text = message if step is None else f"{step.message} ({step.done}/{step.total})"
            err.print(f"{shown}: {text} [{time.perf_counter() - started:.1f} s]",
                      style="dim", highlight=False, markup=False)
        yield line
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
               MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.fields[step]}"))
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(shown, total=None, step="")

        def update(message: str) -> None:
            step = parse_counted(message)
            if step is None:
                bar.update(task, step=message)
            else:
                bar.update(task, total=step.total, completed=step.done - 1,
                           step=step.message)
        yield update
    err.print(_("%(label)s: done in %(seconds)s s") % {
        "label": shown, "seconds": f"{time.perf_counter() - started:.1f}"}, style="dim",
        highlight=False)
