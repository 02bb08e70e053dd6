"""The report's sections: a list of builders, each returning its data and the template
that renders it. Other modules add chapters with :func:`register_section` (the strategy
module adds its own; docs/report.md)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from endvac.report.data import ReportData

# Modules imported before a report is built so that they can register their sections;
# one that is not installed is skipped.
PLUGIN_MODULES = ("endvac.strategy.report", "endvac.pathways.report")


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
    name: str
    build: Callable[[ReportData], Section | None]
    order: int
    public: bool


_REGISTRY: dict[str, SectionSpec] = {}
_TEMPLATE_DIRS: list[Path] = []


def register_section(name: str, build: Callable[[ReportData], Section | None], *,
                     order: int, public: bool = False,
                     templates: Path | None = None) -> None:
    """Add (or replace) a chapter. ``order`` places it (summary 10, indicators 20,
    safeguards 30, equity 40, quality 50, methodology 90); ``public`` lets it into the
    public report, which must then read nothing but ``data``'s release rows;
    ``templates`` is a folder holding the chapter's Jinja2 template."""
    _REGISTRY[name] = SectionSpec(name, build, order, public)
    if templates is not None and templates not in _TEMPLATE_DIRS:
        _TEMPLATE_DIRS.append(templates)


def unregister_section(name: str) -> None:
    """Remove a chapter (tests, or a module that replaces one of its own)."""
    _REGISTRY.pop(name, None)


def registered(public: bool) -> list[SectionSpec]:
    """The chapters of a report, in order (only the public ones for a public report)."""
    _load_plugins()
    return sorted((s for s in _REGISTRY.values() if s.public or not public),
                  key=lambda s: (s.order, s.name))


def template_dirs() -> list[Path]:
    return list(_TEMPLATE_DIRS)


def _load_plugins() -> None:
    for module in PLUGIN_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name is None or not module.startswith(exc.name):
                raise
