"""How long work reports its progress: a callback taking one message a step.

A step that knows where it stands in a counted sequence says so with
:func:`counted` (``"[3/12] events.csv"``); the command line turns those into a
progress bar and plain messages into the bar's current step.  Messages carry
step names, file names and counts only — never row values or identifiers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

Progress = Callable[[str], None]

_COUNTED = re.compile(r"^\[(\d+)/(\d+)\] (.*)$", re.DOTALL)


class Counted(NamedTuple):
    done: int
    total: int
    message: str


def counted(done: int, total: int, message: str) -> str:
    """The message of step ``done`` of ``total`` (``done`` counts from 1)."""
    return f"[{done}/{total}] {message}"


def parse_counted(message: str) -> Counted | None:
    """The count of a counted message, or None for a plain one."""
    match = _COUNTED.match(message)
    if not match:
        return None
    return Counted(int(match[1]), int(match[2]), match[3])
