"""The restricted report: every indicator with its engine value (hand-worked values on a
small hand-made workspace; every indicator against the stored engine results on a
synthetic country), the map, a self-contained file, the PDF's text, the section hook."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from cli_helpers import endvac
from conftest import synthetic_workspace
from endvac.errors import UsageError
from endvac.facts.derived import Facts
from endvac.indicators.definitions import load_definitions
from endvac.indicators.engine import Request
from endvac.indicators.periods import parse_period
from endvac.indicators.results import Result
from endvac.indicators.run import compute_indicators
from endvac.publish import load_snapshot, snapshot_numbers
from endvac.report import Section, SectionSpec, build_report
from endvac.report.builtin import SECTIONS
from endvac.safeguards.rates import rate_definitions, safeguard_rates
from endvac.store import db
from endvac.workspace import Workspace, open_workspace
from indicator_helpers import load_all
from report_helpers import parse, shown, values
from test_indicators_jj1 import POLICE

OWN = ("summary", "indicators", "safeguards", "equity", "quality", "methodology")


def own(names: list[str]) -> list[str]:
    """The report's own chapters, in order (other modules may add theirs)."""
    return [n for n in names if n in OWN]


def configure(ws: Workspace, geojson: Path | None = None) -> Workspace:
    text = ws.config_path.read_text(encoding="utf-8").replace("year: null", "year: 2025")
    if geojson is not None:
        text = text.replace("regions_geojson: null", f"regions_geojson: {geojson}")
    ws.config_path.write_text(text, encoding="utf-8")
    return open_workspace(ws.root)


@pytest.fixture
def small(ws: Workspace, tmp_path: Path) -> Workspace:
    load_all(ws, tmp_path, {"police": POLICE})
    return configure(ws)


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, Path]:
    """A synthetic country with its regions' boundaries, and its restricted report (and
    PDF) of 2025."""
    root = tmp_path_factory.mktemp("country")
    folder, ws, _ = synthetic_workspace(root, 300, 11)
    ws = configure(ws, folder / "regions.geojson")
    out = root / "report.html"
    build_report(ws, "2025", out, pdf=True)
    return ws, out


def test_hand_worked_values_are_shown(small: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    summary = build_report(small, "2025", out)
    found = parse(out)
    # JJ1: 4 children (A1, A2, A3, A4) of 8,000: 50.0 per 100,000
    assert values(found, "JJ1") == {"50.0"}
    # girls: 1 of 3,800 = 26.315…; boys 2 of 4,200 = 47.619…
    assert values(found, "JJ1", breakdown="sex", cell="f") == {"26.3"}
    assert values(found, "JJ1", breakdown="sex", cell="m") == {"47.6"}
    html = out.read_text(encoding="utf-8")
    assert ">8,000<" in html and ">3,800<" in html
    # the girls' rate ratio to boys, (1/3,800) / (2/4,200) = 0.5526…
    assert re.search(r'class="num ratio">0\.55<', html)
    # the quarters of 2025: A1 | A2 | A1 again, A3, A4 | none, annualised per 100,000
    q1 = 1 / 8000 * 100_000 * 365 / 90
    assert values(found, "JJ1", "2025-Q1") == {f"{q1:,.1f}"}
    assert values(found, "JJ1", "2025-Q4") == {"0.0"}
    # 2024 has no population: no value, so no change either
    assert values(found, "JJ1", "2024") == {"–"}
    # no decision point has children at both of its points: no equity chapter
    assert own(summary.sections) == ["summary", "indicators", "safeguards", "quality",
                                     "methodology"]


def test_report_publishes_a_snapshot_when_none_covers_the_period(small: Workspace,
                                                                 tmp_path: Path) -> None:
    assert snapshot_numbers(small.root) == []
    build_report(small, "2025", tmp_path / "r.html")
    assert snapshot_numbers(small.root) == [1]
    assert load_snapshot(small).years == ["2024", "2025"]
    build_report(small, "2025", tmp_path / "again.html")
    assert snapshot_numbers(small.root) == [1]  # the snapshot is used again


def _stored_engine_results(ws: Workspace) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Run the engine as `endvac indicators --safeguards --by sex --by region` does and
    read back what it stored."""
    request = Request(parse_period("2025"), groupings=((), ("sex",), ("region",)))
    profile = ws.profile()

    def rates(facts: Facts) -> list[Result]:
        return safeguard_rates(facts, profile, ws.config.counting, request)
    run = compute_indicators(ws, request, extra=rates)
    with ws.analytic(read_only=True) as con:
        stored = db.rows(con, "t", "SELECT result FROM indicator_results WHERE run_id = ?",
                         [run.run_id])
    out = {}
    for (text,) in stored:
        result = json.loads(text)
        by = result["by"]
        key = (result["id"], next(iter(by), ""), str(next(iter(by.values()), "")))
        out[key] = result
    return out


def test_every_indicator_appears_with_its_engine_value(country: tuple[Workspace, Path]
                                                       ) -> None:
    ws, out = country
    found = parse(out)
    engine = _stored_engine_results(ws)
    ids = [i.id for i in load_definitions().indicators + rate_definitions().indicators]
    for indicator in ids:
        expected = engine[(indicator, "", "")]
        texts = values(found, indicator)
        assert texts, indicator
        if expected["value"] is None:
            assert all(not re.search(r"\d", t) for t in texts), (indicator, texts)
        else:
            assert texts == {shown(expected["value"], str(expected["unit"]))}, indicator
    cells = [k for k in engine if k[1] in ("sex", "region")]
    for indicator, breakdown, cell in cells:
        expected = engine[(indicator, breakdown, cell)]
        if expected["value"] is not None:
            assert values(found, indicator, "2025", breakdown, cell) == {
                shown(expected["value"], str(expected["unit"]))}, (indicator, breakdown, cell)


def test_report_is_self_contained_with_maps(country: tuple[Workspace, Path]) -> None:
    _, out = country
    html = out.read_text(encoding="utf-8")
    found = parse(out)
    assert "script" not in found.tags and "link" not in found.tags
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "http" not in html.replace("http://www.w3.org/", "")
    assert html.count('class="chart map"') >= 10  # every indicator with values by region
    first_map = html.split('class="chart map"')[1]
    assert "<svg" in first_map[:200] and "NOR1" in first_map.split("</svg>")[0]
    assert own([s["id"] for s in found.sections]) == [
        "summary", "indicators", "safeguards", "equity", "quality", "methodology"]


def test_pdf_text_has_every_indicator_name_and_value(country: tuple[Workspace, Path]) -> None:
    ws, out = country
    text = subprocess.run(["pdftotext", str(out.with_suffix(".pdf")), "-"], check=True,
                          capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    snap = load_snapshot(ws)
    for definition in load_definitions().indicators + rate_definitions().indicators:
        assert definition.name in flat, definition.id
        row = snap.result(definition.id, "2025")
        assert row is not None
        if row["value"] is not None:
            assert shown(row["value"], definition.unit) in flat, definition.id


def test_extra_sections_plug_in(small: Workspace, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "extra.html").write_text("<p class='extra'>{{ section.words }}</p>",
                                          encoding="utf-8")

    def extra(data: object) -> Section:
        return Section("extra", "Extra", "extra.html", {"words": "plans <b>here</b>"})
    given = (*SECTIONS, SectionSpec("extra", extra, order=55, templates=templates))
    build_report(small, "2025", tmp_path / "r.html", sections=given)
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    found = parse(tmp_path / "r.html")
    names = [s["id"] for s in found.sections]
    # quality 50 < extra 55 < methodology 90
    assert names.index("extra") == names.index("quality") + 1
    assert names[-1] == "methodology"
    assert "plans &lt;b&gt;here&lt;/b&gt;" in html  # escaped: data, not markup
    # not given: not built (nothing stays registered from the call above)
    build_report(small, "2025", tmp_path / "own.html")
    assert "extra" not in [s["id"] for s in parse(tmp_path / "own.html").sections]
    # not public: left out of the public report
    build_report(small, "2025", tmp_path / "public.html", public=True, sections=given)
    assert "extra" not in [s["id"] for s in parse(tmp_path / "public.html").sections]


def test_bad_period_and_missing_chromium(small: Workspace, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UsageError, match="calendar year"):
        build_report(small, "2025-01", tmp_path / "r.html")
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))  # no chromium on the PATH
    done = endvac("report", str(small.root), "--period", "2025", "--out",
                  str(tmp_path / "r.html"), "--pdf")
    assert done.exit_code == 2
    assert "apt-get install chromium" in done.stderr
    assert (tmp_path / "r.html").is_file()  # the HTML is written before the PDF
