"""The report's sections: plain data. A chapter is a :class:`SectionSpec` (its builder,
place, audience and template folder); a report is built from the tuple of specs its
caller passes in (the report's own are ``endvac.report.builtin.SECTIONS``, the CLI adds
the strategy chapter's; docs/report.md). Nothing registers itself."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from endvac.report.data import ReportData


@dataclass(frozen=True)
class Section:
    """One chapter: its anchor, title, template and the data the template reads.
    ``record_level`` marks chapters that show per-record findings (never public)."""

    name: str
    title: str
    template: str
    data: dict[str, Any] = field(default_factory=dict)
    record_level: bool = False


@dataclass(frozen=True)
class SectionSpec:
    """How to build one chapter. ``order`` places it (summary 10, indicators 20,
    safeguards 30, equity 40, quality 50, strategy 60, methodology 90); ``public`` lets
    it into the public report, which must then read nothing but ``data``'s release rows;
    ``templates`` is a folder holding the chapter's Jinja2 template (None: the report's
    own templates)."""

    name: str
    build: Callable[[ReportData], Section | None]
    order: int
    public: bool = False
    templates: Path | None = None


def chosen(specs: Iterable[SectionSpec], public: bool) -> list[SectionSpec]:
    """The chapters of a report, in order (only the public ones for a public report).
    A later spec of the same name replaces an earlier one."""
    by_name = {s.name: s for s in specs}
    return sorted((s for s in by_name.values() if s.public or not public),
                  key=lambda s: (s.order, s.name))


def template_dirs(specs: Iterable[SectionSpec]) -> list[Path]:
    """The template folders the chapters bring, each once, in order."""
    found: list[Path] = []
    for spec in specs:
        if spec.templates is not None and spec.templates not in found:
            found.append(spec.templates)
    return found
