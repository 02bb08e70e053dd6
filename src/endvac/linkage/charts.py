"""Splink's charts of the trained model (parameters only, never records), saved as
HTML (Splink's page, which loads Vega from a CDN) and as Vega-Lite JSON (render it with
vl-convert or Altair) in ``linkage/charts`` for the report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CHARTS = ("match_weights", "m_u_parameters")


def save_charts(linker: Any, folder: Path) -> dict[str, Path]:
    """Write each chart as ``<name>.html`` and ``<name>.json``; their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    made = {"match_weights": linker.visualisations.match_weights_chart(),
            "m_u_parameters": linker.visualisations.m_u_parameters_chart()}
    out: dict[str, Path] = {}
    for name, chart in made.items():
        chart.save(str(folder / f"{name}.html"))
        (folder / f"{name}.json").write_text(json.dumps(chart.chart_dict, default=str),
                                             encoding="utf-8")
        out[name] = folder / f"{name}.html"
    return out


def chart_paths(folder: Path) -> dict[str, str]:
    """The saved charts (HTML and JSON) that exist."""
    return {f"{name}.{ext}": str(folder / f"{name}.{ext}")
            for name in CHARTS for ext in ("html", "json") if (folder / f"{name}.{ext}").exists()}
