"""Time to publish a snapshot and to write the reports of a synthetic country, against
the engine's own run of one year as the baseline (same process, same workspace).

    .venv/bin/python bench/report.py [--children 100000] [--seed 1] [--workspace WS ...]
        [--keep]

For each size: build the country (generate + ingest, bench/country.py) or reuse the
``--workspace`` given in the same position, then time, in order:

1. **baseline**: ``run_indicators`` for 2025 with the national totals and every single
   breakdown, facts derived (what ``endvac indicators --by ...`` costs for one year);
2. **publish**: ``endvac.publish.publish(ws)`` (default years: 2024 and 2025, with
   safeguard rates, alerts at each year's end and the quarterly series);
3. **report**: the restricted report of 2025 from that snapshot (HTML, every chart);
4. **pdf**: the same HTML printed by Chromium;
5. **public**: the public report of 2025 (the release is built first when missing).

Prints a table and one ``RESULT {json}`` line per size.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from country import build, measure_sizes  # noqa: E402  (bench/ is not a package)
from endvac.config import BREAKDOWN_NAMES
from endvac.facts.derived import materialise
from endvac.indicators.engine import Request, run_indicators
from endvac.indicators.periods import parse_period
from endvac.publish import publish
from endvac.report import build_report
from endvac.report.pdf import print_pdf
from endvac.workspace import Workspace, open_workspace


def _timed(step: Any) -> float:
    started = time.perf_counter()
    step()
    return round(time.perf_counter() - started, 2)


def _baseline(ws: Workspace) -> None:
    request = Request(parse_period("2025"), groupings=((), *((b,) for b in BREAKDOWN_NAMES)))
    with ws.analytic(read_only=True) as con:
        facts = materialise(con, today=date.today())
        run_indicators(facts, ws.config.counting, int(ws.profile().value("macr")), request)


def _floor(ws: Workspace) -> None:
    """The machine's floor: one plain scan of the events table grouped by type."""
    with ws.analytic(read_only=True) as con:
        con.execute("SELECT event_type, count(*) FROM f_events GROUP BY 1").fetchall()


def measure(children: int, seed: int, workspace: Path | None, scratch: Path) -> dict[str, Any]:
    build_seconds = None
    if workspace is None:
        ws, build_seconds = build(scratch / f"children-{children}", children, seed)
    else:
        ws = open_workspace(workspace)
    out = scratch / f"report-{children}.html"
    result: dict[str, Any] = {"children": children, "seed": seed,
                              "build_seconds": build_seconds}
    result["floor_seconds"] = _timed(lambda: _floor(ws))
    result["baseline_seconds"] = _timed(lambda: _baseline(ws))
    result["publish_seconds"] = _timed(lambda: publish(ws))
    result["report_seconds"] = _timed(lambda: build_report(ws, "2025", out))
    result["pdf_seconds"] = _timed(lambda: print_pdf(out, out.with_suffix(".pdf")))
    result["public_seconds"] = _timed(
        lambda: build_report(ws, "2025", scratch / f"public-{children}.html", public=True))
    result["publish_ratio"] = round(result["publish_seconds"] / result["baseline_seconds"], 2)
    result["publish_over_floor"] = round(result["publish_seconds"]
                                         / max(result["floor_seconds"], 0.01), 1)
    result["html_mb"] = round(out.stat().st_size / 1e6, 2)
    return result


def main() -> None:
    results = measure_sizes(__doc__.splitlines()[0], [100_000], "report", measure)
    print(f"{'children':>10} {'baseline s':>10} {'publish s':>10} {'ratio':>6} "
          f"{'report s':>9} {'pdf s':>6} {'public s':>9} {'html MB':>8}")
    for r in results:
        print(f"{r['children']:>10,} {r['baseline_seconds']:>10} {r['publish_seconds']:>10} "
              f"{r['publish_ratio']:>6} {r['report_seconds']:>9} {r['pdf_seconds']:>6} "
              f"{r['public_seconds']:>9} {r['html_mb']:>8}")


if __name__ == "__main__":
    main()
