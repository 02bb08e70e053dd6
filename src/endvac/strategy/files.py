"""Importing and exporting the workspace's strategy as YAML or Excel files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from endvac.appdb import open_app_db
from endvac.errors import BadInput, UsageError
from endvac.strategy.build import Finding, RawRows, build_strategy
from endvac.strategy.excel import read_excel_tables, write_excel
from endvac.strategy.model import Strategy
from endvac.strategy.store import load_strategy, save_strategy
from endvac.strategy.yamlio import read_yaml_tables, write_yaml
from endvac.workspace import Workspace

YAML_SUFFIXES = (".yaml", ".yml")
EXCEL_SUFFIXES = (".xlsx",)


@dataclass
class ImportResult:
    """What an import did: the counts loaded, or every problem (nothing loaded)."""

    file: str
    loaded: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.findings else 0


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in YAML_SUFFIXES + EXCEL_SUFFIXES:
        raise UsageError(f"{path.name}: unknown strategy file type {suffix or '(none)'}",
                         fix="give a .yaml, .yml or .xlsx file")
    return suffix


def known_indicator_ids() -> list[str]:
    """The indicator ids a target may name: the definitions and the safeguard rates."""
    from endvac.indicators.definitions import load_definitions
    from endvac.safeguards.rates import rate_definitions

    return [i.id for defs in (load_definitions(), rate_definitions()) for i in defs.indicators]


def read_strategy_file(path: Path) -> tuple[Strategy | None, list[Finding]]:
    """The strategy in a YAML or Excel file, or every problem found in it."""
    suffix = _suffix(path)
    if not path.is_file():
        raise BadInput(f"strategy file {path} not found", fix="check the path")
    tables: dict[str, RawRows] = (read_excel_tables(path) if suffix in EXCEL_SUFFIXES
                                  else read_yaml_tables(path))
    return build_strategy(tables, path.name, known_indicator_ids())


def import_strategy(workspace: Workspace, path: Path) -> ImportResult:
    """Replace the workspace's strategy with the file's, or load nothing and report why."""
    strategy, findings = read_strategy_file(path)
    result = ImportResult(path.name, findings=findings)
    if strategy is None:
        return result
    with open_app_db(workspace) as db:
        save_strategy(db, strategy)
    result.loaded = {name: (1 if name == "strategy" else len(getattr(strategy, name)))
                     for name in Strategy.model_fields}
    return result


def stored_strategy(workspace: Workspace) -> Strategy:
    """The workspace's strategy; a usage error when none was imported."""
    with open_app_db(workspace) as db:
        strategy = load_strategy(db)
    if strategy is None:
        raise UsageError("the workspace has no strategy yet",
                         fix="import one: endvac strategy import WORKSPACE strategy.yaml")
    return strategy


def write_strategy_file(strategy: Strategy, path: Path) -> None:
    """Write ``strategy`` as YAML or Excel, by the file's suffix."""
    if _suffix(path) in EXCEL_SUFFIXES:
        write_excel(strategy, path)
    else:
        write_yaml(strategy, path)


def export_strategy(workspace: Workspace, path: Path) -> Strategy:
    """Write the workspace's strategy to a YAML or Excel file."""
    strategy = stored_strategy(workspace)
    write_strategy_file(strategy, path)
    return strategy
