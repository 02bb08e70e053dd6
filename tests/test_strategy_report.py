"""The strategy chapter of the restricted report: there when a strategy is imported,
with its flags; absent without one; never in the public report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import synthetic_workspace
from endvac.report import build_report
from endvac.report.sections import registered
from endvac.strategy.files import import_strategy

CLI = "from endvac.cli.main import main; main()"


def test_strategy_chapter(tmp_path: Path) -> None:
    country, ws, _ = synthetic_workspace(tmp_path, 300, 4)
    without = build_report(ws, "2025", tmp_path / "before.html")
    assert "strategy" not in without.sections
    assert import_strategy(ws, country / "strategy.yaml").findings == []
    # a fresh process: the chapter's template folder must be known before rendering
    done = subprocess.run([sys.executable, "-c", CLI, "report", str(ws.root), "--period",
                           "2025", "--out", str(tmp_path / "report.html")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    chapter = html[html.index('data-section="strategy"'):]
    for text in ("S02 + S03", "S06 + S07", "Training coverage", "not verified", "<svg"):
        assert text in chapter, text
    assert "POL-NOR1-001" not in html  # participant codes are never shown
    assert "strategy" not in [s.name for s in registered(public=True)]
