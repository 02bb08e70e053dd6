"""The strategy chapter of the restricted report: there when a strategy is imported,
with its flags; absent without one; never in the public report."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import endvac
from conftest import synthetic_workspace
from endvac.cli.report import report_sections
from endvac.report import build_report
from endvac.report.sections import chosen
from endvac.strategy.files import import_strategy


def test_strategy_chapter(tmp_path: Path) -> None:
    country, ws, _ = synthetic_workspace(tmp_path, 300, 4)
    without = build_report(ws, "2025", tmp_path / "before.html")
    assert "strategy" not in without.sections
    assert import_strategy(ws, country / "strategy.yaml").findings == []
    # the library's default is the report's own chapters; the CLI composes the strategy in
    again = build_report(ws, "2025", tmp_path / "again.html")
    assert "strategy" not in again.sections
    done = endvac("report", ws.root, "--period", "2025", "--out", tmp_path / "report.html")
    assert done.exit_code == 0, done.stderr[-2000:]
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    chapter = html[html.index('data-section="strategy"'):]
    for text in ("S02 + S03", "S06 + S07", "Training coverage", "not verified", "<svg"):
        assert text in chapter, text
    assert "POL-NOR1-001" not in html  # participant codes are never shown
    assert "strategy" in [s.name for s in chosen(report_sections(), public=False)]
    assert "strategy" not in [s.name for s in chosen(report_sections(), public=True)]
